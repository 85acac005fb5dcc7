import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatAdminMoney, type CurrencyCode } from "~/domain/shared";
import { MAX_STORE_CREDIT_REASON_LENGTH } from "~/domain/store-credit";
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
const shop = "e2e-manage.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modal, appLink, toast, toastAfter, adminTitle, menuAction, saveBar, modalContent } = adminChrome(
  () => page,
);

async function openProfile(email: string, title: string) {
  await appLink("Customers").click();
  await adminTitle("Customers");
  // A customer without a name shows the email twice in the row: as the profile link and in the Email column.
  const row = app().getByRole("row").filter({ hasText: email });
  await row.waitFor({ timeout: 15_000 });
  await row.getByRole("link").first().click();
  await adminTitle(title);
}

describe("managing a customer from the profile", () => {
  let patId = "";
  let buyerId = "";

  it("signs in and receives the shop's customers", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const { control } = env.sandbox;
    patId = String(
      control.createCustomer({ shop, email: "pat@example.com", firstName: "Pat", lastName: "Lee", state: "ENABLED" })
        .id,
    );
    buyerId = String(control.createCustomerAccount({ shop, email: "buyer@example.com" }).id);
    control.placeOrder({ shop, customerId: buyerId });
    await control.idle();
    expect(pageErrors).toEqual([]);
  });

  it("edits the customer's name and email consent behind the save bar, saved in Shopify", async () => {
    await openProfile("pat@example.com", "Pat Lee");
    await (await menuAction("Edit customer")).click();
    await adminTitle("Edit Pat Lee");
    const firstName = app().getByLabel("First name");
    await firstName.waitFor({ timeout: 15_000 });
    // Shopify keeps one customer per email: its refusal reads in its words, on the Email field (not "customerUpdate: …").
    const email = app().getByLabel("Email", { exact: true });
    await email.fill("buyer@example.com");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await expect(toast("Shopify refused the change: Email has already been taken")).resolves.toBeUndefined();
    await app().getByText("Email has already been taken", { exact: true }).waitFor({ timeout: 5_000 });
    await expect(page.locator("[data-sandbox-toast]").getByText("customerUpdate").count()).resolves.toBe(0);
    await email.fill("pat@example.com");
    await firstName.fill("Patricia");
    await app().getByLabel("Email marketing").selectOption("SUBSCRIBED");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await toastAfter("Customer saved", () => saveBar().locator('[data-sandbox-save-bar-action="save"]').click());
    await adminTitle("Edit Patricia Lee");
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });

    const inShopify = env.sandbox.control.customer({ shop, customerId: patId })!;
    expect(inShopify.firstName).toBe("Patricia");
    expect(inShopify.marketing.state).toBe("SUBSCRIBED");
    expect(pageErrors).toEqual([]);
  });

  it("takes a phone as the Canadian shop's staff write it, (613) 555-0123, and Shopify keeps +16135550123", async () => {
    const phone = app().getByLabel("Phone");
    await app().getByText("Like (613) 555-0123, or +44 20 7946 0958 for a number abroad").waitFor({ timeout: 5_000 });
    await phone.fill("555-0123");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await app().getByText("“555-0123” is too short to be a phone number.", { exact: true }).waitFor({ timeout: 5_000 });
    expect(env.sandbox.control.customer({ shop, customerId: patId })!.phone).toBeNull();

    await phone.fill("(613) 555-0123");
    await toastAfter("Customer saved", () => saveBar().locator('[data-sandbox-save-bar-action="save"]').click());
    // Shopify keeps E.164; the form, loaded again after the save, shows it as the shop's staff write it (it showed
    // "+16135550123"), and saved as is it changes nothing.
    await expect
      .poll(() => env.sandbox.control.customer({ shop, customerId: patId })!.phone, { timeout: 10_000 })
      .toBe("+16135550123");
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });
    await expect.poll(() => phone.inputValue(), { timeout: 5_000 }).toBe("(613) 555-0123");
    expect(pageErrors).toEqual([]);
  });

  it("issues store credit, and the profile shows the balance and the activity line", async () => {
    await page.locator("[data-sandbox-breadcrumb]").click();
    await adminTitle("Patricia Lee");
    // The profile writes the phone as the form does.
    await app().getByText("(613) 555-0123", { exact: true }).waitFor({ timeout: 10_000 });
    await app().getByRole("button", { name: "Issue store credit" }).click();
    // The empty Reason counts against its limit ("0/500"), as Adjust points' does, not a bare "0" (newcomer P3).
    await modalContent().getByText(`0/${MAX_STORE_CREDIT_REASON_LENGTH}`, { exact: true }).waitFor({ timeout: 10_000 });
    // A slip of two zeros: a large amount is issued only once ticked (it was issued at once, $99,999,999.00 too).
    await modalContent().getByLabel("Amount").fill("1500");
    await modalContent().getByLabel("Reason").fill("Parcel arrived late");
    await modalContent().getByText(`19/${MAX_STORE_CREDIT_REASON_LENGTH}`, { exact: true }).waitFor({ timeout: 5_000 });
    await modal().locator('[data-sandbox-modal-action="Issue store credit"]').click();
    await modalContent()
      .getByText(/^Tick this to issue .*1,500\.00 of store credit, or correct the amount$/)
      .waitFor({ timeout: 10_000 });
    await modalContent()
      .getByText(/^Yes, issue .*1,500\.00 of store credit to Patricia Lee$/)
      .waitFor({ timeout: 5_000 });
    expect(env.sandbox.control.storeCredit({ shop })).toEqual([]);
    await modalContent().getByLabel("Amount").fill("15.00");
    await expect(
      modalContent()
        .getByText(/^Yes, issue /)
        .count(),
    ).resolves.toBe(0);
    await modal().locator('[data-sandbox-modal-action="Issue store credit"]').click();
    await expect(toast("Store credit issued")).resolves.toBeUndefined();

    const currency = env.sandbox.control.storeCredit({ shop })[0]!.currency;
    const balance = app().locator(`[data-store-credit-balance="${currency}"]`);
    await balance.waitFor({ timeout: 15_000 });
    await expect(balance.textContent()).resolves.toMatch(/15\.00/);
    // Money as the admin writes it: the store's own currency without its code (decision 052).
    const fifteen = formatAdminMoney(1500, currency as CurrencyCode, { storeCurrency: currency });
    await app().getByText(`Issued ${fifteen} of store credit: Parcel arrived late`).waitFor({ timeout: 15_000 });
    expect(env.sandbox.control.storeCredit({ shop }).map((account) => account.balanceCents)).toEqual([1500]);
    expect(pageErrors).toEqual([]);
  });

  it("shows the balance in the Deduct dialog and refuses more than it on the amount, before asking Shopify", async () => {
    const currency = env.sandbox.control.storeCredit({ shop })[0]!.currency;
    const fifteen = formatAdminMoney(1500, currency as CurrencyCode, { storeCurrency: currency });
    await app().getByRole("button", { name: "Deduct store credit" }).click();
    await modalContent().getByText(`Balance: ${fifteen}`, { exact: true }).waitFor({ timeout: 10_000 });
    await modalContent().getByText(`0/${MAX_STORE_CREDIT_REASON_LENGTH}`, { exact: true }).waitFor({ timeout: 5_000 });
    // Nothing is sent for a deduction the dialog can already see is too much: no action, no Shopify call.
    const posted: string[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "POST" && /\/app\/customers\/\d+/.test(request.url())) posted.push(request.url());
    };
    page.on("request", onRequest);
    await modalContent().getByLabel("Amount").fill("15.01");
    await modalContent().getByLabel("Reason").fill("Issued twice");
    await modalContent().getByText(`12/${MAX_STORE_CREDIT_REASON_LENGTH}`, { exact: true }).waitFor({ timeout: 5_000 });
    await modal().locator('[data-sandbox-modal-action="Deduct store credit"]').click();
    const refusal = `Patricia Lee holds ${fifteen} of store credit; you can deduct at most that`;
    await modalContent().getByText(refusal, { exact: true }).waitFor({ timeout: 15_000 });
    // On the field, as a screen reader reaches it.
    const amount = modalContent().getByLabel("Amount");
    await expect(amount.getAttribute("aria-invalid")).resolves.toBe("true");
    // Enter in the field asks the same.
    await amount.press("Enter");
    await new Promise((resolve) => setTimeout(resolve, 500));
    page.off("request", onRequest);
    expect(posted).toEqual([]);
    // Changing the amount clears the refusal; the whole balance can be deducted.
    await amount.fill("15.00");
    await expect(modalContent().getByText(refusal, { exact: true }).count()).resolves.toBe(0);
    await modal().locator("[data-sandbox-modal-close]").click();
    expect(env.sandbox.control.storeCredit({ shop }).map((account) => account.balanceCents)).toEqual([1500]);
    expect(pageErrors).toEqual([]);
  });

  it("deletes a customer without orders, and shows the result", async () => {
    await (await menuAction("Delete customer")).click();
    await modal().locator('[data-sandbox-modal-action="Delete customer"]').click();
    const result = app().locator('[data-deletion-result="deleted"]');
    await result.waitFor({ timeout: 15_000 });
    await expect(result.textContent()).resolves.toBe("Patricia Lee: deleted");
    expect(() => env.sandbox.control.customer({ shop, customerId: patId })).toThrow(/No customer/);
  });

  it("says before deleting that Shopify keeps a customer with orders, and requests their data erasure instead", async () => {
    await openProfile("buyer@example.com", "buyer@example.com");
    await (await menuAction("Delete customer")).click();
    // Said before anything is asked of Shopify (the same "Delete customer" was offered, then refused).
    await modalContent()
      .getByText("Shopify keeps customers who have orders, so buyer@example.com, with 1 order, cannot be deleted.")
      .waitFor({ timeout: 10_000 });
    await expect(modal().locator('[data-sandbox-modal-action="Delete customer"]').count()).resolves.toBe(0);
    await modal().locator('[data-sandbox-modal-action="Request data erasure"]').click();
    await expect(toast("Data erasure requested")).resolves.toBeUndefined();
    await vi.waitFor(() => expect(env.sandbox.control.erasureRequests({ shop })).toHaveLength(1));
    expect(env.sandbox.control.customer({ shop, customerId: buyerId })!.email).toBe("buyer@example.com");
    expect(pageErrors).toEqual([]);
  });

  it("keeps the merchant in Tally when a link carries a value it can't use, and says which", async () => {
    // The directory's URL holds its filters; a bad value once replaced the page with a bare 400, then zod's text.
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    for (const [search, says] of [
      [
        "?points_min=99999999999999999999999",
        "Points, from: Enter a whole number from −2,000,000,000 to 2,000,000,000",
      ],
      ["?sort=bogus", "Sort: not one the directory knows"],
      ["?tab=nope", "Tab: not one the directory knows"],
    ] as const) {
      await page.goto(`${env.sandbox.origin}${appBase}/customers${search}`);
      await app().getByText("Some filters could not be used and were left out").waitFor({ timeout: 15_000 });
      await app().getByText(says, { exact: true }).waitFor();
      // The rest of the link still lists customers.
      await app().getByRole("row").filter({ hasText: "buyer@example.com" }).waitFor({ timeout: 15_000 });
      await expect(
        app()
          .getByText(/Invalid option|expected one of/)
          .count(),
      ).resolves.toBe(0);
    }

    // A path naming no customer is a customer not in Tally, with the way back (it was a 400 in a pattern's words).
    await page.goto(`${env.sandbox.origin}${appBase}/customers/abc`);
    await app().getByText("This customer is not in Tally").waitFor({ timeout: 15_000 });
    await app().getByText("They may belong to another store, or the link is out of date.").waitFor();
  });
});
