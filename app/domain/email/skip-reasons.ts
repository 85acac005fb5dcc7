import type { EmailKind } from "./outbox";

/**
 * Why a customer got no email (decision 021), as the outbox stores it: the referral side's reasons (who may be
 * invited), the points reminder's (who has points to spend), and the sender's own (Tally's unsubscribe list; the
 * customer redacted since it was queued).
 */
export const emailSkipReasons = [
  "unsubscribed",
  "program_off",
  "not_found",
  "no_email",
  "not_subscribed",
  "blocked",
  "merged",
  "deleted",
  "redacted",
  /** A points reminder to a customer with no points to spend. */
  "no_points",
  /** A points reminder, for customers who can redeem only, to a customer below the cheapest reward's cost. */
  "below_reward",
  /** A points reminder to a customer another press reminded in the last 7 days (REMINDER_QUIET_DAYS). */
  "reminded_recently",
] as const;
export type EmailSkipReason = (typeof emailSkipReasons)[number];

/**
 * Which reason a customer is shown when several hold, most important first (newcomer round 19: an unsubscribed
 * customer reminded 3 days ago read "Reminded of their points in the last 7 days", and the merchant expected her to
 * be reminded next week). No customer to email at all comes first; then consent, the customer's own lasting choice
 * (Tally's unsubscribe list, no address, Shopify's email marketing consent); then the merchant's own block and
 * program; then what changes by itself (a balance, the 7 quiet days).
 */
export const skipReasonPrecedence = [
  "not_found",
  "redacted",
  "deleted",
  "merged",
  "unsubscribed",
  "no_email",
  "not_subscribed",
  "blocked",
  "program_off",
  "no_points",
  "below_reward",
  "reminded_recently",
] as const satisfies readonly EmailSkipReason[];

/**
 * The reason to show of those that hold (falsy entries are ignored): the first of skipReasonPrecedence among them,
 * or null when none holds. Every path that skips a customer (who may get an email, Tally's unsubscribe list when
 * queued, the check again when sent) decides through it, so each email kind names the same reason.
 */
export function mostImportantSkipReason<Reason extends EmailSkipReason>(
  reasons: ReadonlyArray<Reason | null | undefined | false>,
): Reason | null {
  let best: Reason | null = null;
  for (const reason of reasons) {
    if (!reason) continue;
    if (best === null || skipReasonPrecedence.indexOf(reason) < skipReasonPrecedence.indexOf(best)) best = reason;
  }
  return best;
}

/** What a customer's own record says about emailing them, as Tally keeps it (the customers row's fields). */
export interface EmailableCustomer {
  redactedAt: string | null;
  deletedAt: string | null;
  mergedIntoId: number | null;
  blocked: boolean;
  email: string | null;
  /** Shopify's email marketing state ("SUBSCRIBED", "NOT_SUBSCRIBED", …). */
  emailMarketingState: string | null;
}

/**
 * The reasons a customer's own record gives not to email them, for mostImportantSkipReason beside an email kind's
 * own (the program off, points, the 7 quiet days): none found, erased, deleted, merged, blocked, no address, no
 * consent. Every kind that picks recipients asks the same questions of the record.
 */
export function customerSkipReasons(
  customer: EmailableCustomer | undefined,
): Array<"not_found" | "redacted" | "deleted" | "merged" | "blocked" | "no_email" | "not_subscribed" | false> {
  if (!customer) return ["not_found"];
  return [
    !!customer.redactedAt && "redacted",
    !!customer.deletedAt && "deleted",
    customer.mergedIntoId !== null && "merged",
    customer.blocked && "blocked",
    !customer.email && "no_email",
    customer.emailMarketingState !== "SUBSCRIBED" && "not_subscribed",
  ];
}

/** One table of the words, read by a bulk task's results and the profile's Emails card alike. */
const skipReasonWords: Record<EmailSkipReason, string> = {
  unsubscribed: "Unsubscribed from Tally's emails",
  program_off: "The referral program is off",
  not_found: "No longer in Tally",
  no_email: "No email address",
  not_subscribed: "Not subscribed to email marketing",
  blocked: "Blocked",
  merged: "Merged into another customer",
  deleted: "Deleted in Shopify",
  redacted: "Erased at the customer's request",
  no_points: "No points to spend",
  below_reward: "Not enough points for a reward",
  reminded_recently: "Reminded of their points in the last 7 days",
};

/** The reasons whose words depend on the email: the program that is off is the one that sends it. */
const wordsByKind: Record<string, Partial<Record<EmailSkipReason, string>> | undefined> = {
  invitation: {},
  points_reminder: { program_off: "The points program is off or offers no reward" },
};

export function isEmailSkipReason(reason: string | null | undefined): reason is EmailSkipReason {
  return reason !== null && reason !== undefined && (emailSkipReasons as readonly string[]).includes(reason);
}

/**
 * Why an email of `kind` (an EmailKind as the outbox row holds it; an invitation unless said) was not sent, in a
 * merchant's words: "Not subscribed to email marketing". "Not sent" for no reason or one this version does not know
 * (a row written by a newer one).
 */
export function describeSkipReason(reason: string | null, kind: EmailKind | string = "invitation"): string {
  if (!isEmailSkipReason(reason)) return "Not sent";
  return wordsByKind[kind]?.[reason] ?? skipReasonWords[reason];
}
