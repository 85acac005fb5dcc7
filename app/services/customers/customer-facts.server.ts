import { and, eq, isNotNull } from "drizzle-orm";
import {
  addCustomerFact,
  emptyCustomerFacts,
  factTagKey,
  isNewerEmailConsent,
  memberSince,
  sameHistory,
  stateAt,
  statusAt,
  tagsAt,
  type CustomerFact,
  type CustomerFacts,
  type EmailConsent,
} from "~/domain/customers";
import {
  isRedecidable,
  orderReleaseAt,
  planOrderCorrection,
  planSignup,
  type LedgerEntry,
  type SignupDecision,
} from "~/domain/ledger";
import { customers, orders } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { getProgram, getProgramVersion } from "../program/get-program.server";
import { automaticReferralJoinedAt } from "../referrals/referral-joining.server";
import { ensureCustomer, recordSkip } from "./customer-rows.server";

type Args<Input> = { ctx: ServiceContext; tx: Tx; input: Input };
type CustomerRow = typeof customers.$inferSelect;

function isOlder(incoming: string, stored: string | null): boolean {
  return stored !== null && Date.parse(incoming) < Date.parse(stored);
}

/**
 * The customer's dated facts. Rows written before facts were kept carry them in older columns: the newest state and
 * when it was seen, when the customer first became a member, and the last add/remove per tag.
 */
export function factsOf(row: CustomerRow): CustomerFacts {
  if (row.facts) return row.facts;
  let facts: CustomerFacts = { ...emptyCustomerFacts, undated: { state: null, tags: null } };
  if (row.shopifyUpdatedAt) {
    const state = row.shopifyState as "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
    facts = addCustomerFact(facts, { kind: "snapshot", at: row.shopifyUpdatedAt, state });
  } else if (row.shopifyState !== "DISABLED") {
    facts = addCustomerFact(facts, { kind: "snapshot", at: null, state: row.shopifyState as "ENABLED" });
  }
  if (row.memberSince) facts = addCustomerFact(facts, { kind: "snapshot", at: row.memberSince, state: "ENABLED" });
  const events = Object.entries(row.tagEvents);
  for (const [key, event] of events) {
    const label = row.tags.find((tag) => factTagKey(tag) === key) ?? key;
    facts = addCustomerFact(facts, { kind: "tags", at: event.at, tags: [label], present: event.present });
  }
  if (events.length === 0 && row.tags.length > 0) {
    facts = addCustomerFact(facts, { kind: "snapshot", at: null, tags: row.tags });
  }
  return facts;
}

/**
 * Records facts Shopify sent about one customer and brings everything that depends on who the customer was up to
 * date, in the caller's transaction: the derived columns (state, Member/Guest, tags now, member since), the sign-up
 * bonus, and every paid order of the customer whose earning a late fact changed (domain: customer-events.ts). A fact
 * already known changes nothing. Returns the customer row id.
 */
export async function recordCustomerFacts({
  ctx,
  tx,
  input,
}: Args<{ customerGid: string; facts: readonly CustomerFact[]; existedBeforeInstall?: boolean }>): Promise<{
  customerId: number;
}> {
  const row = await ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  const before = factsOf(row);
  let after = before;
  for (const fact of input.facts) {
    // An erased customer's tags stay erased: a late tag webhook must not bring them back.
    const kept = row.redactedAt && fact.kind === "snapshot" ? { ...fact, tags: null } : fact;
    if (row.redactedAt && fact.kind === "tags") continue;
    after = addCustomerFact(after, kept);
  }
  // Members before install start settled: installing Tally is not a sign-up day.
  const settled =
    row.signupBonusSettled ||
    (input.existedBeforeInstall === true && !row.signupDecision && memberSince(after) !== null);

  const program = await getProgram({ ctx, tx });
  const programOf = (version: number, currency?: string) =>
    getProgramVersion({ ctx, tx, input: { version, currency } });
  // The domain asks for one earlier version only, the one the sign-up bonus was decided under: read it first.
  const signupVersion = row.signupDecision?.programVersion;
  const signupProgram = signupVersion === undefined ? undefined : await programOf(signupVersion);
  let totals = totalsOf(row);
  const entries: LedgerEntry[] = [];

  const signup = planSignup({
    customerGid: row.customerGid,
    facts: after,
    decision: row.signupDecision ?? null,
    settled,
    blocked: row.blocked,
    program,
    programOf: (version) => {
      if (version !== signupVersion || !signupProgram) throw new Error(`program version ${version} was not read`);
      return signupProgram;
    },
    totals,
  });
  entries.push(...signup.entries);
  totals = signup.totals;

  if (!row.redactedAt && !sameHistory(before, after)) {
    const paidOrders = await tx
      .select({ id: orders.id, processedAt: orders.processedAt, pointsState: orders.pointsState })
      .from(orders)
      .where(and(eq(orders.shop, ctx.shop), eq(orders.customerId, row.id), isNotNull(orders.processedAt)));
    for (const order of paidOrders) {
      const paid = order.pointsState.paid;
      if (!paid || !isRedecidable(paid.skippedReason)) continue;
      const plan = planOrderCorrection(order.pointsState, {
        paidAt: order.processedAt!,
        facts: after,
        blocked: row.blocked,
        program: await programOf(paid.programVersion, paid.currency),
        totals,
      });
      if (plan.state === order.pointsState) continue;
      entries.push(...plan.entries);
      totals = plan.totals;
      await tx
        .update(orders)
        .set({ pointsState: plan.state, releaseAt: orderReleaseAt(plan.state)?.toISOString() ?? null })
        .where(and(eq(orders.shop, ctx.shop), eq(orders.id, order.id)));
      if (plan.earning) {
        await recordSkip(
          { ctx, tx },
          { customerId: row.id, sourceGid: order.pointsState.orderGid, earning: plan.earning },
        );
      }
    }
  }

  const state = stateAt(after);
  const status = state ? statusAt(after) : row.status;
  const decision: SignupDecision | null = signup.decision;
  // With joining automatic a Member is in the referral program from now on, listed so whoever looks (decision 019).
  const referralJoinedAt = await automaticReferralJoinedAt({
    ctx,
    tx,
    input: { ...row, status, memberSince: memberSince(after) },
  });
  await tx
    .update(customers)
    .set({
      facts: after,
      tags: row.redactedAt ? [] : tagsAt(after),
      ...(state ? { shopifyState: state, status } : {}),
      memberSince: memberSince(after),
      ...(referralJoinedAt ? { referralJoinedAt } : {}),
      signupDecision: decision,
      signupBonusSettled: settled || decision !== null,
      updatedAt: ctx.now.toISOString(),
    })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
  await appendEntries({ ctx, tx, customerId: row.id, entries });
  if (signup.signup) {
    await recordSkip({ ctx, tx }, { customerId: row.id, sourceGid: row.customerGid, earning: signup.signup });
  }
  return { customerId: row.id };
}

/**
 * customers/delete: the row stays (the ledger keeps its history) but the customer is gone from Shopify, as of the
 * delivery's trigger time. A customer snapshot dated before that never brings the customer back.
 */
export async function markCustomerDeleted({ ctx, tx, input }: Args<{ customerGid: string; deletedAt: string }>) {
  const row = await ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  if (row.deletedAt && !isOlder(input.deletedAt, row.deletedAt)) return;
  await tx
    .update(customers)
    .set({ deletedAt: input.deletedAt, updatedAt: ctx.now.toISOString() })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
}

/** customers/purchasing_summary: orders count and amount spent, newest summary wins. */
export async function updatePurchasingSummary({
  ctx,
  tx,
  input,
}: Args<{ customerGid: string; ordersCount: number; amountSpentMinor: number; currency: string; occurredAt: string }>) {
  const row = await ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  if (isOlder(input.occurredAt, row.purchasingUpdatedAt)) return;
  await tx
    .update(customers)
    .set({
      ordersCount: input.ordersCount,
      amountSpentMinor: input.amountSpentMinor,
      currency: input.currency,
      purchasingUpdatedAt: input.occurredAt,
      updatedAt: ctx.now.toISOString(),
    })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
}

/** customer.tags_added / customer.tags_removed: a dated change of some tags (see app/domain/customers/facts.ts). */
export async function applyTagEvent({
  ctx,
  tx,
  input,
}: Args<{ customerGid: string; tags: string[]; present: boolean; occurredAt: string }>) {
  await recordCustomerFacts({
    ctx,
    tx,
    input: {
      customerGid: input.customerGid,
      facts: [{ kind: "tags", at: input.occurredAt, tags: input.tags, present: input.present }],
    },
  });
}

/**
 * A word about the customer's email marketing consent (customers_email_marketing_consent/update, or a read of the
 * customer record): the newer dated word wins, an undated one never overwrites a dated one (isNewerEmailConsent).
 * `row` is the customer's row when the caller holds it already. Nothing is written for a redacted customer.
 */
export async function updateEmailConsent({
  ctx,
  tx,
  input,
  row: heldRow,
}: Args<{ customerGid: string } & EmailConsent> & { row?: CustomerRow }) {
  const row = heldRow ?? (await ensureCustomer({ ctx, tx }, { customerGid: input.customerGid }));
  const held = { state: row.emailMarketingState, updatedAt: row.emailMarketingUpdatedAt };
  if (row.redactedAt || !isNewerEmailConsent(held, input)) return;
  await tx
    .update(customers)
    .set({ emailMarketingState: input.state, emailMarketingUpdatedAt: input.updatedAt })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
}

/** The full tag list as Shopify holds it at `at` (reconciliation): a dated snapshot of the tags. */
export async function applyTagSnapshot({ ctx, tx, input }: Args<{ customerGid: string; tags: string[]; at: string }>) {
  await recordCustomerFacts({
    ctx,
    tx,
    input: { customerGid: input.customerGid, facts: [{ kind: "snapshot", at: input.at, tags: input.tags }] },
  });
}
