import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, programVersions, webhookDeliveries } from "~/db/schema";
import type { ProgramSettingsForm } from "~/domain/program/settings-form";
import {
  MAX_ADJUSTMENT_POINTS,
  MAX_ADJUSTMENT_REASON_LENGTH,
  MAX_ENTRY_POINTS,
  MAX_SETTING_POINTS,
  MAX_TOTAL_POINTS,
} from "~/domain/shared";
import { action as profileAction } from "~/routes/app.customers_.$id";
import { action as startJob } from "~/routes/app.jobs._index";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { saveProgram } from "~/services/program/save-program.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { orderMoney } from "../factories/orders";
import { samplePayload } from "../helpers/shopify-samples";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
const args = (request: Request, params: Record<string, string> = {}): Args => ({ request, params, context: {} });

async function settle(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function installedShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

/** Posts the settings form as the page does (the draft as one JSON field) and returns the field errors, if any. */
async function saveForm(shop: string, change: (form: ProgramSettingsForm) => ProgramSettingsForm) {
  const { form } = await settingsLoader(args(await sessionTokenRequest(shop, "/app/settings")));
  const body = new FormData();
  body.set("settings", JSON.stringify(change(form)));
  const answer = await settle(async () =>
    settingsAction(args(await sessionTokenRequest(shop, "/app/settings", { method: "POST", body }))),
  );
  if (!(answer instanceof Response)) return { saved: answer, fieldErrors: {} as Record<string, string[]> };
  const json = (await answer.json()) as { fieldErrors?: Record<string, string[]> };
  return { status: answer.status, fieldErrors: json.fieldErrors ?? {} };
}

const versionsOf = async (shop: string) =>
  await db.select().from(programVersions).where(eq(programVersions.shop, shop));
const option = (kind: string, value: string, extra: Partial<ProgramSettingsForm["redeemOptions"][number]> = {}) => ({
  id: "big",
  kind,
  title: "Big",
  pointsCost: "500",
  value,
  minimumOrder: "",
  ...extra,
});

describe("every number in the settings has a bound", () => {
  it("refuses a 9,007,199,254,740,991-point sign-up bonus with a field error, and saves nothing", async () => {
    const shop = await installedShop();
    const result = await saveForm(shop, (form) => ({ ...form, signupBonus: "9007199254740991" }));
    expect(result.status).toBe(400);
    expect(result.fieldErrors.signupBonus).toEqual([`Sign-up bonus can be at most 10,000,000 points`]);
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("refuses a 1,000,000,000,000 discount with a field error under the option's value, and saves nothing", async () => {
    const shop = await installedShop();
    const result = await saveForm(shop, (form) => ({
      ...form,
      redeemOptions: [option("fixed_amount_off", "1000000000000")],
    }));
    expect(result.status).toBe(400);
    expect(result.fieldErrors["redeemOptions.0.amountMinor"]?.[0]).toMatch(/^Value can be at most 100,000,000.00/);
    expect(await versionsOf(shop)).toEqual([]);
  });

  it.each([
    ["pointsPerUnit", (f: ProgramSettingsForm) => ({ ...f, pointsPerUnit: "1001" })],
    ["unitMinor", (f: ProgramSettingsForm) => ({ ...f, unitAmount: "100000000.01" })],
    ["pendingDays", (f: ProgramSettingsForm) => ({ ...f, pendingDays: "366" })],
    [
      "redeemOptions.0.pointsCost",
      (f: ProgramSettingsForm) => ({
        ...f,
        redeemOptions: [option("percent_off", "10", { pointsCost: String(MAX_SETTING_POINTS + 1) })],
      }),
    ],
    [
      "redeemOptions.0.minimumSubtotalMinor",
      (f: ProgramSettingsForm) => ({
        ...f,
        redeemOptions: [option("free_shipping", "", { minimumOrder: "100000000.01" })],
      }),
    ],
    [
      "redeemOptions.0.amountMinor",
      (f: ProgramSettingsForm) => ({ ...f, redeemOptions: [option("store_credit", "100000000.01")] }),
    ],
    ["redeemOptions.0.percent", (f: ProgramSettingsForm) => ({ ...f, redeemOptions: [option("percent_off", "101")] })],
  ])("refuses %s one past its bound", async (field, change) => {
    const shop = await installedShop();
    const result = await saveForm(shop, change);
    expect(result.status).toBe(400);
    expect(Object.keys(result.fieldErrors)).toEqual([field]);
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("accepts every number at its bound", async () => {
    const shop = await installedShop();
    const result = await saveForm(shop, (form) => ({
      ...form,
      signupBonus: String(MAX_SETTING_POINTS),
      pointsPerUnit: "1000",
      unitAmount: "100000000.00",
      pendingDays: "365",
      redeemOptions: [
        option("fixed_amount_off", "100000000.00", {
          pointsCost: String(MAX_SETTING_POINTS),
          minimumOrder: "100000000.00",
        }),
      ],
    }));
    expect(result.saved).toMatchObject({ ok: true, changed: true });
  });
});

describe("every figure in the ledger has a bound", () => {
  it("refuses an adjustment past 10,000,000 points either way, from the profile form, and records nothing", async () => {
    const shop = await installedShop();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 10 }]);
    for (const points of [String(MAX_ADJUSTMENT_POINTS + 1), `-${MAX_ADJUSTMENT_POINTS + 1}`, "999999999"]) {
      const request = await sessionTokenRequest(shop, `/app/customers/${customer!.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "adjust", points, reason: "typo", requestId: `r-${points}` }),
      });
      const answer = (await settle(() => profileAction(args(request, { id: String(customer!.id) })))) as Response;
      expect(answer.status).toBe(400);
      expect((await answer.json()).fieldErrors.points).toEqual([
        "Enter at most 10,000,000 points, or at least -10,000,000",
      ]);
    }
    const ctx = contextFor(shop, "staff:1");
    const input = { customerId: customer!.id, points: MAX_ADJUSTMENT_POINTS, reason: "bound", requestId: "at-bound" };
    expect((await adjustPoints({ ctx, input })).totals.balance).toBe(10 + MAX_ADJUSTMENT_POINTS);
  });

  it("takes an adjustment's reason up to the same 500 characters on the profile and in the directory's bulk form", async () => {
    const shop = await installedShop();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 10 }]);
    const longest = "r".repeat(MAX_ADJUSTMENT_REASON_LENGTH);
    const tooLong = `${longest}!`;
    const refusal = [`Keep it to ${MAX_ADJUSTMENT_REASON_LENGTH} characters or fewer (this is ${tooLong.length})`];
    const onProfile = async (reason: string) => {
      const request = await sessionTokenRequest(shop, `/app/customers/${customer!.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "adjust", points: "5", reason, requestId: `p-${reason.length}` }),
      });
      return (await settle(() => profileAction(args(request, { id: String(customer!.id) })))) as Response;
    };
    const inBulk = async (reason: string) => {
      const input = { selection: { ids: [customer!.id] }, edit: { action: "points_adjust", points: 5, reason } };
      const request = await sessionTokenRequest(shop, "/app/jobs", {
        method: "POST",
        body: new URLSearchParams({
          kind: "customers.bulk-edit",
          input: JSON.stringify(input),
          requestId: `b-${reason.length}`,
        }),
      });
      return (await settle(() => startJob(args(request)))) as Response;
    };

    expect(await onProfile(longest)).toMatchObject({ ok: true, intent: "adjust", applied: true });
    // The bulk form took 200 characters where the profile took 500 (newcomer): one bound now, the domain's.
    expect((await inBulk(longest)).status).toBe(302);

    const profileRefused = await onProfile(tooLong);
    expect(profileRefused.status).toBe(400);
    expect((await profileRefused.json()).fieldErrors.reason).toEqual(refusal);
    const bulkRefused = await inBulk(tooLong);
    expect(bulkRefused.status).toBe(400);
    expect(Object.values((await bulkRefused.json()).fieldErrors).flat()).toEqual(refusal);
  });

  it("refuses an order that would earn more than one entry may carry, and records nothing of it", async () => {
    const shop = await installedShop();
    // The most generous program the settings allow: 1,000 points per 0.01.
    const ctx = contextFor(shop, "staff:1");
    const { program } = await saveProgram({
      ctx,
      input: { ...(await settingsDefaults(shop)), pointsPerUnit: 1000, unitMinor: 1 },
    });
    expect(program.settings.pointsPerUnit).toBe(1000);
    const customerGid = "gid://shopify/Customer/706405506930371111";
    const order = {
      ...samplePayload("orders/paid"),
      admin_graphql_api_id: "gid://shopify/Order/820982911946151111",
      financial_status: "paid",
      cancelled_at: null,
      refunds: [],
      // 10,000.01 at 1,000 points per 0.01 is 1,000,001,000 points.
      ...orderMoney("10000.01", "USD"),
      customer: { admin_graphql_api_id: customerGid, state: "enabled" },
    };
    const answer = await deliverWebhook(orderPaid, "orders/paid", shop, order);
    expect(answer.status).toBe(500);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.shop, shop));
    expect(delivery?.error).toContain(`beyond the ${MAX_ENTRY_POINTS.toLocaleString("en-US")} points one ledger entry`);
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.shop, shop))).toEqual([]);
  });

  it("refuses an entry that would take a balance past 10^15, and keeps the balance exact", async () => {
    const shop = await newShopDomain();
    const near = MAX_TOTAL_POINTS - 5;
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: near }]);
    const ctx = contextFor(shop, "staff:1");
    await expect(
      adjustPoints({ ctx, input: { customerId: customer!.id, points: 6, reason: "over", requestId: "over" } }),
    ).rejects.toThrow(expect.objectContaining({ code: "invalid_input" }));
    expect(
      (await adjustPoints({ ctx, input: { customerId: customer!.id, points: 5, reason: "to", requestId: "to" } }))
        .totals.balance,
    ).toBe(MAX_TOTAL_POINTS);
    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.id, customer!.id))),
    );
    expect(row?.pointsBalance).toBe(MAX_TOTAL_POINTS);
  });
});

async function settingsDefaults(shop: string) {
  const { getProgram } = await import("~/services/program/get-program.server");
  return (await getProgram({ ctx: contextFor(shop, "test") })).settings;
}
