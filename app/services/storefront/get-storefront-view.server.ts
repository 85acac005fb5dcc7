import { and, eq } from "drizzle-orm";
import { describeRedeemOption, type Program, type RedeemOption } from "~/domain/program";
import { formatMinor, statusFromShopifyState, type ShopifyCustomerState } from "~/domain/shared";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getProgram } from "../program/get-program.server";
import { getStorefrontReferral, type StorefrontReferral } from "../referrals/referral-storefront.server";
import { listRewards } from "../rewards/redeem-points.server";

/**
 * The widget's contract (GET {proxy}/v1/me); keep these names and shapes, themes depend on them. `customer` is null
 * for a visitor who is not logged in, and `{ id, known: false }` for a logged-in shopper Tally has no record of yet
 * (their customers/create is on its way, or the shop's install sync has not reached them): Tally does not know their
 * status or points, so it shows none rather than an invented member with 0 points.
 */
export interface StorefrontView {
  customer:
    | {
        id: string;
        known: true;
        status: "member" | "guest";
        blocked: boolean;
        points: number;
        pendingPoints: number;
        lifetimeEarned: number;
        lifetimeRedeemed: number;
      }
    | { id: string; known: false }
    | null;
  program: {
    pointsName: string;
    earn: Array<{ kind: "order" | "signup"; points: number; description: string }>;
    redeem: Array<{
      id: string;
      title: string;
      points: number;
      kind: RedeemOption["kind"];
      value: string | number | null;
    }>;
  };
  rewards: Array<{ code: string; title: string; used: boolean; createdAt: string }>;
  /** The customer's referral link and figures; null for a visitor, a customer Tally does not know yet, or when off. */
  referral: StorefrontReferral | null;
}

function optionValue(option: RedeemOption, program: Program): string | number | null {
  switch (option.kind) {
    case "fixed_amount_off":
    case "store_credit":
      return formatMinor(option.amountMinor, program.currency);
    case "percent_off":
      return option.percent;
    case "free_shipping":
      return null;
  }
}

function programView(program: Program): StorefrontView["program"] {
  const { settings } = program;
  const earn: StorefrontView["program"]["earn"] = [
    {
      kind: "order",
      points: settings.pointsPerUnit,
      description: `${settings.pointsPerUnit} ${settings.pointsName} per ${formatMinor(settings.unitMinor, program.currency)} ${program.currency} spent`,
    },
  ];
  if (settings.signupBonus > 0) {
    earn.push({
      kind: "signup",
      points: settings.signupBonus,
      description: `${settings.signupBonus} ${settings.pointsName} for creating an account`,
    });
  }
  return {
    pointsName: settings.pointsName,
    earn: settings.enabled ? earn : [],
    redeem: settings.enabled
      ? settings.redeemOptions.map((option) => ({
          id: option.id,
          title: option.title || describeRedeemOption(option, program.currency),
          points: option.pointsCost,
          kind: option.kind,
          value: optionValue(option, program),
        }))
      : [],
  };
}

/** What the storefront visitor sees: the program, and for a logged-in customer Tally knows, their points and codes. */
export async function getStorefrontView({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string | null; proxyPath?: string };
}): Promise<StorefrontView> {
  const program = await getProgram({ ctx });
  if (!input.customerGid) return { customer: null, program: programView(program), rewards: [], referral: null };
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  if (!row) {
    return {
      customer: { id: input.customerGid, known: false },
      program: programView(program),
      rewards: [],
      referral: null,
    };
  }
  const customer: StorefrontView["customer"] = {
    id: input.customerGid,
    known: true,
    status: statusFromShopifyState(row.shopifyState as ShopifyCustomerState),
    blocked: row.blocked,
    points: row.pointsBalance,
    pendingPoints: row.pointsPending,
    lifetimeEarned: row.lifetimeEarned,
    lifetimeRedeemed: row.lifetimeRedeemed,
  };
  const rewards = (await listRewards({ ctx, input: { customerId: row.id, limit: 20 } }))
    .filter((reward) => (reward.status === "issued" || reward.status === "used") && reward.code)
    .map((reward) => ({
      code: reward.code as string,
      title: reward.title,
      used: reward.status === "used",
      createdAt: reward.createdAt,
    }));
  const referral = await getStorefrontReferral({
    ctx,
    input: { customerGid: input.customerGid, proxyPath: input.proxyPath },
  });
  return { customer, program: programView(program), rewards, referral };
}

/** The customer row a storefront redemption acts for; unknown customers have no points to spend yet. */
export async function findCustomerIdByGid({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string };
}): Promise<number | undefined> {
  const [row] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  return row?.id;
}
