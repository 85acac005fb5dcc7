import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
const shop = "e2e-bulk-delete.myshopify.com";
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modal, modalContent, appLink, adminTitle } = adminChrome(() => page);

function inShopify(name: string): boolean {
  try {
    env.sandbox.control.customer({ shop, customerId: ids[name]! });
    return true;
  } catch {
    return false;
  }
}

describe("deleting customers from the directory", () => {
  it("signs in and receives the shop's customers, one of them with an order", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const { control } = env.sandbox;
    for (const name of ["ada", "bo", "cy"]) {
      ids[name] = String(control.createCustomerAccount({ shop, email: `${name}@example.com`, firstName: name }).id);
    }
    control.placeOrder({ shop, customerId: ids.cy! });
    await control.idle();
    expect(pageErrors).toEqual([]);
  });

  it("confirms once, naming who, deletes those without orders, and offers erasure for the one Shopify kept", async () => {
    await appLink("Customers").click();
    await adminTitle("Customers");
    for (const name of ["ada", "bo", "cy"]) {
      const row = app()
        .locator("tbody tr")
        .filter({ hasText: `${name}@example.com` });
      await row.waitFor({ timeout: 15_000 });
      await row.locator("td").first().click();
    }
    await app().getByText("3 selected").first().waitFor({ timeout: 10_000 });
    await app().getByRole("button", { name: "More actions" }).click();
    await app()
      .getByRole("menuitem", { name: "Delete customers" })
      .or(app().getByRole("button", { name: "Delete customers" }))
      .first()
      .click();

    // Asked once, in the modal, which says how many and who (in the list's order) before anything is deleted.
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Delete 3 customers?" })
      .waitFor({ timeout: 10_000 });
    await expect(modalContent().getByTestId("delete-customers-who").textContent({ timeout: 5_000 })).resolves.toBe(
      "This deletes, in Shopify, cy, bo and ada.",
    );
    expect([inShopify("ada"), inShopify("bo"), inShopify("cy")]).toEqual([true, true, true]);
    await modal().locator('[data-sandbox-modal-action="Delete customers"]').click();

    await adminTitle("Delete customers");
    await app().getByText("Done", { exact: true }).waitFor({ timeout: 30_000 });
    const kept = app().getByRole("row").filter({ hasText: "Kept: has orders" });
    await kept.waitFor({ timeout: 10_000 });
    await expect(kept.textContent()).resolves.toContain("cy");
    const deleted = app().getByRole("row").filter({ hasText: "Deleted in Shopify" });
    await vi.waitFor(async () => expect(await deleted.count()).toBe(2), { timeout: 10_000 });
    expect([inShopify("ada"), inShopify("bo"), inShopify("cy")]).toEqual([false, false, true]);

    // Erasure cannot be undone: the page says what it does and waits for the merchant to confirm.
    await kept.getByRole("button", { name: "Request erasure" }).click();
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Erase cy's personal data?" })
      .waitFor({ timeout: 10_000 });
    await modalContent().getByText("This cannot be undone").waitFor({ timeout: 10_000 });
    expect(env.sandbox.control.erasureRequests({ shop })).toHaveLength(0);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(env.sandbox.control.erasureRequests({ shop })).toHaveLength(0);
    await kept.getByRole("button", { name: "Request erasure" }).click();
    await modal().locator('[data-sandbox-modal-action="Request erasure"]').click();
    await kept.getByText("Erasure requested").waitFor({ timeout: 10_000 });
    await vi.waitFor(() => expect(env.sandbox.control.erasureRequests({ shop })).toHaveLength(1));
    expect(pageErrors).toEqual([]);
  });

  it("no longer lists the deleted customers, as Shopify's own list does not, and counts only the kept one", async () => {
    // Shopify tells Tally with customers/delete; the directory follows it.
    await env.sandbox.control.idle();
    const emails = () => app().locator("tbody tr").filter({ hasText: "@example.com" }).allTextContents();
    await vi.waitFor(
      async () => {
        await appLink("Jobs").click();
        await adminTitle("Jobs");
        await appLink("Customers").click();
        await adminTitle("Customers");
        await app().locator("tbody tr").filter({ hasText: "cy@example.com" }).waitFor({ timeout: 15_000 });
        const listed = await emails();
        expect(listed.filter((row) => /(ada|bo)@example\.com/.test(row))).toEqual([]);
        expect(listed).toHaveLength(1);
      },
      { timeout: 45_000, interval: 1_000 },
    );
    await vi.waitFor(async () => expect(await app().getByTestId("customer-count").textContent()).toBe("1 customer"), {
      timeout: 10_000,
    });
    await expect(app().getByRole("tab", { name: /^All/ }).textContent()).resolves.toMatch(/^All\s*1$/);
    expect(pageErrors).toEqual([]);
  });
});
