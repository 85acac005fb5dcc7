import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, storeCreditTransactions } from "~/db/schema";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action, loader } from "~/routes/app.customers_.$id";
import { changeStoreCredit, type StoreCreditShopify } from "~/services/store-credit/store-credit.server";
import { shopifyStoreCredit } from "~/shopify/admin/store-credit.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request, id: number) => ({ request, params: { id: String(id) }, context: {} }) as Args;

async function answerOf(run: Promise<unknown>) {
  const answer = await run;
  return (answer instanceof Response ? { status: answer.status, ...(await answer.json()) } : answer) as Record<
    string,
    unknown
  >;
}

async function shopWithCustomer(presentmentCurrencies: string[] = []) {
  const shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop, currency: "CAD", presentmentCurrencies });
  const pat = control.createCustomer({ shop, email: "pat@example.com", firstName: "Pat", lastName: "Lee" });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  const row = (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "pat@example.com"))),
  ))!;
  const path = `/app/customers/${row.id}`;
  const post = async (fields: Record<string, string>) =>
    answerOf(
      action(
        args(
          await sessionTokenRequest(shop, path, {
            method: "POST",
            body: new URLSearchParams({ intent: "store-credit", requestId: crypto.randomUUID(), ...fields }),
          }),
          row.id,
        ),
      ),
    );
  const profile = async (query = "") => loader(args(await sessionTokenRequest(shop, `${path}${query}`), row.id));
  const inShopify = () =>
    control
      .storeCredit({ shop })
      .filter((account) => account.customerId === String(pat.id))
      .map((account) => ({ currency: account.currency, balance: account.balanceCents }));
  const tallyRow = async () => (await first(db.select().from(customers).where(eq(customers.id, row.id))))!;
  const audit = () =>
    db.select().from(auditEvents).where(eq(auditEvents.customerId, row.id)).orderBy(asc(auditEvents.id));
  return { shop, control, pat, row, post, profile, inShopify, tallyRow, audit };
}

const deduction = {
  direction: "deduct",
  currency: "CAD",
  expiresOn: null,
  reason: "Issued twice",
  requestId: "spent-meanwhile",
} as const;

describe("Store credit on the profile", () => {
  it("issues store credit in Shopify, shows the balance, the history with the reason and the activity line, and audits it", async () => {
    const { post, profile, inShopify, tallyRow, audit } = await shopWithCustomer();
    const issued = await post({ direction: "issue", amount: "25.50", currency: "CAD", reason: "Late delivery" });
    expect(issued).toMatchObject({ ok: true, intent: "store-credit", applied: true });

    expect(inShopify()).toEqual([{ currency: "CAD", balance: 2550 }]);
    expect(await tallyRow()).toMatchObject({ storeCreditMinor: 2550, storeCreditCurrency: "CAD" });
    const page = await profile();
    expect(page.storeCredit.accounts).toEqual([expect.objectContaining({ currency: "CAD", balanceMinor: 2550 })]);
    expect(page.storeCredit.history).toEqual([
      expect.objectContaining({ kind: "credit", amountMinor: 2550, reason: "Late delivery", actorName: "Sam Owner" }),
    ]);
    expect(page.activity.rows[0]).toMatchObject({
      kind: "store_credit_issue",
      explanation: "Issued $25.50 of store credit: Late delivery",
      storeCredit: { amountMinor: 2550, currency: "CAD" },
      actorName: "Sam Owner",
    });
    // The profile shows the customer's own lines of the audit trail.
    expect(page.audit).toEqual([
      expect.objectContaining({ action: "store_credit.issue", actorName: "Sam Owner", customerId: page.customer.id }),
    ]);
    const searched = await profile("?q=late%20deliv");
    expect(searched.activity.rows.map((r) => r.kind)).toEqual(["store_credit_issue"]);
    expect((await profile("?q=nothing-like-this")).activity.rows).toEqual([]);
    expect(await audit()).toEqual([
      expect.objectContaining({
        action: "store_credit.issue",
        actorName: "Sam Owner",
        before: { balanceMinor: 0, currency: "CAD" },
        after: expect.objectContaining({ balanceMinor: 2550, amountMinor: 2550, reason: "Late delivery" }),
      }),
    ]);
  });

  it("deducts store credit, and a resubmitted form deducts once", async () => {
    const { post, inShopify, tallyRow, audit, row } = await shopWithCustomer();
    await post({ direction: "issue", amount: "30", currency: "CAD", reason: "Goodwill" });
    const fields = { direction: "deduct", amount: "12.25", currency: "CAD", reason: "Issued twice by mistake" };
    const requestId = crypto.randomUUID();
    expect(await post({ ...fields, requestId })).toMatchObject({ ok: true, applied: true });
    expect(await post({ ...fields, requestId })).toMatchObject({ ok: true, applied: false });

    expect(inShopify()).toEqual([{ currency: "CAD", balance: 1775 }]);
    expect(await tallyRow()).toMatchObject({ storeCreditMinor: 1775 });
    const rows = await db.select().from(storeCreditTransactions).where(eq(storeCreditTransactions.customerId, row.id));
    expect(rows.map((r) => [r.kind, r.amountMinor, r.balanceAfterMinor])).toEqual([
      ["credit", 3000, 3000],
      ["debit", -1225, 1775],
    ]);
    expect((await audit()).at(-1)).toMatchObject({
      action: "store_credit.deduct",
      before: { balanceMinor: 3000 },
      after: expect.objectContaining({ balanceMinor: 1775, amountMinor: -1225 }),
    });
  });

  it("refuses a deduction past the balance on the amount, saying what the customer holds, and writes nothing", async () => {
    const { post, inShopify, tallyRow, audit } = await shopWithCustomer();
    await post({ direction: "issue", amount: "5", currency: "CAD", reason: "Goodwill" });
    const refused = await post({ direction: "deduct", amount: "5.01", currency: "CAD", reason: "Too much" });
    expect(refused).toMatchObject({
      status: 400,
      error: "Pat Lee holds $5.00 of store credit; you can deduct at most that",
      fieldErrors: { amount: ["Pat Lee holds $5.00 of store credit; you can deduct at most that"] },
    });
    const none = await post({ direction: "deduct", amount: "1", currency: "USD", reason: "Wrong account" });
    expect(none).toMatchObject({
      status: 400,
      fieldErrors: { amount: ["Pat Lee holds no store credit in USD; there is nothing to deduct"] },
    });
    expect(inShopify()).toEqual([{ currency: "CAD", balance: 500 }]);
    expect(await tallyRow()).toMatchObject({ storeCreditMinor: 500 });
    expect((await audit()).map((a) => a.action)).toEqual(["store_credit.issue"]);
  });

  it("says what the customer holds when Shopify refuses a deduction because the credit was spent since it was read", async () => {
    const { shop, post, inShopify, row, audit } = await shopWithCustomer();
    await post({ direction: "issue", amount: "5", currency: "CAD", reason: "Goodwill" });
    const { admin } = await unauthenticated.admin(shop);
    const shopify = shopifyStoreCredit(admin.graphql);
    let reads = 0;
    // A checkout pays 3.00 with the credit between Tally's read and its deduction.
    const spentMeanwhile: StoreCreditShopify = {
      ...shopify,
      accounts: async (customerGid) => {
        const accounts = await shopify.accounts(customerGid);
        if ((reads += 1) === 1) await shopify.debit(customerGid, { amountMinor: 300, currency: "CAD" });
        return accounts;
      },
    };
    const refused = await changeStoreCredit({
      ctx: contextFor(shop, "staff"),
      input: { ...deduction, amountMinor: 400, customerId: row.id },
      shopify: spentMeanwhile,
    }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: "shopify_refused",
      message: "Pat Lee holds $2.00 of store credit; you can deduct at most that",
      details: { fieldErrors: { amount: ["Pat Lee holds $2.00 of store credit; you can deduct at most that"] } },
    });
    expect(inShopify()).toEqual([{ currency: "CAD", balance: 200 }]);
    expect((await audit()).map((a) => a.action)).toEqual(["store_credit.issue"]);
  });

  it("puts Shopify's refusal of an expiry in the past on the expiry, and issues nothing", async () => {
    const { post, inShopify, audit } = await shopWithCustomer();
    const refused = await post({
      direction: "issue",
      amount: "10",
      currency: "CAD",
      expiresOn: "2020-01-31",
      reason: "Contest prize",
    });
    expect(refused).toMatchObject({
      status: 422,
      fieldErrors: { expiresOn: ["The expiry date must be in the future."] },
    });
    expect(inShopify()).toEqual([]);
    expect(await audit()).toEqual([]);
  });

  it("issues credit that expires at the end of the chosen day in the shop's time zone, written as the card writes it", async () => {
    const { post, profile } = await shopWithCustomer();
    await post({ direction: "issue", amount: "10", currency: "CAD", expiresOn: "2099-12-17", reason: "Contest prize" });
    const page = await profile();
    // The sandbox shop is in Toronto: Dec 17 ends at 04:59:59 UTC on Dec 18.
    expect(page.storeCredit.history[0]!.expiresAt).toBe("2099-12-18T04:59:59Z");
    // The activity log says the day as the store credit card does, not "2099-12-17" (which wrapped as "2099-" / "12-17").
    expect(page.activity.rows[0]!.explanation).toBe(
      "Issued $10.00 of store credit, expires Dec 17, 2099: Contest prize",
    );
  });

  it("keeps an account per currency, the directory's figure in the shop's currency, and refuses one the shop does not sell in", async () => {
    const { post, profile, inShopify, tallyRow } = await shopWithCustomer(["USD", "JPY"]);
    await post({ direction: "issue", amount: "40", currency: "USD", reason: "US order credit" });
    expect(await tallyRow()).toMatchObject({ storeCreditMinor: 4000, storeCreditCurrency: "USD" });
    await post({ direction: "issue", amount: "1500", currency: "JPY", reason: "Tokyo pop-up" });
    await post({ direction: "issue", amount: "7.5", currency: "CAD", reason: "Goodwill" });
    expect(inShopify()).toEqual([
      { currency: "USD", balance: 4000 },
      { currency: "JPY", balance: 1500 },
      { currency: "CAD", balance: 750 },
    ]);
    expect(await tallyRow()).toMatchObject({ storeCreditMinor: 750, storeCreditCurrency: "CAD" });
    const page = await profile();
    expect(page.storeCredit.currencies).toEqual(["CAD", "USD", "JPY"]);

    const jpyDecimals = await post({ direction: "issue", amount: "1.5", currency: "JPY", reason: "x" });
    expect(jpyDecimals).toMatchObject({ status: 400, fieldErrors: { amount: ["JPY has 0 decimal places"] } });
    const euros = await post({ direction: "issue", amount: "5", currency: "EUR", reason: "Berlin" });
    expect(euros).toMatchObject({
      status: 422,
      fieldErrors: { currency: ["The currency provided is not currently supported."] },
    });
  });

  it("Sync customer brings in store credit changed in Shopify admin and says so", async () => {
    const { shop, control, pat, row, tallyRow } = await shopWithCustomer();
    control.creditStoreCredit({ shop, customerId: String(pat.id), amountCents: 1200 });
    const request = await sessionTokenRequest(shop, `/app/customers/${row.id}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "sync" }),
    });
    const synced = await answerOf(action(args(request, row.id)));
    expect(synced).toMatchObject({ ok: true, result: { changes: ["store credit now 12.00 CAD"] } });
    expect(await tallyRow()).toMatchObject({ storeCreditMinor: 1200, storeCreditCurrency: "CAD" });
  });
});
