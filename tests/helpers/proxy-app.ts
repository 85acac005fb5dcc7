import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll } from "vitest";
import * as rewardsPage from "~/routes/proxy._index";
import * as assets from "~/routes/proxy.assets.$file";
import * as me from "~/routes/proxy.v1.me";
import * as referralLanding from "~/routes/proxy.r.$code";
import * as unsubscribe from "~/routes/proxy.email.unsubscribe";
import * as redeem from "~/routes/proxy.v1.redeem";
import { routeShopifyToSandbox } from "~/shopify/sandbox/fetch.server";
import { startSandbox, type Sandbox } from "../sandbox/index";

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<Response>;

const webhookRoutes = import.meta.glob<{ action: Handler }>("/app/routes/webhooks.*.ts", { eager: true });

/**
 * The app's proxy and webhook routes by path, as Remix would match them: `/proxy/…` and `/webhooks/{resource}/{event}`
 * (each webhook route module, webhooks.customers.create.ts answering /webhooks/customers/create).
 */
const ROUTES: Array<[RegExp, { loader?: Handler; action?: Handler }]> = [
  [/^\/proxy\/?$/, rewardsPage as never],
  [/^\/proxy\/assets\/(?<file>[^/]+)$/, assets as never],
  [/^\/proxy\/v1\/me$/, me as never],
  [/^\/proxy\/v1\/redeem$/, redeem as never],
  [/^\/proxy\/r\/(?<code>[^/]+)$/, referralLanding as never],
  [/^\/proxy\/email\/unsubscribe$/, unsubscribe as never],
  ...Object.entries(webhookRoutes).map(([file, module]): [RegExp, { action: Handler }] => {
    const [, resource, event] = /webhooks\.([^.]+)\.([^.]+)\.ts$/.exec(file)!;
    return [new RegExp(`^/webhooks/${resource}/${event}$`), module];
  }),
];

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? "/", origin), { method: req.method, headers, body });
}

/**
 * A sandbox Shopify whose app proxy and webhooks reach the app's own route modules in this process, so a test shops the
 * storefront (`/apps/tally/…`, `/fr/apps/tally/…`) and gets Tally's answers through Shopify's signing and Liquid
 * rendering, as in production. Routes are called as Remix calls them; their thrown Responses are answered as is.
 */
export function useSandboxWithProxyApp(): () => Sandbox {
  let sandbox: Sandbox | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const request = await toRequest(req, process.env.SHOPIFY_APP_URL ?? "https://tally.test");
      const path = new URL(request.url).pathname;
      let response: Response = new Response("Not found", { status: 404 });
      for (const [pattern, module] of ROUTES) {
        const match = pattern.exec(path);
        const handler = request.method === "GET" ? module.loader : module.action;
        if (!match || !handler) continue;
        try {
          response = await handler({ request, params: { ...match.groups }, context: {} });
        } catch (thrown) {
          if (!(thrown instanceof Response)) throw thrown;
          response = thrown;
        }
        break;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    sandbox = await startSandbox({
      apiKey: process.env.SHOPIFY_API_KEY ?? "",
      apiSecret: process.env.SHOPIFY_API_SECRET ?? "",
      appUrl: `http://127.0.0.1:${port}`,
      retry: { delaysMs: [10], maxAttempts: 1 },
    });
    routeShopifyToSandbox(sandbox.origin);
  });
  afterAll(async () => {
    await sandbox?.close();
    await new Promise((resolve) => server.close(resolve));
  });
  return () => {
    if (!sandbox) throw new Error("the sandbox starts in beforeAll");
    return sandbox;
  };
}
