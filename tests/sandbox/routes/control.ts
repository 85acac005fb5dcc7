import { Router } from "express";
import type { SandboxControl } from "../control/index";
import { SandboxError } from "../operations/index";
import { json, parseBody, readBody, requestUrl, route } from "./http";

/**
 * `POST|GET /_sandbox/{operation}`: the control API over HTTP, one JSON object (or the query string) in, the result
 * out; 422 when the sandbox refuses what Shopify would refuse, 400 for any other mistake, 404 for no such operation.
 */
export function controlRoutes(deps: { control: SandboxControl; origin: () => string }) {
  const router = Router({ caseSensitive: true, strict: true });
  router.all(
    /^\/_sandbox\/(.+)$/,
    route(async (req, res) => {
      const op = (req.params as Record<string, string>)[0] as keyof SandboxControl;
      const fn = Object.hasOwn(deps.control, op) ? (deps.control[op] as (input: unknown) => unknown) : undefined;
      if (typeof fn !== "function") return json(res, 404, { error: `Unknown control operation ${op}` });
      const input =
        req.method === "GET"
          ? Object.fromEntries(requestUrl(req, deps.origin()).searchParams)
          : parseBody(await readBody(req), req.headers["content-type"]);
      try {
        return json(res, 200, await fn(input));
      } catch (error) {
        return json(res, error instanceof SandboxError ? 422 : 400, { error: (error as Error).message });
      }
    }),
  );
  return router;
}
