import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { GROUPS_PER_COUNT_REQUEST, groupCountsDocument } from "~/shopify/admin/customer-groups.server";
import { appGraphqlDocuments } from "../helpers/app-graphql-documents";
import { estimateCost } from "../sandbox/graphql/admin-api";
import { adminSchema } from "../sandbox/graphql/schema";

// The real Admin API 2026-10 schema, as Shopify ships it (vendor/shopify/README.md).
const schema = adminSchema("2026-10");
const documents = appGraphqlDocuments();

describe("Admin GraphQL documents", () => {
  it("finds the app's operations", () => {
    expect(documents.length).toBeGreaterThanOrEqual(7);
  });

  it.each(documents.map((doc) => [doc.where, doc.source]))(
    "%s is valid on the real 2026-10 schema",
    (_where, source) => {
      const errors = validate(schema, parse(source)).map((error) => error.message);
      expect(errors).toEqual([]);
    },
  );

  it("the groups' count document, built at run time, is valid for any mix of counted and uncounted groups, and 100 groups stay under Shopify's single-query cost of 1,000", () => {
    for (const counted of [[true], [true, false, true], [false]]) {
      const errors = validate(schema, parse(groupCountsDocument(counted))).map((error) => error.message);
      expect(errors).toEqual([]);
    }
    const full = Array<boolean>(GROUPS_PER_COUNT_REQUEST).fill(true);
    const variables = Object.fromEntries(full.map((_, i) => [`s${i}`, `gid://shopify/Segment/${i + 1}`]));
    expect(estimateCost(schema, parse(groupCountsDocument(full)), variables)).toBeLessThanOrEqual(1000);
  });

  it("would catch a field the schema does not have", () => {
    const errors = validate(schema, parse("query { shop { name loyaltyPoints } }"));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("loyaltyPoints")]);
  });
});
