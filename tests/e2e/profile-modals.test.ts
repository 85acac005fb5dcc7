import { createRequire } from "node:module";
import type * as AxeCore from "axe-core";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-profile-modals.myshopify.com";
const require = createRequire(import.meta.url);

/** axe-core's WCAG A/AA violations, and its best practices', in the open modal's own frame. */
async function modalViolations(frame: FrameLocator): Promise<string[]> {
  const content = await frame.locator("body").elementHandle();
  const modalFrame = (await content!.ownerFrame())!;
  await modalFrame.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return modalFrame.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof AxeCore }).axe;
    // The frame is the modal's body only: its title, heading and landmarks are the admin's chrome around it.
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      rules: {
        "document-title": { enabled: false },
        "page-has-heading-one": { enabled: false },
        "landmark-one-main": { enabled: false },
        region: { enabled: false },
      },
      resultTypes: ["violations"],
    });
    return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((n) => n.html).join(" | ")}`);
  });
}

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modal, modalContent, appLink, adminTitle, titleAction, menuAction } = adminChrome(() => page);

/** Pat Lee's profile, opened from the directory as a merchant does. */
async function openPatsProfile() {
  await appLink("Customers").click();
  const row = app().getByRole("row").filter({ hasText: "pat@example.com" });
  await row.waitFor({ timeout: 15_000 });
  await row.getByRole("link").first().click();
  await adminTitle("Pat Lee");
}

describe("the profile's modals", () => {
  it("forget a refusal when staff cancel and open them again", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    env.sandbox.control.createCustomer({ shop, email: "pat@example.com", firstName: "Pat", lastName: "Lee" });
    await env.sandbox.control.idle();
    await openPatsProfile();

    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("25");
    await modal().locator('[data-sandbox-modal-action="Adjust points"]').click();
    const refusal = modalContent().getByText("Say why the points are adjusted");
    await refusal.waitFor({ timeout: 15_000 });

    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).waitFor({ timeout: 10_000 });
    await expect(refusal.count()).resolves.toBe(0);
    await expect(modalContent().getByLabel("Points", { exact: true }).inputValue()).resolves.toBe("");
    expect(pageErrors).toEqual([]);
  });

  it("state the allowed range for too many points, and drop a refusal once the points change", async () => {
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("2000000000");
    await modalContent().getByLabel("Reason").fill("Goodwill");
    await modal().locator('[data-sandbox-modal-action="Adjust points"]').click();
    const range = modalContent().getByText("Enter at most 10,000,000 points, or at least -10,000,000");
    await range.waitFor({ timeout: 15_000 });

    await modalContent().getByLabel("Points", { exact: true }).fill("-700");
    await modalContent()
      .getByText("Leaves -700: the customer will owe points")
      .or(modalContent().getByText("Leaves −700: the customer will owe points"))
      .waitFor({ timeout: 10_000 });
    await expect(range.count()).resolves.toBe(0);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("drop store credit's refusal of a field once it is changed, and keep the refusal of a field left as it was", async () => {
    await app().getByRole("button", { name: "Issue store credit" }).click();
    const amount = modalContent().getByLabel("Amount", { exact: true });
    const reason = modalContent().getByLabel("Reason");
    const issue = modal().locator('[data-sandbox-modal-action="Issue store credit"]');
    await amount.fill("10.999");
    await reason.fill("Goodwill");
    await issue.click();
    const decimals = modalContent().getByText("CAD has 2 decimal places");
    await decimals.waitFor({ timeout: 15_000 });
    // The merchant corrects the amount (a large one now, which asks for a tick): the refusal of 10.999 goes.
    await amount.fill("99999999");
    await modalContent()
      .getByText("A large amount: check it is not a slip of a zero or two.", { exact: false })
      .waitFor();
    await expect(decimals.count()).resolves.toBe(0);

    // No reason: refused on the reason, which stays while only the amount changes, and goes once a reason is typed.
    await amount.fill("5");
    await reason.fill("");
    await issue.click();
    const noReason = modalContent().getByText("Say why the store credit changes");
    await noReason.waitFor({ timeout: 15_000 });
    await amount.fill("6");
    await expect(noReason.count()).resolves.toBe(1);
    await reason.fill("Goodwill");
    await expect(noReason.count()).resolves.toBe(0);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("close on Escape, typed in a field or over the dialog, and give focus back to what opened them", async () => {
    const adminFocus = () => page.evaluate(() => document.activeElement?.getAttribute("data-sandbox-title-action"));
    // Escape typed in the modal's field (its own frame): closed, and the header's Adjust points has focus again.
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("25");
    await page.keyboard.press("Escape");
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await expect.poll(adminFocus).toBe("Adjust points");

    // Opened again (the app heard it close), Escape at once, before anything inside is touched.
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).waitFor({ timeout: 10_000 });
    await expect(modalContent().getByLabel("Points", { exact: true }).inputValue()).resolves.toBe("");
    await page.keyboard.press("Escape");
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await expect.poll(adminFocus).toBe("Adjust points");

    // A modal the app's own button opens (Settings' Recalculate points): focus goes back to that button in the app.
    await appLink("Settings").click();
    const recalculate = app().getByRole("button", { name: "Recalculate points" });
    await recalculate.click();
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Recalculate every customer's points?" })
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press("Escape");
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await expect
      .poll(() => recalculate.evaluate((button) => button === document.activeElement && document.hasFocus()))
      .toBe(true);
    // Closed means cancelled: no job was started.
    await expect(page.evaluate(() => location.pathname)).resolves.not.toMatch(/\/jobs/);
    expect(pageErrors).toEqual([]);
  });

  it("keep a refusal in view right after an adjustment was done, instead of closing on it", async () => {
    // Newcomer round 14: the form's key fell back when a refusal followed a success, and the modal closed unseen.
    await openPatsProfile();
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("5");
    await modalContent().getByLabel("Reason").fill("Welcome gift");
    await modal().locator('[data-sandbox-modal-action="Adjust points"]').click();
    await modal().waitFor({ state: "detached", timeout: 15_000 });
    await app().getByText("Welcome gift").first().waitFor({ timeout: 15_000 });

    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("4");
    await modal().locator('[data-sandbox-modal-action="Adjust points"]').click();
    await modalContent().getByText("Say why the points are adjusted").waitFor({ timeout: 15_000 });
    await expect(modalContent().getByLabel("Points", { exact: true }).inputValue()).resolves.toBe("4");
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("keep a reason past the limit whole, say so on the field, and adjust nothing", async () => {
    // Issue 10: the field's maxLength made the browser cut a pasted reason at 500 characters without a word, and the
    // cut sentence was saved as if whole.
    await openPatsProfile();
    await titleAction("Adjust points").click();
    const reason =
      `Goodwill for the late parcel. ${"The courier lost it twice, then left it in the rain. ".repeat(11)}`.trim();
    expect(reason.length).toBeGreaterThan(500);
    await modalContent().getByLabel("Points", { exact: true }).fill("7");
    await modalContent().getByLabel("Reason").fill(reason);
    await expect(modalContent().getByLabel("Reason").inputValue()).resolves.toBe(reason);
    const words = modalContent().getByText(`Keep it to 500 characters or fewer (this is ${reason.length})`);
    await words.waitFor({ timeout: 10_000 });

    // Sent anyway, the server refuses it too: the modal stays open on the whole text and its words, nothing adjusted.
    const answered = page.waitForResponse(
      (response) =>
        response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/app/customers/"),
    );
    await modal().locator('[data-sandbox-modal-action="Adjust points"]').click();
    expect((await answered).status()).toBe(400);
    await words.waitFor({ timeout: 10_000 });
    await expect(modal().count()).resolves.toBe(1);
    await expect(modalContent().getByLabel("Reason").inputValue()).resolves.toBe(reason);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await expect(app().getByText("Goodwill for the late parcel").count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('save on Enter in a field, with no hidden "Submit" for a screen reader and nothing axe flags', async () => {
    await openPatsProfile();
    for (const [action, field, opener] of [
      ["Adjust points", "Points", () => titleAction("Adjust points")],
      ["Issue store credit", "Amount", () => app().getByRole("button", { name: "Issue store credit" })],
    ] as const) {
      await opener().click();
      await modalContent().getByLabel(field, { exact: true }).waitFor({ timeout: 10_000 });
      // The modal's one button is its primary action, in the admin's chrome: none inside the form, hidden or not.
      await expect(modalContent().locator("form button, form [type=submit]").count(), action).resolves.toBe(0);
      await expect(modalContent().locator("form").textContent(), action).resolves.not.toContain("Submit");
      await expect(modalViolations(modalContent()), action).resolves.toEqual([]);
      await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
      await modal().waitFor({ state: "detached", timeout: 10_000 });
    }

    // Enter in the Reason field, the last one typed in, saves as the modal's Adjust points does.
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("7");
    await modalContent().getByLabel("Reason").fill("Enter saves");
    await modalContent().getByLabel("Reason").press("Enter");
    await modal().waitFor({ state: "detached", timeout: 15_000 });
    await app().getByText("Enter saves").first().waitFor({ timeout: 15_000 });
    // And in the Points field, before the reason: the form is checked as on a click, the refusal on its field.
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("3");
    await modalContent().getByLabel("Points", { exact: true }).press("Enter");
    await modalContent().getByText("Say why the points are adjusted").waitFor({ timeout: 15_000 });
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("hold the keyboard inside while open, and give focus back to the opener after a save, by keyboard alone", async () => {
    // Newcomer round 21 (F20): Tab went on behind the modal to the admin's links, and a save left focus on the body.
    const adminFocus = () =>
      page.evaluate(() => {
        const at = document.activeElement;
        if (at?.closest("[data-sandbox-modal]")) return "modal";
        return at?.getAttribute("data-sandbox-title-action") ?? at?.tagName;
      });
    await titleAction("Adjust points").focus();
    await page.keyboard.press("Enter");
    const points = modalContent().getByLabel("Points", { exact: true });
    await points.waitFor({ timeout: 10_000 });
    // Close, the content's fields, Cancel, Adjust points, and round again: never anything behind the modal.
    for (let press = 0; press < 14; press++) {
      await page.keyboard.press("Tab");
      await expect(adminFocus(), `Tab ${press + 1}`).resolves.toBe("modal");
    }
    for (let press = 0; press < 6; press++) {
      await page.keyboard.press("Shift+Tab");
      await expect(adminFocus(), `Shift+Tab ${press + 1}`).resolves.toBe("modal");
    }
    // What is behind cannot be reached by a click or a screen reader either, as behind a <dialog>.
    await expect(
      page.locator("[data-sandbox-app]").evaluate((frame) => frame.closest("[inert]") !== null),
    ).resolves.toBe(true);

    await points.focus();
    await page.keyboard.type("6");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Typed, not clicked");
    await page.keyboard.press("Enter");
    await modal().waitFor({ state: "detached", timeout: 15_000 });
    await app().getByText("Typed, not clicked").first().waitFor({ timeout: 15_000 });
    await expect.poll(adminFocus).toBe("Adjust points");
    await expect(
      page.locator("[data-sandbox-app]").evaluate((frame) => frame.closest("[inert]") === null),
    ).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("take Tab from Close to Cancel and then Block customer, with no stop that names nothing", async () => {
    // Newcomer finding: the confirmation's frame, holding only words, was a Tab stop between Close and Cancel.
    /** What has focus, inside the modal's frame when the frame has it, as "tag: accessible name". */
    const focused = async (): Promise<string> => {
      const describe = () => {
        const at = document.activeElement!;
        const labelledBy = at.getAttribute("aria-labelledby");
        const name =
          at.getAttribute("aria-label") ??
          (labelledBy ? document.getElementById(labelledBy)?.textContent : undefined) ??
          (["BUTTON", "A", "SUMMARY"].includes(at.tagName) ? at.textContent : "") ??
          "";
        return `${at.tagName}: ${name.trim()}`;
      };
      const top = await page.evaluate(describe);
      if (!top.startsWith("IFRAME")) return top;
      const frame = await (await page.evaluateHandle(() => document.activeElement)).asElement()!.contentFrame();
      return frame!.evaluate(describe);
    };
    await (await menuAction("Block customer")).click();
    await modalContent().getByText("A blocked customer earns", { exact: false }).waitFor({ timeout: 10_000 });
    await modal().locator("[data-sandbox-modal-close]").focus();
    await expect(focused()).resolves.toBe("BUTTON: Close");
    const stops: string[] = [];
    for (let press = 0; press < 3; press++) {
      await page.keyboard.press("Tab");
      stops.push(await focused());
    }
    expect(stops).toEqual(["BUTTON: Cancel", "BUTTON: Block customer", "BUTTON: Close"]);
    await page.keyboard.press("Shift+Tab");
    await expect(focused()).resolves.toBe("BUTTON: Block customer");
    await page.keyboard.press("Shift+Tab");
    await expect(focused()).resolves.toBe("BUTTON: Cancel");
    await page.keyboard.press("Shift+Tab");
    await expect(focused()).resolves.toBe("BUTTON: Close");
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    await expect(titleAction("Block customer").count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
