import { describe, expect, it } from "vitest";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionToken, sessionTokenRequest } from "../helpers/signed-requests";

type RouteFunction = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
type RouteModule = { loader?: RouteFunction; action?: RouteFunction };

// Every admin page and the login form: the whole kind, so a route added later is covered too.
const modules = import.meta.glob<RouteModule>(
  ["/app/routes/app*.tsx", "/app/routes/auth.$.tsx", "/app/routes/auth.login/route.tsx"],
  { eager: true },
);
const withAction = Object.entries(modules).filter(([, module]) => module.action);
const withLoader = Object.entries(modules).filter(([file, module]) => module.loader && !file.includes("auth.login"));

async function answer(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function installedShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

const params = { id: "1", "*": "session-token" };

describe("a malformed admin request answers 4xx, not 500", () => {
  it("finds the admin routes that take a form (the glob below is what covers new ones)", async () => {
    expect(withAction.map(([file]) => file)).toEqual(
      expect.arrayContaining(["/app/routes/app.customers_.$id.tsx", "/app/routes/app.settings.tsx"]),
    );
  });

  it.each(withAction.map(([file]) => file))("%s answers 415 to a JSON body", async (file) => {
    const shop = await installedShop();
    const request = await sessionTokenRequest(shop, "/app/x", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ intent: "adjust", points: "5", reason: "x", requestId: "r", settings: "{}" }),
    });
    const result = await answer(() => modules[file]!.action!({ request, params, context: {} }));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(415);
  });

  it.each(withAction.map(([file]) => file))("%s answers 400 to a multipart body that does not parse", async (file) => {
    const shop = await installedShop();
    const request = await sessionTokenRequest(shop, "/app/x", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=----tally" },
      body: "this is not multipart at all",
    });
    const result = await answer(() => modules[file]!.action!({ request, params, context: {} }));
    expect((result as Response).status).toBe(400);
  });

  it.each(withLoader.map(([file]) => file))(
    "%s answers 400 to a host that is not the base64 of an address",
    async (file) => {
      const shop = await installedShop();
      const { token } = await sessionToken(shop);
      for (const host of ["Pz8/", "JQ==", "W10=", "Y", "%%%", "a b"]) {
        const query = new URLSearchParams({ shop, host, embedded: "1", id_token: token });
        const request = new Request(`${process.env.SHOPIFY_APP_URL}/app?${query.toString()}`);
        const result = await answer(() => modules[file]!.loader!({ request, params, context: {} }));
        expect(result, host).toBeInstanceOf(Response);
        expect((result as Response).status, host).toBe(400);
      }
    },
  );

  it("still serves a request whose host is Shopify's", async () => {
    const shop = await installedShop();
    const host = btoa(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`);
    const request = await sessionTokenRequest(shop, `/app?host=${host}&shop=${shop}`);
    const result = await answer(() => modules["/app/routes/app._index.tsx"]!.loader!({ request, params, context: {} }));
    expect(result).not.toBeInstanceOf(Response);
  });
});
