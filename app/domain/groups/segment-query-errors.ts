/*
 * Shopify's refusals of a segment query, in a merchant's words with Shopify's own detail kept (newcomer round 8,
 * finding 14: "Line 1 Column 0: 'tags' filter cannot be found." was all the form said). Shopify writes them
 * "Line L Column C: what" (ShopifyQL's segment editor; C counts from 0); the words say where once, counted as a person
 * counts (round 17 read "character 19" and "Column 18" as two places), then what, and for a filter name Shopify does
 * not know, the segment filter a merchant most likely meant (shopify.dev, "Segment query language reference":
 * customer_tags, number_of_orders, amount_spent, ...).
 */

/** Names merchants try, and Shopify's segment filter for each. */
const likelyFilters: Readonly<Record<string, string>> = {
  tag: "customer_tags",
  tags: "customer_tags",
  customer_tag: "customer_tags",
  orders: "number_of_orders",
  order_count: "number_of_orders",
  orders_count: "number_of_orders",
  spent: "amount_spent",
  total_spent: "amount_spent",
  country: "customer_countries",
  countries: "customer_countries",
  city: "customer_cities",
  email: "customer_email_domain",
  email_domain: "customer_email_domain",
  subscribed: "email_subscription_status",
  accepts_marketing: "email_subscription_status",
  created_at: "customer_added_date",
  joined: "customer_added_date",
  last_order: "last_order_date",
  language: "customer_language",
};

/**
 * One of Shopify's segment query errors in words: where ("at the start", "at character 12"), then what in Shopify's
 * own words ("'>=' is not a valid value for 'number_of_orders'"), or for an unknown filter its name and the one a
 * merchant likely meant. A message not of that form is kept as Shopify wrote it, after "Shopify could not use this
 * query:".
 */
export function segmentQueryErrorWords(message: string): string {
  const parsed = /^Line (\d+) Column (\d+): (.*)$/s.exec(message.trim());
  if (!parsed) return `Shopify could not use this query: ${message}`;
  const [, line, column, what] = parsed;
  const where =
    Number(column) === 0
      ? Number(line) === 1
        ? "at the start"
        : `at the start of line ${line}`
      : `at character ${Number(column) + 1}${Number(line) > 1 ? ` of line ${line}` : ""}`;
  const unknown = /^'([^']*)' filter cannot be found\.?$/.exec(what!.trim());
  if (unknown) {
    const name = unknown[1]!;
    const likely = likelyFilters[name.toLowerCase()];
    const hint = likely
      ? ` Did you mean ${likely}?`
      : " Segment filters have Shopify's own names, such as customer_tags, number_of_orders and amount_spent.";
    return `Shopify's segments have no filter called "${name}" (${where} of the query).${hint}`;
  }
  return `Shopify could not read the query ${where}: ${what!.trim().replace(/\.$/, "")}.`;
}

/**
 * Shopify's refusal of a segment name another segment has ("Name has already been taken", segmentCreate and
 * segmentUpdate's `name`) said with the name and what to do: "A group or Shopify segment named “VIP” already exists.
 * Choose another name." A group is a segment, and the one that has the name may be a segment made in Shopify admin.
 * Any other message is kept as Shopify wrote it.
 */
export function segmentNameErrorWords(message: string, name: string): string {
  if (!/already (been )?taken|already exists/i.test(message)) return message;
  return `A group or Shopify segment named \u201c${name}\u201d already exists. Choose another name.`;
}
