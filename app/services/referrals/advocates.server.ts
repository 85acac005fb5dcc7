import { randomBytes } from "node:crypto";
import { and, asc, count, eq, isNotNull, notInArray, sql } from "drizzle-orm";
import {
  automaticJoinedAt,
  generateUnique,
  newAdvocateCode,
  refusedClaimStatuses,
  type RandomBytes,
  type ReferralProgram,
} from "~/domain/referrals";
import { DomainError, statusFromShopifyState, type ShopifyCustomerState } from "~/domain/shared";
import { customers, referralAdvocates, referrals } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { getReferralProgram } from "./referral-program.server";
import { findAutomaticJoiningSince } from "./referral-joining.server";

export type AdvocateRow = typeof referralAdvocates.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;

/** How a customer came to have a code: automatically as a Member, from the widget, an invitation, or staff. */
export type JoinedVia = "automatic" | "widget" | "invitation" | "staff";

/** Where the shop's app proxy lives, unless the request said otherwise (Shopify's signed `path_prefix`). */
export const DEFAULT_PROXY_PATH = "/apps/tally";

export const cryptoRandom: RandomBytes = (count) => new Uint8Array(randomBytes(count));

/**
 * The advocate's link: `https://{shop}/apps/tally/r/{code}` (Shopify sends the myshopify domain on to the primary), or
 * under `root`, the storefront in the customer's language ("https://example.com/fr", storefrontRootFor), for emails.
 */
export function referralUrl(
  shop: string,
  code: string,
  proxyPath = DEFAULT_PROXY_PATH,
  root = `https://${shop}`,
): string {
  return `${root}${proxyPath}/r/${code}`;
}

/**
 * The store's rewards page, `https://{shop}/apps/tally/`: the panel, where a signed-in customer redeems and shares; under
 * `root` as referralUrl.
 */
export function rewardsPageUrl(shop: string, proxyPath = DEFAULT_PROXY_PATH, root = `https://${shop}`): string {
  return `${root}${proxyPath}/`;
}

/** The customer's own code, or the first one a merge brought them; undefined when they never joined. */
export async function findAdvocate({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { customerId: number };
}): Promise<AdvocateRow | undefined> {
  const rows = await (tx ?? ctx.db)
    .select()
    .from(referralAdvocates)
    .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.customerId, input.customerId)))
    .orderBy(asc(referralAdvocates.id))
    .limit(5);
  return rows.find((row) => row.mergedFromCustomerId === null) ?? rows[0];
}

/** The advocate a code in a link belongs to (codes arrive normalized: `normalizeAdvocateCode`). */
export async function findAdvocateByCode({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { code: string };
}): Promise<AdvocateRow | undefined> {
  const [row] = await (tx ?? ctx.db)
    .select()
    .from(referralAdvocates)
    .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.code, input.code)));
  return row;
}

/** Why this customer may not join, in the storefront's words, or null. */
function refusal(customer: CustomerRow): DomainError | null {
  if (customer.blocked) return new DomainError("blocked", "Your account can't refer friends at this store");
  if (customer.mergedIntoId !== null) {
    return new DomainError("conflict", "This account was merged into another; log in to that one to refer friends");
  }
  return null;
}

/**
 * Gives the customer their code, in the caller's transaction: idempotent (a customer who joined keeps their code,
 * however many times they or the widget ask). Codes are drawn until one is free (the unique index decides). Stamps
 * the customer's `referral_joined_at` in the same transaction, with `joinedAt` (ISO 8601) when given (an automatic
 * join dates from when the customer became an advocate: automaticJoinedAt), else now.
 */
export async function joinInTransaction({
  ctx,
  tx,
  input,
  random = cryptoRandom,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customer: CustomerRow; via: JoinedVia; joinedAt?: string };
  random?: RandomBytes;
}): Promise<AdvocateRow> {
  // The customer's row is locked first, as every other writer of it takes it (a customers/update webhook that makes
  // them a Member and joins them automatically): inserting the advocate first deadlocked on PostgreSQL against such a
  // webhook, each waiting for the other's lock. Once it is held, an advocate another transaction made is committed and
  // found below, never inserted twice. A no-op on SQLite, whose writers already take turns.
  await tx
    .update(customers)
    .set({ referralJoinedAt: sql`${customers.referralJoinedAt}` })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customer.id)));
  const existing = await findAdvocate({ ctx, tx, input: { customerId: input.customer.id } });
  if (existing) return existing;
  const refused = refusal(input.customer);
  if (refused) throw refused;
  const now = input.joinedAt ?? ctx.now.toISOString();
  let row: AdvocateRow | undefined;
  await generateUnique(
    () => newAdvocateCode(random),
    async (code) => {
      [row] = await tx
        .insert(referralAdvocates)
        .values({
          shop: ctx.shop,
          customerId: input.customer.id,
          code,
          joinedVia: input.via,
          joinedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      return row !== undefined;
    },
  );
  // The directory's "joined the referral program" filter reads this (decision 019); a merge carries it over.
  await tx
    .update(customers)
    .set({ referralJoinedAt: now })
    .where(
      and(
        eq(customers.shop, ctx.shop),
        eq(customers.id, input.customer.id),
        sql`${customers.referralJoinedAt} is null`,
      ),
    );
  return row!;
}

/**
 * POST {proxy}/v1/referral/join, an invitation, or staff: the customer joins the referral program (idempotent). Throws
 * DomainError "not_found" (404) when the program is off, "blocked" (403) for a blocked customer.
 */
export async function joinReferralProgram({
  ctx,
  input,
  random,
}: {
  ctx: ServiceContext;
  input: { customerId: number; via: JoinedVia };
  random?: RandomBytes;
}): Promise<AdvocateRow> {
  return inTransaction(ctx, async (tx) => {
    const program = await getReferralProgram({ ctx, tx });
    if (!program.settings.enabled) throw new DomainError("not_found", "This store's referral program is off");
    const [customer] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
    if (!customer) throw new DomainError("not_found", "No such customer");
    return joinInTransaction({ ctx, tx, input: { customer, via: input.via }, random });
  });
}

/** Whether the program makes this customer an advocate without asking: a Member, not blocked, joining automatic. */
export function joinsAutomatically(program: ReferralProgram, customer: CustomerRow): boolean {
  return (
    program.settings.enabled &&
    program.settings.joining === "automatic" &&
    !customer.blocked &&
    customer.mergedIntoId === null &&
    customer.deletedAt === null &&
    statusFromShopifyState(customer.shopifyState as ShopifyCustomerState) === "member"
  );
}

export interface AdvocateSummary {
  status: "joined" | "not_joined";
  code: string | null;
  url: string | null;
  /** Friends who claimed an offer through the customer's links (every status but a refused own-link claim). */
  referees: number;
  /** Referrals Completed. */
  successful: number;
  paused: boolean;
}

/**
 * The customer's place in the referral program, for the widget and the profile. With joining automatic a Member who
 * has no code yet gets one now (codes are made when first needed, not for a million customers at install).
 */
export async function getAdvocateSummary({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; proxyPath?: string };
}): Promise<AdvocateSummary> {
  let advocate = await findAdvocate({ ctx, input: { customerId: input.customerId } });
  if (!advocate) {
    const program = await getReferralProgram({ ctx });
    const [customer] = await ctx.db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
    if (customer && joinsAutomatically(program, customer)) {
      // The row says since when they are in the program (stamped when they became a Member); the code agrees.
      const joinedAt =
        customer.referralJoinedAt ??
        automaticJoinedAt({
          memberSince: customer.memberSince,
          automaticSince: await findAutomaticJoiningSince({ ctx }),
          now: ctx.now,
        });
      advocate = await inTransaction(ctx, (tx) =>
        joinInTransaction({ ctx, tx, input: { customer, via: "automatic", joinedAt } }),
      );
    }
  }
  if (!advocate) return { status: "not_joined", code: null, url: null, referees: 0, successful: 0, paused: false };
  const [referees] = await ctx.db
    .select({ n: count() })
    .from(referrals)
    // A refused claim (the customer's own link, an existing customer's try) brought no friend (lifecycle.ts).
    .where(
      and(
        eq(referrals.shop, ctx.shop),
        eq(referrals.advocateCustomerId, input.customerId),
        notInArray(referrals.status, [...refusedClaimStatuses]),
      ),
    );
  const [figures] = await ctx.db
    .select({ successful: customers.successfulReferrals })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  return {
    status: "joined",
    code: advocate.code,
    url: referralUrl(ctx.shop, advocate.code, input.proxyPath),
    referees: referees?.n ?? 0,
    successful: figures?.successful ?? 0,
    paused: advocate.pausedAt !== null,
  };
}

/** Staff resume a code a burst of claims paused, audited (`referral.resume_code`). */
export async function resumeAdvocateCode({ ctx, input }: { ctx: ServiceContext; input: { advocateId: number } }) {
  const updated = await inTransaction(ctx, async (tx) => {
    const [before] = await tx
      .select({ pausedReason: referralAdvocates.pausedReason })
      .from(referralAdvocates)
      .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.id, input.advocateId)));
    const rows = await tx
      .update(referralAdvocates)
      .set({ pausedAt: null, pausedReason: null, resumedAt: ctx.now.toISOString() })
      .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.id, input.advocateId)))
      .returning({ id: referralAdvocates.id, code: referralAdvocates.code, customerId: referralAdvocates.customerId });
    const row = rows[0];
    if (row) {
      await recordAudit({
        ctx,
        tx,
        input: {
          action: "referral.resume_code",
          subject: `Referral code ${row.code}`,
          customerId: row.customerId,
          before: { paused: true, reason: before?.pausedReason ?? null },
          after: { paused: false },
        },
      });
    }
    return rows;
  });
  if (updated.length === 0) throw new DomainError("not_found", "No such referral code");
}

/** Paused codes for the review queue, with whose they are. */
export async function listPausedCodes({ ctx }: { ctx: ServiceContext }) {
  return ctx.db
    .select({
      advocateId: referralAdvocates.id,
      code: referralAdvocates.code,
      pausedAt: referralAdvocates.pausedAt,
      pausedReason: referralAdvocates.pausedReason,
      customerId: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
    })
    .from(referralAdvocates)
    .innerJoin(customers, eq(customers.id, referralAdvocates.customerId))
    .where(and(eq(referralAdvocates.shop, ctx.shop), isNotNull(referralAdvocates.pausedAt)))
    .orderBy(asc(referralAdvocates.id))
    .limit(100);
}
