import path from "node:path";
import { Kind, parse, type GraphQLEnumType, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { appGraphqlDocuments } from "../helpers/app-graphql-documents";
import { readAppConfig } from "../sandbox/app-config";
import { adminSchema } from "../sandbox/graphql/schema";

// App Store review checks that an app asks for the scopes it uses and no others. These tests derive what Tally needs
// from what it does (its Admin API operations, the webhook topics and app proxy in shopify.app.toml) and compare it
// with the scopes shopify.app.toml requests.

/**
 * The scopes each Admin API root field Tally calls needs, from its page in the GraphQL Admin reference
 * (shopify.dev/docs/api/admin-graphql/2026-10) and the access scopes list (shopify.dev/docs/api/usage/access-scopes).
 * The schema's introspection does not carry them; a root field missing here fails the first test.
 */
const ROOT_FIELD_SCOPES: Record<string, { needs: string[]; why: string }> = {
  "query customers": { needs: ["read_customers"], why: "customers query" },
  // Without read_all_orders Shopify returns only orders of the last 60 days: the install sync would miss the history.
  "query orders": { needs: ["read_orders", "read_all_orders"], why: "orders query; read_all_orders beyond 60 days" },
  "query order": { needs: ["read_orders"], why: "order query" },
  // Tally reads only a Refund's connections through node(id:), which need the refund's own scope, read_orders.
  "query node": {
    needs: ["read_orders", "read_discounts"],
    why: "node(id:) on a Refund, for its longer connections; on a group's discount, whether Shopify still has it",
  },
  "query customer": { needs: ["read_customers"], why: "customer query (Sync customer)" },
  "mutation customerUpdate": { needs: ["write_customers"], why: "customerUpdate (the profile's Edit)" },
  "mutation customerEmailMarketingConsentUpdate": {
    needs: ["write_customers"],
    why: "email consent (Edit, an imported row)",
  },
  "mutation customerSmsMarketingConsentUpdate": { needs: ["write_customers"], why: "SMS consent (Edit)" },
  "mutation customerDelete": { needs: ["write_customers"], why: "customerDelete" },
  "mutation customerRequestDataErasure": {
    needs: ["write_customer_data_erasure"],
    why: "erasing a customer Shopify keeps because they have orders",
  },
  "query shop": { needs: [], why: "any app may read its shop" },
  "query webPresences": {
    needs: ["read_markets"],
    why: "the online store's root URL per locale, where emails link to (MarketWebPresence: read_markets)",
  },
  "query bulkOperation": { needs: [], why: "an app reads its own bulk operations" },
  "query currentBulkOperation": { needs: [], why: "an app reads its own latest bulk operation" },
  "mutation bulkOperationRunQuery": { needs: [], why: "the bulk query's own fields need their scopes" },
  "query bulkOperations": { needs: [], why: "an app lists its own bulk operations (a lost bulk import's id)" },
  "mutation bulkOperationRunMutation": {
    needs: [],
    why: "the bulk mutation's own document needs its scopes (customerSet: write_customers)",
  },
  "mutation stagedUploadsCreate": {
    needs: [],
    why: "the schema names no scope for it; a BULK_MUTATION_VARIABLES target only carries the variables",
  },
  "mutation metafieldsSet": {
    needs: ["write_customers"],
    why: "write access to the owner: customers (points), and the app's own installation (no scope needed)",
  },
  // tagsAdd/tagsRemove need the write scope of the tagged resource's type: customers here.
  "mutation tagsAdd": { needs: ["write_customers"], why: "tagsAdd on a Customer (bulk Add tags)" },
  "mutation tagsRemove": { needs: ["write_customers"], why: "tagsRemove on a Customer (bulk Remove tags)" },
  "query currentAppInstallation": {
    needs: [],
    why: "an app reads its own installation, the owner of app-data metafields",
  },
  "mutation discountCodeBasicCreate": { needs: ["write_discounts"], why: "discountCodeBasicCreate" },
  "mutation discountCodeFreeShippingCreate": { needs: ["write_discounts"], why: "discountCodeFreeShippingCreate" },
  "mutation discountCodeDeactivate": { needs: ["write_discounts"], why: "discountCodeDeactivate (referral codes)" },
  "query codeDiscountNodeByCode": { needs: ["read_discounts"], why: "codeDiscountNodeByCode" },
  "mutation customerSet": { needs: ["write_customers"], why: "customerSet (the customer import's upsert by email)" },
  "mutation customerAddressCreate": {
    needs: ["write_customers"],
    why: "customerAddressCreate (an imported address made the default of a customer Shopify has)",
  },
  "mutation customerSendAccountInviteEmail": {
    needs: ["write_customers"],
    why: "customerSendAccountInviteEmail (the invitation instead of an imported password)",
  },
  "mutation storeCreditAccountCredit": {
    needs: ["write_store_credit_account_transactions", "read_store_credit_account_transactions"],
    why: "storeCreditAccountCredit; the StoreCreditAccountCreditTransaction it returns needs the read scope",
  },
  "mutation segmentCreate": { needs: ["write_customers"], why: "segmentCreate (a customer group)" },
  "mutation segmentUpdate": { needs: ["write_customers"], why: "segmentUpdate (editing a group)" },
  "mutation segmentDelete": { needs: ["write_customers"], why: "segmentDelete (removing a group)" },
  "query customerSegmentMembers": { needs: ["read_customers"], why: "a group's members" },
  "query segment": { needs: ["read_customers"], why: "segment(id:): whether a group's segment is still in Shopify" },
  "mutation discountCodeDelete": { needs: ["write_discounts"], why: "discountCodeDelete (a group's discount)" },
  "mutation discountAutomaticBasicCreate": {
    needs: ["write_discounts"],
    why: "discountAutomaticBasicCreate (a group's automatic discount)",
  },
  "mutation discountCodeBasicUpdate": {
    needs: ["write_discounts"],
    why: "discountCodeBasicUpdate (a renamed group's code discount takes its new name)",
  },
  "mutation discountAutomaticBasicUpdate": {
    needs: ["write_discounts"],
    why: "discountAutomaticBasicUpdate (a renamed group's automatic discount takes its new name)",
  },
  "mutation discountAutomaticDelete": {
    needs: ["write_discounts"],
    why: "discountAutomaticDelete (a group's automatic discount)",
  },
  "mutation storeCreditAccountDebit": {
    needs: ["write_store_credit_account_transactions", "read_store_credit_account_transactions"],
    why: "storeCreditAccountDebit (the profile's Deduct); the transaction it returns needs the read scope",
  },
};

/** Every root field of every Admin operation in app/, as "query customers" or "mutation metafieldsSet". */
const rootFields = [
  ...new Set(
    appGraphqlDocuments().flatMap(({ source }) =>
      parse(source)
        .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .flatMap((op) =>
          op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [`${op.operation} ${s.name.value}`] : [])),
        ),
    ),
  ),
].sort();

/**
 * A webhook topic's scopes, as the schema's WebhookSubscriptionTopic value describes them: "Requires the
 * `read_customers` scope." or "Requires at least one of the following scopes: read_orders, read_marketplace_orders."
 * Returns the alternatives (any one is enough), or [] when the topic needs none.
 */
function topicScopes(topic: string): string[] {
  const topics = adminSchema().getType("WebhookSubscriptionTopic") as GraphQLEnumType;
  const name = topic.toUpperCase().replace(/[/.]/g, "_");
  const value = topics.getValue(name);
  if (!value) throw new Error(`${topic} is not a webhook topic of the 2026-10 schema (${name})`);
  const description = (value.description ?? "").replace(/\s+/g, " ");
  const one = /Requires the `(\w+)` scope/.exec(description);
  if (one) return [one[1]!];
  const anyOf = /Requires at least one of the following scopes: ([\w, ]+)\./.exec(description);
  return anyOf ? anyOf[1]!.split(",").map((s) => s.trim()) : [];
}

const config = readAppConfig(path.resolve("shopify.app.toml"));
const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

/** Shopify grants read_x with write_x. */
const grants = (granted: string[], scope: string) =>
  granted.includes(scope) || (scope.startsWith("read_") && granted.includes(scope.replace(/^read_/, "write_")));

/** What the app needs: each requirement is a list of alternatives, any one of which is enough. */
function requirements(appConfig: typeof config) {
  const needs: { what: string; anyOf: string[] }[] = [];
  for (const field of rootFields)
    for (const scope of ROOT_FIELD_SCOPES[field]?.needs ?? []) needs.push({ what: field, anyOf: [scope] });
  for (const { topic } of appConfig.subscriptions) {
    if (COMPLIANCE_TOPICS.has(topic)) continue;
    const anyOf = topicScopes(topic);
    if (anyOf.length > 0) needs.push({ what: `webhook ${topic}`, anyOf });
  }
  // An app proxy is set up by the app's configuration and requires this scope (shopify.dev, app proxies).
  if (appConfig.appProxy) needs.push({ what: "app proxy", anyOf: ["write_app_proxy"] });
  return needs;
}

const missing = (appConfig: typeof config) =>
  requirements(appConfig)
    .filter((need) => !need.anyOf.some((scope) => grants(appConfig.scopes, scope)))
    .map((need) => `${need.what} needs ${need.anyOf.join(" or ")}`);

describe("the access scopes in shopify.app.toml", () => {
  it("has on record the scopes of every Admin API field Tally calls", () => {
    expect(rootFields.length).toBeGreaterThanOrEqual(8);
    expect(rootFields.filter((field) => !(field in ROOT_FIELD_SCOPES))).toEqual([]);
  });

  it("grants everything Tally's API calls, webhook topics and app proxy need", () => {
    expect(missing(config)).toEqual([]);
  });

  it("asks for nothing Tally does not use", () => {
    const used = new Set(requirements(config).flatMap((need) => need.anyOf));
    expect(config.scopes.filter((scope) => !used.has(scope))).toEqual([]);
  });

  it("would notice a webhook topic or an app proxy whose scope is missing", () => {
    const without = { ...config, scopes: config.scopes.filter((s) => s !== "read_orders" && s !== "write_app_proxy") };
    expect(missing(without)).toEqual(
      expect.arrayContaining([
        "webhook orders/paid needs read_orders or read_marketplace_orders",
        "webhook checkouts/create needs read_orders",
        "app proxy needs write_app_proxy",
      ]),
    );
  });

  it("reads a topic's scope from the real schema", () => {
    expect(topicScopes("customers/create")).toEqual(["read_customers"]);
    expect(topicScopes("customer.tags_added")).toEqual(["read_customers"]);
    expect(topicScopes("app/uninstalled")).toEqual([]);
  });
});
