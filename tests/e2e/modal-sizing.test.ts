import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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
const shop = "e2e-modal-sizing.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modal, modalContent, adminTitle, titleAction } = adminChrome(() => page);

// A modal a failed test left open is closed, and the window its usual size, so the next test stands on its own.
afterEach(async () => {
  await page.setViewportSize({ width: 1280, height: 720 });
  if ((await modal().count()) === 0) return;
  await page.keyboard.press("Escape");
  await modal().waitFor({ state: "detached", timeout: 10_000 });
});

/** The directory at these filters, as a merchant reaches it with a shared link. */
async function openDirectory(search: string) {
  const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
  await page.goto(`${env.sandbox.origin}${appBase}/customers?${search}`);
  await adminTitle("Customers");
}

/** Where `text` shows in the page, and the part of the modal's content frame the merchant can see. */
async function boxes(text: Locator) {
  const frame = page.locator("iframe[data-sandbox-modal-frame]");
  const [shown, visible] = await Promise.all([text.boundingBox(), frame.boundingBox()]);
  return { shown: shown!, visible: visible! };
}

/** Passes once `text` lies wholly inside the modal's visible content (the host may still be resizing the modal). */
async function expectWhollyInView(text: Locator) {
  await text.waitFor({ timeout: 15_000 });
  await expect
    .poll(async () => {
      const { shown, visible } = await boxes(text);
      return (
        shown.y >= visible.y - 0.5 &&
        shown.y + shown.height <= visible.y + visible.height + 0.5 &&
        shown.x >= visible.x - 0.5 &&
        shown.x + shown.width <= visible.x + visible.width + 0.5
      );
    })
    .toBe(true);
}

/** The modal's content frame's height, as its host last sized it. */
const frameHeight = () =>
  page.locator("iframe[data-sandbox-modal-frame]").evaluate((frame) => frame.getBoundingClientRect().height);

describe("App Bridge modals sized to what they hold", () => {
  it("signs in and receives a customer and a saved segment", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const { control } = env.sandbox;
    control.createCustomer({ shop, email: "pat@example.com", firstName: "Pat", lastName: "Lee", tags: ["vip"] });
    control.createSegment({ shop, name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    await control.idle();
    expect(pageErrors).toEqual([]);
  });

  it("show Save as group's refusal of a name already used whole, under Group name", async () => {
    await openDirectory("tag=vip");
    await app().getByRole("row").filter({ hasText: "pat@example.com" }).waitFor({ timeout: 15_000 });
    await app().getByRole("button", { name: "Save as group" }).click();
    await modalContent().getByLabel("Group name").fill("VIPs");
    await modal().locator('[data-sandbox-modal-action="Create group"]').click();

    await expectWhollyInView(
      modalContent().getByText(
        "A group or Shopify segment named \u201cVIPs\u201d already exists. Choose another name.",
      ),
    );
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("keep Adjust points' debt warning in view while Reason has focus, and shrink again once it goes", async () => {
    await app().getByRole("row").filter({ hasText: "pat@example.com" }).getByRole("link").first().click();
    await adminTitle("Pat Lee");
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("-500");
    await modalContent().getByLabel("Reason").focus();
    await expectWhollyInView(
      modalContent()
        .getByText("Leaves -500: the customer will owe points")
        .or(modalContent().getByText("Leaves −500: the customer will owe points")),
    );
    await expectWhollyInView(modalContent().getByText("Their next earnings repay the debt"));
    await expectWhollyInView(modalContent().getByLabel("Reason"));

    // The warning gone, the modal gives its room back.
    const withWarning = await frameHeight();
    await modalContent().getByLabel("Points", { exact: true }).fill("5");
    await expect.poll(frameHeight).toBeLessThan(withWarning - 40);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("scroll a modal taller than the window, keeping the field with focus and its message in view", async () => {
    await page.setViewportSize({ width: 1280, height: 420 });
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("-500");
    await modalContent()
      .getByRole("checkbox", { name: /owing 500 points$/ })
      .check();
    await modal().locator('[data-sandbox-modal-action="Adjust and leave a debt"]').click();
    const refusal = modalContent().getByText("Say why the points are adjusted");
    await refusal.waitFor({ timeout: 15_000 });

    // The dialog stays inside the window; its content scrolls instead of running off the screen.
    const dialog = await page.locator("[data-sandbox-modal] [role=dialog]").boundingBox();
    expect(dialog!.y).toBeGreaterThanOrEqual(0);
    expect(dialog!.y + dialog!.height).toBeLessThanOrEqual(420);
    await modalContent().getByLabel("Reason").focus();
    await expectWhollyInView(modalContent().getByLabel("Reason"));
    await expectWhollyInView(refusal);

    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });
});
