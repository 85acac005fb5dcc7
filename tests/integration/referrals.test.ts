import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, referralEvents, referrals } from "~/db/schema";
import { referralEventActorLabel } from "~/components/labels";
import { referralCountsInWords } from "~/domain/referrals";
import { getReferralFigures, listReferrals, referralCsvRecords } from "~/services/referrals/list-referrals.server";
import { getReferralProfile } from "~/services/referrals/referral-profile.server";
import { runReferralJobs } from "~/services/referrals/referral-jobs.server";
import { approveReferral, cancelReferral } from "~/services/referrals/review-referral.server";
import { shopifyReferralDiscounts } from "~/shopify/admin/referral-discounts.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { rerunMigration } from "../helpers/migrations";
import { customerRow, deliverAll, deliverToTally, referralOf, sentSince, storefront } from "../helpers/referral-flow";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const numeric = (id: string) => id.replace(/\D/g, "");

/** A shop with Tally installed the real way, and a Member advocate Tally heard of through customers/create. */
async function shopWithAdvocate(advocate: { email?: string; firstName?: string; lastName?: string } = {}) {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  await installThroughAdmin(sandbox, shop);
  const created = sandbox.control.createCustomerAccount({
    shop,
    email: advocate.email ?? "ana.okafor@example.com",
    firstName: advocate.firstName ?? "Ana",
    lastName: advocate.lastName ?? "Okafor",
    address: { address1: "12 O'Connor Street", city: "Ottawa", zip: "K1P 1J1", countryCode: "CA" },
  });
  const delivered = await deliverAll(sandbox, shop);
  return { shop, sandbox, advocateId: numeric(String(created.id)), delivered };
}

async function joined(shop: string, advocateId: string) {
  const response = await storefront.join(shop, advocateId);
  expect(response.status).toBe(200);
  return ((await response.json()) as { referral: { code: string; url: string } }).referral;
}

/**
 * Maya, an advocate who joined the referral program, and Théo, who already buys here: Tally has heard of his paid
 * order. Returns Maya's referral code and Théo's numeric customer id.
 */
async function mayaAndTheo() {
  const { shop, sandbox, advocateId } = await shopWithAdvocate({
    email: "maya.demo@example.com",
    firstName: "Maya",
    lastName: "Demo",
  });
  const { code } = await joined(shop, advocateId);
  const before = sentSince(sandbox, shop).length;
  const theo = sandbox.control.createCustomerAccount({ shop, email: "theo.demo@example.com", firstName: "Théo" });
  sandbox.control.placeOrder({ shop, customerId: String(theo.id), lines: [{ productIndex: 0, quantity: 1 }] });
  await deliverAll(sandbox, shop, before);
  return { shop, sandbox, advocateId, code, theoId: numeric(String(theo.id)) };
}

async function pointsOf(shop: string, customerId: string) {
  const row = await customerRow(shop, customerId);
  return { balance: row?.pointsBalance, pending: row?.pointsPending };
}

describe("a referral from link to reward", () => {
  it("join → claim → the friend orders with the code → Completed, the advocate rewarded and counted", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate();
    const referral = await joined(shop, advocateId);
    expect(referral).toMatchObject({ status: "joined", referees: 0, successful: 0 });
    expect(referral.code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(referral.url).toBe(`https://${shop}/apps/tally/r/${referral.code}`);

    // The friend opens the link and claims with their email.
    const page = await storefront.landing(shop, referral.code);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^application\/liquid/);
    expect(await page.text()).toContain("Ana sent you a gift");

    const claimed = await storefront.claim(shop, { code: referral.code.toLowerCase(), email: "ben@example.net" });
    expect(claimed.status).toBe(200);
    const offer = (await claimed.json()) as { discountCode: string; title: string; applyUrl: string };
    expect(offer.title).toBe("10% off your first order of $20.00 CAD or more");
    expect(offer.discountCode).toMatch(/^FRIEND-/);
    expect(offer.applyUrl).toBe(`https://${shop}/discount/${offer.discountCode}?redirect=/`);
    // A real, single-use code in Shopify, for anyone's first use, with the offer's minimum.
    const code = sandbox.control.discountCodes({ shop }).find((discount) => discount.code === offer.discountCode);
    expect(code).toMatchObject({
      usageLimit: 1,
      appliesOncePerCustomer: true,
      minimumSubtotalCents: 2000,
      customerIds: "all",
      value: { percentage: 0.1 },
    });

    // The friend checks out with the code; Shopify's webhooks reach Tally.
    const before = sentSince(sandbox, shop).length;
    const friend = sandbox.control.createCustomerAccount({ shop, email: "ben@example.net", firstName: "Ben" });
    const order = sandbox.control.placeOrder({
      shop,
      customerId: String(friend.id),
      lines: [{ productIndex: 0, quantity: 1 }],
      discountCode: offer.discountCode,
      shippingAddress: { address1: "88 Bank Street", city: "Ottawa", zip: "K1P 5N2", countryCode: "CA" },
    });
    await deliverAll(sandbox, shop, before);

    const stored = await referralOf(shop, "ben@example.net");
    expect(stored).toMatchObject({ status: "completed", orderTotalMinor: order.totalCents, currency: "CAD" });
    expect(stored?.state.rewardProgress).toBe("held");
    // 500 referral points, held for the 30-day return window, on top of the advocate's sign-up bonus.
    expect(await pointsOf(shop, advocateId)).toEqual({ balance: 100, pending: 500 });
    const advocate = await customerRow(shop, advocateId);
    expect(advocate).toMatchObject({ successfulReferrals: 1, refereeRevenueMinor: order.totalCents });
    const me = (await (await storefront.me(shop, advocateId)).json()) as {
      referral: unknown;
      customer: { pendingReleases: unknown[] };
      activity: Array<{ kind: string; points: number; pending: boolean }>;
    };
    expect(me.referral).toEqual({ ...referral, referees: 1, successful: 1 });
    // The advocate's panel: the reward on its own line (not "From a merged account"), and when it becomes spendable.
    expect(me.activity[0]).toMatchObject({ kind: "referral", points: 500, pending: true });
    expect(me.customer.pendingReleases).toEqual([
      { source: "referral", orderName: null, points: 500, releaseAt: stored!.state.releaseAt, holdDays: 30 },
    ]);

    // The return window ends: the jobs release the points, once.
    const ctx = { ...contextFor(shop, "tally-jobs"), now: new Date(Date.now() + 31 * 86_400_000) };
    const { admin } = await unauthenticated.admin(shop);
    expect((await runReferralJobs({ ctx, gateway: shopifyReferralDiscounts(admin.graphql) })).released).toBe(1);
    expect((await runReferralJobs({ ctx, gateway: shopifyReferralDiscounts(admin.graphql) })).released).toBe(0);
    expect(await pointsOf(shop, advocateId)).toEqual({ balance: 600, pending: 0 });
    const story = await db
      .select({ kind: referralEvents.kind, explanation: referralEvents.explanation })
      .from(referralEvents)
      .where(and(eq(referralEvents.shop, shop), eq(referralEvents.referralId, stored!.id)))
      .orderBy(asc(referralEvents.id));
    expect(story.map((event) => event.kind)).toEqual(["claimed", "completed", "released"]);
  });

  it("lists the friend's welcome code in her Rewards panel once she has an account, to her only, and marks it used", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    type Me = { rewards: Array<{ code: string; title: string; used: boolean; kind: string; titleTerms: unknown }> };
    const rewardsOf = async (customerId: string) =>
      ((await (await storefront.me(shop, customerId)).json()) as Me).rewards;

    // She claims on the landing page, then creates her account with the same email, cased otherwise.
    const claimed = await storefront.claim(shop, { code, email: "Ben.Ortiz@Example.net" });
    const { discountCode } = (await claimed.json()) as { discountCode: string };
    let at = sentSince(sandbox, shop).length;
    const friend = sandbox.control.createCustomerAccount({ shop, email: "ben.ortiz@example.net", firstName: "Ben" });
    // The same mailbox by a +tag, a stranger: neither is the friend who claimed.
    const tagged = sandbox.control.createCustomerAccount({ shop, email: "benortiz+shop@example.net", firstName: "B" });
    const stranger = sandbox.control.createCustomerAccount({ shop, email: "zoe@example.net", firstName: "Zoe" });
    await deliverAll(sandbox, shop, at);

    const welcome = {
      code: discountCode,
      title: "10% off your first order of $20.00 CAD or more",
      used: false,
      kind: "percent_off",
      titleTerms: {
        kind: "percent_off",
        value: 10,
        currency: "CAD",
        minimumSubtotalMinor: 2000,
        valueText: null,
        minimumSubtotalText: "$20.00 CAD",
      },
    };
    expect(await rewardsOf(numeric(String(friend.id)))).toEqual([expect.objectContaining(welcome)]);
    for (const other of [numeric(String(tagged.id)), numeric(String(stranger.id)), advocateId]) {
      expect((await rewardsOf(other)).map((reward) => reward.code)).not.toContain(discountCode);
    }

    // A friend Tally already knew at the claim finds hers by her customer record.
    const known = sandbox.control.createCustomerAccount({ shop, email: "cy@example.net", firstName: "Cy" });
    await deliverAll(sandbox, shop, at);
    const cy = (await (await storefront.claim(shop, { code, email: "cy@example.net" }, "198.51.100.31")).json()) as {
      discountCode: string;
    };
    expect((await rewardsOf(numeric(String(known.id)))).map((reward) => reward.code)).toEqual([cy.discountCode]);

    // Her order uses the code: the panel says so, and it is still hers only.
    at = sentSince(sandbox, shop).length;
    sandbox.control.placeOrder({
      shop,
      customerId: String(friend.id),
      lines: [{ productIndex: 0, quantity: 1 }],
      discountCode,
    });
    await deliverAll(sandbox, shop, at);
    expect(await rewardsOf(numeric(String(friend.id)))).toEqual([expect.objectContaining({ ...welcome, used: true })]);
    expect((await rewardsOf(numeric(String(stranger.id)))).map((reward) => reward.code)).not.toContain(discountCode);
  });

  it("gives the same mailbox the same code, with or without dots and +tags, and one referral", async () => {
    const { shop, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    const first = await (await storefront.claim(shop, { code, email: "Ben.Ortiz@example.net" })).json();
    const again = await (await storefront.claim(shop, { code, email: "benortiz+deal@EXAMPLE.net" })).json();
    expect(again.discountCode).toBe(first.discountCode);
    const rows = await db.select().from(referrals).where(eq(referrals.shop, shop));
    expect(rows).toHaveLength(1);
  });

  it("turns an own-link claim stored as Blocked before own_link existed into one, and leaves other blocked ones", async () => {
    const { shop, advocateId } = await shopWithAdvocate({ email: "ana.okafor@gmail.com" });
    const { code } = await joined(shop, advocateId);
    expect((await storefront.claim(shop, { code, email: "anaokafor+x@gmail.com" })).status).toBe(409);
    const ownLink = (await referralOf(shop, "anaokafor+x@gmail.com"))!;
    // As the claim stored it before: blocked, waiting for review, with the same_email signal.
    const { db: shopDb } = contextFor(shop, "test");
    const asBlocked = { ...ownLink.state, status: "blocked" as const, review: "flagged" as const };
    await shopDb
      .update(referrals)
      .set({ status: "blocked", review: "flagged", state: asBlocked })
      .where(eq(referrals.id, ownLink.id));
    // A referral blocked for another reason, with a friend of its own: it stays blocked.
    const otherSignals = [{ ...ownLink.state.signals[0]!, code: "same_address" as const }];
    const [other] = await shopDb
      .insert(referrals)
      .values({
        ...ownLink,
        id: undefined,
        referralKey: `${ownLink.referralKey}-other`,
        friendEmail: "pat@example.net",
        friendEmailKey: "pat@example.net",
        friendSearch: "pat@example.net",
        status: "blocked",
        review: "flagged",
        state: { ...asBlocked, signals: otherSignals },
      })
      .returning();
    expect((await getReferralFigures({ ctx: contextFor(shop, "test") })).counts).toMatchObject({
      blocked: 2,
      own_link: 0,
    });

    await rerunMigration({ sqlite: "0029_own-link-referrals", postgres: "0016_own-link-referrals" });

    expect(await referralOf(shop, "anaokafor+x@gmail.com")).toMatchObject({
      status: "own_link",
      review: null,
      state: expect.objectContaining({ status: "own_link", review: null }),
    });
    expect(await referralOf(shop, "pat@example.net")).toMatchObject({
      id: other!.id,
      status: "blocked",
      review: "flagged",
    });
    expect((await getReferralFigures({ ctx: contextFor(shop, "test") })).counts).toMatchObject({
      blocked: 1,
      own_link: 1,
    });
  });

  it("refuses a self-referral with a +tag email and says why to the shopper; it is kept as an own-link claim", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate({ email: "ana.okafor@gmail.com" });
    const { code } = await joined(shop, advocateId);
    const response = await storefront.claim(shop, { code, email: "anaokafor+friend@gmail.com" });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      code: "conflict",
      reason: "You can't use your own referral link. Share it with a friend instead.",
    });
    const stored = await referralOf(shop, "anaokafor+friend@gmail.com");
    expect(stored).toMatchObject({ status: "own_link", score: 100, review: null });
    expect(stored?.state.signals.map((signal) => signal.reason)).toEqual([
      "The friend's email reaches the advocate's own mailbox once case, dots and +tags are set aside",
    ]);
    // No code was printed for it.
    expect(sandbox.control.discountCodes({ shop })).toEqual([]);
  });

  it("a refused own-link claim is no referral: not in the rates, the review queue, the referees or the export", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate({ email: "maya.demo@example.com", firstName: "Maya" });
    const { code } = await joined(shop, advocateId);
    expect((await storefront.claim(shop, { code, email: "Maya.Demo+x@Example.com" })).status).toBe(409);
    // Asked again with the same mailbox: the same answer, still one row.
    const again = await storefront.claim(shop, { code, email: "maya.demo+y@example.com" });
    expect(again.status).toBe(409);
    expect((await again.json()).reason).toBe("You can't use your own referral link. Share it with a friend instead.");

    // A real friend claims from their own network and orders: the one referral, completed.
    const offer = (await (
      await storefront.claim(shop, { code, email: "ben@example.net" }, "198.51.100.30")
    ).json()) as {
      discountCode: string;
    };
    const before = sentSince(sandbox, shop).length;
    const friend = sandbox.control.createCustomerAccount({ shop, email: "ben@example.net", firstName: "Ben" });
    sandbox.control.placeOrder({
      shop,
      customerId: String(friend.id),
      lines: [{ productIndex: 0, quantity: 1 }],
      discountCode: offer.discountCode,
    });
    await deliverAll(sandbox, shop, before);

    const ctx = contextFor(shop, "test");
    const figures = await getReferralFigures({ ctx });
    expect(figures).toMatchObject({
      total: 1,
      completionRate: 100,
      waitingForReview: 0,
      counts: { pending: 0, completed: 1, blocked: 0, cancelled: 0, own_link: 1 },
    });
    expect((await listReferrals({ ctx, input: { tab: "review", limit: 50 } })).rows).toEqual([]);
    expect((await listReferrals({ ctx, input: { tab: "blocked", limit: 50 } })).rows).toEqual([]);
    const refused = (await listReferrals({ ctx, input: { tab: "own_link", limit: 50 } })).rows;
    expect(refused).toMatchObject([
      { status: "own_link", needsReview: false, friend: { email: "Maya.Demo+x@Example.com" } },
    ]);

    // The advocate's own figures: one referee (Ben), one successful, on the storefront and the profile alike.
    const me = (await (await storefront.me(shop, advocateId)).json()) as { referral: unknown };
    expect(me.referral).toMatchObject({ referees: 1, successful: 1 });
    const customer = await customerRow(shop, advocateId);
    const profile = await getReferralProfile({ ctx, input: { customerId: customer!.id } });
    expect(profile.summary).toMatchObject({ referees: 1, successful: 1 });
    expect(profile.referrals.map((row) => [row.friendEmail, row.status, row.needsReview])).toEqual([
      ["ben@example.net", "completed", false],
      ["Maya.Demo+x@Example.com", "own_link", false],
    ]);
    expect(customer).toMatchObject({ successfulReferrals: 1 });

    // The export says what it was, and nothing waits for review.
    const records: string[][] = [];
    for await (const record of referralCsvRecords({ ctx })) records.push(record);
    expect(records.map((record) => [record[1], record[2], record[8]])).toEqual([
      ["own_link", "no", "Maya.Demo+x@Example.com"],
      ["completed", "no", "ben@example.net"],
    ]);

    // Nothing to decide on it: approving or cancelling it is refused with a reason (409).
    const staff = { ...contextFor(shop, "staff"), actorName: "Sam Staff" };
    const { admin } = await unauthenticated.admin(shop);
    await expect(approveReferral({ ctx: staff, input: { referralId: refused[0]!.id } })).rejects.toMatchObject({
      code: "conflict",
      message: "The shopper used their own referral link: there is no friend to approve",
    });
    await expect(
      cancelReferral({
        ctx: staff,
        input: { referralId: refused[0]!.id },
        gateway: shopifyReferralDiscounts(admin.graphql),
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(await referralOf(shop, "maya.demo+x@example.com")).toMatchObject({ status: "own_link" });
  });

  it("an existing customer's refused try is no referral: not a referee, not pending or blocked, no Approve, told as a try", async () => {
    // Théo already buys here: Tally heard of his paid order.
    const { shop, sandbox, advocateId, code } = await mayaAndTheo();

    // Signed out, he opens Maya's link: refused, no code; asked again, the same answer.
    for (let attempt = 0; attempt < 2; attempt++) {
      const refusedTry = await storefront.claim(shop, { code, email: "theo.demo@example.com" }, "198.51.100.40");
      expect(refusedTry.status).toBe(409);
      expect((await refusedTry.json()).reason).toBe(
        "This offer is for new customers. Thanks for shopping with us again!",
      );
    }
    expect(sandbox.control.discountCodes({ shop })).toEqual([]);
    // A real friend claims from another network: the one referral, pending.
    expect((await storefront.claim(shop, { code, email: "ben@example.net" }, "198.51.100.41")).status).toBe(200);

    const ctx = contextFor(shop, "test");
    const figures = await getReferralFigures({ ctx });
    expect(figures).toMatchObject({
      total: 1,
      waitingForReview: 0,
      counts: { pending: 1, completed: 0, blocked: 0, cancelled: 0, own_link: 0, not_new: 1 },
    });
    expect(referralCountsInWords(figures.counts, String)).toBe(
      "1 pending; 1 existing customer's try refused, not counted",
    );
    expect((await listReferrals({ ctx, input: { tab: "review", limit: 50 } })).rows).toEqual([]);
    expect((await listReferrals({ ctx, input: { tab: "blocked", limit: 50 } })).rows).toEqual([]);
    const tries = (await listReferrals({ ctx, input: { tab: "not_new", limit: 50 } })).rows;
    expect(tries).toMatchObject([
      { status: "not_new", needsReview: false, friend: { email: "theo.demo@example.com" }, friendCode: null },
    ]);

    // Maya has one referee (Ben), on her storefront panel and her profile alike.
    const me = (await (await storefront.me(shop, advocateId)).json()) as { referral: unknown };
    expect(me.referral).toMatchObject({ referees: 1, successful: 0 });
    const maya = await customerRow(shop, advocateId);
    const profile = await getReferralProfile({ ctx, input: { customerId: maya!.id } });
    expect(profile.summary).toMatchObject({ referees: 1 });
    // Each row's history as the profile words it: the try is no claim, and the shopper is not "The customer".
    const story = (row: (typeof profile.referrals)[number]) =>
      row.events.map((event) => `${event.explanation} (${referralEventActorLabel(event.actor, event.actorName)})`);
    expect(profile.referrals.map((row) => [row.friendEmail, row.status, row.needsReview, story(row)])).toEqual([
      ["ben@example.net", "pending", false, ["The friend claimed their offer (the shopper, on the storefront)"]],
      [
        "theo.demo@example.com",
        "not_new",
        false,
        [
          "An existing customer tried the offer: refused (not a new customer); no code was given (the shopper, on the storefront)",
        ],
      ],
    ]);

    // Nothing to decide on it: Approve and Cancel are refused with a reason (409).
    const staff = { ...contextFor(shop, "staff"), actorName: "Sam Staff" };
    const { admin } = await unauthenticated.admin(shop);
    await expect(approveReferral({ ctx: staff, input: { referralId: tries[0]!.id } })).rejects.toMatchObject({
      code: "conflict",
      message:
        "An existing customer tried the offer and was refused (not a new customer): there is no referral to approve",
    });
    await expect(
      cancelReferral({
        ctx: staff,
        input: { referralId: tries[0]!.id },
        gateway: shopifyReferralDiscounts(admin.graphql),
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(await referralOf(shop, "theo.demo@example.com")).toMatchObject({ status: "not_new", review: null });
  });

  it("a signed-in existing customer claims as himself: another typed email is refused as not new, and no code is made", async () => {
    const { shop, sandbox, code, theoId } = await mayaAndTheo();

    // Signed in, the page asks for no email: it claims as his account.
    const page = await (await storefront.landing(shop, code, theoId)).text();
    expect(page).toContain("Signed in as {{ customer.email | escape }}");
    expect(page).not.toContain('type="email"');

    // A made-up email, then Maya's: both judged on Théo's own record, refused as not new, never as Maya's own link.
    const notNew = "This offer is for new customers. Thanks for shopping with us again!";
    for (const email of ["brandnew.friend1@example.com", "maya.demo@example.com"]) {
      const response = await storefront.claim(shop, { code, email }, "198.51.100.50", theoId);
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ reason: notNew });
    }
    const posted = await storefront.landingPost(shop, code, "brandnew.friend2@example.com", "198.51.100.50", theoId);
    expect(posted.status).toBe(409);
    expect(await posted.text()).toContain(notNew);

    expect(sandbox.control.discountCodes({ shop })).toEqual([]);
    expect(await referralOf(shop, "brandnew.friend1@example.com")).toBeUndefined();
    expect(await referralOf(shop, "brandnew.friend2@example.com")).toBeUndefined();
    expect(await referralOf(shop, "theo.demo@example.com")).toMatchObject({ status: "not_new" });
    const figures = await getReferralFigures({ ctx: contextFor(shop, "test") });
    expect(figures.counts).toMatchObject({ pending: 0, own_link: 0, not_new: 1 });
  });

  it("a signed-in new customer gets the friend's code under her account email, whatever she typed", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    const before = sentSince(sandbox, shop).length;
    const lea = sandbox.control.createCustomerAccount({ shop, email: "lea.new@example.com", firstName: "Léa" });
    await deliverAll(sandbox, shop, before);

    const response = await storefront.claim(
      shop,
      { code, email: "someone.else@example.com" },
      "198.51.100.60",
      numeric(String(lea.id)),
    );
    expect(response.status).toBe(200);
    const { discountCode } = (await response.json()) as { discountCode: string };
    expect(discountCode).toMatch(/^FRIEND-/);
    const lea_ = await customerRow(shop, numeric(String(lea.id)));
    expect(await referralOf(shop, "lea.new@example.com")).toMatchObject({
      status: "pending",
      friendCustomerId: lea_!.id,
    });
    expect(await referralOf(shop, "someone.else@example.com")).toBeUndefined();
    // Signed in with no email typed at all (the landing page's form), she gets the same code back.
    const again = await storefront.landingPost(shop, code, "", "198.51.100.60", numeric(String(lea.id)));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(discountCode);
  });

  it("the advocate signed in is refused their own link whatever email they type", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    const response = await storefront.claim(
      shop,
      { code, email: "a.stranger@example.org" },
      "198.51.100.70",
      advocateId,
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      reason: "You can't use your own referral link. Share it with a friend instead.",
    });
    expect(sandbox.control.discountCodes({ shop })).toEqual([]);
    expect(await referralOf(shop, "a.stranger@example.org")).toBeUndefined();
    expect(await referralOf(shop, "ana.okafor@example.com")).toMatchObject({ status: "own_link" });
  });

  it("a claim after an existing customer's refused try from the same network names that try, not a friend's claim", async () => {
    const { shop, code } = await mayaAndTheo();

    // Signed out, from one network: his own email (refused, not new), then Maya's (refused, her own link).
    expect((await storefront.claim(shop, { code, email: "theo.demo@example.com" }, "198.51.100.80")).status).toBe(409);
    expect((await storefront.claim(shop, { code, email: "maya.demo@example.com" }, "198.51.100.80")).status).toBe(409);
    const ownLink = await referralOf(shop, "maya.demo@example.com");
    expect(ownLink).toMatchObject({ status: "own_link" });
    const reasons = ownLink!.state.signals.map((signal) => signal.reason);
    expect(reasons).toContain(
      "Claimed from the same network as an existing customer's refused try at this link, with another email",
    );
    expect(reasons.join(" ")).not.toContain("earlier friend");
  });

  it("turns an existing customer's try stored as Blocked into a refused try, and leaves a friend blocked at the order", async () => {
    const { shop, advocateId, code } = await mayaAndTheo();
    expect((await storefront.claim(shop, { code, email: "theo.demo@example.com" })).status).toBe(409);
    const tried = (await referralOf(shop, "theo.demo@example.com"))!;
    // As the claim stored it before: blocked at the claim, with the already_customer signal.
    const { db: shopDb } = contextFor(shop, "test");
    const asBlocked = { ...tried.state, status: "blocked" as const };
    await shopDb.update(referrals).set({ status: "blocked", state: asBlocked }).where(eq(referrals.id, tried.id));
    // A friend who got a code and whose order showed an earlier purchase: a real referral, blocked, reviewable.
    const atOrder = [{ ...tried.state.signals[0]!, at: "completion" as const }];
    const [other] = await shopDb
      .insert(referrals)
      .values({
        ...tried,
        id: undefined,
        referralKey: `${tried.referralKey}-other`,
        friendEmail: "pat@example.net",
        friendEmailKey: "pat@example.net",
        friendSearch: "pat@example.net",
        status: "blocked",
        orderGid: "gid://shopify/Order/1",
        state: { ...asBlocked, signals: atOrder },
      })
      .returning();
    const ctx = contextFor(shop, "test");
    expect((await getReferralFigures({ ctx })).counts).toMatchObject({ blocked: 2, not_new: 0 });

    await rerunMigration({
      sqlite: "0042_existing-customer-referral-tries",
      postgres: "0029_existing-customer-referral-tries",
    });

    expect(await referralOf(shop, "theo.demo@example.com")).toMatchObject({
      status: "not_new",
      review: null,
      state: expect.objectContaining({ status: "not_new", review: null }),
    });
    expect(await referralOf(shop, "pat@example.net")).toMatchObject({ id: other!.id, status: "blocked" });
    const figures = await getReferralFigures({ ctx });
    expect(figures).toMatchObject({ total: 1, waitingForReview: 1, counts: { blocked: 1, not_new: 1 } });
    expect((await listReferrals({ ctx, input: { tab: "review", limit: 50 } })).rows).toMatchObject([
      { friend: { email: "pat@example.net" }, needsReview: true },
    ]);
    const maya = await customerRow(shop, advocateId);
    expect((await getReferralProfile({ ctx, input: { customerId: maya!.id } })).summary).toMatchObject({ referees: 1 });
  });

  it("answers 400 with a reason for a bad email, 404 for an unknown code, and refuses non-JSON", async () => {
    const { shop, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    const bad = await storefront.claim(shop, { code, email: "ben@" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).reason).toBe(`"ben@" isn't an email address. Check it and try again.`);
    expect((await storefront.claim(shop, { code: "22222-22222", email: "ben@example.net" })).status).toBe(404);
    expect((await storefront.claim(shop, { code: "nope", email: "ben@example.net" })).status).toBe(404);
    const unknownPage = await storefront.landing(shop, "22222-22222");
    expect(unknownPage.status).toBe(404);
    expect(await unknownPage.text()).toContain("This offer isn&#39;t available");
  });

  it("redeliveries and any order of arrival change nothing: a refund before the payment still cancels", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    const { discountCode } = await (await storefront.claim(shop, { code, email: "cy@example.net" })).json();
    const before = sentSince(sandbox, shop).length;
    const friend = sandbox.control.createCustomerAccount({ shop, email: "cy@example.net", firstName: "Cy" });
    const order = sandbox.control.placeOrder({ shop, customerId: String(friend.id), discountCode });
    sandbox.control.refund({ shop, orderId: String(order.id), amountCents: 500 });
    const batch = sentSince(sandbox, shop, before);
    const paid = batch.find((delivery) => delivery.topic === "orders/paid")!;
    const refunded = batch.find((delivery) => delivery.topic === "refunds/create")!;
    // The refund overtakes the payment; both are delivered twice.
    for (const delivery of [refunded, refunded, ...batch.filter((d) => d !== paid && d !== refunded), paid, paid]) {
      expect(await deliverToTally(shop, delivery)).toBe(200);
    }
    expect(await referralOf(shop, "cy@example.net")).toMatchObject({ status: "cancelled" });
    expect(await pointsOf(shop, advocateId)).toEqual({ balance: 100, pending: 0 });
    expect(await customerRow(shop, advocateId)).toMatchObject({ successfulReferrals: 0, refereeRevenueMinor: 0 });
    const referralEntries = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.sourceType, "referral")));
    expect(referralEntries).toEqual([]);
  });

  it("a refund within the return window cancels the referral and takes the held points back, explained", async () => {
    const { shop, sandbox, advocateId } = await shopWithAdvocate();
    const { code } = await joined(shop, advocateId);
    const { discountCode } = await (await storefront.claim(shop, { code, email: "di@example.net" })).json();
    let at = sentSince(sandbox, shop).length;
    const friend = sandbox.control.createCustomerAccount({ shop, email: "di@example.net", firstName: "Di" });
    const order = sandbox.control.placeOrder({ shop, customerId: String(friend.id), discountCode });
    at = await deliverAll(sandbox, shop, at);
    expect(await pointsOf(shop, advocateId)).toEqual({ balance: 100, pending: 500 });
    sandbox.control.refund({ shop, orderId: String(order.id) });
    await deliverAll(sandbox, shop, at);
    expect(await referralOf(shop, "di@example.net")).toMatchObject({ status: "cancelled" });
    expect(await pointsOf(shop, advocateId)).toEqual({ balance: 100, pending: 0 });
    const advocate = await customerRow(shop, advocateId);
    const explanations = (
      await db
        .select({ explanation: ledgerEntries.explanation })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.customerId, advocate!.id)))
        .orderBy(asc(ledgerEntries.id))
    ).map((row) => row.explanation);
    expect(explanations.at(-1)).toBe(
      `\u2212500: referral cancelled, #${order.number} was refunded within the 30-day return window; held referral points taken back`,
    );
    const story = await first(
      db
        .select({ explanation: referralEvents.explanation })
        .from(referralEvents)
        .where(and(eq(referralEvents.shop, shop), eq(referralEvents.kind, "cancelled"))),
    );
    expect(story?.explanation).toBe(`Cancelled: #${order.number} was refunded within the 30-day return window`);
  });
});
