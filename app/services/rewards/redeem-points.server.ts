import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, lt } from "drizzle-orm";
import { ledgerKeys, planRedemption, RewardRefused, type EntryOf } from "~/domain/ledger";
import { formatPoints, rewardRowTitle, type RedeemOption } from "~/domain/program";
import {
  currencyCodeSchema,
  DomainError,
  formatRecordMoney,
  statusFromShopifyState,
  type CurrencyCode,
  type ShopifyCustomerState,
} from "~/domain/shared";
import { customers, rewards } from "~/db/schema";
import { forUpdate } from "~/db/dialect";
import { inTransaction, type ServiceContext } from "../context";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { getProgram } from "../program/get-program.server";
import { getShopMoneyWriter } from "../shops/shop-money.server";
import { recordStoreCreditBalance } from "../store-credit/store-credit.server";

export type RewardRow = typeof rewards.$inferSelect;

export { RewardRefused };

/** Shopify's answer was lost; the reservation stands until resolveReservedRewards finds out what Shopify did (503). */
export class RewardIssueUnconfirmed extends DomainError {
  constructor(readonly reason: string) {
    super("shopify_unavailable", "The reward is being confirmed with Shopify; your points are held until it is", {
      reason,
    });
  }
}

/** Shopify could not create the reward; the reservation was cancelled and the points given back (422). */
export class RewardIssueFailed extends DomainError {
  constructor(readonly reason: string) {
    super("shopify_refused", "Shopify could not create the reward; your points were returned", { reason });
  }
}

/** What Shopify needs to create the reward: the code, for whom, and what it is worth. */
export interface RewardToIssue {
  rewardKey: string;
  code: string;
  customerGid: string;
  option: RedeemOption;
  currency: string;
  title: string;
}

/** A store credit account as Shopify answered it: its balance in minor units of its currency. */
export interface StoreCreditBalance {
  currency: CurrencyCode;
  balanceMinor: number;
}

/**
 * Creates the reward in Shopify (a discount code or store credit) and returns its Shopify id, and for store credit the
 * customer's accounts after the credit (each balance in minor units). Supplied by the caller
 * (app/shopify/admin/rewards.server.ts), so this service knows nothing of the Admin API.
 */
export type RewardIssuer = (
  reward: RewardToIssue,
) => Promise<{ shopifyGid: string | null; storeCreditAccounts?: StoreCreditBalance[] }>;

/**
 * Finds a reward in Shopify after a crash: found, `null` when Shopify certainly has none, or "unknown" when Shopify
 * cannot tell (store credit has no code to look up), in which case the reservation is left for staff.
 */
export type RewardLookup = (reward: RewardRow) => Promise<{ shopifyGid: string | null } | null | "unknown">;

function newCode(): string {
  // Unambiguous characters only: merchants read these codes to customers over the phone.
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(10);
  let code = "";
  for (const byte of bytes) code += alphabet[byte % alphabet.length];
  return `TALLY-${code.slice(0, 5)}-${code.slice(5)}`;
}

function optionValue(option: RedeemOption) {
  return {
    valueMinor: option.kind === "fixed_amount_off" || option.kind === "store_credit" ? option.amountMinor : null,
    percent: option.kind === "percent_off" ? option.percent : null,
  };
}

/**
 * Step 1, one transaction: checks the rules, takes the points and writes a `reserved` reward. Nothing leaves the
 * database until this has committed, so a crash later can only leave a reservation, which `resolveReservedRewards`
 * settles.
 */
export async function reserveReward({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; optionId: string };
}): Promise<{ reward: RewardRow; toIssue: RewardToIssue }> {
  return inTransaction(ctx, async (tx) => {
    // Locked (PostgreSQL) before the balance decides: two redemptions at once cannot both spend the same points.
    const [customer] = await forUpdate(
      tx
        .select()
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId))),
    );
    if (!customer) throw new DomainError("not_found", "No such customer");
    const program = await getProgram({ ctx, tx });
    const rewardKey = randomUUID();
    // A refusal names the reward as the shopper's reward row does ("$5.00 CAD off"), not by its stored title.
    const money = await getShopMoneyWriter({ ctx, tx, input: { currency: program.currency } });
    const plan = planRedemption({
      program,
      money,
      optionId: input.optionId,
      rewardId: rewardKey,
      customer: {
        status: statusFromShopifyState(customer.shopifyState as ShopifyCustomerState),
        blocked: customer.blocked,
      },
      totals: totalsOf(customer),
    });
    const now = ctx.now.toISOString();
    const code = newCode();
    const [reward] = await tx
      .insert(rewards)
      .values({
        shop: ctx.shop,
        rewardKey,
        customerId: customer.id,
        optionId: plan.option.id,
        kind: plan.option.kind,
        title: plan.option.title,
        points: plan.option.pointsCost,
        ...optionValue(plan.option),
        currency: program.currency,
        code,
        status: "reserved",
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await appendEntries({ ctx, tx, customerId: customer.id, entries: [plan.entry] });
    return {
      reward: reward!,
      toIssue: {
        rewardKey,
        code,
        customerGid: customer.customerGid,
        option: plan.option,
        currency: program.currency,
        title: plan.option.title,
      },
    };
  });
}

/**
 * Step 3a: Shopify created it; the reward is the customer's. A store credit reward also writes the directory's store
 * credit figure from the accounts Shopify answered after the credit (`storeCreditAccounts`), in the same transaction.
 */
export async function confirmReward({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { rewardKey: string; shopifyGid: string | null; storeCreditAccounts?: StoreCreditBalance[] };
}) {
  await inTransaction(ctx, async (tx) => {
    const [reward] = await tx
      .update(rewards)
      .set({ status: "issued", shopifyGid: input.shopifyGid, updatedAt: ctx.now.toISOString() })
      .where(and(eq(rewards.shop, ctx.shop), eq(rewards.rewardKey, input.rewardKey), eq(rewards.status, "reserved")))
      .returning({ customerId: rewards.customerId });
    if (reward && input.storeCreditAccounts)
      await recordStoreCreditBalance({
        ctx,
        tx,
        input: { customerId: reward.customerId, accounts: input.storeCreditAccounts },
      });
  });
}

/** Step 3b: Shopify refused or could not be reached; the reservation is cancelled and the points go back. */
export async function failReward({ ctx, input }: { ctx: ServiceContext; input: { rewardKey: string; error: string } }) {
  await inTransaction(ctx, async (tx) => {
    const [reward] = await tx
      .select()
      .from(rewards)
      .where(and(eq(rewards.shop, ctx.shop), eq(rewards.rewardKey, input.rewardKey)));
    if (!reward || reward.status !== "reserved") return;
    await tx
      .update(rewards)
      .set({ status: "failed", error: input.error, updatedAt: ctx.now.toISOString() })
      .where(and(eq(rewards.shop, ctx.shop), eq(rewards.id, reward.id)));
    // A title Tally generated is recorded with its amount's currency ("5.00 CAD off"), for the admin to word.
    const currency = currencyCodeSchema.parse(reward.currency);
    const title = rewardRowTitle(reward, (amountMinor) => formatRecordMoney(amountMinor, currency));
    const giveBack: EntryOf<"redemption_return"> = {
      kind: "redemption_return",
      idempotencyKey: ledgerKeys.redemptionReturn(reward.rewardKey),
      points: reward.points,
      rewardId: reward.rewardKey,
      orderGid: "none",
      explanation: `${formatPoints(reward.points)}: ${title} could not be created in Shopify, points returned`,
    };
    await appendEntries({ ctx, tx, customerId: reward.customerId, entries: [giveBack] });
  });
}

/**
 * Redeems points for a reward: reserve in a transaction, call Shopify outside it, then confirm, or give the points
 * back if Shopify said no. Returns the reward as the customer will see it.
 */
export async function redeemPoints({
  ctx,
  input,
  issue,
}: {
  ctx: ServiceContext;
  input: { customerId: number; optionId: string };
  issue: RewardIssuer;
}): Promise<RewardRow> {
  const { reward, toIssue } = await reserveReward({ ctx, input });
  try {
    const { shopifyGid, storeCreditAccounts } = await issue(toIssue);
    await confirmReward({ ctx, input: { rewardKey: reward.rewardKey, shopifyGid, storeCreditAccounts } });
    return { ...reward, status: "issued", shopifyGid };
  } catch (error) {
    if (!(error instanceof RewardRefused)) throw new RewardIssueUnconfirmed(String(error));
    await failReward({ ctx, input: { rewardKey: reward.rewardKey, error: error.reason } });
    throw new RewardIssueFailed(error.reason);
  }
}

/**
 * Settles reservations a crash left behind (run at start and by the scheduler): a code Shopify has is confirmed, a
 * code Shopify never saw is cancelled and its points returned. Only reservations older than `olderThanMs` are touched
 * so a redemption still in flight is left alone.
 */
export async function resolveReservedRewards({
  ctx,
  input,
  lookup,
}: {
  ctx: ServiceContext;
  input: { olderThanMs: number };
  lookup: RewardLookup;
}) {
  const cutoff = new Date(ctx.now.getTime() - input.olderThanMs).toISOString();
  const stuck = await ctx.db
    .select()
    .from(rewards)
    .where(and(eq(rewards.shop, ctx.shop), eq(rewards.status, "reserved"), lt(rewards.createdAt, cutoff)));
  let confirmed = 0;
  let returned = 0;
  let unresolved = 0;
  for (const reward of stuck) {
    const found = await lookup(reward);
    if (found === "unknown") {
      unresolved += 1;
    } else if (found) {
      await confirmReward({ ctx, input: { rewardKey: reward.rewardKey, shopifyGid: found.shopifyGid } });
      confirmed += 1;
    } else {
      await failReward({ ctx, input: { rewardKey: reward.rewardKey, error: "not found in Shopify after a restart" } });
      returned += 1;
    }
  }
  return { confirmed, returned, unresolved };
}

/** The customer's rewards, newest first, for the widget and the profile. */
export async function listRewards({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; limit?: number };
}): Promise<RewardRow[]> {
  return ctx.db
    .select()
    .from(rewards)
    .where(and(eq(rewards.shop, ctx.shop), eq(rewards.customerId, input.customerId)))
    .orderBy(desc(rewards.id))
    .limit(input.limit ?? 50);
}
