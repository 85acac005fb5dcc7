import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { appGraphqlDocuments } from "../helpers/app-graphql-documents";
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

  it("would catch a field the schema does not have", () => {
    const errors = validate(schema, parse("query { shop { name loyaltyPoints } }"));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("loyaltyPoints")]);
  });
});
