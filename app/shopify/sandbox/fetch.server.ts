import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Sends every request for `https://{shop}.myshopify.com` to the loopback sandbox Shopify instead, keeping the path,
 * method, headers and body, and naming the shop in `X-Sandbox-Shop`. This is the only place the app knows the sandbox
 * exists; the auth, GraphQL and webhook code paths stay the production ones.
 */
export function routeShopifyToSandbox(sandboxOrigin: string) {
  const origin = new URL(sandboxOrigin);
  const realFetch = globalThis.fetch;
  const sandboxFetch: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!url.hostname.endsWith(".myshopify.com")) return realFetch(request);
    const target = new URL(url.pathname + url.search, origin);
    const headers = new Headers(request.headers);
    headers.set("X-Sandbox-Shop", url.hostname);
    return realFetch(
      new Request(target, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
        // Required by undici whenever a streamed body is forwarded.
        duplex: "half",
      } as RequestInit),
    );
  };
  setAbstractFetchFunc(sandboxFetch);
}
