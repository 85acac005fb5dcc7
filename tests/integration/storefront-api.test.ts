import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, rewards, shops } from "~/db/schema";
import { loader as me } from "~/routes/proxy.v1.me";
import { action as redeem } from "~/routes/proxy.v1.redeem";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { defaultSettings } from "~/domain/program";
import { saveProgram } from "~/services/program/save-program.server";
import { referralSettingsToForm } from "~/domain/referrals";
import { getReferralProgram, saveReferralProgram } from "~/services/referrals/referral-program.server";
import { contextFor, sessionStorage } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { neverInstalledShopDomain } from "../factories/shops";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { appProxyRequest, signedProxyRequest } from "../helpers/app-proxy";
import { webhookRequest } from "../helpers/signed-requests";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { orderJson } from "../factories/orders";
import { first } from "../helpers/db";
import { answerOf } from "../helpers/route-answers";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const args = (request: Request) => ({ request, params: {}, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs;

/** A shop with Tally installed the real way: a session token from the sandbox, then token exchange. */
const installedShop = () => installedSandboxShop(sandboxOf());

/**
 * A Member in the sandbox and in Tally, with `spent` paid so far: 100 sign-up points plus 1 per 1.00; with `guest`,
 * a Guest (no account in the store) instead.
 */
async function memberWithPoints(shop: string, spent: string, { guest = false } = {}) {
  const created = sandboxOf().control.createCustomer({
    shop,
    email: `m-${Date.now()}@example.com`,
    state: guest ? "DISABLED" : "ENABLED",
  });
  const customerGid = `gid://shopify/Customer/${String(created.id).replace(/\D/g, "")}`;
  const payload = {
    ...samplePayload("customers/create"),
    admin_graphql_api_id: customerGid,
    state: guest ? "disabled" : "enabled",
  };
  await answerOf(() =>
    customerCreate(args(webhookRequest({ topic: "customers/create", shop, body: shopifyJson(payload) }))),
  );
  const order = orderJson({
    id: BigInt(Date.now()),
    // The sandbox shop's currency, which Tally read from Shopify at install.
    currency: "CAD",
    lines: [{ id: BigInt(Date.now()) * 10n, price: spent }],
    customer: { admin_graphql_api_id: customerGid },
  });
  await answerOf(() => orderPaid(args(webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(order) }))));
  return { customerGid, numericId: customerGid.split("/").pop() as string };
}

const post = async (shop: string, customerId: string | undefined, body: string) =>
  await answerOf(async () =>
    redeem(args(await appProxyRequest({ shop, customerId, path: "/v1/redeem", method: "POST", body }))),
  );

describe("GET /v1/me", () => {
  it("shows a logged-in Member their points and the program's rewards", async () => {
    const shop = await installedShop();
    const { numericId, customerGid } = await memberWithPoints(shop, "420.00");
    const response = await answerOf(async () =>
      me(args(await appProxyRequest({ shop, customerId: numericId, path: "/v1/me" }))),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      customer: {
        id: customerGid,
        status: "member",
        blocked: false,
        points: 520,
        pendingPoints: 0,
        lifetimeEarned: 520,
      },
      program: {
        pointsName: "points",
        redeem: [{ id: "five-off", points: 500, kind: "fixed_amount_off", value: "5.00" }],
      },
      rewards: [],
    });
  });

  it("answers a visitor who is not logged in with the program only", async () => {
    const shop = await installedShop();
    const body = await (await answerOf(async () => me(args(await appProxyRequest({ shop, path: "/v1/me" }))))).json();
    expect(body.customer).toBeNull();
    expect(body.program.earn.map((rule: { description: string }) => rule.description)).toEqual([
      "1 point per $1.00 CAD spent",
      "100 points for creating an account",
    ]);
  });

  it("words the earning rules with the program's names, singular for 1 and plural for more", async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, "staff");
    const described = async () =>
      (
        await (await answerOf(async () => me(args(await appProxyRequest({ shop, path: "/v1/me" }))))).json()
      ).program.earn.map((rule: { description: string }) => rule.description);
    await saveProgram({
      ctx,
      input: { ...defaultSettings("CAD"), pointName: "star", pointsName: "stars", pointsPerUnit: 3, signupBonus: 1 },
    });
    expect(await described()).toEqual(["3 stars per $1.00 CAD spent", "1 star for creating an account"]);
    await saveProgram({
      ctx,
      input: { ...defaultSettings("CAD"), pointName: "star", pointsName: "stars", pointsPerUnit: 1, signupBonus: 1500 },
    });
    expect(await described()).toEqual(["1 star per $1.00 CAD spent", "1,500 stars for creating an account"]);
  });

  it("answers a logged-in shopper Tally has no record of yet with who they are and no invented points", async () => {
    const shop = await installedShop();
    const response = await answerOf(async () =>
      me(args(await appProxyRequest({ shop, customerId: "7777777777777777", path: "/v1/me" }))),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.customer).toEqual({ id: "gid://shopify/Customer/7777777777777777", known: false });
    expect(body.rewards).toEqual([]);
    expect(body.program.redeem).toHaveLength(1);
  });

  // The sandbox's webhooks go nowhere here: each customer below exists in Shopify while Tally has not heard of them,
  // as when their customers/create is still on its way or the install sync has not reached them.
  const meOf = async (shop: string, customerId: string) =>
    (await answerOf(async () => me(args(await appProxyRequest({ shop, customerId, path: "/v1/me" }))))).json();
  const sandboxCustomer = (shop: string, email: string) => {
    const created = sandboxOf().control.createCustomer({ shop, email, firstName: "Noor", state: "ENABLED" });
    const numericId = String(created.id).replace(/\D/g, "");
    return { numericId, customerGid: `gid://shopify/Customer/${numericId}` };
  };

  it("reads a signed-in shopper Tally has not heard of from Shopify, so her points and referral link show at once", async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, "staff");
    const referrals = await getReferralProgram({ ctx });
    await saveReferralProgram({
      ctx,
      input: { ...referralSettingsToForm(referrals.settings, referrals.currency), enabled: true },
    });
    const { numericId, customerGid } = sandboxCustomer(shop, `noor-${Date.now()}@example.com`);
    const body = await meOf(shop, numericId);
    // Created after Tally was installed: she signed up under Tally and has its sign-up bonus.
    expect(body.customer).toMatchObject({ id: customerGid, known: true, status: "member", points: 100 });
    expect(body.referral?.url).toMatch(new RegExp(`^https://${shop.replace(/\./g, "\\.")}/apps/tally/r/`));
    // Her customers/create arriving afterwards changes nothing: the bonus is hers once.
    const payload = { ...samplePayload("customers/create"), admin_graphql_api_id: customerGid, state: "enabled" };
    await answerOf(() =>
      customerCreate(args(webhookRequest({ topic: "customers/create", shop, body: shopifyJson(payload) }))),
    );
    expect((await meOf(shop, numericId)).customer).toMatchObject({ known: true, points: 100 });
    const rows = await db.select().from(customers).where(eq(customers.customerGid, customerGid));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ firstName: "Noor", status: "member" });
  });

  it("gives no sign-up bonus to a shopper who had her account before Tally was installed", async () => {
    const shop = await installedShop();
    const { numericId } = sandboxCustomer(shop, `before-${Date.now()}@example.com`);
    // Tally installed a minute after she signed up.
    await db
      .update(shops)
      .set({ installedAt: new Date(Date.now() + 60_000).toISOString() })
      .where(eq(shops.shop, shop));
    expect((await meOf(shop, numericId)).customer).toMatchObject({ known: true, status: "member", points: 0 });
  });

  it("still answers, as not known yet, when Shopify refuses the read", async () => {
    const shop = await installedShop();
    const { numericId } = sandboxCustomer(shop, `later-${Date.now()}@example.com`);
    sandboxOf().control.expireAccessTokens({ shop });
    const body = await meOf(shop, numericId);
    expect(body.customer).toMatchObject({ known: false });
    expect(body.program.redeem).toHaveLength(1);
  });

  it("rejects a request whose signature is not Shopify's", async () => {
    const shop = await installedShop();
    const forged = await appProxyRequest({ shop, customerId: "1", path: "/v1/me", secret: "guess" });
    expect((await answerOf(() => me(args(forged)))).status).toBe(400);
  });
});

describe("POST /v1/redeem", () => {
  it("creates a single-use code in Shopify for that customer only and takes the points", async () => {
    const shop = await installedShop();
    const { numericId } = await memberWithPoints(shop, "420.00");
    const response = await post(shop, numericId, JSON.stringify({ optionId: "five-off" }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.points).toBe(20);
    expect(body.reward.code).toMatch(/^TALLY-[A-Z0-9]{5}-[A-Z0-9]{5}$/);

    const created = sandboxOf()
      .control.discountCodes({ shop })
      .find((discount) => discount.code === body.reward.code);
    expect(created).toMatchObject({ usageLimit: 1, appliesOncePerCustomer: true, value: { amountCents: 500 } });
    expect(created?.customerIds).toEqual([numericId]);
  });

  it("marks the reward used when an order is paid with its code, and shows it in /v1/me", async () => {
    const shop = await installedShop();
    const { numericId, customerGid } = await memberWithPoints(shop, "420.00");
    const { reward } = await (await post(shop, numericId, JSON.stringify({ optionId: "five-off" }))).json();
    // Named as the panel's program and rewards list name it, in the shop's money format.
    expect(reward).toMatchObject({ title: "$5.00 CAD off", used: false, titleTerms: { valueText: "$5.00 CAD" } });
    const order = orderJson({
      id: BigInt(Date.now() + 1),
      currency: "CAD",
      lines: [{ id: BigInt(Date.now() + 1) * 10n, price: "35.00", discount: "5.00" }],
      discountCodes: [reward.code],
      customer: { admin_graphql_api_id: customerGid },
    });
    await answerOf(() => orderPaid(args(webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(order) }))));
    const view = await (
      await answerOf(async () => me(args(await appProxyRequest({ shop, customerId: numericId, path: "/v1/me" }))))
    ).json();
    expect(view.rewards).toEqual([expect.objectContaining({ code: reward.code, used: true })]);
    expect(view.customer.points).toBe(20 + 30);
  });

  it("answers 409 when the balance is short, and takes nothing", async () => {
    const shop = await installedShop();
    const { numericId, customerGid } = await memberWithPoints(shop, "10.00");
    const response = await post(shop, numericId, JSON.stringify({ optionId: "five-off" }));
    expect(response.status).toBe(409);
    expect((await response.json()).code).toBe("insufficient_points");
    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
    );
    expect(row?.pointsBalance).toBe(110);
  });

  it("answers a redemption and each refusal with the shopper's balance and rewards as they now stand", async () => {
    // A panel drawn in a second tab, before a redemption in the first, redraws from these answers (decision 055).
    const shop = await installedShop();
    const { numericId, customerGid } = await memberWithPoints(shop, "600.00");
    const redeemed = await post(shop, numericId, JSON.stringify({ optionId: "five-off" }));
    expect(redeemed.status).toBe(200);
    const { reward, view } = await redeemed.json();
    expect(view.customer).toMatchObject({ points: 200, lifetimeRedeemed: 500 });
    expect(view.rewards).toEqual([expect.objectContaining({ code: reward.code, used: false })]);

    // The stale tab's press: 500 points asked of 200; the answer says 200, and that the reward costs 500.
    const short = await post(shop, numericId, JSON.stringify({ optionId: "five-off" }));
    expect(short.status).toBe(409);
    const refusal = await short.json();
    expect(refusal).toMatchObject({ code: "insufficient_points", view: { customer: { points: 200, blocked: false } } });
    expect(refusal.view.program.redeem).toEqual([expect.objectContaining({ id: "five-off", points: 500 })]);
    expect(refusal.view.rewards).toEqual([expect.objectContaining({ code: reward.code })]);

    // The merchant took the reward away since the panel was drawn: the answer's program offers none.
    const ctx = contextFor(shop, "staff");
    await saveProgram({ ctx, input: { ...defaultSettings("CAD"), redeemOptions: [] } });
    const removed = await (await post(shop, numericId, JSON.stringify({ optionId: "five-off" }))).json();
    expect(removed).toMatchObject({ code: "not_found", view: { customer: { points: 200 }, program: { redeem: [] } } });

    // Blocked since: the answer says so, for the panel to say what it says to a blocked shopper.
    await saveProgram({ ctx, input: defaultSettings("CAD") });
    await db
      .update(customers)
      .set({ blocked: true })
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid)));
    const blocked = await (await post(shop, numericId, JSON.stringify({ optionId: "five-off" }))).json();
    expect(blocked).toMatchObject({ code: "blocked", view: { customer: { blocked: true } } });

    // A shopper Tally does not know yet: the view says so, with no invented points.
    const unknown = await (await post(shop, "7777777777777777", JSON.stringify({ optionId: "five-off" }))).json();
    expect(unknown).toMatchObject({ code: "insufficient_points", view: { customer: { known: false } } });
  });

  it("names the reward in each refusal as the panel's reward row does, not by its stored title", async () => {
    const shop = await installedShop();
    const error = async (customerId: string) =>
      (await (await post(shop, customerId, JSON.stringify({ optionId: "five-off" }))).json()).error;
    const short = await memberWithPoints(shop, "10.00");
    const row = (
      await (
        await answerOf(async () =>
          me(args(await appProxyRequest({ shop, customerId: short.numericId, path: "/v1/me" }))),
        )
      ).json()
    ).program.redeem[0].title;
    expect(row).toBe("$5.00 CAD off");
    expect(await error(short.numericId)).toBe("$5.00 CAD off costs 500 points; the balance is 110");
    expect(await error("7777777777777777")).toBe("You have no points to redeem for $5.00 CAD off yet");
    const guest = await memberWithPoints(shop, "600.00", { guest: true });
    expect(await error(guest.numericId)).toBe(
      "Only members can redeem points; create an account to redeem $5.00 CAD off",
    );
    const blocked = await memberWithPoints(shop, "600.00");
    await db
      .update(customers)
      .set({ blocked: true })
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, blocked.customerGid)));
    expect(await error(blocked.numericId)).toBe("This customer is blocked from redeeming points for $5.00 CAD off");
  });

  it("answers 401 to a visitor, 400 to a bad body, 404 to an unknown option", async () => {
    const shop = await installedShop();
    const { numericId } = await memberWithPoints(shop, "600.00");
    expect((await post(shop, undefined, '{"optionId":"five-off"}')).status).toBe(401);
    expect((await post(shop, numericId, "not json")).status).toBe(400);
    expect((await post(shop, numericId, "{}")).status).toBe(400);
    expect((await post(shop, numericId, '{"optionId":"nope"}')).status).toBe(404);
  });

  it("waits out Shopify's THROTTLED answers and still redeems", async () => {
    const shop = await installedShop();
    const { numericId } = await memberWithPoints(shop, "600.00");
    // A bucket that holds two mutations, emptied by a first two (Shopify refunds a query's unused cost, never a
    // mutation's): the redemption's mutation is throttled at first.
    sandboxOf().control.setThrottle({ shop, maximumAvailable: 20, restoreRate: 20 });
    const session = await sessionStorage.loadSession(`offline_${shop}`);
    const drain = await fetch(`${sandboxOf().origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Sandbox-Shop": shop,
        "X-Shopify-Access-Token": session?.accessToken ?? "",
      },
      body: JSON.stringify({
        query: `mutation {
          a: customerUpdate(input: { id: "gid://shopify/Customer/${numericId}", note: "a" }) { userErrors { message } }
          b: customerUpdate(input: { id: "gid://shopify/Customer/${numericId}", note: "b" }) { userErrors { message } }
        }`,
      }),
    });
    expect((await drain.json()).extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(10);
    const response = await post(shop, numericId, JSON.stringify({ optionId: "five-off" }));
    expect(response.status).toBe(200);
  });

  it("gives the points back when Shopify refuses the reward", async () => {
    const shop = await installedShop();
    const { numericId, customerGid } = await memberWithPoints(shop, "600.00");
    // A bucket smaller than the mutation's cost: Shopify answers MAX_COST_EXCEEDED, which no wait can fix.
    sandboxOf().control.setThrottle({ shop, maximumAvailable: 5, restoreRate: 5 });
    const response = await post(shop, numericId, JSON.stringify({ optionId: "five-off" }));
    expect(response.status).toBe(422);
    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
    );
    expect(row).toMatchObject({ pointsBalance: 700, lifetimeRedeemed: 0 });
    expect(await db.select().from(rewards).where(eq(rewards.shop, shop))).toMatchObject([{ status: "failed" }]);
  });
});

/** The query Shopify forwards for a storefront request: the shopper's own parameters first, then Shopify's. */
function forwarded(shop: string, shopperParams: Array<[string, string]>, loggedInAs = ""): Array<[string, string]> {
  return [
    ...shopperParams,
    ["shop", shop],
    ["logged_in_customer_id", loggedInAs],
    ["path_prefix", "/apps/tally"],
    ["timestamp", String(Math.floor(Date.now() / 1000))],
  ];
}

describe("a signed parameter that appears more than once", () => {
  it("is a genuine Shopify signature: the library alone would accept it", async () => {
    const shop = await installedShop();
    const request = signedProxyRequest({
      path: "/v1/me",
      params: forwarded(shop, [["logged_in_customer_id", "1234"]]),
    });
    const query = new URL(request.url).searchParams;
    const library = shopifyApi({
      apiKey: process.env.SHOPIFY_API_KEY ?? "",
      apiSecretKey: process.env.SHOPIFY_API_SECRET ?? "",
      apiVersion: ApiVersion.October26,
      hostName: "tally.test",
      isEmbeddedApp: true,
    });
    await expect(library.utils.validateHmac(query, { signator: "appProxy" })).resolves.toBe(true);
  });

  it("v1/me refuses a shopper who adds the victim's logged_in_customer_id, and shows nobody's points", async () => {
    const shop = await installedShop();
    const victim = await memberWithPoints(shop, "420.00");
    for (const params of [
      // Logged out, the victim's id ahead of Shopify's empty one; and the other way round.
      forwarded(shop, [["logged_in_customer_id", victim.numericId]]),
      [...forwarded(shop, []), ["logged_in_customer_id", victim.numericId]] as Array<[string, string]>,
      // Logged in as someone else.
      forwarded(shop, [["logged_in_customer_id", victim.numericId]], "1000000000001"),
    ]) {
      const response = await answerOf(() => me(args(signedProxyRequest({ path: "/v1/me", params }))));
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain("logged_in_customer_id");
      expect(text).not.toContain("520");
    }
  });

  it("v1/redeem refuses the same request, and the victim keeps every point", async () => {
    const shop = await installedShop();
    const victim = await memberWithPoints(shop, "600.00");
    const request = signedProxyRequest({
      path: "/v1/redeem",
      method: "POST",
      body: JSON.stringify({ optionId: "five-off" }),
      params: forwarded(shop, [["logged_in_customer_id", victim.numericId]]),
    });
    expect((await answerOf(() => redeem(args(request)))).status).toBe(400);
    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, victim.customerGid))),
    );
    expect(row).toMatchObject({ pointsBalance: 700, lifetimeRedeemed: 0 });
    expect(await db.select().from(rewards).where(eq(rewards.shop, shop))).toEqual([]);
    expect(sandboxOf().control.discountCodes({ shop })).toEqual([]);
  });

  it.each([
    ["shop", (shop: string) => shop],
    ["path_prefix", () => "/apps/other"],
    ["timestamp", () => String(Math.floor(Date.now() / 1000))],
    ["optionId", () => "five-off"],
    // The same name, percent-encoded: the reader decodes it to logged_in_customer_id too.
    ["logged%5Fin_customer_id", () => "1234"],
  ])("any other repeated parameter (%s) is refused on both endpoints", async (name, value) => {
    const shop = await installedShop();
    const { numericId } = await memberWithPoints(shop, "600.00");
    const decoded = decodeURIComponent(name);
    const params: Array<[string, string]> = [...forwarded(shop, [[decoded, value(shop)]], numericId)];
    if (decoded === "optionId") params.push(["optionId", "ten-off"]);
    const get = signedProxyRequest({ path: "/v1/me", params });
    const post = signedProxyRequest({ path: "/v1/redeem", method: "POST", body: '{"optionId":"five-off"}', params });
    expect((await answerOf(() => me(args(get)))).status).toBe(400);
    expect((await answerOf(() => redeem(args(post)))).status).toBe(400);
    expect(await db.select().from(rewards).where(eq(rewards.shop, shop))).toEqual([]);
  });

  it("a signed logged_in_customer_id that is not a Shopify customer id is refused, not read as a visitor", async () => {
    const shop = await installedShop();
    for (const id of ["12abc", "0", "-5", "1e3", " 12", "gid://shopify/Customer/1"]) {
      const request = signedProxyRequest({ path: "/v1/me", params: forwarded(shop, [], id) });
      expect((await answerOf(() => me(args(request)))).status, id).toBe(400);
    }
  });
});

describe("a shop that has uninstalled Tally", () => {
  it("gets a clear 403 from v1/me and v1/redeem, and nothing is spent", async () => {
    const shop = await installedShop();
    const { numericId, customerGid } = await memberWithPoints(shop, "600.00");
    await answerOf(() => uninstalled(args(webhookRequest({ topic: "app/uninstalled", shop, body: { id: 1 } }))));

    const view = await answerOf(async () =>
      me(args(await appProxyRequest({ shop, customerId: numericId, path: "/v1/me" }))),
    );
    expect(view.status).toBe(403);
    expect(await view.json()).toEqual({ error: "Tally is not installed on this store", code: "not_installed" });
    expect((await post(shop, numericId, JSON.stringify({ optionId: "five-off" }))).status).toBe(403);
    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
    );
    expect(row).toMatchObject({ pointsBalance: 700, lifetimeRedeemed: 0 });
  });

  it("and so does a shop that never installed it", async () => {
    const shop = neverInstalledShopDomain();
    const response = await answerOf(async () => me(args(await appProxyRequest({ shop, path: "/v1/me" }))));
    expect(response.status).toBe(403);
  });
});
