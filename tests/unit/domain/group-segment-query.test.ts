import { describe, expect, it } from "vitest";
import { emptyCustomerQuery, storedCustomerQuerySchema, type CustomerQuery } from "~/domain/customers";
import { segmentQueryOf, segmentString } from "~/domain/groups";
import { parseSegmentQuery } from "../../sandbox/segment-query";

const query = (change: Partial<CustomerQuery>): CustomerQuery => ({ ...emptyCustomerQuery, ...change });

/**
 * One value for every filter a customer query holds. A filter added to CustomerQuery without a line here fails the
 * first test, so "Save as group" can never drop a new filter silently.
 */
const oneOfEach: { [Key in keyof CustomerQuery]-?: Partial<CustomerQuery> } = {
  search: { search: "rossi" },
  tab: { tab: "members" },
  status: { status: "guest" },
  type: { type: "paying" },
  tags: { tags: ["vip"] },
  taxExempt: { taxExempt: true },
  consent: { consent: ["SUBSCRIBED"] },
  orders: { orders: { min: 3 } },
  spent: { spent: { max: 10_050 } },
  points: { points: { min: 500 } },
  joined: { joined: { from: "2026-01-01" } },
  countries: { countries: ["FR"] },
  blocked: { blocked: false },
  referralJoined: { referralJoined: true },
  hasReferrals: { hasReferrals: true },
  idleDays: { idleDays: 30 },
  sort: { sort: "points-desc" },
};

describe("a directory query as a Shopify segment query", () => {
  it("answers for every filter the directory has: a clause Shopify's segments know, or a refusal naming it", () => {
    const schemaKeys = Object.keys((storedCustomerQuerySchema as unknown as { shape: object }).shape).sort();
    expect(Object.keys(oneOfEach).sort()).toEqual(schemaKeys);
    const base = query({ tags: ["base"] });
    for (const [key, change] of Object.entries(oneOfEach)) {
      const result = segmentQueryOf({ ...base, ...change, tags: [...base.tags, ...(change.tags ?? [])] }, "CAD");
      if (key === "sort") {
        expect(result, key).toEqual({ ok: true, query: "customer_tags CONTAINS 'base'" });
        continue;
      }
      if (result.ok) {
        expect(result.query, key).not.toBe("customer_tags CONTAINS 'base'");
        // Every query Tally emits is one the sandbox's copy of Shopify's language reads.
        expect(() => parseSegmentQuery(result.query), key).not.toThrow();
      } else {
        expect(result.unexpressible.length, key).toBe(1);
      }
    }
  });

  it("writes the issue's example as Shopify's documentation does", () => {
    expect(segmentQueryOf(query({ orders: { min: 3 }, spent: { min: 10_001 }, tags: ["vip"] }), "USD")).toEqual({
      ok: true,
      query: "customer_tags CONTAINS 'vip' AND number_of_orders >= 3 AND amount_spent >= 100.01",
    });
  });

  it("says ranges, lists and tabs with the segment language's own operators", () => {
    const translate = (change: Partial<CustomerQuery>) => {
      const result = segmentQueryOf(query(change), "JPY");
      return result.ok ? result.query : result.unexpressible;
    };
    expect(translate({ orders: { min: 1, max: 4 } })).toBe("number_of_orders BETWEEN 1 AND 4");
    expect(translate({ orders: { min: 2, max: 2 } })).toBe("number_of_orders = 2");
    // Yen has no minor unit: 1500 minor units are 1500 yen.
    expect(translate({ spent: { max: 1500 } })).toBe("amount_spent <= 1500");
    expect(translate({ tags: ["vip", "gold"] })).toBe(
      "(customer_tags CONTAINS 'vip' OR customer_tags CONTAINS 'gold')",
    );
    expect(translate({ consent: ["SUBSCRIBED", "PENDING"] })).toBe(
      "(email_subscription_status = 'SUBSCRIBED' OR email_subscription_status = 'PENDING')",
    );
    expect(translate({ countries: ["CA", "US"] })).toBe(
      "(customer_countries CONTAINS 'CA' OR customer_countries CONTAINS 'US')",
    );
    expect(translate({ joined: { from: "2026-01-01", to: "2026-03-31" } })).toBe(
      "customer_added_date BETWEEN 2026-01-01 AND 2026-03-31",
    );
    expect(translate({ tab: "members" })).toBe("customer_account_status = 'ENABLED'");
    expect(translate({ tab: "guests", status: "guest" })).toBe("customer_account_status != 'ENABLED'");
    expect(translate({ tab: "paying", type: "paying" })).toBe("amount_spent > 0");
    expect(translate({ tab: "opted-in" })).toBe("email_subscription_status = 'SUBSCRIBED'");
  });

  it("refuses Tally's own figures and free text, naming every one, and an unfiltered shop", () => {
    const result = segmentQueryOf(
      query({ search: "rossi", points: { min: 100 }, blocked: true, hasReferrals: true, tags: ["vip"] }),
      "CAD",
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.unexpressible.map((item) => item.filter)).toEqual([
      "Search",
      "Points",
      "Blocked",
      "Has successful referrals",
    ]);
    expect(segmentQueryOf(query({ tab: "blocked" }), "CAD")).toMatchObject({
      ok: false,
      unexpressible: [{ filter: "Blocked" }],
    });
    expect(segmentQueryOf(emptyCustomerQuery, "CAD")).toMatchObject({
      ok: false,
      unexpressible: [{ filter: "Filters" }],
    });
  });

  it("quotes a tag with a quote mark or a backslash so it reads back as typed", () => {
    const tag = "o'brien \\ club";
    const parsed = parseSegmentQuery(`customer_tags CONTAINS ${segmentString(tag)}`);
    expect(parsed).toMatchObject({ values: [{ text: tag }] });
  });
});
