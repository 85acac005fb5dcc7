import type { CustomerQuery } from "../customers/customer-query";
import { formatMinor, type CurrencyCode } from "../shared/money";

/*
 * The directory's search and filters as a Shopify customer segment query (decision 032), so "Save as group" makes a
 * segment Shopify keeps up to date by itself. Shopify's segment language
 * (shopify.dev/docs/api/shopifyql/segment-query-language-reference and the help centre's "Shopify-based customer
 * segment filters") knows the customer's own figures: orders, amount spent, tags, email consent, account state,
 * countries, date added. It knows nothing of Tally's: points, the loyalty block, referrals, idle balances, abandoned
 * checkouts as Tally counts them, and it has no free-text search. A query that holds any of those is refused whole,
 * each filter named with its reason, rather than saved as a segment that would silently select someone else.
 */

/** A filter of the directory Shopify's segment language cannot say, in the merchant's words. */
export interface UnexpressibleFilter {
  /** The filter as the directory names it ("Points", "Search"). */
  filter: string;
  reason: string;
}

export type SegmentTranslation =
  | {
      ok: true;
      /** The segment query, clauses joined by AND ("number_of_orders >= 3 AND customer_tags CONTAINS 'vip'"). */
      query: string;
    }
  | { ok: false; unexpressible: UnexpressibleFilter[] };

const TALLY_ONLY = "Tally keeps it, Shopify's segments cannot filter on it";

/** A string literal of the segment language: single quotes, a backslash before a quote or a backslash. */
export function segmentString(text: string): string {
  return `'${text.replace(/[\\']/g, (character) => `\\${character}`)}'`;
}

const anyOf = (clauses: string[]) => (clauses.length === 1 ? clauses[0]! : `(${clauses.join(" OR ")})`);

function rangeClauses(attribute: string, range: { min?: number | string; max?: number | string }): string[] {
  if (range.min !== undefined && range.max !== undefined) {
    return range.min === range.max
      ? [`${attribute} = ${range.min}`]
      : [`${attribute} BETWEEN ${range.min} AND ${range.max}`];
  }
  if (range.min !== undefined) return [`${attribute} >= ${range.min}`];
  if (range.max !== undefined) return [`${attribute} <= ${range.max}`];
  return [];
}

/**
 * The segment query selecting the customers `query` selects, or every filter that stops it. Amounts are in minor
 * units of `currency` (the shop's, which is what Shopify's `amount_spent` counts in) and written as decimals; dates
 * are whole days, as both the directory and Shopify read them (Shopify in the shop's time zone, the directory in
 * UTC: the edge of a day can differ by the shop's offset). Sort and tab "all" select nothing. A query with no filter
 * at all is refused: a group of every customer is the shop itself.
 */
export function segmentQueryOf(query: CustomerQuery, currency: CurrencyCode): SegmentTranslation {
  const clauses: string[] = [];
  const unexpressible: UnexpressibleFilter[] = [];
  const refuse = (filter: string, reason = TALLY_ONLY) => unexpressible.push({ filter, reason });
  const member = "customer_account_status = 'ENABLED'";
  const guest = "customer_account_status != 'ENABLED'";
  const paying = "amount_spent > 0";

  if (query.search)
    refuse("Search", "Shopify's segments have no free-text search: use filters, or tag these customers first");
  switch (query.tab) {
    case "members":
      clauses.push(member);
      break;
    case "guests":
      clauses.push(guest);
      break;
    case "paying":
      clauses.push(paying);
      break;
    case "opted-in":
      clauses.push("email_subscription_status = 'SUBSCRIBED'");
      break;
    case "non-converting":
      refuse("Non-converting", "Tally counts abandoned checkouts itself; Shopify's segments cannot match it");
      break;
    case "blocked":
      refuse("Blocked", TALLY_ONLY);
      break;
    case "all":
      break;
  }
  if (query.status === "member" && query.tab !== "members") clauses.push(member);
  if (query.status === "guest" && query.tab !== "guests") clauses.push(guest);
  if (query.type === "paying" && query.tab !== "paying") clauses.push(paying);
  if (query.type === "non-converting" && query.tab !== "non-converting")
    refuse("Non-converting", "Tally counts abandoned checkouts itself; Shopify's segments cannot match it");
  if (query.tags.length > 0)
    clauses.push(anyOf(query.tags.map((tag) => `customer_tags CONTAINS ${segmentString(tag)}`)));
  if (query.taxExempt !== undefined) refuse("Tax exempt", "Shopify's segments have no tax exemption filter");
  if (query.consent.length > 0)
    clauses.push(anyOf(query.consent.map((state) => `email_subscription_status = '${state}'`)));
  clauses.push(...rangeClauses("number_of_orders", query.orders));
  clauses.push(
    ...rangeClauses("amount_spent", {
      ...(query.spent.min !== undefined ? { min: formatMinor(query.spent.min, currency) } : {}),
      ...(query.spent.max !== undefined ? { max: formatMinor(query.spent.max, currency) } : {}),
    }),
  );
  if (query.points.min !== undefined || query.points.max !== undefined) refuse("Points");
  clauses.push(...rangeClauses("customer_added_date", { min: query.joined.from, max: query.joined.to }));
  if (query.countries.length > 0)
    clauses.push(anyOf(query.countries.map((country) => `customer_countries CONTAINS '${country}'`)));
  if (query.blocked !== undefined) refuse("Blocked");
  if (query.referralJoined !== undefined) refuse("Joined the referral program");
  if (query.hasReferrals !== undefined) refuse("Has successful referrals");
  if (query.idleDays !== undefined)
    refuse("Points activity", "Tally's ledger dates it; Shopify's segments cannot see it");

  const unique = unexpressible.filter((item, at) => unexpressible.findIndex((x) => x.filter === item.filter) === at);
  if (unique.length > 0) return { ok: false, unexpressible: unique };
  if (clauses.length === 0)
    return {
      ok: false,
      unexpressible: [
        { filter: "Filters", reason: "Choose at least one filter: a group of every customer is the shop" },
      ],
    };
  return { ok: true, query: [...new Set(clauses)].join(" AND ") };
}
