/*
 * A customer's email marketing consent reaches Tally from several sources, each with its own time: the
 * customers_email_marketing_consent/update webhook (`consent_updated_at`, else when Shopify triggered it), and every
 * read of the customer record (install sync, Sync customers, reconciliation, the profile's Sync customer and Edit),
 * whose `defaultEmailAddress.marketingUpdatedAt` is null for a customer whose consent Shopify never dated (shopify.dev,
 * CustomerEmailAddress). Since 2025-01 customer webhooks carry no consent at all. Webhooks arrive at least once and out
 * of order, and a bulk read is a snapshot of some earlier moment, so the rule is on dates, not on arrival:
 *
 * - a dated word replaces a held one dated at or before it, or an undated one;
 * - an undated word only replaces another undated word (or fills a blank): it never overwrites a dated fact.
 */

/**
 * One word about a customer's email marketing consent: its state, one of Shopify's CustomerEmailAddressMarketingState
 * values in upper case (SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, INVALID), and when Shopify says it took
 * effect (ISO 8601).
 */
export interface EmailConsent {
  state: string;
  /** Null when the source gives no date of its own (an undated snapshot). */
  updatedAt: string | null;
}

/**
 * Whether `incoming` replaces what Tally holds (`held`, null when nothing is known yet), by the rule above. Equal dates
 * replace: the same instant read again says the same, and a later delivery of that instant is no older.
 */
export function isNewerEmailConsent(
  held: { state: string | null; updatedAt: string | null } | null,
  incoming: EmailConsent,
): boolean {
  if (held === null || held.state === null) return true;
  if (incoming.updatedAt === null) return held.updatedAt === null;
  if (held.updatedAt === null) return true;
  return Date.parse(incoming.updatedAt) >= Date.parse(held.updatedAt);
}
