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
const shop = "e2e-groups-deleted.myshopify.com";
const ids: Record<string, string> = {};
const query = "customer_tags CONTAINS 'vip'";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, currency: "CAD" }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink, modal, modalContent, adminTitle, toast, toastAfter } = adminChrome(() => page);

/** The Groups page afresh, as a merchant comes back to it after a change in Shopify admin, with `name` open. */
async function openGroup(name: string) {
  await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
  await appLink("Groups").click();
  await adminTitle("Groups");
  await app().getByRole("button", { name, exact: true }).first().click();
  await app()
    .getByRole("heading", { name: new RegExp(`^${name}: `) })
    .waitFor({ timeout: 15_000 });
}

describe("a group whose discount or segment a merchant deleted in Shopify admin", () => {
  it("signs in, creates the VIPs group and gives it a code", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const { control } = env.sandbox;
    ids.vera = String(control.createCustomer({ shop, email: "vera@example.com", firstName: "Vera", tags: ["vip"] }).id);
    await control.idle();
    await appLink("Groups").click();
    await adminTitle("Groups");
    await app().getByLabel("Name", { exact: true }).fill("VIPs");
    await app().getByLabel("Segment query").fill(query);
    await toastAfter("Group created", () => app().getByRole("button", { name: "Create group", exact: true }).click());
    await openGroup("VIPs");
    await app().getByLabel("How members get it").selectOption("code");
    await app().getByLabel("Percent").fill("10");
    await app().getByLabel("Code", { exact: true }).fill("VIP10");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await app().getByTestId("group-discount-summary").waitFor({ timeout: 15_000 });
    expect(control.discountCodes({ shop }).map((code) => code.code)).toEqual(["VIP10"]);
    expect(pageErrors).toEqual([]);
  });

  it("says the discount deleted in Shopify is gone, not that members get it, and gives a new one", async () => {
    const { control } = env.sandbox;
    const [vip10] = control.discountCodes({ shop });
    control.deleteDiscount({ shop, id: String(vip10!.id).split("/").pop()! });
    await openGroup("VIPs");
    await expect(app().getByTestId("group-discount-deleted").textContent({ timeout: 15_000 })).resolves.toBe(
      "Its discount (code VIP10, 10% off) was deleted in Shopify: members no longer get it. Give the group a new one below.",
    );
    await expect(app().getByTestId("group-discount-summary").count()).resolves.toBe(0);
    await expect(app().getByRole("button", { name: "Remove discount" }).count()).resolves.toBe(0);
    // The Remove dialog does not promise to delete a discount Shopify no longer has.
    await app().getByRole("row").filter({ hasText: query }).getByRole("button", { name: "Remove" }).click();
    const body = modalContent().getByText("It cannot be undone");
    await expect(body.textContent({ timeout: 10_000 })).resolves.toBe(
      `This deletes the group's Shopify customer segment (${query}); its discount (code VIP10) was deleted in Shopify already. It cannot be undone.`,
    );
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });

    await app().getByLabel("How members get it").selectOption("code");
    await app().getByLabel("Percent").fill("15");
    await app().getByLabel("Code", { exact: true }).fill("VIP15");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await expect(app().getByTestId("group-discount-summary").textContent({ timeout: 15_000 })).resolves.toBe(
      "Members get the group discount with the code VIP15: 15% off.",
    );
    await app().getByTestId("group-discount-deleted").waitFor({ state: "detached", timeout: 5_000 });
    expect(control.discountCodes({ shop }).map((code) => code.code)).toEqual(["VIP15"]);
    expect(control.placeOrder({ shop, customerId: ids.vera!, discountCode: "VIP15" }).discountCents).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it("offers no discount to a group whose segment was deleted, says what to do, and what Remove does", async () => {
    const { control } = env.sandbox;
    control.deleteSegment({ shop, id: control.segments({ shop })[0]!.id });
    await openGroup("VIPs");
    await expect(app().getByTestId("group-segment-deleted").textContent({ timeout: 15_000 })).resolves.toBe(
      `It has no members, so it cannot be given a discount. Remove the group, or create it again from the segment query Tally kept (${query}): Shopify makes a new segment, and you can then remove this one.`,
    );
    await expect(app().getByTestId("group-discount-orphaned").textContent()).resolves.toBe(
      "Its discount (code VIP15, 15% off) is still in Shopify, for no one without the segment: Remove deletes it with the group.",
    );
    await expect(app().getByRole("button", { name: "Create group discount" }).count()).resolves.toBe(0);
    await expect(app().getByLabel("How members get it").count()).resolves.toBe(0);
    await expect(app().getByRole("button", { name: "Remove discount" }).count()).resolves.toBe(0);

    await app().getByRole("button", { name: "Remove group" }).click();
    await modal().locator("[data-sandbox-modal-title]", { hasText: "Remove VIPs?" }).waitFor({ timeout: 10_000 });
    const body = modalContent().getByText("It cannot be undone");
    await expect(body.textContent({ timeout: 10_000 })).resolves.toBe(
      "Its Shopify customer segment was deleted in Shopify already. Remove takes the group out of Tally and deletes its discount in Shopify (code VIP15, 15% off): without the segment it applies to no one. It cannot be undone.",
    );
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("creates the group again from its query, then removes the old one with its code", async () => {
    const { control } = env.sandbox;
    await app().getByRole("button", { name: "Fill in Create a group" }).click();
    await expect(app().getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("VIPs");
    await expect(app().getByLabel("Segment query").inputValue()).resolves.toBe(query);
    await toastAfter("Group created", () => app().getByRole("button", { name: "Create group", exact: true }).click());
    await vi.waitFor(() =>
      expect(control.segments({ shop })).toEqual([expect.objectContaining({ name: "VIPs", query })]),
    );

    await app().getByRole("button", { name: "Remove group" }).click();
    await modal().locator('[data-sandbox-modal-action="Remove group"]').click();
    await expect(toast("Group removed")).resolves.toBeUndefined();
    await vi.waitFor(() => expect(control.discountCodes({ shop })).toEqual([]), { timeout: 15_000 });
    const rows = app().getByRole("row").filter({ hasText: query });
    await vi.waitFor(async () => expect(await rows.count()).toBe(1), { timeout: 15_000 });
    await rows.getByText("1 customer", { exact: true }).waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });
});
