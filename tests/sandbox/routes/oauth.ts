import { Router } from "express";
import type { TokenRegistry } from "../auth";
import { normalizeShop } from "../shops";
import { json, parseBody, readBody, requestUrl, route, sandboxShopHeader } from "./http";

/** POST /admin/oauth/access_token: token exchange and refresh, answered as Shopify answers them (auth.ts). */
export function oauthRoutes(deps: { tokens: TokenRegistry; origin: () => string }) {
  const router = Router({ caseSensitive: true, strict: true });
  router.post(
    /^\/admin\/oauth\/access_token$/,
    route(async (req, res) => {
      const shop = sandboxShopHeader(req) ?? requestUrl(req, deps.origin()).searchParams.get("shop");
      if (!shop) return json(res, 400, { error: "invalid_request", error_description: "Unknown shop" });
      let body: Record<string, unknown>;
      try {
        body = parseBody(await readBody(req), req.headers["content-type"]);
      } catch {
        return json(res, 400, { error: "invalid_request", error_description: "The request body is not valid JSON." });
      }
      const answer = deps.tokens.handle(normalizeShop(shop), body);
      return json(res, answer.status, answer.body);
    }),
  );
  return router;
}
