import { describe, expect, it } from "vitest";
import { segmentQueryErrorWords } from "~/domain/groups";

describe("Shopify's refusal of a segment query, in words", () => {
  it("says where once, counted from 1, and what in Shopify's own words", () => {
    const words = segmentQueryErrorWords("Line 1 Column 18: '>=' is not a valid value for 'number_of_orders'.");
    expect(words).toBe(
      "Shopify could not read the query at character 19: '>=' is not a valid value for 'number_of_orders'.",
    );
    expect(words).not.toMatch(/Column|Line 1/);
    expect(segmentQueryErrorWords("Line 2 Column 4: unexpected 'AND'")).toBe(
      "Shopify could not read the query at character 5 of line 2: unexpected 'AND'.",
    );
  });

  it("names an unknown filter and the one a merchant likely meant, with no second position", () => {
    expect(segmentQueryErrorWords("Line 1 Column 0: 'tags' filter cannot be found.")).toBe(
      'Shopify\'s segments have no filter called "tags" (at the start of the query). Did you mean customer_tags?',
    );
    expect(segmentQueryErrorWords("Line 3 Column 0: 'loyalty_tier' filter cannot be found.")).toBe(
      "Shopify's segments have no filter called \"loyalty_tier\" (at the start of line 3 of the query). Segment filters have Shopify's own names, such as customer_tags, number_of_orders and amount_spent.",
    );
  });

  it("keeps a message of another form as Shopify wrote it", () => {
    expect(segmentQueryErrorWords("Query can't be blank")).toBe(
      "Shopify could not use this query: Query can't be blank",
    );
  });
});
