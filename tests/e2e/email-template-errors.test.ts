import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

/*
 * Settings › Emails, Preview with a broken template (newcomer round 17): the saved template's preview stayed under the
 * error, as if the broken subject had rendered. Then the points reminder's cases (decision 031): a sample customer for
 * each.
 */

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-email-template-errors.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { appLink } = adminChrome(() => page);

describe("Previewing an email template with errors", () => {
  it("shows the error and no preview, then the typed template's preview once it is corrected", async () => {
    const app = await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await app.getByRole("link", { name: "Edit the points reminder" }).click();
    const subject = app.locator("p", { hasText: /^Subject:/ });
    await subject.waitFor({ timeout: 20_000 });
    await expect(subject.textContent()).resolves.toMatch(/^Subject: You have 1,250 points to spend at /);
    // Each case the reminder's words differ in (newcomer round 21): a Guest is asked to create an account, with
    // enough points for a reward or short of it.
    await expect(
      app
        .getByLabel("Sample customer")
        .locator("option")
        .evaluateAll((options) => options.map((option) => option.textContent)),
    ).resolves.toEqual([
      "Ana, a Member who can redeem",
      "Ana, a Member short of the first reward",
      "Émile, a Guest with enough points for a reward",
      "Émile, a Guest short of the first reward",
    ]);
    await app.getByLabel("Sample customer").selectOption("guest_short");
    await expect
      .poll(() => subject.textContent(), { timeout: 15_000 })
      .toMatch(/^Subject: [\d,]+ points more to your first reward at /);
    await expect(app.getByText(/Create an account: https:\/\/\S+\/account\/register/).count()).resolves.toBe(1);
    await app.getByLabel("Sample customer").selectOption("guest");
    await expect.poll(() => subject.textContent(), { timeout: 15_000 }).toMatch(/^Subject: You have 1,250 points to/);
    await expect(app.getByText(/^Hi Émile,\s+You have 1,250 points waiting at /).count()).resolves.toBe(1);
    await expect(app.getByText(/Create an account: https:\/\/\S+\/account\/register/).count()).resolves.toBe(1);
    await app.getByLabel("Sample customer").selectOption("member");
    await expect.poll(() => subject.textContent(), { timeout: 15_000 }).toMatch(/^Subject: You have 1,250 points/);

    await app.getByLabel("Subject").fill("Hi {{ first_name");
    await app.getByRole("button", { name: "Preview", exact: true }).click();
    await app.getByText("The template has errors").first().waitFor({ timeout: 15_000 });
    await expect(app.getByText("In the subject: a {{ is opened but never closed").count()).resolves.toBeGreaterThan(0);
    const none = app.getByText(
      "No preview while the template has errors. Correct them above, then press Preview again.",
    );
    await expect(none.count()).resolves.toBe(1);
    await expect(subject.count()).resolves.toBe(0);
    await expect(app.locator('iframe[title="HTML version"]').count()).resolves.toBe(0);

    await app.getByLabel("Subject").fill("Hi {{ first_name }}, {{ points_balance }} here");
    await app.getByRole("button", { name: "Preview", exact: true }).click();
    await subject.waitFor({ timeout: 15_000 });
    await expect(subject.textContent()).resolves.toBe("Subject: Hi Ana, 1,250 points here");
    await expect(none.count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
