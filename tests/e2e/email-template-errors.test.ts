import type { Browser, Locator, Page } from "playwright-core";
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
 * Settings › Emails, Preview with a broken template (newcomer round 17): the saved template's preview stayed under the
 * error, as if the broken subject had rendered. Then the points reminder's cases (decision 031): a sample customer for
 * each, and the notice on a reminder saved before them, which keeps the merchant's words.
 */

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-email-template-errors.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  // A Guest (no customer account) the points reminder's panel is opened for.
  env.sandbox.control.createCustomer({
    shop,
    firstName: "Émile",
    lastName: "Durand",
    email: "durand@example.com",
    state: "DISABLED",
  });
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { appLink, toast, adminTitle, saveBar } = adminChrome(() => page);

/** Whether `locator` shows in the app's frame as the merchant sees it now: its box overlaps the frame's visible box. */
async function isInView(locator: Locator): Promise<boolean> {
  const [box, frame] = await Promise.all([
    locator.boundingBox(),
    page.locator("iframe[data-sandbox-app]").boundingBox(),
  ]);
  return !!box && !!frame && box.y < frame.y + frame.height && box.y + box.height > frame.y && box.height > 0;
}

describe("Previewing an email template with errors", () => {
  it("shows the error and no preview, then the typed template's preview once it is corrected", async () => {
    const app = await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await app.getByRole("link", { name: "Edit the points reminder" }).click();
    const subject = app.locator("p", { hasText: /^Subject:/ });
    await subject.waitFor({ timeout: 20_000 });
    await expect(subject.textContent()).resolves.toMatch(/^Subject: Your 1,250 points at .* are waiting/);
    // Each case the reminder's words differ in (newcomer round 21): a Guest is asked to create an account, with
    // enough points for a reward or short of it.
    await expect(
      app
        .getByLabel("Sample customer")
        .locator("option")
        .evaluateAll((options) => options.map((option) => option.textContent)),
    ).resolves.toEqual([
      "Ana, a Member who can redeem",
      "Ana, a Member short of the cheapest reward",
      "Émile, a Guest with enough points for a reward",
      "Émile, a Guest short of the cheapest reward",
    ]);
    await app.getByLabel("Sample customer").selectOption("guest_short");
    await expect
      .poll(() => subject.textContent(), { timeout: 15_000 })
      .toMatch(/^Subject: [\d,]+ points more to your next reward at /);
    await expect(app.getByText(/Create an account: https:\/\/\S+\/account\/register/).count()).resolves.toBe(1);
    await app.getByLabel("Sample customer").selectOption("guest");
    await expect
      .poll(() => subject.textContent(), { timeout: 15_000 })
      .toMatch(/^Subject: Your 1,250 points at .* are waiting/);
    await expect(app.getByText(/^Hi Émile,\s+You have 1,250 points waiting at /).count()).resolves.toBe(1);
    await expect(app.getByText(/Create an account: https:\/\/\S+\/account\/register/).count()).resolves.toBe(1);
    await app.getByLabel("Sample customer").selectOption("member");
    await expect
      .poll(() => subject.textContent(), { timeout: 15_000 })
      .toMatch(/^Subject: Your 1,250 points at .* are waiting/);

    // Two faults at once, in two fields: both are named, each on its field and both in the banner (issue 10).
    const text = await app.getByLabel("Plain-text version").inputValue();
    await app.getByLabel("Subject").fill("Hi {{ first_name");
    await app.getByLabel("Plain-text version").fill(`${text}\n{% if can_redeem %}`);
    await app.getByRole("button", { name: "Preview", exact: true }).click();
    await app.getByText("The template has errors").first().waitFor({ timeout: 15_000 });
    // Above the editor, out of sight of Preview: the merchant is taken to it.
    const banner = app.locator(".Polaris-Banner", { hasText: "The template has errors" });
    await expect.poll(() => isInView(banner), { timeout: 5_000 }).toBe(true);
    const unclosedTag = /In the plain-text version, line \d+: \{% if %\} is opened but never closed/;
    await expect(banner.textContent()).resolves.toContain("In the subject: a {{ is opened but never closed");
    await expect(banner.textContent()).resolves.toMatch(unclosedTag);
    // Each under its own field too: the banner's and the field's.
    await expect(app.getByText("In the subject: a {{ is opened but never closed").count()).resolves.toBe(2);
    await expect(app.getByText(unclosedTag).count()).resolves.toBe(2);
    const none = app.getByText(
      "No preview while the template has errors. Correct them above, then press Preview again.",
    );
    await expect(none.count()).resolves.toBe(1);
    await expect(subject.count()).resolves.toBe(0);
    await expect(app.locator('iframe[title="HTML version"]').count()).resolves.toBe(0);

    // An if with no condition is told what it lacks, not that a tag is unclosed (newcomer).
    await app.getByLabel("Subject").fill("Hi {{ first_name }}, {{ points_balance }} here");
    await app.getByLabel("Plain-text version").fill(`${text}\n{% if %}Spend them{% endif %}`);
    await app.getByRole("button", { name: "Preview", exact: true }).click();
    const bareIf = /In the plain-text version, line \d+: \{% if %\} needs a condition, like \{% if first_name %\}\./;
    await expect.poll(() => app.getByText(bareIf).count(), { timeout: 15_000 }).toBe(2);
    await expect(banner.textContent()).resolves.not.toMatch(/closed/);

    await app.getByLabel("Plain-text version").fill(text);
    await app.getByRole("button", { name: "Preview", exact: true }).click();
    await subject.waitFor({ timeout: 15_000 });
    await expect(subject.textContent()).resolves.toBe("Subject: Hi Ana, 1,250 points here");
    await expect(none.count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

describe("A points reminder saved before it told its cases apart", () => {
  // Tally's reminder before round 21, as a merchant saved it then: the same words for every customer.
  const oneForAll = {
    subject: "You have {{ points_balance }} to spend at {{ shop_name }}",
    html: "<p>Hi {{ first_name }}, sign in on our rewards page and press Redeem: {{ storefront_link }}</p>",
    text: "Hi {{ first_name }}, sign in on our rewards page and press Redeem: {{ storefront_link }}",
  };
  const noticeTitle = "Your saved reminder says the same to every customer";

  it("is kept as written, with a notice that shows Tally's new default in the editor and goes once kept", async () => {
    const app = await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await app.getByRole("link", { name: "Edit the points reminder" }).click();
    const subject = app.locator("p", { hasText: /^Subject:/ });
    await subject.waitFor({ timeout: 20_000 });
    await expect(app.getByText(noticeTitle).count(), "Tally's default tells the cases apart").resolves.toBe(0);

    await app.getByLabel("Subject").fill(oneForAll.subject);
    await app.getByLabel("HTML version").fill(oneForAll.html);
    await app.getByLabel("Plain-text version").fill(oneForAll.text);
    const save = app.getByRole("button", { name: "Save", exact: true });
    await save.click();
    await toast("Template saved (version 1)");
    const notice = app.locator(".Polaris-Banner", { hasText: noticeTitle });
    await notice.waitFor({ timeout: 15_000 });
    // The notice sits above the editor, the Save button below it: the merchant is taken to it, not left at Save with
    // only the toast (reviewer, in the browser).
    await expect.poll(() => isInView(notice), { timeout: 5_000 }).toBe(true);
    await expect(notice.textContent()).resolves.toContain(
      "Version 1 never reads {{ has_account }}, so a Guest gets the words a Member gets",
    );
    await expect(notice.textContent()).resolves.toContain("reads neither {{ can_redeem }} nor {{ points_needed }}");
    await expect(appAxeViolations(page)).resolves.toEqual([]);
    // The tab is in the address bar: a reload opens the points reminder again, not the first email.
    await page.reload();
    await notice.waitFor({ timeout: 20_000 });
    await expect(app.getByRole("tab", { selected: true }).textContent()).resolves.toBe("Points reminder");
    await expect(app.getByLabel("Subject").inputValue()).resolves.toBe(oneForAll.subject);
    // The merchant's words, read as a Guest would: sign in, with no account to sign in to.
    await app.getByLabel("Sample customer").selectOption("guest");
    await expect
      .poll(() => app.getByText("Hi Émile, sign in on our rewards page and press Redeem").count(), { timeout: 15_000 })
      .toBeGreaterThan(0);

    // Review the new default: in the editor, unsaved, previewed for the Guest.
    await notice.getByRole("button", { name: "Review the new default" }).click();
    await app.getByText("Tally's default reminder is in the editor, not saved").waitFor({ timeout: 15_000 });
    await expect(app.getByLabel("Subject").inputValue()).resolves.toMatch(/^\{% if can_redeem %\}/);
    await expect(app.getByLabel("Sample customer").inputValue()).resolves.toBe("guest");
    await expect
      .poll(() => app.getByText(/Create an account: https:\/\/\S+\/account\/register/).count(), { timeout: 15_000 })
      .toBe(1);
    await expect(subject.textContent()).resolves.toMatch(/^Subject: Your 1,250 points at .* are waiting/);
    // Not saved: the save bar says so, as for any edit.
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });

    // Put mine back: the merchant's words again, and the notice with its two answers.
    await app.getByRole("button", { name: "Put mine back" }).click();
    await notice.waitFor({ timeout: 15_000 });
    await expect(app.getByLabel("Subject").inputValue()).resolves.toBe(oneForAll.subject);
    await expect
      .poll(() => app.getByText("Hi Émile, sign in on our rewards page and press Redeem").count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });

    // Where staff send it, the directory's reminder panel says so too, and leads back here.
    await appLink("Customers").click();
    const row = app.locator("tbody tr").filter({ hasText: "durand@example.com" });
    await row.waitFor({ timeout: 20_000 });
    await row.locator("td").first().click();
    await app.getByRole("button", { name: "More actions" }).click();
    await app
      .getByRole("menuitem", { name: "Email points reminder" })
      .or(app.getByRole("button", { name: "Email points reminder" }))
      .first()
      .click();
    const warning = app.getByTestId("reminder-template-notice");
    await warning.waitFor({ timeout: 15_000 });
    await expect(warning.textContent()).resolves.toBe(
      "Your saved reminder says the same to every customer: Guests (no customer account) get the words for a Member who can redeem.",
    );
    // Unticked, customers short of the cheapest reward are reminded too, and read the same words.
    await app.getByLabel("Only customers with enough points for a reward").uncheck();
    await expect
      .poll(() => warning.textContent(), { timeout: 5_000 })
      .toContain("Guests (no customer account) and customers short of the cheapest reward get the words");
    await app.getByRole("link", { name: "Review it in Settings › Emails" }).click();
    await notice.waitFor({ timeout: 20_000 });
    await expect(app.getByLabel("Subject").inputValue()).resolves.toBe(oneForAll.subject);

    await notice.getByRole("button", { name: "Keep mine" }).click();
    await toast("Your reminder is kept as you wrote it");
    await expect.poll(() => app.getByText(noticeTitle).count(), { timeout: 15_000 }).toBe(0);
    // Kept across visits, the words unchanged: version 1 is still the one in use.
    await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await app.getByRole("link", { name: "Edit the points reminder" }).click();
    await subject.waitFor({ timeout: 20_000 });
    await expect(app.getByLabel("Subject").inputValue()).resolves.toBe(oneForAll.subject);
    await expect(app.getByText("Version 1 (in use)", { exact: false }).count()).resolves.toBe(1);
    await expect(app.getByText(noticeTitle).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

describe("An email edited and not saved", () => {
  const written = "A carefully written new subject for {{ shop_name }}";

  it("shows the save bar and asks before another page drops it; Discard puts the saved words back, Save keeps them", async () => {
    const app = await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await app.getByRole("link", { name: "Edit the invitation email" }).click();
    await adminTitle("Emails");
    const subjectField = app.getByLabel("Subject", { exact: true });
    await subjectField.waitFor({ timeout: 20_000 });
    const saved = await subjectField.inputValue();
    await expect(saveBar().getAttribute("data-visible")).resolves.toBeNull();

    await subjectField.fill(written);
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await expect(saveBar().locator("button").allTextContents()).resolves.toEqual(["Discard", "Save"]);

    // Another page through the admin's nav asks first (the tester lost these words to Groups); Stay keeps them.
    await appLink("Groups").click();
    const leave = page.locator('[data-sandbox-confirm="leave"]');
    await leave.getByText("Leave page with unsaved changes?").waitFor({ timeout: 5_000 });
    await leave.getByRole("button", { name: "Stay" }).click();
    await adminTitle("Emails");
    await expect(subjectField.inputValue()).resolves.toBe(written);

    // A refused save from the bar says why under the field, and the bar stays.
    await subjectField.fill("Hi {{ first_name");
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    const refused = app.locator(".Polaris-Banner", { hasText: "The template has errors" });
    await refused.waitFor({ timeout: 15_000 });
    await expect(app.getByText("In the subject: a {{ is opened but never closed").count()).resolves.toBe(2);
    await expect(saveBar().getAttribute("data-visible")).resolves.toBe("");

    // Discard: the saved words, their preview, and no errors of the words dropped.
    await saveBar().locator('[data-sandbox-save-bar-action="discard"]').click();
    await expect.poll(() => subjectField.inputValue(), { timeout: 5_000 }).toBe(saved);
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });
    await expect.poll(() => refused.count(), { timeout: 15_000 }).toBe(0);
    await app.locator("p", { hasText: /^Subject:/ }).waitFor({ timeout: 15_000 });

    // The save bar's Save is the page's Save: a new version, kept across a reload, and the bar goes.
    await subjectField.fill(written);
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await toast("Template saved (version 1)");
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 10_000 });
    await page.reload();
    await expect.poll(() => subjectField.inputValue(), { timeout: 20_000 }).toBe(written);
    await expect(app.getByText("Version 1 (in use)", { exact: false }).count()).resolves.toBe(1);
    // Saved, leaving asks nothing.
    await appLink("Groups").click();
    await adminTitle("Groups");
    await expect(leave.count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
