import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  addCustomerFact,
  memberSince,
  nfc,
  searchColumnsOf,
  stateAt,
  statusAt,
  tagsAt,
  type CustomerFacts,
} from "~/domain/customers";
import {
  applyEntry,
  assertWithinLedgerBounds,
  emptyOrderState,
  orderReleaseAt,
  planSignup,
  preInstallPaidState,
  type LedgerEntry,
  type LedgerTotals,
} from "~/domain/ledger";
import type { Earning } from "~/domain/program";
import { automaticJoinedAt, discountCodeKey } from "~/domain/referrals";
import { customers, ledgerEntries, orders, referralRewards, referrals, shops } from "~/db/schema";
import { insertRows } from "~/db/insert-rows";
import { forgetShop } from "~/db/shop-cache.server";
import type { ServiceContext, Tx } from "../context";
import { ledgerRowOf } from "../ledger/append-entries.server";
import { getProgram, getProgramVersion } from "../program/get-program.server";
import { findAutomaticJoiningSince } from "../referrals/referral-joining.server";
import { factsOf } from "./customer-facts.server";
import { recordSkip } from "./customer-rows.server";
import type { SyncRecord, SyncRecordResult } from "./apply-sync-batch.server";

type CustomerRecord = Extract<SyncRecord, { kind: "customer" }>;
type OrderRecord = Extract<SyncRecord, { kind: "order" }>;

/** What a bare stub row (ensureCustomer with nothing but the id) holds that the facts read: the column defaults. */
const stubFacts: CustomerFacts = factsOf({
  facts: null,
  shopifyUpdatedAt: null,
  shopifyState: "DISABLED",
  memberSince: null,
  tagEvents: {},
  tags: [],
} as unknown as Parameters<typeof factsOf>[0]);
const zeroTotals: LedgerTotals = { balance: 0, pending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 };
/** Financial statuses of an order that was paid (as applyOrderEvent reads them). */
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded", "partially_paid"]);
/** GIDs per `in (…)` list of a read. */
const ROWS_PER_INSERT = 400;

const maxIso = (a: string | null, b: string | null) => (a === null ? b : b === null || a >= b ? a : b);
const isoOf = (at: string | null | undefined) => {
  const ms = at ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/**
 * The records of a sync chunk that are new to Tally, applied as sets (decision 030, third round): each new customer
 * and each new order is planned in memory by the same rules the per-record services follow (syncCustomer,
 * recordCustomerFacts twice as reconcileCustomer calls it, updatePurchasingSummary, and applyOrderEvent for an order
 * recorded with no event) and written with multi-row inserts (insertRows): the customers with the totals of their
 * sign-up bonus entries, then those entries (appendEntries' rows, with their idempotency keys), in the same
 * transaction; skipped earnings through `recordSkip`. Everything else (a customer or order Tally holds, one that
 * appears twice in the chunk, an order with a referral reward's code, an address, a referral or a customer that a
 * per-record record of the chunk changes) is left to the per-record path and is absent from the answer. Runs inside
 * the caller's transaction, before the per-record records of the chunk: customers come before their orders in
 * Shopify's JSONL, and the records taken here depend on nothing the left-over ones write. Returns the results of the
 * records it applied, by record.
 */
export async function applyNewRecordsAsSets({
  ctx,
  tx,
  records,
  heldCustomerIds,
  heldOrderGids,
}: {
  ctx: ServiceContext;
  tx: Tx;
  records: readonly SyncRecord[];
  /** Customers Tally holds, by Shopify GID: their row ids. */
  heldCustomerIds: ReadonlyMap<string, number>;
  heldOrderGids: ReadonlySet<string>;
}): Promise<Map<SyncRecord, SyncRecordResult>> {
  const applied = new Map<SyncRecord, SyncRecordResult>();
  const customerCount = new Map<string, number>();
  const orderCount = new Map<string, number>();
  for (const record of records) {
    if (record.kind === "customer") {
      const gid = record.input.snapshot.customerGid;
      customerCount.set(gid, (customerCount.get(gid) ?? 0) + 1);
    } else orderCount.set(record.facts.orderGid, (orderCount.get(record.facts.orderGid) ?? 0) + 1);
  }
  const newCustomers = records.filter(
    (record): record is CustomerRecord =>
      record.kind === "customer" &&
      !heldCustomerIds.has(record.input.snapshot.customerGid) &&
      customerCount.get(record.input.snapshot.customerGid) === 1 &&
      !record.input.snapshot.defaultAddress &&
      record.input.snapshot.readNow !== true,
  );
  const takenCustomers = new Set(newCustomers.map((record) => record.input.snapshot.customerGid));
  // Customers a per-record record of this chunk writes: their orders wait for it, in line order.
  const leftCustomers = new Set(
    records.flatMap((record) =>
      record.kind === "customer" && !takenCustomers.has(record.input.snapshot.customerGid)
        ? [record.input.snapshot.customerGid]
        : [],
    ),
  );
  let newOrders = records.filter(
    (record): record is OrderRecord =>
      record.kind === "order" &&
      !heldOrderGids.has(record.facts.orderGid) &&
      orderCount.get(record.facts.orderGid) === 1 &&
      !record.facts.shippingAddress &&
      !record.facts.customer?.defaultAddress &&
      record.facts.customer !== null &&
      !leftCustomers.has(record.facts.customer.customerGid) &&
      (takenCustomers.has(record.facts.customer.customerGid) || heldCustomerIds.has(record.facts.customer.customerGid)),
  );
  if (newOrders.length > 0) {
    // An order whose discount code is a referral reward's is the referral program's to judge, by its own path.
    const codes = [...new Set(newOrders.flatMap((record) => record.facts.discountCodes.map(discountCodeKey)))];
    const rewardCodes = new Set<string>();
    for (let start = 0; start < codes.length; start += ROWS_PER_INSERT) {
      const rows = await tx
        .select({ codeKey: referralRewards.codeKey })
        .from(referralRewards)
        .where(
          and(
            eq(referralRewards.shop, ctx.shop),
            inArray(referralRewards.codeKey, codes.slice(start, start + ROWS_PER_INSERT)),
          ),
        );
      for (const row of rows) rewardCodes.add(row.codeKey);
    }
    if (rewardCodes.size > 0)
      newOrders = newOrders.filter(
        (record) => !record.facts.discountCodes.some((code) => rewardCodes.has(discountCodeKey(code))),
      );
    // A referral that names an order Tally has not stored yet is linked by that order's own path.
    const named = new Set<string>();
    for (let start = 0; start < newOrders.length; start += ROWS_PER_INSERT) {
      const gids = newOrders.slice(start, start + ROWS_PER_INSERT).map((record) => record.facts.orderGid);
      const rows = await tx
        .select({ gid: referrals.orderGid })
        .from(referrals)
        .where(and(eq(referrals.shop, ctx.shop), inArray(referrals.orderGid, gids)));
      for (const row of rows) if (row.gid) named.add(row.gid);
    }
    if (named.size > 0) newOrders = newOrders.filter((record) => !named.has(record.facts.orderGid));
  }
  if (newCustomers.length === 0 && newOrders.length === 0) return applied;

  const now = ctx.now.toISOString();
  const program = await getProgram({ ctx, tx });
  const programNow =
    newCustomers.length > 0 ? await getProgramVersion({ ctx, tx, input: { version: program.version } }) : program;
  const programOf = (version: number) => {
    if (version !== program.version) throw new Error(`program version ${version} was not read`);
    return programNow;
  };

  // The newest order each customer placed, among this chunk's new orders (the directory's "last order" column).
  const lastOrderOf = new Map<string, string>();
  for (const record of newOrders) {
    const at = isoOf(record.facts.processedAt);
    const gid = record.facts.customer!.customerGid;
    if (at !== null) lastOrderOf.set(gid, maxIso(lastOrderOf.get(gid) ?? null, at)!);
  }

  // Customers: the row as syncCustomer, recordCustomerFacts (its snapshot, then its tag list) and the purchasing
  // summary leave a stub, computed at once.
  const planned: Array<{
    record: CustomerRecord;
    row: typeof customers.$inferInsert;
    entries: LedgerEntry[];
    skips: Earning[];
  }> = [];
  for (const record of newCustomers) {
    const { snapshot, purchasing } = record.input;
    const contact = {
      email: nfc(snapshot.email),
      firstName: nfc(snapshot.firstName),
      lastName: nfc(snapshot.lastName),
      phone: snapshot.phone,
      city: snapshot.city,
      province: snapshot.province,
      countryCode: snapshot.countryCode,
    };
    const first = addCustomerFact(stubFacts, {
      kind: "snapshot",
      at: snapshot.updatedAt,
      state: snapshot.shopifyState,
      tags: snapshot.tags ?? null,
    });
    const settledFirst = snapshot.existedBeforeInstall === true && memberSince(first) !== null;
    const signupFirst = planSignup({
      customerGid: snapshot.customerGid,
      facts: first,
      decision: null,
      settled: settledFirst,
      blocked: false,
      program,
      programOf,
      totals: zeroTotals,
    });
    const settled = settledFirst || signupFirst.decision !== null;
    const facts = addCustomerFact(first, { kind: "snapshot", at: snapshot.updatedAt, tags: record.input.tags });
    const signup = planSignup({
      customerGid: snapshot.customerGid,
      facts,
      decision: signupFirst.decision,
      settled,
      blocked: false,
      program,
      programOf,
      totals: signupFirst.totals,
    });
    const entries = [...signupFirst.entries, ...signup.entries];
    // The totals appendEntries would leave; an entry past the ledger's bounds is the per-record path's to refuse.
    let totals = zeroTotals;
    try {
      for (const entry of entries) {
        assertWithinLedgerBounds(entry, applyEntry(totals, entry));
        totals = applyEntry(totals, entry);
      }
    } catch {
      continue;
    }
    const state = stateAt(facts) ?? stateAt(first);
    const lastOrderAt = maxIso(isoOf(record.input.lastOrderAt), lastOrderOf.get(snapshot.customerGid) ?? null);
    planned.push({
      record,
      entries,
      skips: [signupFirst.signup, signup.signup].filter((earning): earning is Earning => Boolean(earning)),
      row: {
        shop: ctx.shop,
        customerGid: snapshot.customerGid,
        ...contact,
        ...searchColumnsOf(contact),
        shopifyState: state ?? "DISABLED",
        status: state ? statusAt(facts) : "guest",
        taxExempt: snapshot.taxExempt ?? false,
        locale: snapshot.locale ?? null,
        // A new row holds no consent, so the record's word is newer whatever its date (isNewerEmailConsent).
        emailMarketingState: snapshot.emailConsent?.state ?? null,
        emailMarketingUpdatedAt: snapshot.emailConsent?.updatedAt ?? null,
        shopifyUpdatedAt: snapshot.updatedAt,
        joinedAt: snapshot.createdAt,
        facts,
        tags: tagsAt(facts),
        memberSince: memberSince(facts),
        signupDecision: signup.decision,
        signupBonusSettled: settled || signup.decision !== null,
        ordersCount: purchasing?.ordersCount ?? 0,
        amountSpentMinor: purchasing?.amountSpentMinor ?? 0,
        currency: purchasing?.currency ?? null,
        purchasingUpdatedAt: purchasing ? snapshot.updatedAt : null,
        lastOrderAt,
        pointsBalance: totals.balance,
        pointsPending: totals.pending,
        lifetimeEarned: totals.lifetimeEarned,
        lifetimeRedeemed: totals.lifetimeRedeemed,
        metafieldDirty: entries.length > 0,
        pointsActivityAt: entries.length > 0 ? now : null,
        // Every row carries the same keys (insertRows); a Member's date is planned below, once the chunk is known.
        referralJoinedAt: null,
        updatedAt: now,
      },
    });
  }
  // With joining automatic a new Member is in the referral program at once (decision 019): one read of the program
  // for the chunk, when it holds a Member, and the date planned with the row (a new row is never blocked or merged).
  if (planned.some((each) => each.row.status === "member")) {
    const since = await findAutomaticJoiningSince({ ctx, tx });
    if (since !== null) {
      for (const { row } of planned) {
        if (row.status !== "member") continue;
        row.referralJoinedAt = automaticJoinedAt({
          memberSince: row.memberSince ?? null,
          automaticSince: since,
          now: ctx.now,
        });
      }
    }
  }
  const idOf = new Map(heldCustomerIds);
  const inserted = new Set<string>();
  // A customer a webhook stored since the chunk's read (PostgreSQL: another connection) conflicts and is skipped
  // here; it is absent from the returned ids and goes through the per-record path.
  const customerRows = await insertRows(
    tx,
    customers,
    planned.map((each) => each.row),
    ["id", "customerGid"],
  );
  for (const row of customerRows) {
    idOf.set(row.customerGid as string, row.id as number);
    inserted.add(row.customerGid as string);
  }
  // Their sign-up entries, whose totals the rows already carry. A key the shop's ledger already holds is skipped, as
  // appendEntries skips it, and that customer's totals are then folded again from the entries that were new.
  const ledgerRows = planned.flatMap((each) => {
    const customerId = idOf.get(each.record.input.snapshot.customerGid);
    if (!inserted.has(each.record.input.snapshot.customerGid) || customerId === undefined) return [];
    return each.entries.map((entry) => ledgerRowOf(ctx, customerId, entry));
  });
  const newKeys = new Set(
    (await insertRows(tx, ledgerEntries, ledgerRows, ["idempotencyKey"])).map((row) => row.idempotencyKey as string),
  );
  for (const each of planned) {
    const gid = each.record.input.snapshot.customerGid;
    if (!inserted.has(gid)) continue;
    const customerId = idOf.get(gid)!;
    const kept = each.entries.filter((entry) => newKeys.has(entry.idempotencyKey));
    if (kept.length < each.entries.length) {
      const totals = kept.reduce(applyEntry, zeroTotals);
      await tx
        .update(customers)
        .set({
          pointsBalance: totals.balance,
          pointsPending: totals.pending,
          lifetimeEarned: totals.lifetimeEarned,
          lifetimeRedeemed: totals.lifetimeRedeemed,
          ...(kept.length === 0 ? { metafieldDirty: false, pointsActivityAt: null } : {}),
        })
        .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
    }
    for (const earning of each.skips) await recordSkip({ ctx, tx }, { customerId, sourceGid: gid, earning });
    applied.set(each.record, { line: each.record.line, kind: "customer", gid, outcome: "added", customerId });
  }

  // Orders: the row applyOrderEvent leaves for an order recorded with no event (one paid before install keeps the
  // pre-install state, earning nothing; any other the empty state, for its own webhook or reconciliation to earn).
  const ownedOrders = newOrders.filter((record) => {
    const gid = record.facts.customer!.customerGid;
    return heldCustomerIds.has(gid) || inserted.has(gid);
  });
  if (ownedOrders.length === 0) return applied;
  const firstOrder = records.find((record) => record.kind !== "customer");
  if (firstOrder?.kind === "order" || firstOrder?.kind === "order-events") {
    // Points are earned in the shop's currency; until Shopify told us at install, the first order tells us.
    await tx
      .update(shops)
      .set({ currency: firstOrder.facts.currency })
      .where(and(eq(shops.shop, ctx.shop), isNull(shops.currency)));
    forgetShop(tx, ctx.shop);
  }
  const [shop] = await tx.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
  const installedSecond = shop ? Math.floor(Date.parse(shop.installedAt) / 1000) * 1000 : undefined;
  const orderRows = ownedOrders.map((record) => {
    const { facts } = record;
    const paidAt = facts.processedAt ? Date.parse(facts.processedAt) : NaN;
    const afterInstall = installedSecond !== undefined && paidAt >= installedSecond;
    const empty = emptyOrderState(facts.orderGid);
    const state =
      !afterInstall && PAID_STATUSES.has(facts.financialStatus ?? "")
        ? preInstallPaidState(empty, {
            orderName: facts.name,
            subtotalMinor: facts.subtotalMinor,
            currency: facts.currency,
            programVersion: program.version,
          })
        : empty;
    return {
      shop: ctx.shop,
      orderGid: facts.orderGid,
      customerId: idOf.get(facts.customer!.customerGid)!,
      pointsState: state,
      releaseAt: orderReleaseAt(state)?.toISOString() ?? null,
      shopifyUpdatedAt: facts.updatedAt,
      name: facts.name,
      currency: facts.currency,
      subtotalMinor: facts.subtotalMinor,
      totalMinor: facts.totalMinor,
      financialStatus: facts.financialStatus,
      fulfillmentStatus: facts.fulfillmentStatus,
      discountCodes: facts.discountCodes,
      cancelledAt: facts.cancelledAt,
      processedAt: facts.processedAt,
    };
  });
  const storedOrders = new Set(
    (await insertRows(tx, orders, orderRows, ["orderGid"])).map((row) => row.orderGid as string),
  );
  // Customers held from an earlier chunk: their last order moves forward, if these orders are newer.
  const heldLastOrder = new Map<number, string>();
  for (const record of ownedOrders) {
    const gid = record.facts.customer!.customerGid;
    const at = isoOf(record.facts.processedAt);
    const id = heldCustomerIds.get(gid);
    if (id === undefined || at === null || !storedOrders.has(record.facts.orderGid)) continue;
    heldLastOrder.set(id, maxIso(heldLastOrder.get(id) ?? null, at)!);
  }
  for (const [id, at] of heldLastOrder) {
    await tx
      .update(customers)
      .set({ lastOrderAt: at })
      .where(
        and(
          eq(customers.shop, ctx.shop),
          eq(customers.id, id),
          sql`(${customers.lastOrderAt} is null or ${customers.lastOrderAt} < ${at})`,
        ),
      );
  }
  for (const record of ownedOrders) {
    if (!storedOrders.has(record.facts.orderGid)) continue;
    applied.set(record, { line: record.line, kind: "order", gid: record.facts.orderGid, outcome: "unchanged" });
  }
  return applied;
}
