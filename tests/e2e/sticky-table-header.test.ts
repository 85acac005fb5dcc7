import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  appFrame,
  merchantPage,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-sticky-header.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, currency: "CAD" }));
  page = await merchantPage(browser, pageErrors);
  // The newcomer's window, where the headings were seen twice.
  await page.setViewportSize({ width: 1440, height: 900 });
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modal, modalContent, adminTitle } = adminChrome(() => page);

/**
 * The header rows of the app's tables a merchant can see now: drawn (not hidden), inside the app's window, and not
 * covered by something else at their middle. The same headings twice on screen is the fault this guards against.
 */
async function visibleHeaderRows(text: string): Promise<number> {
  const frame = page.frames().find((f) => f.url().includes("/app/groups"));
  if (!frame) throw new Error("the Groups page is not open");
  return frame.evaluate((heading) => {
    const candidates = [...document.querySelectorAll("thead tr, [class*='StickyTableHeadings']")];
    return candidates.filter((row) => {
      if (!row.textContent?.includes(heading)) return false;
      const style = getComputedStyle(row);
      const box = row.getBoundingClientRect();
      if (style.visibility === "hidden" || style.display === "none" || box.height === 0) return false;
      if (box.bottom <= 0 || box.top >= window.innerHeight) return false;
      const atMiddle = document.elementFromPoint(box.left + 20, box.top + box.height / 2);
      return atMiddle !== null && row.contains(atMiddle);
    }).length;
  }, text);
}

describe("the Groups page's tables when scrolled", () => {
  it("shows each table's header row once, at the top and scrolled a notch at a time into the member list", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    for (let i = 0; i < 80; i += 1) {
      env.sandbox.control.createCustomer({ shop, email: `vip${i}@example.com`, firstName: `Vip${i}`, tags: ["vip"] });
    }
    await env.sandbox.control.idle();
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    // Shopify's customers/create webhooks are answered by now; Tally applies their effects a moment later (up to a
    // second behind a burst, decision 039), so the directory is opened again until the last of them is listed.
    const lastVip = app().getByRole("row").filter({ hasText: "vip79@example.com" });
    for (let attempt = 0; ; attempt += 1) {
      await page.goto(`${env.sandbox.origin}${appBase}/customers?tag=vip`);
      await adminTitle("Customers");
      const listed = await lastVip.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (listed) break;
      if (attempt === 5) throw new Error("the 80 customers Shopify created never reached the directory");
    }
    await app().getByRole("button", { name: "Save as group" }).click();
    await modalContent().getByLabel("Group name").fill("VIPs");
    await modal().locator('[data-sandbox-modal-action="Create group"]').click();
    await adminTitle("Groups");
    await app().getByRole("row").filter({ hasText: "@example.com" }).first().waitFor({ timeout: 15_000 });

    // Scrolled as a merchant does, a wheel notch at a time, then far into the list: each table's headings are on
    // screen once (Polaris' sticky copy takes the place of the scrolled-away row, never beside it).
    const seen: Array<{ at: string; groups: number; members: number }> = [];
    const look = async (at: string) =>
      seen.push({ at, groups: await visibleHeaderRows("Segment query"), members: await visibleHeaderRows("Email") });
    await look("top");
    await page.mouse.move(600, 500);
    for (let notch = 1; notch <= 8; notch += 1) {
      await page.mouse.wheel(0, 15);
      await page.waitForTimeout(150);
      await look(`wheel ${notch * 15}px`);
    }
    for (const y of [400, 900, 1600]) {
      await appFrame(page)
        .locator("body")
        .evaluate((body, top) => body.ownerDocument.defaultView!.scrollTo(0, top), y);
      await page.waitForTimeout(150);
      await look(`${y}px`);
    }
    expect(seen.filter((s) => s.groups > 1 || s.members !== 1)).toEqual([]);
    expect(seen[0]).toEqual({ at: "top", groups: 1, members: 1 });
    expect(pageErrors).toEqual([]);
  });
});
