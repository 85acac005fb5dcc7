import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
const shop = "e2e-points.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

/** Waits until the sandbox has delivered everything and Tally has applied it (its answer comes before the effect). */
async function settled(check: () => Promise<boolean>) {
  await env.sandbox.control.idle();
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Tally did not apply the webhooks in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a shopper signs up and orders; the merchant and the shopper see the points", () => {
  it("shows the points on Home and in the storefront widget's /v1/me", async () => {
    const pageErrors: string[] = [];
    const page = await merchantPage(browser, pageErrors);
    // Opening Tally in the admin installs it: session token, token exchange, then the install sync.
    const app = await openAdmin(page, { env, shop });

    const shopper = env.sandbox.control.createCustomerAccount({ shop, email: "ada@example.com", firstName: "Ada" });
    const order = env.sandbox.control.placeOrder({ shop, customerId: String(shopper.id) });
    const me = async () => {
      const response = await fetch(
        `${env.sandbox.origin}/apps/tally/v1/me?sandbox_shop=${shop}&sandbox_customer=${String(shopper.id).replace(/\D/g, "")}`,
      );
      return (await response.json()) as { customer: { points: number; status: string } | null };
    };
    // Points are earned on the subtotal after discounts, before shipping and tax.
    const subtotal = order.subtotalCents - order.discountCents;
    await settled(async () => ((await me()).customer?.points ?? 0) > 100);

    const view = await me();
    expect(view.customer?.status).toBe("member");
    // 100 for signing up, then 1 point per whole unit of the order's subtotal.
    expect(view.customer?.points).toBe(100 + Math.floor(subtotal / 100));

    await page.reload();
    await app.getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const figures = app.locator("p").filter({ hasText: /^\d[\d,]*$/ });
    // Members, guests and points outstanding head Home; the insights' figures follow.
    await expect(figures.allTextContents().then((texts) => texts.slice(0, 3))).resolves.toEqual([
      "1",
      "0",
      String(view.customer?.points),
    ]);
    expect(pageErrors).toEqual([]);
  });
});
