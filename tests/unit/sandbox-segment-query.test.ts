import { describe, expect, it } from "vitest";
import { matchesSegment, parseSegmentQuery, SegmentQueryError, type SegmentFacts } from "../sandbox/segment-query";

const NOW = Date.parse("2026-06-15T12:00:00Z");

const facts = (overrides: Partial<SegmentFacts> = {}): SegmentFacts => ({
  amountSpent: 120.5,
  numberOfOrders: 3,
  tags: ["VIP", "newsletter"],
  emailSubscriptionStatus: "SUBSCRIBED",
  smsSubscriptionStatus: "NOT_SUBSCRIBED",
  accountStatus: "ENABLED",
  emailDomain: "example.com",
  countries: ["CA"],
  addedAt: "2026-06-01T09:00:00Z",
  firstOrderAt: () => "2026-01-10T10:00:00Z",
  lastOrderAt: () => "2026-06-14T10:00:00Z",
  ...overrides,
});

const matches = (query: string, overrides: Partial<SegmentFacts> = {}) =>
  matchesSegment(parseSegmentQuery(query), facts(overrides), NOW);

describe("the sandbox's segment query language", () => {
  it("reads each kind of attribute with the operators it takes", () => {
    expect(matches("customer_tags CONTAINS 'vip'")).toBe(true);
    expect(matches("customer_tags NOT CONTAINS 'vip'")).toBe(false);
    expect(matches("number_of_orders >= 3")).toBe(true);
    expect(matches("number_of_orders > 3")).toBe(false);
    expect(matches("number_of_orders BETWEEN 1 AND 3")).toBe(true);
    expect(matches("amount_spent >= 100")).toBe(true);
    expect(matches("amount_spent < 120.5")).toBe(false);
    expect(matches("email_subscription_status = 'SUBSCRIBED'")).toBe(true);
    expect(matches("sms_subscription_status != 'SUBSCRIBED'")).toBe(true);
    expect(matches("customer_account_status = 'enabled'")).toBe(true);
    expect(matches("customer_email_domain = 'EXAMPLE.com'")).toBe(true);
    expect(matches("customer_countries CONTAINS 'CA'")).toBe(true);
  });

  it("compares dates by day, absolute or relative to today, and tells a customer without orders apart", () => {
    expect(matches("customer_added_date > -30d")).toBe(true);
    expect(matches("customer_added_date > -7d")).toBe(false);
    expect(matches("customer_added_date = 2026-06-01")).toBe(true);
    expect(matches("last_order_date = yesterday")).toBe(true);
    expect(matches("first_order_date BETWEEN 2026-01-01 AND 2026-01-31")).toBe(true);
    expect(matches("last_order_date IS NULL")).toBe(false);
    expect(matches("last_order_date IS NULL", { lastOrderAt: () => null })).toBe(true);
    expect(matches("last_order_date > -1y", { lastOrderAt: () => null })).toBe(false);
  });

  it("reads dates as whole days of the shop's time zone, as Shopify's help says", () => {
    // 21:00 on Nov 27 in Toronto is already Nov 28 in UTC.
    const lateEvening = facts({ addedAt: "2026-11-28T02:00:00Z" });
    const inToronto = (query: string, now = NOW) =>
      matchesSegment(parseSegmentQuery(query), lateEvening, now, "America/Toronto");
    expect(inToronto("customer_added_date = 2026-11-27")).toBe(true);
    expect(inToronto("customer_added_date >= 2026-11-28")).toBe(false);
    expect(matchesSegment(parseSegmentQuery("customer_added_date >= 2026-11-28"), lateEvening, NOW)).toBe(true);
    // "today" is the shop's: 04:00 UTC on Nov 28 is still 23:00 on Nov 27 in Toronto.
    expect(inToronto("customer_added_date = today", Date.parse("2026-11-28T04:00:00Z"))).toBe(true);
  });

  it("joins clauses with AND before OR, and parentheses group", () => {
    expect(matches("number_of_orders = 0 OR customer_tags CONTAINS 'vip' AND amount_spent > 1000")).toBe(false);
    expect(matches("(number_of_orders = 0 OR customer_tags CONTAINS 'vip') AND amount_spent > 100")).toBe(true);
    expect(matches("number_of_orders = 0 AND amount_spent > 100 OR customer_countries CONTAINS 'CA'")).toBe(true);
  });

  it("refuses what it cannot judge, naming the line and column as Shopify does", () => {
    const refusal = (query: string) => {
      try {
        parseSegmentQuery(query);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(SegmentQueryError);
        return (error as Error).message;
      }
    };
    expect(refusal("loyalty_tier = 'gold'")).toBe("Line 1 Column 0: 'loyalty_tier' filter cannot be found.");
    expect(refusal("number_of_orders CONTAINS 3")).toBe(
      "Line 1 Column 17: 'CONTAINS' is not a valid operator for 'number_of_orders'.",
    );
    expect(refusal("email_subscription_status = 'MAYBE'")).toBe(
      "Line 1 Column 28: 'MAYBE' is not a valid value for 'email_subscription_status'.",
    );
    expect(refusal("amount_spent >= 'lots'")).toBe("Line 1 Column 16: 'lots' is not a valid value for 'amount_spent'.");
    expect(refusal("(number_of_orders > 1")).toMatch(/^Line 1 Column \d+: '\)' is expected$/);
    expect(refusal("number_of_orders > 1 number_of_orders < 5")).toBe(
      "Line 1 Column 21: unexpected 'number_of_orders'",
    );
    expect(refusal("   ")).toBe("Query can't be blank");
  });
});
