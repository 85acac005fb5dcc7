import { and, asc, eq, inArray, lt, or } from "drizzle-orm";
import {
  describeReferralReward,
  discountCodeKey,
  generateUnique,
  newDiscountCode,
  type RandomBytes,
  type ReferralDiscount,
  type ReferralDiscountRole,
} from "~/domain/referrals";
import { RewardRefused } from "~/domain/ledger";
import { formatMinor } from "~/domain/shared";
import { customers, referralEvents, referralRewards } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { cryptoRandom } from "./advocates.server";

export type ReferralRewardRow = typeof referralRewards.$inferSelect;

/** A referral discount code as Shopify needs it: single use, the minimum order, and who may use it. */
export interface ReferralDiscountToCreate {
  code: string;
  /** The discount's title in Shopify admin's list of discounts. */
  title: string;
  kind: ReferralDiscount["kind"];
  valueMinor: number | null;
  percent: number | null;
  minimumSubtotalMinor: number;
  currency: string;
  /** Only this customer may use it (an advocate's reward); null: any buyer, once (a friend who may have no account). */
  customerGid: string | null;
}

/**
 * The Admin API behind referral discount codes (app/shopify/admin/referral-discounts.server.ts), supplied by the caller
 * so services know nothing of Shopify. `create` and `deactivate` throw RewardRefused when Shopify answered and did
 * nothing (its user errors); any other failure may have happened after Shopify acted.
 */
export interface ReferralDiscountGateway {
  create(discount: ReferralDiscountToCreate): Promise<{ shopifyGid: string | null }>;
  deactivate(shopifyGid: string): Promise<void>;
  findByCode(code: string): Promise<{ shopifyGid: string } | null>;
}

/**
 * Writes a referral's discount code in the caller's transaction, `reserved` (to be created in Shopify after the
 * commit) or `held` (an advocate's reward waiting out the pending period). The code is drawn until one is free.
 */
export async function reserveReferralDiscount({
  ctx,
  tx,
  input,
  random = cryptoRandom,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    referralId: number;
    role: ReferralDiscountRole;
    customerId: number | null;
    reward: ReferralDiscount;
    currency: string;
    status: "reserved" | "held";
  };
  random?: RandomBytes;
}): Promise<ReferralRewardRow> {
  const now = ctx.now.toISOString();
  const { reward } = input;
  // The discount's title lives in Shopify (its Discounts list, the order's discount line), beside amounts of any
  // currency: it keeps the code after a plain amount ("5.00 CAD off"), as titles already issued read.
  const { currency } = input;
  const what = describeReferralReward(reward, currency, (minor) => `${formatMinor(minor, currency)} ${currency}`);
  let row: ReferralRewardRow | undefined;
  await generateUnique(
    () => newDiscountCode(input.role, random),
    async (code) => {
      [row] = await tx
        .insert(referralRewards)
        .values({
          shop: ctx.shop,
          referralId: input.referralId,
          role: input.role,
          customerId: input.customerId,
          kind: reward.kind,
          title:
            input.role === "friend" ? `${what} a first order, for a referred friend` : `${what}, thanks for a referral`,
          code,
          codeKey: discountCodeKey(code),
          valueMinor: reward.kind === "fixed_amount_off" ? reward.amountMinor : null,
          percent: reward.kind === "percent_off" ? reward.percent : null,
          minimumSubtotalMinor: reward.minimumSubtotalMinor,
          currency: input.currency,
          status: input.status,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [referralRewards.shop, referralRewards.codeKey] })
        .returning();
      return row !== undefined;
    },
  );
  return row!;
}

async function toCreate(ctx: ServiceContext, row: ReferralRewardRow): Promise<ReferralDiscountToCreate> {
  let customerGid: string | null = null;
  if (row.role === "advocate" && row.customerId !== null) {
    const [holder] = await ctx.db
      .select({ gid: customers.customerGid })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.customerId)));
    customerGid = holder?.gid ?? null;
  }
  return {
    code: row.code,
    title: `Tally referral: ${row.title}`,
    kind: row.kind,
    valueMinor: row.valueMinor,
    percent: row.percent,
    minimumSubtotalMinor: row.minimumSubtotalMinor,
    currency: row.currency,
    customerGid,
  };
}

async function setStatus(
  ctx: ServiceContext,
  row: ReferralRewardRow,
  from: ReferralRewardRow["status"][],
  change: Partial<Pick<ReferralRewardRow, "status" | "shopifyGid" | "error">>,
  event?: string,
): Promise<ReferralRewardRow | undefined> {
  return inTransaction(ctx, async (tx) => {
    const [updated] = await tx
      .update(referralRewards)
      .set({ ...change, updatedAt: ctx.now.toISOString() })
      .where(
        and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.id, row.id), inArray(referralRewards.status, from)),
      )
      .returning();
    if (updated && event) await recordRewardEvent(ctx, tx, updated, event);
    return updated;
  });
}

async function recordRewardEvent(ctx: ServiceContext, tx: Tx, row: ReferralRewardRow, explanation: string) {
  await tx.insert(referralEvents).values({
    shop: ctx.shop,
    referralId: row.referralId,
    kind: row.role === "friend" ? "friend_code" : "advocate_code",
    actor: ctx.actor,
    actorName: ctx.actorName ?? null,
    explanation,
    createdAt: ctx.now.toISOString(),
  });
}

/**
 * Creates a reserved code in Shopify and confirms it: the call happens outside any transaction, and a code Shopify
 * already has (a crash after the call, before the confirmation) is found by code rather than created twice. Returns
 * the row as it ends: `issued`, or `failed` when Shopify refused (nothing was created). A lost answer is thrown as it
 * came, the row left `reserved` for the jobs (`settleReferralDiscounts`).
 */
export async function issueReferralDiscount({
  ctx,
  input,
  gateway,
}: {
  ctx: ServiceContext;
  input: { row: ReferralRewardRow; lookFirst: boolean };
  gateway: ReferralDiscountGateway;
}): Promise<ReferralRewardRow> {
  const { row } = input;
  const found = input.lookFirst ? await gateway.findByCode(row.code) : null;
  let shopifyGid = found?.shopifyGid ?? null;
  if (!found) {
    try {
      shopifyGid = (await gateway.create(await toCreate(ctx, row))).shopifyGid;
    } catch (error) {
      if (!(error instanceof RewardRefused)) throw error;
      const failed = await setStatus(ctx, row, ["reserved"], { status: "failed", error: error.reason });
      return failed ?? row;
    }
  }
  const issued = await setStatus(
    ctx,
    row,
    ["reserved"],
    { status: "issued", shopifyGid },
    row.role === "advocate" ? `The advocate's reward ${row.code} was created in Shopify` : undefined,
  );
  return issued ?? { ...row, status: "issued", shopifyGid };
}

/**
 * Deactivates a code in Shopify (discountCodeDeactivate) after a transaction marked it `voiding`, then marks it
 * `voided`. A code Shopify never created (no id) is voided without a call. A lost answer leaves it `voiding`.
 */
export async function voidReferralDiscount({
  ctx,
  input,
  gateway,
}: {
  ctx: ServiceContext;
  input: { row: ReferralRewardRow };
  gateway: ReferralDiscountGateway;
}): Promise<ReferralRewardRow> {
  const { row } = input;
  let shopifyGid = row.shopifyGid;
  if (!shopifyGid) shopifyGid = (await gateway.findByCode(row.code))?.shopifyGid ?? null;
  if (shopifyGid) {
    try {
      await gateway.deactivate(shopifyGid);
    } catch (error) {
      if (!(error instanceof RewardRefused)) throw error;
      return (await setStatus(ctx, row, ["voiding"], { status: "voided", error: error.reason })) ?? row;
    }
  }
  const voided = await setStatus(
    ctx,
    row,
    ["voiding"],
    { status: "voided", shopifyGid },
    `${row.code} was deactivated in Shopify`,
  );
  return voided ?? row;
}

/**
 * Marks a code for deactivation in the caller's transaction: unused codes only (a used code cannot be taken back);
 * a code never created is simply withdrawn. Returns whether a call to Shopify is needed.
 */
export async function markDiscountVoid({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { referralId: number; role: ReferralDiscountRole };
}): Promise<"voiding" | "withdrawn" | "used" | "none"> {
  const [row] = await tx
    .select()
    .from(referralRewards)
    .where(
      and(
        eq(referralRewards.shop, ctx.shop),
        eq(referralRewards.referralId, input.referralId),
        eq(referralRewards.role, input.role),
      ),
    );
  if (!row) return "none";
  if (row.status === "used") return "used";
  const next = row.status === "issued" || row.status === "reserved" ? "voiding" : "withdrawn";
  if (row.status === "voided" || row.status === "withdrawn" || row.status === "voiding") return "none";
  await tx
    .update(referralRewards)
    .set({ status: next, updatedAt: ctx.now.toISOString() })
    .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.id, row.id)));
  return next;
}

/**
 * The jobs' settling of referral codes: advocates' rewards due (created at once), friends' codes a crash or a lost
 * answer left reserved (after `olderThanMs`, so a claim in flight finishes first; found by code, or created), and
 * codes to deactivate. Each code is its own step; a failure leaves it for the next run.
 */
export async function settleReferralDiscounts({
  ctx,
  input,
  gateway,
}: {
  ctx: ServiceContext;
  input: { olderThanMs: number; limit: number };
  gateway: ReferralDiscountGateway;
}): Promise<{ issued: number; failed: number; voided: number; unresolved: number }> {
  const cutoff = new Date(ctx.now.getTime() - input.olderThanMs).toISOString();
  const due = await ctx.db
    .select()
    .from(referralRewards)
    .where(
      and(
        eq(referralRewards.shop, ctx.shop),
        inArray(referralRewards.status, ["reserved", "voiding"]),
        or(eq(referralRewards.role, "advocate"), lt(referralRewards.updatedAt, cutoff)),
      ),
    )
    .orderBy(asc(referralRewards.id))
    .limit(input.limit);
  const result = { issued: 0, failed: 0, voided: 0, unresolved: 0 };
  for (const row of due) {
    try {
      if (row.status === "voiding") {
        await voidReferralDiscount({ ctx, input: { row }, gateway });
        result.voided += 1;
      } else {
        const settled = await issueReferralDiscount({ ctx, input: { row, lookFirst: true }, gateway });
        if (settled.status === "issued") result.issued += 1;
        else result.failed += 1;
      }
    } catch {
      result.unresolved += 1;
    }
  }
  return result;
}

/** The referral codes a customer holds, as the profile's Rewards list shows them: Used or Unused. */
export async function listReferralRewards({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; limit?: number };
}): Promise<ReferralRewardRow[]> {
  return ctx.db
    .select()
    .from(referralRewards)
    .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.customerId, input.customerId)))
    .orderBy(asc(referralRewards.id))
    .limit(input.limit ?? 50);
}
