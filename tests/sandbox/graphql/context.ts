import type { Operations } from "../operations/index";
import type { ShopRecord } from "../shops";
import type { CustomerRecord } from "../store/index";

export interface BulkRunner {
  start(shop: ShopRecord, query: string): { id: string; error?: string };
  startMutation(
    shop: ShopRecord,
    input: { mutation: string; stagedUploadPath: string; scopes?: readonly string[] },
  ): Promise<{ id: string } | { error: { field: string[]; message: string; code: string } }>;
  stage(
    shop: ShopRecord,
    input: { filename: string; mimeType: string; httpMethod?: "POST" | "PUT" | null },
  ): { url: string; resourceUrl: string | null; parameters: { name: string; value: string }[] };
  current(shop: ShopRecord, type?: "QUERY" | "MUTATION"): Record<string, unknown> | null;
  find(shop: ShopRecord, id: string): Record<string, unknown> | null;
  list(shop: ShopRecord): { id: string; status: string; type: string; createdAt: string; view: View }[];
}

/** A GraphQL object as the executor reads it: plain properties, or functions of (args, context) for fields. */
export type View = Record<string, unknown>;

/**
 * Views one resource's objects reach in another resource that also reaches back (an order's customer, a customer's
 * orders; a metafield's owner): handed over in the context so resource modules never import each other in a circle.
 */
export interface Views {
  customer(shop: ShopRecord, c: CustomerRecord): View;
  node(shop: ShopRecord, id: string): View | null;
}

export interface AdminRequestContext {
  shop: ShopRecord;
  ops: Operations;
  bulk: BulkRunner;
  /**
   * The online store's primary and published locales (the theme's `/fr` subfolders), which the primary domain's web
   * presence lists; unset (a bulk operation) reads as English only.
   */
  storefrontLocales?: (shop: ShopRecord) => { primary: string; published: string[] };
  /** The access token's scopes; root fields they do not cover are denied. Unset: everything (the sandbox itself). */
  scopes?: readonly string[];
  /**
   * Set while a bulk operation pages through its root connection; nested connections then return everything.
   * `sorted` lives for the whole operation: a sorted root connection's order, worked out on its first page.
   */
  bulkWindow?: { after: string | null; size: number; next?: string | null; sorted?: Map<string, SortedIds> };
}

export interface AdminContext extends AdminRequestContext {
  views: Views;
}

/** Root fields of one resource: each takes the field's arguments. */
export type RootFields = Record<string, (args: never) => unknown>;

/** Finds a node of one type by its numeric id, for `node(id:)`, `nodes(ids:)` and metafield owners. */
export type NodeFinders = Record<string, (shop: ShopRecord, id: string) => View | null>;

/** A sorted connection's items in order, by id, and each id's position: what a bulk operation pages through. */
export interface SortedIds {
  ids: string[];
  position: Map<string, number>;
}
