import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { inTransaction } from "~/services/context";
import { appendEntries } from "~/services/ledger/append-entries.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");

async function activityOf(shop: string, customerId: number, query = "") {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}${query}`);
  const profile = await profileLoader({
    request,
    params: { id: String(customerId) },
    context: {},
  } as LoaderFunctionArgs);
  return profile.activity;
}

/** A member with staff adjustments by two named staff members, an order's earn held after fulfilment and its release. */
async function memberWithHistory() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 0 }]);
  const alex = contextFor(shop, { actor: "staff:1", actorName: "Alex Morgan" });
  const sam = contextFor(shop, { actor: "staff:2", actorName: "Sam Owner" });
  const adjust = (ctx: typeof alex, points: number, reason: string, requestId: string) =>
    adjustPoints({ ctx, input: { customerId: customer!.id, points, reason, requestId } });
  await adjust(alex, 50, "Goodwill for the late parcel", "a-1");
  await adjust(sam, 20, "Order #1042 was charged twice", "a-2");
  await adjust(alex, 5, "A 50% bonus week", "a-3");
  const order = "gid://shopify/Order/77";
  await inTransaction(alex, (tx) =>
    appendEntries({
      ctx: alex,
      tx,
      customerId: customer!.id,
      entries: [
        {
          kind: "earn",
          source: "order",
          points: 30,
          pending: true,
          programVersion: 1,
          orderGid: order,
          idempotencyKey: `earn:order:${order}`,
          explanation: "+30: order #1077 paid, held 14 days after fulfilment",
        },
        {
          kind: "release",
          points: 30,
          orderGid: order,
          idempotencyKey: `release:order:${order}`,
          explanation: "+30 released: order #1077",
        },
      ],
    }),
  );
  await adjust(sam, -3, "A mistake from the first week of the program, when the shop ran its launch promotion", "a-4");
  return { shop, customerId: customer!.id };
}

const explanations = (activity: { rows: Array<{ explanation: string }> }) =>
  activity.rows.map((row) => row.explanation);

describe("the activity log", () => {
  it("finds entries by order name, by reason and by staff member, ignoring case", async () => {
    const { shop, customerId } = await memberWithHistory();

    expect(explanations(await activityOf(shop, customerId, "?q=%231042"))).toEqual([
      "+20: adjusted by staff (Order #1042 was charged twice)",
    ]);
    expect(explanations(await activityOf(shop, customerId, "?q=GOODWILL"))).toEqual([
      "+50: adjusted by staff (Goodwill for the late parcel)",
    ]);
    const byAlex = await activityOf(shop, customerId, "?q=alex");
    expect(byAlex.rows.map((row) => row.actorName)).toEqual([
      "Alex Morgan",
      "Alex Morgan",
      "Alex Morgan",
      "Alex Morgan",
    ]);
    // What staff type is matched as written: % and _ are not wildcards.
    expect(explanations(await activityOf(shop, customerId, "?q=50%25"))).toEqual([
      "+5: adjusted by staff (A 50% bonus week)",
    ]);
    expect((await activityOf(shop, customerId, "?q=5_")).rows).toEqual([]);
    // A search keeps to its tab.
    expect((await activityOf(shop, customerId, "?tab=earned&q=goodwill")).rows).toEqual([]);
  });

  it("sorts by date either way and pages without repeating an entry", async () => {
    const { shop, customerId } = await memberWithHistory();
    const newest = await activityOf(shop, customerId);
    const oldest = await activityOf(shop, customerId, "?sort=oldest");
    expect(explanations(oldest)).toEqual([...explanations(newest)].reverse());
    expect(oldest.rows[0]!.explanation).toContain("Goodwill");

    const ctx = contextFor(shop, "staff:1");
    for (let i = 1; i <= 50; i += 1) {
      await adjustPoints({ ctx, input: { customerId, points: 1, reason: `Entry ${i}`, requestId: `p-${i}` } });
    }
    const first = await activityOf(shop, customerId, "?sort=oldest");
    expect(first.rows).toHaveLength(50);
    const second = await activityOf(shop, customerId, `?sort=oldest&cursor=${first.nextCursor}`);
    expect(second.rows.map((row) => row.explanation)).toEqual([
      "+1: adjusted by staff (Entry 45)",
      "+1: adjusted by staff (Entry 46)",
      "+1: adjusted by staff (Entry 47)",
      "+1: adjusted by staff (Entry 48)",
      "+1: adjusted by staff (Entry 49)",
      "+1: adjusted by staff (Entry 50)",
    ]);
    expect(second.nextCursor).toBeUndefined();
    const ids = [...first.rows, ...second.rows].map((row) => row.id);
    expect(new Set(ids).size).toBe(56);
  });

  it("shows held points and their release on the Pending tab, and nothing else", async () => {
    const { shop, customerId } = await memberWithHistory();
    const pending = await activityOf(shop, customerId, "?tab=pending");
    expect(pending.rows.map((row) => [row.kind, row.held])).toEqual([
      ["release", false],
      ["earn", true],
    ]);
  });

  it("refuses a search longer than a search box holds, and a sort it does not know", async () => {
    const { shop, customerId } = await memberWithHistory();
    for (const query of [`?q=${"x".repeat(101)}`, "?sort=sideways"]) {
      const request = await sessionTokenRequest(shop, `/app/customers/${customerId}${query}`);
      const thrown = await profileLoader({
        request,
        params: { id: String(customerId) },
        context: {},
      } as LoaderFunctionArgs).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((thrown as Response).status).toBe(400);
    }
  });
});
