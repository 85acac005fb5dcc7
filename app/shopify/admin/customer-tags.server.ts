import { adminRequest, type AdminGraphql } from "./graphql.server";

const TAGS_ADD = `#graphql
  mutation TallyCustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node { id ... on Customer { tags } }
      userErrors { field message }
    }
  }
`;

const TAGS_REMOVE = `#graphql
  mutation TallyCustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      node { id ... on Customer { tags } }
      userErrors { field message }
    }
  }
`;

/** What Shopify answered to a tag change: the customer's tags after it, or its refusal in its own words. */
export type TagChangeResult = { ok: true; tags: string[] } | { ok: false; message: string };

/**
 * Adds or removes tags on one Shopify customer (`tagsAdd` / `tagsRemove`, scope write_customers). Both are idempotent
 * in Shopify (adding a tag the customer has, or removing one they lack, changes nothing), which is what lets a bulk
 * task repeat a call after a crash (decision 017). A refusal (userErrors, or no node) is returned, not thrown, so one
 * customer's refusal does not stop the batch; transport and throttling errors throw.
 */
export async function changeCustomerTags(
  graphql: AdminGraphql,
  input: { customerGid: string; tags: readonly string[]; mode: "add" | "remove" },
): Promise<TagChangeResult> {
  const variables = { id: input.customerGid, tags: [...input.tags] };
  const payload =
    input.mode === "add"
      ? (await adminRequest(graphql, TAGS_ADD, { variables })).tagsAdd
      : (await adminRequest(graphql, TAGS_REMOVE, { variables })).tagsRemove;
  const errors = payload?.userErrors ?? [];
  if (errors.length > 0) return { ok: false, message: errors.map((error) => error.message).join("; ") };
  const node = payload?.node;
  if (!node || !("tags" in node)) return { ok: false, message: "Customer not found" };
  return { ok: true, tags: node.tags };
}
