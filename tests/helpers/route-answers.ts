import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { sessionTokenRequest } from "./signed-requests";

/*
 * What a Remix route answered, as the browser would receive it: loaders and actions return some answers and throw
 * others (redirects, 4xx pages), and a test reads both the same way.
 */

export type RouteArgs = LoaderFunctionArgs & ActionFunctionArgs;

/** The Response `run` returned or threw; anything else thrown is the test's failure. */
export async function answerOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    return (await run()) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * Posts `body` to a route's action (`handler`) as the embedded admin does, with a session token for `shop`, and answers
 * its Response: returned, thrown, or plain data as JSON.
 */
export async function postAsAdmin(
  handler: (args: RouteArgs) => Promise<unknown>,
  shop: string,
  path: string,
  body: FormData | URLSearchParams,
  params: Record<string, string> = {},
): Promise<Response> {
  const request = await sessionTokenRequest(shop, path, { method: "POST", body });
  return answerOf(async () => {
    const answer = await handler({ request, params, context: {} } as RouteArgs);
    return answer instanceof Response ? answer : Response.json(answer);
  });
}
