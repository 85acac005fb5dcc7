import { and, eq, inArray } from "drizzle-orm";
import { customerSkipReasons, mostImportantSkipReason } from "~/domain/email";
import { DomainError } from "~/domain/shared";
import { customers, shops } from "~/db/schema";
import type { ServiceContext } from "../context";
import { referralRewardWords } from "../email/reward-words.server";
import { findCustomerStorefrontRoot } from "../shops/customer-storefront-root.server";
import { joinReferralProgram, referralUrl, rewardsPageUrl } from "./advocates.server";
import { getReferralProgram } from "./referral-program.server";

/*
 * The seam for referral invitations by email (issue 9's "Invite"; the sending, templates, unsubscribe links and the
 * queue are built on the background-task runner). Two calls:
 *
 * 1. `listInvitationRecipients` when staff select customers in the directory and press Send invitation: who would be
 *    invited, and for everyone skipped, why (counted in the result). Read only; nothing is joined yet.
 * 2. `prepareInvitation` for each recipient, in the task that sends: joins the customer (idempotent, `invitation`)
 *    and gives what the email shows: first name, link, code and the rewards in words.
 *
 * Tally's own unsubscribe list belongs to the sender: a customer who unsubscribed from Tally's emails is skipped by
 * it, on top of `mayEmail` here.
 */

export type InvitationSkipReason =
  "program_off" | "not_found" | "no_email" | "not_subscribed" | "blocked" | "merged" | "deleted" | "redacted";

export interface InvitationRecipient {
  customerId: number;
  email: string | null;
  firstName: string | null;
  /** Only customers subscribed to email marketing in Shopify may be invited. */
  mayEmail: boolean;
  skipReason: InvitationSkipReason | null;
}

/** Who an invitation to these customers would reach, in the order asked, and why each other one is skipped. */
export async function listInvitationRecipients({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerIds: readonly number[] };
}): Promise<InvitationRecipient[]> {
  const program = await getReferralProgram({ ctx });
  const ids = [...new Set(input.customerIds)];
  const rows = [];
  for (let at = 0; at < ids.length; at += 500) {
    rows.push(
      ...(await ctx.db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids.slice(at, at + 500))))),
    );
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  return input.customerIds.map((customerId) => {
    const row = byId.get(customerId);
    const skip = (skipReason: InvitationSkipReason): InvitationRecipient => ({
      customerId,
      email: row?.email ?? null,
      firstName: row?.firstName ?? null,
      mayEmail: false,
      skipReason,
    });
    const reason = mostImportantSkipReason<InvitationSkipReason>([
      !program.settings.enabled && "program_off",
      ...customerSkipReasons(row),
    ]);
    if (reason || !row) return skip(reason ?? "not_found");
    return { customerId, email: row.email, firstName: row.firstName, mayEmail: true, skipReason: null };
  });
}

export interface InvitationDetails {
  customerId: number;
  email: string;
  firstName: string | null;
  shopName: string;
  /**
   * The customer's code and link, made now if they had none (joined "invitation"), on the storefront in the
   * customer's language ("https://example.com/fr/apps/tally/r/{code}"; findCustomerStorefrontRoot).
   */
  code: string;
  url: string;
  /** The store's rewards page, where the customer signed in shares the link: the email's button; in their language. */
  rewardsUrl: string;
  /**
   * "10% off their first order of $20.00 CAD or more": what their friends get, in the shop's money format; in the
   * email's language when Tally has its words ("10 % de réduction sur leur première commande de 20,00 $CA ou plus").
   */
  friendOffer: string;
  /** "500 stars ⭐": what the customer gets for each friend's first order, in the program's points names. */
  advocateReward: string;
  /** The program's plural points name ("stars ⭐"). */
  pointsName: string;
}

/**
 * What one invitation email says, joining the customer first (idempotent), its rewards worded in `language`, the
 * language of the template it fills ("fr"; referralRewardWords; absent, English). Throws DomainError "not_found" when
 * the program is off or the customer is unknown, "blocked" (403) for a blocked customer, "invalid_input" without an
 * email.
 */
export async function prepareInvitation({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; proxyPath?: string; language?: string };
}): Promise<InvitationDetails> {
  const advocate = await joinReferralProgram({ ctx, input: { customerId: input.customerId, via: "invitation" } });
  const [customer] = await ctx.db
    .select({ email: customers.email, firstName: customers.firstName })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (!customer?.email) throw new DomainError("invalid_input", "This customer has no email address");
  const [shop] = await ctx.db.select({ name: shops.name }).from(shops).where(eq(shops.shop, ctx.shop));
  const root = await findCustomerStorefrontRoot({ ctx, input: { customerId: input.customerId } });
  return {
    customerId: input.customerId,
    email: customer.email,
    firstName: customer.firstName,
    shopName: shop?.name ?? ctx.shop.replace(/\.myshopify\.com$/, ""),
    code: advocate.code,
    url: referralUrl(ctx.shop, advocate.code, input.proxyPath, root),
    rewardsUrl: rewardsPageUrl(ctx.shop, input.proxyPath, root),
    ...(await referralRewardWords({ ctx, input: input.language ? { language: input.language } : {} })),
  };
}
