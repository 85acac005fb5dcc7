import { and, asc, desc, eq, gt, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import { joinReferralMembersKind } from "~/domain/background-jobs";
import {
  automaticJoinedAt,
  automaticJoiningSince,
  defaultReferralSettings,
  isAutomaticJoiner,
  type AutomaticJoiner,
} from "~/domain/referrals";
import { customers, referralProgramVersions, shops } from "~/db/schema";
import { shopEntry } from "~/db/shop-cache.server";
import type { ServiceContext, Tx } from "../context";
import { submitTask } from "../background-jobs/submit-task.server";

/*
 * "Joined the referral program" on the customer row (decision 019) with joining automatic: every Member is in the
 * program, so the row says so from the moment they are one, whoever looks. Three writers keep it: the services that
 * make a customer a Member (recordCustomerFacts, the sync's sets, an unblock) stamp it in their transaction; when the
 * settings begin joining automatically, a background task stamps the shop's current Members (joinReferralMembers);
 * and a scheduled job queues that task for a shop that never had it (a shop from before this, a save whose queueing
 * a crash lost). Codes stay lazy: one is made when the widget, the profile or an invitation first needs it.
 */

/**
 * Since when the shop's referral program has joined every Member automatically without a break (ISO 8601,
 * automaticJoiningSince), or null when it does not now. The install defaults (on, automatic) date from the install.
 * Kept per shop on SQLite like the newest program (shop-cache.server.ts): a saved version or an install forgets it.
 */
export async function findAutomaticJoiningSince({ ctx, tx }: { ctx: ServiceContext; tx?: Tx }): Promise<string | null> {
  const db = tx ?? ctx.db;
  const cached = shopEntry(db, ctx.shop);
  if (cached?.referralJoiningSince !== undefined) return cached.referralJoiningSince;
  const rows = await db
    .select({ createdAt: referralProgramVersions.createdAt, settings: referralProgramVersions.settings })
    .from(referralProgramVersions)
    .where(eq(referralProgramVersions.shop, ctx.shop))
    .orderBy(desc(referralProgramVersions.version));
  let since: string | null;
  if (rows.length > 0) {
    since = automaticJoiningSince(
      rows.map((row) => {
        const settings = row.settings as { enabled: boolean; joining: "automatic" | "on_request" };
        return { createdAt: row.createdAt, enabled: settings.enabled, joining: settings.joining };
      }),
    );
  } else {
    const [shop] = await db.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
    const defaults = defaultReferralSettings("USD");
    since = automaticJoiningSince([{ createdAt: shop?.installedAt ?? ctx.now.toISOString(), ...defaults }]);
  }
  if (cached) cached.referralJoiningSince = since;
  return since;
}

/**
 * The date a customer row must now carry as "joined the referral program", when the program joins them automatically
 * and it carries none yet (automaticJoinedAt: the later of `memberSince` and when joining became automatic); null when
 * nothing is to be written (already stamped, not a Member, blocked, merged, deleted, or joining is not automatic).
 * Reads the program only for a Member not yet stamped, so a customer's later webhooks cost nothing more.
 */
export async function automaticReferralJoinedAt({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: AutomaticJoiner & { referralJoinedAt: string | null; memberSince: string | null };
}): Promise<string | null> {
  if (input.referralJoinedAt !== null || !isAutomaticJoiner(input)) return null;
  const since = await findAutomaticJoiningSince({ ctx, tx });
  if (since === null) return null;
  return automaticJoinedAt({ memberSince: input.memberSince, automaticSince: since, now: ctx.now });
}

/** The task's idempotency key: one sweep per start of automatic joining. */
const sweepKey = (since: string) => `referrals.join-members:${since}`;

/**
 * Queues the sweep that stamps every current Member of the shop (joinReferralMembersKind) when the program joins
 * automatically, once per `since`: a resave that keeps joining automatic, or a second call, queues nothing. Answers
 * whether it queued one.
 */
export async function queueReferralMembersJoining({ ctx }: { ctx: ServiceContext }): Promise<boolean> {
  const since = await findAutomaticJoiningSince({ ctx });
  if (since === null) return false;
  const { created } = await submitTask({
    ctx,
    input: { kind: joinReferralMembersKind.kind, input: { since }, idempotencyKey: sweepKey(since) },
  });
  return created;
}

/**
 * A Member the program joins automatically who carries no date yet (isAutomaticJoiner), written as the partial index
 * `customers_shop_members_not_joined_idx` is (the status a literal, not a parameter), so SQLite reads only its entries.
 */
const automaticJoinerNotJoined = and(
  sql`${customers.status} = 'member'`,
  isNull(customers.referralJoinedAt),
  sql`${customers.blocked} = 0`,
  isNull(customers.mergedIntoId),
  isNull(customers.deletedAt),
)!;

/**
 * Whether the shop holds a Member the program joins automatically who carries no date: read through the partial index
 * of Members not joined, which the sweep empties (but for the blocked), so a handful of entries at most.
 */
export async function hasMembersToJoin({ ctx }: { ctx: ServiceContext }): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), automaticJoinerNotJoined))
    // In id order, SQLite (no statistics) reads the partial index; unordered it walked (shop, status): every Member.
    .orderBy(asc(customers.id))
    .limit(1);
  return row !== undefined;
}

/**
 * Stamps the customers within `scope` whom the program joins automatically and who carry no date yet, each with
 * automaticJoinedAt from `since`, one UPDATE per distinct date (most Members share `since`). Answers how many.
 */
async function stampAutomaticJoiners(ctx: ServiceContext, tx: Tx, since: string, scope: SQL): Promise<number> {
  const rows = await tx
    .select({ id: customers.id, memberSince: customers.memberSince })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), scope, automaticJoinerNotJoined))
    .orderBy(asc(customers.id));
  const byDate = new Map<string, number[]>();
  for (const row of rows) {
    const at = automaticJoinedAt({ memberSince: row.memberSince, automaticSince: since, now: ctx.now });
    byDate.set(at, [...(byDate.get(at) ?? []), row.id]);
  }
  for (const [at, ids] of byDate) {
    await tx
      .update(customers)
      .set({ referralJoinedAt: at })
      .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids), isNull(customers.referralJoinedAt)));
  }
  return rows.length;
}

/**
 * Staff unblocked these customers, in the caller's transaction: those the program joins automatically and who carry
 * no date yet are in the referral program from now on (a Member blocked when joining became automatic was left out).
 */
export async function joinUnblockedMembers({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerIds: readonly number[] };
}): Promise<void> {
  if (input.customerIds.length === 0) return;
  const since = await findAutomaticJoiningSince({ ctx, tx });
  if (since === null) return;
  await stampAutomaticJoiners(ctx, tx, since, inArray(customers.id, [...input.customerIds]));
}

/**
 * The sweep's chunk, in the caller's transaction: stamps the customers with ids in (afterId, throughId] whom the
 * program joins automatically and who carry no date yet (stampAutomaticJoiners). Stops (answers `stale`) when the
 * program no longer joins automatically since `since`: a later start has its own sweep. Answers how many it stamped.
 */
export async function joinReferralMembersInRange({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { afterId: number; throughId: number; since: string };
}): Promise<{ joined: number; stale: boolean }> {
  if ((await findAutomaticJoiningSince({ ctx, tx })) !== input.since) return { joined: 0, stale: true };
  const range = and(gt(customers.id, input.afterId), lte(customers.id, input.throughId))!;
  return { joined: await stampAutomaticJoiners(ctx, tx, input.since, range), stale: false };
}
