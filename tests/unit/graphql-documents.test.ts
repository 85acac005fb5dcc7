import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchema } from "../sandbox/graphql/schema";

// The real Admin API 2026-10 schema, as Shopify ships it (vendor/shopify/README.md).
const schema = adminSchema("2026-10");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

/** Every `#graphql`-tagged template literal in app/, with where it stands. */
const documents = sourceFiles("app").flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/`(#graphql[\s\S]*?)`/g)].map((match) => ({
    where: `${file}: ${/(query|mutation)\s+(\w+)/.exec(match[1]!)?.[2] ?? "anonymous"}`,
    source: match[1]!,
  })),
);

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
