import { Router } from "express";
import type { TokenRegistry } from "../auth";
import type { BulkOperations } from "../bulk";
import { recordAdminRequest, runAdminGraphql } from "../graphql/admin-api";
import type { Operations } from "../operations/index";
import type { ShopDirectory, ShopRecord } from "../shops";
import { json, parseBody, readBody, route, sandboxShopHeader } from "./http";

/** POST /admin/api/{version}/graphql.json: the Admin API, for the access token's shop only. */
export function graphqlRoutes(deps: {
  shops: ShopDirectory;
  tokens: TokenRegistry;
  ops: Operations;
  bulk: BulkOperations;
  /** The online store's published locales, which the primary domain's web presence lists. */
  storefrontLocales?: (shop: ShopRecord) => { primary: string; published: string[] };
}) {
  const router = Router({ caseSensitive: true, strict: true });
  router.post(
    /^\/admin\/api\/([^/]+)\/graphql\.json$/,
    route(async (req, res) => {
      const shopDomain = sandboxShopHeader(req) ?? req.headers.host ?? "";
      const token = req.headers["x-shopify-access-token"];
      const shop = deps.shops.find(shopDomain);
      const issued = typeof token === "string" && shop ? deps.tokens.lookup(token, shop.domain) : undefined;
      if (!shop || !issued)
        return json(res, 401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
      let body: Record<string, unknown>;
      try {
        body = parseBody(await readBody(req), "application/json");
      } catch {
        return json(res, 400, { errors: { query: "Required parameter missing or invalid" } });
      }
      recordAdminRequest(shop, body);
      const version = (req.params as Record<string, string>)[0];
      const scopes = issued.scope.split(",").filter(Boolean);
      const result = await runAdminGraphql(
        body,
        {
          shop,
          ops: deps.ops,
          bulk: deps.bulk,
          scopes,
          ...(deps.storefrontLocales ? { storefrontLocales: deps.storefrontLocales } : {}),
        },
        version,
      );
      return json(res, 200, result);
    }),
  );
  return router;
}
