import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { protectedFields, type ProtectedField } from "~/domain/shared";
import { withoutWithheldFields } from "~/shopify/admin/protected-data";
import { appGraphqlDocuments } from "../helpers/app-graphql-documents";
import { adminSchema } from "../sandbox/graphql/schema";

const schema = adminSchema("2026-10");
const bulkDocuments = appGraphqlDocuments().filter(({ where }) => /TallyBulk(Customers|Orders)$/.test(where));
const subsets: ProtectedField[][] = protectedFields.reduce<ProtectedField[][]>(
  (all, field) => [...all, ...all.map((subset) => [...subset, field])],
  [[]],
);
const fieldNames: Record<ProtectedField, RegExp> = {
  name: /\b(firstName|lastName)\b/,
  email: /\bdefaultEmailAddress\b|\bemailAddress\b/,
  phone: /\bdefaultPhoneNumber\b|\bphoneNumber\b/,
  address: /\bdefaultAddress\b|\bcountryCodeV2\b/,
};

// A bulk operation that asks for a withheld field fails whole, so the install sync leaves them out of its queries:
// every combination of withheld fields must still leave a valid query on the real schema, without those fields.
describe("bulk queries without withheld protected fields", () => {
  it("finds the install sync's bulk queries", () => {
    expect(bulkDocuments.map(({ where }) => where.split(": ")[1])).toEqual(["TallyBulkCustomers", "TallyBulkOrders"]);
  });

  it.each(subsets.map((subset) => [subset.join(", ") || "nothing", subset] as const))(
    "withholding %s leaves valid queries that ask for none of it",
    (_name, withheld) => {
      for (const { source } of bulkDocuments) {
        const query = withoutWithheldFields(source, withheld);
        expect(validate(schema, parse(query)).map((error) => error.message)).toEqual([]);
        for (const field of withheld) expect(query).not.toMatch(fieldNames[field]);
        for (const field of protectedFields.filter((each) => !withheld.includes(each))) {
          if (fieldNames[field].test(source)) expect(query).toMatch(fieldNames[field]);
        }
      }
    },
  );
});
