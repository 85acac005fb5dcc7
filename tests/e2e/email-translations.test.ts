import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  appAxeViolations,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

/*
 * Settings › Emails in a store that publishes French, German and Spanish (decision 057): the merchant picks French,
 * is told French customers get the default until a French version is saved, writes and saves one, previews its
 * footer and its rewards in French, and removes it again.
 */

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-email-translations.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app: appOf, appLink, toast, modal, saveBar } = adminChrome(() => page);
/** The admin's "Leave page with unsaved changes?", which the save bar's leave confirmation shows. */
const leave = () => page.locator('[data-sandbox-confirm="leave"]');

describe("A version of an email per store language", () => {
  it("saves a French invitation beside the default one, previews its footer in French, and removes it", async () => {
    const app = await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await app.getByRole("link", { name: "Edit the invitation email" }).click();
    const language = app.getByLabel("Language");
    await language.waitFor({ timeout: 20_000 });
    await expect(
      language.locator("option").evaluateAll((options) => options.map((option) => option.textContent)),
    ).resolves.toEqual(["English (default, for every language without its own)", "German", "Spanish", "French"]);
    const subjectField = app.getByLabel("Subject", { exact: true });
    const defaultSubject = await subjectField.inputValue();

    await language.selectOption({ label: "French" });
    await app.getByText("No French version yet").waitFor({ timeout: 15_000 });
    // The editor starts from the default template's words, to translate.
    await expect(subjectField.inputValue()).resolves.toBe(defaultSubject);
    await expect(app.getByText("No French version is saved; saving creates version 1.").count()).resolves.toBe(1);
    // Until a French version is saved, the preview is what a French customer is sent: Tally's English default,
    // rewards and footer included, its links on the French storefront (decision 059; it read French words here).
    const preview = app.locator("pre");
    await expect
      .poll(() => preview.textContent(), { timeout: 15_000 })
      .toContain("/fr/apps/tally/email/unsubscribe?token=SAMPLE");
    await expect(preview.textContent()).resolves.toContain("Unsubscribe: https://");
    await expect(preview.textContent()).resolves.toContain("10% off their first order of $20.00 CAD or more");

    // The rewards' placeholders are worded in French (decision 059), so no notice asks to write them out.
    await expect(app.getByText("are written in English", { exact: false }).count()).resolves.toBe(0);
    await subjectField.fill("{{ first_name }}, offrez un cadeau à vos amis");
    // Another language with the typing not saved asks first, as leaving the page does; staying keeps every word.
    await language.selectOption({ label: "German" });
    await leave().getByText("Leave page with unsaved changes?").waitFor({ timeout: 5_000 });
    await leave().getByRole("button", { name: "Stay" }).click();
    await expect(subjectField.inputValue()).resolves.toBe("{{ first_name }}, offrez un cadeau à vos amis");
    await expect(language.inputValue()).resolves.toBe("fr");
    await app.getByRole("button", { name: "Save French version" }).click();
    await toast("Template saved (version 1)");
    await app.getByText("Version 1 (in use)", { exact: false }).waitFor({ timeout: 15_000 });
    await expect(app.getByText("No French version yet").count()).resolves.toBe(0);
    await expect(app.locator("p", { hasText: /^Subject:/ }).textContent()).resolves.toBe(
      "Subject: Ana, offrez un cadeau à vos amis",
    );
    // Saved, the French version is sent in French: its preview's footer and rewards say so.
    await expect.poll(() => preview.textContent(), { timeout: 15_000 }).toContain("Se désabonner\u00a0: https://");
    await expect(preview.textContent()).resolves.toContain(
      "10\u00a0% de réduction sur leur première commande de 20,00\u00a0$CA ou plus",
    );
    await expect(appAxeViolations(page)).resolves.toEqual([]);
    // A reload keeps the French version open (its ?language= is the app's own, not Shopify's ?locale=).
    await page.reload();
    await expect.poll(() => language.inputValue(), { timeout: 20_000 }).toBe("fr");
    await expect(subjectField.inputValue()).resolves.toBe("{{ first_name }}, offrez un cadeau à vos amis");

    // The default template is untouched, and says so.
    await language.selectOption({ label: "English (default, for every language without its own)" });
    await expect.poll(() => subjectField.inputValue(), { timeout: 15_000 }).toBe(defaultSubject);
    await expect(app.getByText("Tally's default template is in use; saving creates version 1.").count()).resolves.toBe(
      1,
    );
    await expect.poll(() => preview.textContent(), { timeout: 15_000 }).toContain("Unsubscribe: https://");

    // Typed in the default and not saved: leaving for French asks, and Leave page drops the typing.
    await subjectField.fill("Draft not saved");
    await language.selectOption({ label: "French" });
    await leave().getByRole("button", { name: "Leave page" }).click();
    await expect
      .poll(() => subjectField.inputValue(), { timeout: 15_000 })
      .toBe("{{ first_name }}, offrez un cadeau à vos amis");

    // Removing asks first: Cancel keeps the version, the modal's Remove takes it away.
    await app.getByRole("button", { name: "Remove French version" }).click();
    await modal().locator("[data-sandbox-modal-title]", { hasText: "Remove the French version?" }).waitFor();
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await expect(app.getByText("Version 1 (in use)", { exact: false }).count()).resolves.toBe(1);
    await app.getByRole("button", { name: "Remove French version" }).click();
    await modal().locator('[data-sandbox-modal-action="Remove French version"]').click();
    await toast("French removed");
    await app.getByText("No French version yet").waitFor({ timeout: 15_000 });
    await expect(subjectField.inputValue()).resolves.toBe(defaultSubject);
    expect(pageErrors).toEqual([]);
  });

  it("says so when a link asks for a language the store does not publish, or for no language, and opens the default template", async () => {
    const app = appOf();
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    const language = app.getByLabel("Language");
    const subjectField = app.getByLabel("Subject", { exact: true });
    for (const [asked, title] of [
      ["it", "Your store does not publish Italian"],
      ["zz!!", "\u201czz!!\u201d is not a language your store publishes"],
    ] as const) {
      await page.goto(`${env.sandbox.origin}${appBase}/settings/emails?kind=invitation&language=${asked}`);
      const banner = app.locator(".Polaris-Banner", { hasText: title });
      await banner.waitFor({ timeout: 20_000 });
      await expect(banner.textContent()).resolves.toContain(
        "The default template is shown below, and saving changes it.",
      );
      await expect(language.inputValue()).resolves.toBe("");
      await expect(app.getByRole("button", { name: "Save", exact: true }).count()).resolves.toBe(1);
    }
    const defaultSubject = await subjectField.inputValue();
    // The list still works, and the notice goes with the link that asked.
    await language.selectOption({ label: "French" });
    await app.getByText("No French version yet").waitFor({ timeout: 15_000 });
    await expect(app.getByText("is not a language your store publishes").count()).resolves.toBe(0);
    await expect(subjectField.inputValue()).resolves.toBe(defaultSubject);
    expect(pageErrors).toEqual([]);
  });
  it("asks the save bar's leave question before another language or email drops typed changes, and switches at once without any", async () => {
    const app = appOf();
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    await page.goto(`${env.sandbox.origin}${appBase}/settings/emails?kind=invitation`);
    const language = app.getByLabel("Language");
    const subjectField = app.getByLabel("Subject", { exact: true });
    const invitationTab = app.getByRole("tab", { name: "Referral invitation" });
    const reminderTab = app.getByRole("tab", { name: "Points reminder" });
    const selected = (tab: typeof invitationTab) => tab.getAttribute("aria-selected");
    await language.waitFor({ timeout: 20_000 });
    const invitationSubject = await subjectField.inputValue();

    // Nothing typed: another email or language opens at once, nothing asked.
    await reminderTab.click();
    await expect.poll(() => selected(reminderTab), { timeout: 15_000 }).toBe("true");
    await expect.poll(() => subjectField.inputValue(), { timeout: 15_000 }).not.toBe(invitationSubject);
    const reminderSubject = await subjectField.inputValue();
    await invitationTab.click();
    await expect.poll(() => subjectField.inputValue(), { timeout: 15_000 }).toBe(invitationSubject);
    await language.selectOption({ label: "German" });
    await app.getByText("No German version yet").waitFor({ timeout: 15_000 });
    await language.selectOption({ label: "English (default, for every language without its own)" });
    await expect.poll(() => app.getByText("No German version yet").count(), { timeout: 15_000 }).toBe(0);
    await expect(leave().count()).resolves.toBe(0);

    // Typed and not saved: the other email asks; Stay keeps the invitation, its tab and the typing.
    await subjectField.fill("An edited subject");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await reminderTab.click();
    await leave().getByText("Leave page with unsaved changes?").waitFor({ timeout: 5_000 });
    await leave().getByRole("button", { name: "Stay" }).click();
    await expect(selected(invitationTab)).resolves.toBe("true");
    await expect(subjectField.inputValue()).resolves.toBe("An edited subject");
    await expect(saveBar().getAttribute("data-visible")).resolves.toBe("");

    // The other language asks the same; Stay keeps English in the list and the typing in the editor.
    await language.selectOption({ label: "French" });
    await leave().getByText("Leave page with unsaved changes?").waitFor({ timeout: 5_000 });
    await leave().getByRole("button", { name: "Stay" }).click();
    await expect(language.inputValue()).resolves.toBe("");
    await expect(subjectField.inputValue()).resolves.toBe("An edited subject");
    await expect(modal().count()).resolves.toBe(0);

    // Leave page drops the typing and opens French, the bar gone.
    await language.selectOption({ label: "French" });
    await leave().getByRole("button", { name: "Leave page" }).click();
    await app.getByText("No French version yet").waitFor({ timeout: 15_000 });
    await expect(language.inputValue()).resolves.toBe("fr");
    await expect(subjectField.inputValue()).resolves.toBe(invitationSubject);
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 10_000 });

    // And for the other email: Leave page opens the points reminder, the typing dropped.
    await subjectField.fill("Un objet modifié");
    await reminderTab.click();
    await leave().getByRole("button", { name: "Leave page" }).click();
    await expect.poll(() => selected(reminderTab), { timeout: 15_000 }).toBe("true");
    await expect.poll(() => subjectField.inputValue(), { timeout: 15_000 }).toBe(reminderSubject);
    await expect(leave().count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
