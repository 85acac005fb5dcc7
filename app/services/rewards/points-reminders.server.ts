import { and, eq, gte, inArray, lt, ne } from "drizzle-orm";
import type { CustomerSelection } from "~/domain/background-jobs";
import { cheapestRewardCost } from "~/domain/customers";
import {
  customerSkipReasons,
  emailPointsWords,
  mostImportantSkipReason,
  renderPointsReminder,
  type RenderedEmail,
} from "~/domain/email";
import { customerAccountsKind, DomainError, guestAccountUrl } from "~/domain/shared";
import { customers, emailOutbox, shops } from "~/db/schema";
import type { ServiceContext } from "../context";
import {
  findPointsReminderNotice,
  type PointsReminderNotice,
  type StoredEmailTemplate,
} from "../email/email-templates.server";
import { cheapestRewardWords } from "../email/reward-words.server";
import { getProgram } from "../program/get-program.server";
import { rewardsPageUrl } from "../referrals/advocates.server";
import { findCustomerStorefrontRoot } from "../shops/customer-storefront-root.server";
import { countSelectedCustomers, countTickedCustomers } from "../customers/bulk-customers.server";
import { countMatchingCustomers } from "../customers/customer-query.server";

/*
 * The points reminder (issue 10, seed 000: "customers sitting on high balances are reminded of the ways to redeem"):
 * the two ports the outbox's one path takes (app/services/email/queue-emails.server.ts), as the referral program
 * gives its invitation's. The consent rules are the invitation's: only customers subscribed to email marketing in
 * Shopify, not blocked, merged, deleted or erased, and (checked by the outbox) not on Tally's unsubscribe list.
 */

export type PointsReminderSkipReason =
  | "program_off"
  | "not_found"
  | "no_email"
  | "not_subscribed"
  | "blocked"
  | "merged"
  | "deleted"
  | "redacted"
  | "no_points"
  | "below_reward"
  | "reminded_recently";

/**
 * A customer reminded of their points (queued or sent) within this many days is not reminded again by another press:
 * a merchant who sends reminders to a filtered list twice in a week (or a colleague does) would otherwise mail the
 * same people twice. Tally's rule, in decision 031.
 */
export const REMINDER_QUIET_DAYS = 7;

/**
 * Who a points reminder to these customers would reach, in the order asked, and why each other one is skipped:
 * "program_off" while the points program is off or offers no reward, "no_points" for a balance of 0 or less, with
 * `onlyRedeemable` "below_reward" for a balance under the cheapest reward's cost, "reminded_recently" for one whose
 * points reminder from another batch than `batch` was queued or sent in the last REMINDER_QUIET_DAYS, and the
 * invitation's consent reasons; of several, the most important (mostImportantSkipReason: consent before points and
 * recency). Read only.
 */
export async function listPointsReminderRecipients({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerIds: readonly number[]; onlyRedeemable?: boolean; batch?: string };
}): Promise<Array<{ customerId: number; mayEmail: boolean; skipReason: PointsReminderSkipReason | null }>> {
  const program = await getProgram({ ctx });
  const open = program.settings.enabled && program.settings.redeemOptions.length > 0;
  const lowest = input.onlyRedeemable ? (cheapestRewardCost(program.settings.redeemOptions) ?? 0) : 0;
  const ids = [...new Set(input.customerIds)];
  const rows = [];
  for (let at = 0; at < ids.length; at += 500) {
    rows.push(
      ...(await ctx.db
        .select({
          id: customers.id,
          email: customers.email,
          blocked: customers.blocked,
          mergedIntoId: customers.mergedIntoId,
          deletedAt: customers.deletedAt,
          redactedAt: customers.redactedAt,
          emailMarketingState: customers.emailMarketingState,
          pointsBalance: customers.pointsBalance,
        })
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids.slice(at, at + 500))))),
    );
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  // Reminded by another press (another batch) in the last REMINDER_QUIET_DAYS: its email is queued, sending or sent.
  const since = new Date(ctx.now.getTime() - REMINDER_QUIET_DAYS * 86_400_000).toISOString();
  const reminded = new Set<number>();
  for (let at = 0; at < ids.length; at += 500) {
    const recent = await ctx.db
      .select({ customerId: emailOutbox.customerId })
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.shop, ctx.shop),
          inArray(emailOutbox.customerId, ids.slice(at, at + 500)),
          eq(emailOutbox.kind, "points_reminder"),
          inArray(emailOutbox.status, ["queued", "sending", "sent"]),
          gte(emailOutbox.createdAt, since),
          ...(input.batch !== undefined ? [ne(emailOutbox.batch, input.batch)] : []),
        ),
      );
    for (const row of recent) if (row.customerId !== null) reminded.add(row.customerId);
  }
  return input.customerIds.map((customerId) => {
    const row = byId.get(customerId);
    const skipReason = mostImportantSkipReason<PointsReminderSkipReason>([
      !open && "program_off",
      ...customerSkipReasons(row),
      row !== undefined && row.pointsBalance <= 0 && "no_points",
      row !== undefined && row.pointsBalance > 0 && row.pointsBalance < lowest && "below_reward",
      reminded.has(customerId) && "reminded_recently",
    ]);
    return { customerId, mayEmail: skipReason === null, skipReason };
  });
}

/**
 * What a points reminder to `selection` would leave out for want of points, for the directory's panel before staff
 * start it: the cheapest active reward's cost (null: the program offers no reward), how many of the selection are
 * selected (null: unknown, a count too large to give exactly) and how many of them have a balance under that cost.
 * Counted on the directory's indexes (a query selection is counted with its points range capped below the cost).
 * With them, the notice the shop's saved reminder calls for (findPointsReminderNotice: the cases it reads the same to
 * every customer; null when none), so staff hear it where they send, not only in Settings › Emails.
 */
export async function previewPointsReminder({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { selection: CustomerSelection };
}): Promise<{
  cheapestCost: number | null;
  selected: number | null;
  belowCheapest: number | null;
  templateNotice: PointsReminderNotice | null;
}> {
  const program = await getProgram({ ctx });
  const cost = cheapestRewardCost(program.settings.redeemOptions) ?? null;
  const selected = await countSelectedCustomers({ ctx, input });
  const templateNotice = await findPointsReminderNotice({ ctx });
  if (cost === null) return { cheapestCost: null, selected, belowCheapest: null, templateNotice };
  if ("ids" in input.selection) {
    const below = await countTickedCustomers({
      ctx,
      input: { ids: input.selection.ids, where: lt(customers.pointsBalance, cost) },
    });
    return { cheapestCost: cost, selected, belowCheapest: below, templateNotice };
  }
  const { query } = input.selection;
  const max = Math.min(query.points.max ?? cost - 1, cost - 1);
  const below =
    query.points.min !== undefined && query.points.min > max
      ? { count: 0, precision: "exact" as const }
      : await countMatchingCustomers({ ctx, input: { query: { ...query, points: { ...query.points, max } } } });
  return {
    cheapestCost: cost,
    selected,
    belowCheapest: below.precision === "exact" ? below.count : null,
    templateNotice,
  };
}

/**
 * One customer's points reminder rendered from `template`: the balance with the program's points name ("1,250
 * points"), the reward that costs fewest points in the shop's money format ("$5.00 CAD off for 500 points", decision
 * 041), both worded in `language`, the template's ("fr": "1 250 points", "5,00 $CA de réduction pour 500 points";
 * decision 059; absent, English), whether the balance pays for it and, when not, the points it still needs ("400 points"), whether the customer
 * is a Member (a Shopify customer account) or a Guest, the store's rewards page (the app proxy's,
 * https://{shop}/apps/tally/) and where a Guest makes an account and comes back to it, by the shop's kind of customer
 * accounts as last read (guestAccountUrl, decision 064: on classic accounts, or never read,
 * https://{shop}/account/register?return_url=%2Fapps%2Ftally%2F; on new customer accounts, or with sign-in off, the
 * rewards page) and whether the store offers accounts at all (`canCreateAccount`), both links on the storefront in the customer's
 * language ("https://example.com/fr/apps/tally/"; findCustomerStorefrontRoot, decision 051). Throws DomainError "not_found" for an
 * unknown customer, "invalid_input" for one without an email (the outbox counts both as skipped).
 */
export async function preparePointsReminder({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; template: StoredEmailTemplate; language?: string };
}): Promise<{ email: string; rendered: RenderedEmail }> {
  const [customer] = await ctx.db
    .select({
      email: customers.email,
      firstName: customers.firstName,
      pointsBalance: customers.pointsBalance,
      status: customers.status,
    })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (!customer) throw new DomainError("not_found", "No such customer");
  if (!customer.email) throw new DomainError("invalid_input", "This customer has no email address");
  const program = await getProgram({ ctx });
  const cost = cheapestRewardCost(program.settings.redeemOptions) ?? 0;
  const short = Math.max(0, cost - customer.pointsBalance);
  const [shop] = await ctx.db
    .select({
      name: shops.name,
      customerAccountsVersion: shops.customerAccountsVersion,
      loginLinksVisible: shops.loginLinksVisible,
    })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  const accounts = customerAccountsKind(shop?.customerAccountsVersion, shop?.loginLinksVisible);
  const root = await findCustomerStorefrontRoot({ ctx, input: { customerId: input.customerId } });
  const language = input.language ? { language: input.language } : {};
  const points = emailPointsWords(input.language, program.settings);
  const storefrontLink = rewardsPageUrl(ctx.shop, undefined, root);
  return {
    email: customer.email,
    rendered: renderPointsReminder(input.template.template, {
      shopName: shop?.name ?? ctx.shop.replace(/\.myshopify\.com$/, ""),
      firstName: customer.firstName,
      pointsBalance: points.points(customer.pointsBalance),
      pointsName: points.pointsName,
      cheapestReward: await cheapestRewardWords({ ctx, input: { program, ...language } }),
      storefrontLink,
      canRedeem: short === 0,
      pointsNeeded: short === 0 ? "" : points.points(short),
      hasAccount: customer.status === "member",
      registerLink: guestAccountUrl(accounts, root, storefrontLink),
      canCreateAccount: accounts !== "off",
    }),
  };
}
