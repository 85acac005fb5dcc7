import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, referralAdvocates, referralRewards, referrals } from "~/db/schema";
import { defaultInvitationTemplate, renderInvitation } from "~/domain/email";
import { schedule } from "~/jobs/schedule.server";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action as redeem } from "~/routes/proxy.v1.redeem";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as referralsAction, loader as referralsLoader } from "~/routes/app.referrals";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings_.referrals";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { claimReferral } from "~/services/referrals/claim-referral.server";
import { listInvitationRecipients, prepareInvitation } from "~/services/referrals/invitations.server";
import { runReferralJobs } from "~/services/referrals/referral-jobs.server";
import type { ReferralDiscountGateway } from "~/services/referrals/referral-discounts.server";
import { shopifyReferralDiscounts } from "~/shopify/admin/referral-discounts.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { answer, customerRow, deliverAll, proxyRequest, referralOf, storefront } from "../helpers/referral-flow";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { auditActions } from "../helpers/audit";
import { samplePayload } from "../helpers/shopify-samples";
import { action as claimAction } from "~/routes/proxy.v1.referral.claim";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const numeric = (id: string | number) => String(id).replace(/\D/g, "");

async function admin<T>(
  handler: (args: Args) => Promise<T>,
  shop: string,
  path: string,
  form?: Record<string, string>,
) {
  const request = await sessionTokenRequest(
    shop,
    path,
    form ? { method: "POST", body: new URLSearchParams(form) } : {},
  );
  try {
    return await handler({ request, params: {}, context: {} } as Args);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function installed() {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  await installThroughAdmin(sandbox, shop);
  return { shop, sandbox };
}

/** A Member who joined the program: their Shopify id and code. */
async function advocate(shop: string, email: string, firstName = "Ana", lastName = "Okafor") {
  const sandbox = sandboxOf();
  const from = sandbox.control.deliveries({ shop }).length;
  const created = sandbox.control.createCustomerAccount({ shop, email, firstName, lastName });
  await deliverAll(sandbox, shop, from);
  const id = numeric(created.id);
  const { referral } = (await (await storefront.join(shop, id)).json()) as { referral: { code: string } };
  return { id, code: referral.code };
}

describe("the claim endpoint is not a discount-code printer", () => {
  it("limits claims per client network (429 with Retry-After) while other networks go on", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    const bo = await advocate(shop, "bo@example.com", "Bo", "Lind");
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const code = i % 2 === 0 ? ana.code : bo.code;
      statuses.push((await storefront.claim(shop, { code, email: `f${i}@example.net` }, "198.51.100.4")).status);
    }
    // Nine codes, then the tenth claim from one network in seven days is blocked as a burst (a fraud signal); each
    // claim after a link's first from this network was already flagged for review as the same client.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 409]);
    const burst = await referralOf(shop, "f9@example.net");
    expect(burst?.state.signals.map((signal) => signal.code)).toEqual(["same_client", "ip_burst"]);
    expect(burst?.clientFingerprint).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(burst)).not.toContain("198.51.100.4");

    const limited = await storefront.claim(shop, { code: ana.code, email: "f10@example.net" }, "198.51.100.4");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(500);
    expect((await limited.json()).code).toBe("rate_limited");
    // Another network (and an IPv6 client, limited by its /64) is not held back.
    expect((await storefront.claim(shop, { code: ana.code, email: "g@example.net" }, "2001:db8:1:2::9")).status).toBe(
      200,
    );
  });

  it("pauses a code that suddenly brings many new friends, until staff resume it", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      answers.push(
        (await storefront.claim(shop, { code: ana.code, email: `p${i}@example.net` }, `203.0.113.${i}`)).status,
      );
    }
    expect(answers).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 409]);
    const paused = await storefront.claim(shop, { code: ana.code, email: "late@example.net" }, "203.0.113.77");
    expect(await paused.json()).toMatchObject({ reason: expect.stringMatching(/paused while the store reviews it/) });
    expect((await storefront.landing(shop, ana.code)).status).toBe(404);
    // A friend who already has a code still gets it back.
    expect((await storefront.claim(shop, { code: ana.code, email: "p0@example.net" }, "203.0.113.78")).status).toBe(
      200,
    );

    const queue = await admin(referralsLoader, shop, "/app/referrals?tab=review");
    const { paused: codes } = queue as { paused: Array<{ advocateId: number; code: string }> };
    expect(codes.map((code) => code.code)).toEqual([ana.code]);
    await admin(referralsAction, shop, "/app/referrals", {
      intent: "resume",
      advocateId: String(codes[0]!.advocateId),
    });
    expect(await auditActions(shop)).toContain("referral.resume_code");
    expect((await storefront.claim(shop, { code: ana.code, email: "late@example.net" }, "203.0.113.79")).status).toBe(
      200,
    );
  });

  it("limits claims on one code per hour, even repeated for one email", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await storefront.claim(shop, { code: ana.code, email: "same@example.net" }, `192.0.2.${i % 4}`);
      if (i < 30) expect(last.status, `claim ${i + 1}`).toBe(200);
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("Retry-After"))).toBeGreaterThan(3000);
    // The landing page says it is the link's popularity, and about how long to wait, from another network too.
    const page = await storefront.landingPost(shop, ana.code, "new@example.net", "192.0.2.9");
    expect(page.status).toBe(429);
    const minutes = Math.ceil(Number(page.headers.get("Retry-After")) / 60);
    expect(minutes).toBeGreaterThan(50);
    expect(await page.text()).toContain(
      `This referral link is very popular right now. Please try again in about ${minutes} minutes.`,
    );
  });

  it("JSON only, one parameter of each name, and a signature Shopify made", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    const form = await answer(() =>
      claimAction({
        request: proxyRequest({ shop, path: "/v1/referral/claim", form: { code: ana.code, email: "x@example.net" } }),
        params: {},
        context: {},
      }),
    );
    expect(form.status).toBe(415);
    expect((await storefront.claim(shop, { email: "x@example.net" })).status).toBe(400);
    const forged = proxyRequest({ shop, path: "/v1/referral/claim", json: { code: ana.code, email: "x@example.net" } });
    const url = new URL(forged.url);
    url.searchParams.set("signature", "0".repeat(64));
    const refused = await answer(() => claimAction({ request: new Request(url, forged), params: {}, context: {} }));
    expect(refused.status).toBe(400);
  });
});

describe("joining", () => {
  it("401 for a visitor, 403 for a blocked customer, idempotent for a member, 404 with the program off", async () => {
    const { shop, sandbox } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    expect((await storefront.join(shop, undefined)).status).toBe(401);
    const again = (await (await storefront.join(shop, ana.id)).json()) as { referral: { code: string } };
    expect(again.referral.code).toBe(ana.code);
    const visitorView = (await (await answer(() => storefront.me(shop, ""))).json()) as { referral: unknown };
    expect(visitorView.referral).toBeNull();

    const from = sandbox.control.deliveries({ shop }).length;
    const bad = sandbox.control.createCustomerAccount({ shop, email: "bad@example.com", firstName: "Bad" });
    await deliverAll(sandbox, shop, from);
    const row = await customerRow(shop, numeric(bad.id));
    await db.update(customers).set({ blocked: true }).where(eq(customers.id, row!.id));
    const blocked = await storefront.join(shop, numeric(bad.id));
    expect(blocked.status).toBe(403);
    expect((await (await storefront.me(shop, numeric(bad.id))).json()).referral).toMatchObject({
      status: "not_joined",
    });

    const form = (await admin(settingsLoader, shop, "/app/settings/referrals")) as { form: Record<string, unknown> };
    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({ ...form.form, enabled: false }),
    });
    expect((await storefront.join(shop, ana.id)).status).toBe(404);
    expect((await (await storefront.me(shop, ana.id)).json()).referral).toBeNull();
  });

  it("a visitor who is not signed in is told what the program gives, and nothing once it is off", async () => {
    const { shop } = await installed();
    // The install defaults, as data the widget words in the shopper's language beside Shopify's sign-in links.
    const offer = {
      friend: {
        kind: "percent_off",
        value: 10,
        currency: "CAD",
        valueText: null,
        minimumSubtotalMinor: 2000,
        minimumSubtotalText: "$20.00 CAD",
      },
      advocate: {
        kind: "points",
        value: 500,
        currency: "CAD",
        valueText: null,
        minimumSubtotalMinor: 0,
        minimumSubtotalText: null,
      },
    };
    const visitor = async () =>
      (await (await storefront.me(shop, "")).json()) as {
        customer: unknown;
        referral: unknown;
        referralOffer: unknown;
      };
    expect(await visitor()).toMatchObject({ customer: null, referral: null, referralOffer: offer });
    // A signed-in shopper reads the same terms, in their referral and beside it; so does one Tally has not heard of.
    const ana = await advocate(shop, "ana@example.com");
    const member = (await (await storefront.me(shop, ana.id)).json()) as { referral: { offer: unknown } };
    expect(member).toMatchObject({ referral: { status: "joined", offer }, referralOffer: offer });
    expect(await (await storefront.me(shop, "7777777777777777")).json()).toMatchObject({
      customer: { known: false },
      referral: null,
      referralOffer: offer,
    });

    const form = (await admin(settingsLoader, shop, "/app/settings/referrals")) as { form: Record<string, unknown> };
    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({ ...form.form, friendKind: "free_shipping", advocateValue: "750" }),
    });
    expect(await visitor()).toMatchObject({
      referralOffer: {
        friend: { kind: "free_shipping", value: null, minimumSubtotalMinor: 2000 },
        advocate: { kind: "points", value: 750 },
      },
    });

    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({ ...form.form, enabled: false }),
    });
    expect(await visitor()).toMatchObject({ customer: null, referral: null, referralOffer: null });
    expect(await (await storefront.me(shop, ana.id)).json()).toMatchObject({ referral: null, referralOffer: null });
  });

  it("a Member has a link without asking when joining is automatic; only on request otherwise", async () => {
    const { shop, sandbox } = await installed();
    const from = sandbox.control.deliveries({ shop }).length;
    const cy = sandbox.control.createCustomerAccount({ shop, email: "cy@example.com", firstName: "Cy" });
    await deliverAll(sandbox, shop, from);
    const view = (await (await storefront.me(shop, numeric(cy.id))).json()) as {
      referral: { status: string; url: string };
    };
    expect(view.referral).toMatchObject({ status: "joined", referees: 0, successful: 0 });

    const form = (await admin(settingsLoader, shop, "/app/settings/referrals")) as { form: Record<string, unknown> };
    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({ ...form.form, joining: "on_request" }),
    });
    const at = sandbox.control.deliveries({ shop }).length;
    const di = sandbox.control.createCustomerAccount({ shop, email: "di@example.com", firstName: "Di" });
    await deliverAll(sandbox, shop, at);
    const before = (await (await storefront.me(shop, numeric(di.id))).json()) as { referral: { status: string } };
    expect(before.referral).toEqual({
      status: "not_joined",
      code: null,
      url: null,
      referees: 0,
      successful: 0,
      // The install defaults, as data the widget words in the shopper's language (decision 051).
      offer: {
        friend: {
          kind: "percent_off",
          value: 10,
          currency: "CAD",
          valueText: null,
          minimumSubtotalMinor: 2000,
          minimumSubtotalText: "$20.00 CAD",
        },
        advocate: {
          kind: "points",
          value: 500,
          currency: "CAD",
          valueText: null,
          minimumSubtotalMinor: 0,
          minimumSubtotalText: null,
        },
      },
    });
    expect((await storefront.join(shop, numeric(di.id))).status).toBe(200);
    // Cy's link, made before the change, stays theirs.
    expect((await (await storefront.me(shop, numeric(cy.id))).json()).referral.url).toBe(view.referral.url);
  });
});

describe("the landing page in the shop's theme", () => {
  it("escapes what an advocate typed, so it is shown as text and never runs as Liquid or HTML", async () => {
    const { shop } = await installed();
    const evil = await advocate(shop, "evil@example.com", "{{ shop.password }}<img src=x onerror=alert(1)>", "X");
    const page = await storefront.landing(shop, evil.code);
    const body = await page.text();
    expect(body).not.toContain("{{ shop.password }}");
    expect(body).not.toContain("<img");
    expect(body).toContain("&#123;&#123; shop.password &#125;&#125;&lt;img src=x onerror=alert(1)&gt; sent you a gift");
    // Shopify's own objects stay Liquid for Shopify to render.
    expect(body).toContain("{{ shop.name | escape }}");
    expect(body).toContain(
      `action="{% if routes.root_url != '/' %}{{ routes.root_url }}{% endif %}/apps/tally/r/${evil.code}"`,
    );
  });

  it("the form claims without JavaScript: the friend's code on the page, or the reason", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    const posted = await storefront.landingPost(shop, ana.code, "ed@example.net");
    expect(posted.status).toBe(200);
    expect(posted.headers.get("content-type")).toMatch(/^application\/liquid/);
    const code = (await referralOf(shop, "ed@example.net"))!;
    const reward = await first(db.select().from(referralRewards).where(eq(referralRewards.referralId, code.id)));
    const body = await posted.text();
    expect(body).toContain(`data-tally-referral-code>${reward!.code}<`);
    expect(body).toContain(`href="/discount/${reward!.code}?redirect={{ routes.root_url }}"`);
    const bad = await storefront.landingPost(shop, ana.code, "not an email");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("That isn&#39;t an email address.");
    const self = await storefront.landingPost(shop, ana.code, "ana+1@example.com");
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("You can&#39;t use your own referral link");
  });

  it("a friend held back for too many tries from her network is told so and for how long, not that a review is on", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    const bo = await advocate(shop, "bo@example.com", "Bo", "Lind");
    // Two links, so neither brings a burst of new friends that pauses it (the limit counts this network's every claim).
    for (let i = 0; i < 10; i++) {
      await storefront.landingPost(shop, (i % 2 ? bo : ana).code, `t${i}@example.net`, "198.51.100.7");
    }
    const limited = await storefront.landingPost(shop, ana.code, "t10@example.net", "198.51.100.7");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(540);
    const body = await limited.text();
    // Ten minutes' window, a few seconds used: "about 10 minutes", in every language the page speaks.
    expect(Math.ceil(retryAfter / 60)).toBe(10);
    expect(body).toContain("Too many tries from your connection. Please try again in about 10 minutes.");
    expect(body).toContain("Trop de tentatives depuis votre connexion. Réessayez dans environ 10 minutes.");
    expect(body).toContain("Zu viele Versuche von deiner Verbindung. Bitte versuche es in etwa 10 Minuten erneut.");
    expect(body).toContain("Vuelve a intentarlo dentro de 10 minutos aproximadamente.");
    expect(body).not.toMatch(/review|vérifié|geprüft|revisión/);
    // No button to press again at once (it would be refused again): a way into the store instead.
    expect(body).not.toContain("<form");
    expect(body).toContain('<a class="button" href="{{ routes.root_url }}">Visit {{ shop.name | escape }}</a>');
  });
});

describe("Shopify's answer lost after the code was created", () => {
  it("reserve-call-confirm: the claim says try again, the jobs confirm the code, the next claim gets the same one", async () => {
    const { shop, sandbox } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    const { admin: client } = await unauthenticated.admin(shop);
    const real = shopifyReferralDiscounts(client.graphql);
    const lost: ReferralDiscountGateway = {
      ...real,
      create: async (discount) => {
        await real.create(discount);
        throw new Error("socket hang up");
      },
    };
    const ctx = contextFor(shop, "storefront");
    await expect(
      claimReferral({
        ctx,
        input: { code: ana.code, email: "fi@example.net", clientFingerprint: null },
        gateway: lost,
      }),
    ).rejects.toMatchObject({ code: "shopify_unavailable" });
    const reserved = await first(db.select().from(referralRewards).where(eq(referralRewards.shop, shop)));
    expect(reserved?.status).toBe("reserved");
    expect(sandbox.control.discountCodes({ shop }).map((code) => code.code)).toEqual([reserved!.code]);

    const later = { ...contextFor(shop, "tally-jobs"), now: new Date(Date.now() + 5 * 60_000) };
    expect((await runReferralJobs({ ctx: later, gateway: real })).codes).toMatchObject({ issued: 1 });
    const again = await claimReferral({
      ctx,
      input: { code: ana.code, email: "fi@example.net", clientFingerprint: null },
      gateway: real,
    });
    expect(again.discountCode).toBe(reserved!.code);
    expect(sandbox.control.discountCodes({ shop })).toHaveLength(1);
  });
});

describe("referrals follow people", () => {
  it("a customers/merge moves the advocate's referrals, counters, code and date joined to the customer kept", async () => {
    const { shop, sandbox } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    let at = sandbox.control.deliveries({ shop }).length;
    const { discountCode } = await (await storefront.claim(shop, { code: ana.code, email: "gi@example.net" })).json();
    const gi = sandbox.control.createCustomerAccount({ shop, email: "gi@example.net", firstName: "Gi" });
    const order = sandbox.control.placeOrder({ shop, customerId: String(gi.id), discountCode });
    const kept = sandbox.control.createCustomerAccount({ shop, email: "ana.new@example.com", firstName: "Ana" });
    at = await deliverAll(sandbox, shop, at);
    const joinedAt = (await customerRow(shop, ana.id))!.referralJoinedAt;
    expect(joinedAt).not.toBeNull();
    // The kept account is a Member too, so in the program (joining automatic) since after Ana.
    const keptJoinedAt = (await customerRow(shop, numeric(kept.id)))!.referralJoinedAt;
    expect(Date.parse(keptJoinedAt!)).toBeGreaterThanOrEqual(Date.parse(joinedAt!));
    sandbox.control.mergeCustomers({ shop, keptId: String(kept.id), mergedId: ana.id });
    await deliverAll(sandbox, shop, at);

    const keptRow = await customerRow(shop, numeric(kept.id));
    const mergedRow = await customerRow(shop, ana.id);
    expect(keptRow).toMatchObject({
      successfulReferrals: 1,
      refereeRevenueMinor: order.totalCents,
      pointsPending: 500,
      // The directory's "joined the referral program" follows the code to the customer kept: the earlier date.
      referralJoinedAt: joinedAt,
    });
    expect(mergedRow).toMatchObject({
      successfulReferrals: 0,
      refereeRevenueMinor: 0,
      pointsPending: 0,
      referralJoinedAt: null,
    });
    expect(await referralOf(shop, "gi@example.net")).toMatchObject({ advocateCustomerId: keptRow!.id });
    // Ana's old link still works, for the customer kept.
    const codeRow = await first(
      db
        .select()
        .from(referralAdvocates)
        .where(and(eq(referralAdvocates.shop, shop), eq(referralAdvocates.code, ana.code))),
    );
    expect(codeRow).toMatchObject({ customerId: keptRow!.id, mergedFromCustomerId: mergedRow!.id });
    expect((await storefront.claim(shop, { code: ana.code, email: "hu@example.net" })).status).toBe(200);
    expect(await referralOf(shop, "hu@example.net")).toMatchObject({ advocateCustomerId: keptRow!.id });
  });

  it("customers/redact erases the email a friend typed; the referral stays, anonymous", async () => {
    const { shop } = await installed();
    const ana = await advocate(shop, "ana@example.com");
    await storefront.claim(shop, { code: ana.code, email: "jo@example.net" });
    const body = {
      ...samplePayload("customers/redact"),
      shop_domain: shop,
      customer: { id: 999001, email: "jo@example.net", phone: null },
      orders_to_redact: [],
    };
    expect((await deliverWebhook(customersRedact, "customers/redact", shop, body)).status).toBe(200);
    const rows = await db.select().from(referrals).where(eq(referrals.shop, shop));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ friendEmail: null, friendEmailKey: null, friendSearch: null });
    expect(JSON.stringify(rows[0])).not.toContain("jo@example.net");
  });
});

describe("the seam for invitations by email", () => {
  it("lists who an invitation would reach and why the others are skipped, and prepares each email's link", async () => {
    const { shop, sandbox } = await installed();
    const from = sandbox.control.deliveries({ shop }).length;
    const subscribed = sandbox.control.createCustomerAccount({ shop, email: "mo@example.com", firstName: "Mo" });
    const quiet = sandbox.control.createCustomerAccount({ shop, email: "ne@example.com", firstName: "Ne" });
    const blocked = sandbox.control.createCustomerAccount({ shop, email: "ol@example.com", firstName: "Ol" });
    // Consent reaches Tally on its own topic (customer payloads carry none since 2025-01).
    for (const customer of [subscribed, blocked]) {
      sandbox.control.setMarketingConsent({ shop, customerId: String(customer.id), subscribed: true });
    }
    await deliverAll(sandbox, shop, from);
    const [mo, ne, ol] = await Promise.all(
      [subscribed, quiet, blocked].map(async (customer) => (await customerRow(shop, numeric(customer.id)))!),
    );
    await db.update(customers).set({ blocked: true }).where(eq(customers.id, ol!.id));
    const ctx = contextFor(shop, "tally-jobs");
    expect(await listInvitationRecipients({ ctx, input: { customerIds: [mo!.id, ne!.id, ol!.id, 987654] } })).toEqual([
      { customerId: mo!.id, email: "mo@example.com", firstName: "Mo", mayEmail: true, skipReason: null },
      { customerId: ne!.id, email: "ne@example.com", firstName: "Ne", mayEmail: false, skipReason: "not_subscribed" },
      { customerId: ol!.id, email: "ol@example.com", firstName: "Ol", mayEmail: false, skipReason: "blocked" },
      { customerId: 987654, email: null, firstName: null, mayEmail: false, skipReason: "not_found" },
    ]);
    const details = await prepareInvitation({ ctx, input: { customerId: mo!.id } });
    expect(details).toMatchObject({
      email: "mo@example.com",
      firstName: "Mo",
      // In the shop's money-with-currency format, read at install, as the storefront writes it (decision 041).
      friendOffer: "10% off their first order of $20.00 CAD or more",
      advocateReward: "500 points",
    });
    expect(details.url).toBe(`https://${shop}/apps/tally/r/${details.code}`);
    // The same link the widget shows, however many invitations are prepared.
    expect((await prepareInvitation({ ctx, input: { customerId: mo!.id } })).code).toBe(details.code);
    const me = (await (await storefront.me(shop, numeric(subscribed.id))).json()) as { referral: { code: string } };
    expect(me.referral.code).toBe(details.code);
  });
});

describe("the invitation's terms", () => {
  it("names the advocate's discount with its minimum order, as the storefront's referral box does", async () => {
    const { shop } = await installed();
    const form = (await admin(settingsLoader, shop, "/app/settings/referrals")) as { form: Record<string, unknown> };
    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({
        ...form.form,
        advocateKind: "percent_off",
        advocateValue: "15",
        advocateMinimum: "50.00",
      }),
    });
    const ana = await advocate(shop, "ana@example.com");
    const ctx = contextFor(shop, "tally-jobs");
    const [row] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, `gid://shopify/Customer/${ana.id}`)));
    const details = await prepareInvitation({ ctx, input: { customerId: row!.id } });
    // Filled as the invitation task fills it (queueInvitations), with Tally's default template.
    const email = renderInvitation(defaultInvitationTemplate, {
      ...details,
      referralLink: details.url,
      storefrontLink: details.rewardsUrl,
      friendReward: details.friendOffer,
    });
    expect(email.text).toContain(
      "Share your link with friends: they get 10% off their first order of $20.00 CAD or more, and you get 15% off an " +
        "order of $50.00 CAD or more for each friend's first order.",
    );
    // The widget's box words the same terms: the advocate's minimum comes with them.
    const me = (await (await storefront.me(shop, ana.id)).json()) as {
      referral: { offer: { advocate: { value: number; minimumSubtotalText: string } } };
    };
    expect(me.referral.offer.advocate).toMatchObject({ value: 15, minimumSubtotalText: "$50.00 CAD" });
  });
});

describe("referrer revenue (seed 002): what the advocate paid using rewards earned from referrals", () => {
  it("counts an advocate's order paid with their referral discount code, once", async () => {
    const { shop, sandbox } = await installed();
    const form = (await admin(settingsLoader, shop, "/app/settings/referrals")) as { form: Record<string, unknown> };
    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({
        ...form.form,
        advocateKind: "fixed_amount_off",
        advocateValue: "10.00",
        advocateMinimum: "",
        pendingDays: "0",
      }),
    });
    const ana = await advocate(shop, "ana@example.com");
    let at = sandbox.control.deliveries({ shop }).length;
    const { discountCode } = await (await storefront.claim(shop, { code: ana.code, email: "ko@example.net" })).json();
    const ko = sandbox.control.createCustomerAccount({ shop, email: "ko@example.net", firstName: "Ko" });
    sandbox.control.placeOrder({ shop, customerId: String(ko.id), discountCode });
    at = await deliverAll(sandbox, shop, at);

    // The advocate's reward is created in Shopify by the scheduler's referral job, for the advocate only.
    expect(sandbox.control.discountCodes({ shop }).some((code) => code.code.startsWith("THANKS-"))).toBe(false);
    await runShopJobs(shop, { jobs: schedule.filter((job) => job.name === "settle referrals") });
    const thanks = sandbox.control.discountCodes({ shop }).find((code) => code.code.startsWith("THANKS-"));
    expect(thanks).toMatchObject({ customerIds: [ana.id], usageLimit: 1, value: { amountCents: 1000 } });
    expect(() => sandbox.control.placeOrder({ shop, customerId: String(ko.id), discountCode: thanks!.code })).toThrow(
      /isn't available to you/,
    );

    const own = sandbox.control.placeOrder({ shop, customerId: ana.id, discountCode: thanks!.code });
    const paid = sandbox.control.deliveries({ shop, topic: "orders/paid" }).at(-1)!;
    await deliverAll(sandbox, shop, at);
    await deliverAll(sandbox, shop, sandbox.control.deliveries({ shop }).indexOf(paid));
    expect(await customerRow(shop, ana.id)).toMatchObject({ referrerRevenueMinor: own.totalCents });
    const reward = await first(
      db
        .select()
        .from(referralRewards)
        .where(and(eq(referralRewards.shop, shop), eq(referralRewards.role, "advocate"))),
    );
    expect(reward).toMatchObject({ status: "used" });
  });

  it("counts the share of a points reward that referral points paid for", async () => {
    const { shop, sandbox } = await installed();
    const form = (await admin(settingsLoader, shop, "/app/settings/referrals")) as { form: Record<string, unknown> };
    await admin(settingsAction, shop, "/app/settings/referrals", {
      settings: JSON.stringify({ ...form.form, pendingDays: "0" }),
    });
    const ana = await advocate(shop, "ana@example.com");
    let at = sandbox.control.deliveries({ shop }).length;
    const { discountCode } = await (await storefront.claim(shop, { code: ana.code, email: "lu@example.net" })).json();
    const lu = sandbox.control.createCustomerAccount({ shop, email: "lu@example.net", firstName: "Lu" });
    sandbox.control.placeOrder({ shop, customerId: String(lu.id), discountCode });
    at = await deliverAll(sandbox, shop, at);
    // 100 for signing up and 500 for the referral: the 500-point reward is paid with referral points first.
    expect((await customerRow(shop, ana.id))?.pointsBalance).toBe(600);
    const redeemed = await answer(() =>
      redeem({
        request: proxyRequest({ shop, path: "/v1/redeem", customerId: ana.id, json: { optionId: "five-off" } }),
        params: {},
        context: {},
      }),
    );
    const { reward } = (await redeemed.json()) as { reward: { code: string } };
    const own = sandbox.control.placeOrder({
      shop,
      customerId: ana.id,
      discountCode: reward.code,
      lines: [{ productIndex: 4, quantity: 1 }],
    });
    at = await deliverAll(sandbox, shop, at);
    expect(await customerRow(shop, ana.id)).toMatchObject({ referrerRevenueMinor: own.totalCents });
    // A second reward finds no referral points left to attribute: its order is not referrer revenue.
    const anaRow = await customerRow(shop, ana.id);
    await adjustPoints({
      ctx: contextFor(shop, "staff"),
      input: { customerId: anaRow!.id, points: 500, reason: "goodwill", requestId: "r-1" },
    });
    const second = (await (
      await answer(() =>
        redeem({
          request: proxyRequest({ shop, path: "/v1/redeem", customerId: ana.id, json: { optionId: "five-off" } }),
          params: {},
          context: {},
        }),
      )
    ).json()) as { reward: { code: string } };
    sandbox.control.placeOrder({ shop, customerId: ana.id, discountCode: second.reward.code });
    await deliverAll(sandbox, shop, at);
    expect((await customerRow(shop, ana.id))?.referrerRevenueMinor).toBe(own.totalCents);
  });
});
