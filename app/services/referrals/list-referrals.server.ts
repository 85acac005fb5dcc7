import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { aliasOf } from "~/db/dialect";
import { emptyCustomerQuery, prefixUpperBound, searchKey } from "~/domain/customers";
import { pointsNameFor } from "~/domain/program";
import { referralStatusSchema, type ReferralStatus, type ReferralTab } from "~/domain/referrals";
import { formatMinor } from "~/domain/shared";
import { customers, referralAdvocates, referralRewards, referrals } from "~/db/schema";
import type { ServiceContext } from "../context";
import { selectCustomerPage } from "../customers/customer-query.server";
import { getProgram } from "../program/get-program.server";
import { getShopCurrency } from "../shops/get-shop.server";

export interface ReferralListRow {
  id: number;
  status: ReferralStatus;
  /** Waiting for staff: blocked, or flagged by a weak signal. */
  needsReview: boolean;
  score: number;
  reasons: string[];
  advocate: { customerId: number; name: string; email: string | null; code: string };
  friend: { email: string | null; customerId: number | null; name: string | null };
  friendCode: string | null;
  friendCodeStatus: string | null;
  order: { name: string | null; totalMinor: number; currency: string } | null;
  rewardProgress: string;
  releaseAt: string | null;
  cancelledReason: string | null;
  createdAt: string;
  completedAt: string | null;
}

const advocateCustomer = aliasOf(customers, "advocate_customer");
const friendCustomer = aliasOf(customers, "friend_customer");
const friendCodes = aliasOf(referralRewards, "friend_code");

/**
 * A referral the Referrals page lists: neither its advocate nor its friend (when the friend is a customer) is a customer
 * Shopify deleted, the customer directory's base condition (decision 036). The rows stay for the ledger's history.
 * Reads `advocate_customer` and `friend_customer` as the list query joins them.
 */
const listed = and(
  isNull(advocateCustomer.deletedAt),
  or(isNull(referrals.friendCustomerId), isNull(friendCustomer.deletedAt)),
)!;

/** Referrals waiting for staff: blocked, or flagged by a weak signal (the review queue). */
const needsReview = sql`(${referrals.status} = 'blocked' or ${referrals.review} = 'flagged')`;

const nameOf = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(" ") || null;

/**
 * Referrals whose friend's email starts with the text (an index range on referrals), or whose advocate or friend is a
 * customer the directory's search finds (any part of a name, email or phone: decision 019).
 */
async function searchCondition(ctx: ServiceContext, search: string): Promise<SQL> {
  const low = searchKey(search.trim());
  const high = prefixUpperBound(low);
  // Customers matching: at most a few hundred, each an index range on referrals.
  const { rows: matching } = await selectCustomerPage({
    ctx,
    input: { query: { ...emptyCustomerQuery, search, sort: "joined-desc" }, limit: 500 },
  });
  const friend = and(sql`${referrals.friendSearch} >= ${low}`, sql`${referrals.friendSearch} < ${high}`)!;
  const ids = matching.map((row) => row.id);
  return ids.length > 0
    ? or(friend, inArray(referrals.advocateCustomerId, ids), inArray(referrals.friendCustomerId, ids))!
    : friend;
}

/**
 * A page of the Referrals page, newest first: a status tab (Pending, Blocked, Completed, Cancelled) or the review
 * queue (blocked and flagged), optionally searched by advocate or friend (name or email prefix). Keyset-paginated
 * by id (`before`), so every page is an index range.
 */
export async function listReferrals({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { tab: ReferralTab; search?: string; before?: number; limit: number };
}): Promise<{ rows: ReferralListRow[]; nextBefore: number | undefined }> {
  const rows = await selectListRows(ctx, {
    where: and(
      input.tab === "review" ? needsReview : eq(referrals.status, input.tab),
      input.search?.trim() ? await searchCondition(ctx, input.search) : undefined,
      input.before ? lt(referrals.id, input.before) : undefined,
    ),
    orderBy: desc(referrals.id),
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit).map((row) => toListRow(row));
  return { rows: page, nextBefore: rows.length > input.limit ? page.at(-1)?.id : undefined };
}

interface ListJoinRow {
  referral: typeof referrals.$inferSelect;
  advocateFirst: string | null;
  advocateLast: string | null;
  advocateEmail: string | null;
  code: string;
  friendFirst: string | null;
  friendLast: string | null;
  friendCode: string | null;
  friendCodeStatus: string | null;
}

/** The shop's referrals matching `where`, each joined with what a list row shows: advocate, code, friend, friend's code. */
function selectListRows(
  ctx: ServiceContext,
  { where, orderBy, limit }: { where: SQL | undefined; orderBy: SQL; limit: number },
): Promise<ListJoinRow[]> {
  return ctx.db
    .select({
      referral: referrals,
      advocateFirst: advocateCustomer.firstName,
      advocateLast: advocateCustomer.lastName,
      advocateEmail: advocateCustomer.email,
      code: referralAdvocates.code,
      friendFirst: friendCustomer.firstName,
      friendLast: friendCustomer.lastName,
      friendCode: friendCodes.code,
      friendCodeStatus: friendCodes.status,
    })
    .from(referrals)
    .innerJoin(advocateCustomer, eq(advocateCustomer.id, referrals.advocateCustomerId))
    .innerJoin(referralAdvocates, eq(referralAdvocates.id, referrals.advocateId))
    .leftJoin(friendCustomer, eq(friendCustomer.id, referrals.friendCustomerId))
    .leftJoin(
      friendCodes,
      and(eq(friendCodes.referralId, referrals.id), eq(friendCodes.role, "friend"), eq(friendCodes.shop, ctx.shop)),
    )
    .where(and(eq(referrals.shop, ctx.shop), listed, where))
    .orderBy(orderBy)
    .limit(limit);
}

function toListRow(row: ListJoinRow): ReferralListRow {
  const { referral } = row;
  const state = referral.state;
  return {
    id: referral.id,
    status: referral.status,
    needsReview: referral.status === "blocked" || referral.review === "flagged",
    score: referral.score,
    reasons: state.signals
      .filter((signal) => !state.approvedSignals.includes(signal.code))
      .map((signal) => signal.reason),
    advocate: {
      customerId: referral.advocateCustomerId,
      name:
        nameOf(row.advocateFirst, row.advocateLast) ?? row.advocateEmail ?? `Customer #${referral.advocateCustomerId}`,
      email: row.advocateEmail,
      code: row.code,
    },
    friend: {
      email: referral.friendEmail,
      customerId: referral.friendCustomerId,
      name: nameOf(row.friendFirst, row.friendLast),
    },
    friendCode: row.friendCode,
    friendCodeStatus: row.friendCodeStatus,
    order: state.order
      ? { name: state.order.orderName, totalMinor: state.order.totalMinor, currency: state.order.currency }
      : null,
    rewardProgress: state.rewardProgress,
    releaseAt: state.releaseAt,
    cancelledReason: state.cancelledReason,
    createdAt: referral.createdAt,
    completedAt: referral.completedAt,
  };
}

export interface ReferralFigures {
  /** By status; `own_link` and `not_new` count refused claims, which are in no other figure. */
  counts: Record<ReferralStatus, number>;
  /** Referrals: every status but refused claims. */
  total: number;
  waitingForReview: number;
  /** Completed as a share of referrals that have finished one way or another, whole percent; null before any. */
  completionRate: number | null;
  /** What friends paid on the orders that completed referrals (referee revenue), shop money. */
  refereeRevenueMinor: number;
  /** What advocates paid on their own orders using referral rewards (referrer revenue). */
  referrerRevenueMinor: number;
  currency: string;
}

/** The Referrals page's program figures: referrals by status, completion rate and referral revenue. */
export async function getReferralFigures({ ctx }: { ctx: ServiceContext }): Promise<ReferralFigures> {
  // The tabs' counts are of the referrals the tabs list (`listed`); the revenue below is money that was paid.
  const byStatus: Array<{ status: ReferralStatus; n: number; review: number }> = await ctx.db
    .select({
      status: referrals.status,
      n: sql<number>`count(*)`.mapWith(Number),
      review: sql<number>`sum(case when ${needsReview} then 1 else 0 end)`.mapWith(Number),
    })
    .from(referrals)
    .innerJoin(advocateCustomer, eq(advocateCustomer.id, referrals.advocateCustomerId))
    .leftJoin(friendCustomer, eq(friendCustomer.id, referrals.friendCustomerId))
    .where(and(eq(referrals.shop, ctx.shop), listed))
    .groupBy(referrals.status);
  const counts = Object.fromEntries(referralStatusSchema.options.map((status) => [status, 0])) as Record<
    ReferralStatus,
    number
  >;
  for (const row of byStatus) counts[row.status] = row.n;
  const review = { n: byStatus.reduce((sum, row) => sum + row.review, 0) };
  const [revenue] = await ctx.db
    .select({ sum: sql<number>`coalesce(sum(${referrals.orderTotalMinor}), 0)`.mapWith(Number) })
    .from(referrals)
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.status, "completed")));
  const [referrer] = await ctx.db
    .select({ sum: sql<number>`coalesce(sum(${customers.referrerRevenueMinor}), 0)`.mapWith(Number) })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), gt(customers.referrerRevenueMinor, 0)));
  // A refused claim is no referral (lifecycle.ts `own_link`, `not_new`): counted apart, in neither figure.
  const finished = counts.completed + counts.cancelled + counts.blocked;
  const total = counts.pending + finished;
  return {
    counts,
    total,
    waitingForReview: review.n,
    completionRate: finished > 0 ? Math.round((counts.completed * 100) / finished) : null,
    refereeRevenueMinor: revenue?.sum ?? 0,
    referrerRevenueMinor: referrer?.sum ?? 0,
    currency: await getShopCurrency({ ctx }),
  };
}

/** The CSV export's columns, in order. */
export const referralCsvColumns = [
  "Referral ID",
  "Status",
  "Needs review",
  "Fraud score",
  "Reasons",
  "Advocate",
  "Advocate email",
  "Referral code",
  "Friend email",
  "Friend name",
  "Friend code",
  "Friend code status",
  "Order",
  "Order total",
  "Currency",
  "Advocate reward",
  "Claimed at",
  "Completed at",
  "Cancelled because",
] as const;

/**
 * Every referral of the shop in id order, a page of `pageSize` at a time (one keyset query each), as CSV records:
 * memory stays flat however many referrals there are. Money is written as the currency's decimal ("120.00"); an
 * advocate's points reward in the program's name for its points ("500 stars ⭐ (held)").
 */
export async function* referralCsvRecords({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { pageSize?: number };
}): AsyncGenerator<string[]> {
  const pageSize = input.pageSize ?? 1000;
  const { settings: naming } = await getProgram({ ctx });
  for (let after: number = 0; ;) {
    const rows = await selectListRows(ctx, {
      where: gt(referrals.id, after),
      orderBy: asc(referrals.id),
      limit: pageSize,
    });
    for (const row of rows) {
      const item = toListRow(row);
      const reward = row.referral.state.reward;
      yield [
        String(item.id),
        item.status,
        item.needsReview ? "yes" : "no",
        String(item.score),
        item.reasons.join("; "),
        item.advocate.name,
        item.advocate.email ?? "",
        item.advocate.code,
        item.friend.email ?? "",
        item.friend.name ?? "",
        item.friendCode ?? "",
        item.friendCodeStatus ?? "",
        item.order?.name ?? "",
        item.order ? formatMinor(item.order.totalMinor, item.order.currency) : "",
        item.order?.currency ?? "",
        reward.kind === "points"
          ? `${reward.points} ${pointsNameFor(naming, reward.points)} (${item.rewardProgress})`
          : `${reward.kind} (${item.rewardProgress})`,
        item.createdAt,
        item.completedAt ?? "",
        item.cancelledReason ?? "",
      ];
    }
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.referral.id;
  }
}
