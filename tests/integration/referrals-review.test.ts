import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, referralEvents, referrals } from "~/db/schema";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { loader as directoryLoader } from "~/routes/app.customers";
import { action as referralsAction, loader as referralsLoader } from "~/routes/app.referrals";
import { loader as exportLoader } from "~/routes/app.referrals_.export";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings_.referrals";
import { getProgram } from "~/services/program/get-program.server";
import { saveProgram } from "~/services/program/save-program.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { customerRow, deliverAll, referralOf, storefront } from "../helpers/referral-flow";
import { auditActions } from "../helpers/audit";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const numeric = (id: string | number) => String(id).replace(/\D/g, "");
const home = { address1: "12 O'Connor Street", city: "Ottawa", zip: "K1P 1J1", countryCode: "CA" };

async function admin<T>(
  handler: (args: Args) => Promise<T>,
  shop: string,
  path: string,
  init: { form?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<T | Response> {
  const request = await sessionTokenRequest(
    shop,
    path,
    init.form ? { method: "POST", body: new URLSearchParams(init.form) } : {},
  );
  try {
    return await handler({ request, params: init.params ?? {}, context: {} } as Args);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function setUp() {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  await installThroughAdmin(sandbox, shop);
  const ana = sandbox.control.createCustomerAccount({
    shop,
    email: "ana@example.com",
    firstName: "Ana",
    lastName: "Okafor",
    address: home,
  });
  let at = await deliverAll(sandbox, shop);
  const advocateId = numeric(ana.id);
  const join = await storefront.join(shop, advocateId);
  const { code } = ((await join.json()) as { referral: { code: string } }).referral;
  /** A friend claims, signs up and checks out with the code, shipping where `shipTo` says; Tally hears it all. */
  const friendOrders = async (email: string, shipTo: typeof home, firstName = "Ben") => {
    const { discountCode } = (await (await storefront.claim(shop, { code, email })).json()) as { discountCode: string };
    const friend = sandbox.control.createCustomerAccount({ shop, email, firstName, lastName: "Ortiz" });
    const order = sandbox.control.placeOrder({
      shop,
      customerId: String(friend.id),
      discountCode,
      shippingAddress: shipTo,
    });
    at = await deliverAll(sandbox, shop, at);
    return { order, discountCode, friendId: numeric(friend.id) };
  };
  return {
    shop,
    sandbox,
    advocateId,
    code,
    friendOrders,
    deliverNew: async () => (at = await deliverAll(sandbox, shop, at)),
  };
}

describe("the review queue", () => {
  it("flags a household: the friend's order ships to the advocate's address; Approve completes and rewards once", async () => {
    const { shop, advocateId, friendOrders } = await setUp();
    const { order } = await friendOrders("ben@example.net", { ...home, address1: "12 o'connor st" });
    const flagged = await referralOf(shop, "ben@example.net");
    expect(flagged).toMatchObject({ status: "pending", review: "flagged", score: 40 });
    expect((await customerRow(shop, advocateId))?.pointsPending).toBe(0);

    const queue = await admin(referralsLoader, shop, "/app/referrals?tab=review");
    if (queue instanceof Response) throw new Error(`queue answered ${queue.status}`);
    expect(queue.page.rows).toEqual([
      expect.objectContaining({
        id: flagged!.id,
        needsReview: true,
        reasons: ["The order ships to an address the advocate has used (a household, or the advocate)"],
        order: { name: `#${order.number}`, totalMinor: order.totalCents, currency: "CAD" },
      }),
    ]);

    const approved = await admin(referralsAction, shop, "/app/referrals", {
      form: { intent: "approve", referralId: String(flagged!.id) },
    });
    expect(approved).toMatchObject({ ok: true, status: "completed" });
    // Approving again is refused and pays nothing more.
    const again = await admin(referralsAction, shop, "/app/referrals", {
      form: { intent: "approve", referralId: String(flagged!.id) },
    });
    expect((again as Response).status).toBe(409);
    expect((await auditActions(shop)).filter((action) => action.startsWith("referral."))).toEqual(["referral.approve"]);
    expect(await customerRow(shop, advocateId)).toMatchObject({ pointsPending: 500, successfulReferrals: 1 });
    const story = await db
      .select({ kind: referralEvents.kind, actor: referralEvents.actor, actorName: referralEvents.actorName })
      .from(referralEvents)
      .where(and(eq(referralEvents.shop, shop), eq(referralEvents.referralId, flagged!.id)))
      .orderBy(asc(referralEvents.id));
    expect(story.map((event) => event.kind)).toEqual(["claimed", "flagged", "approved", "completed"]);
    // The staff member who decided is named, as Shopify named them.
    expect(story.find((event) => event.kind === "approved")).toMatchObject({ actorName: "Sam Owner" });
  });

  it("sends a second claim of one link from the same network with another email to review, naming the first code", async () => {
    const { shop, sandbox, advocateId, code, deliverNew } = await setUp();
    const claim = async (email: string, ip: string, link = code) => {
      const answer = await storefront.claim(shop, { code: link, email }, ip);
      return { status: answer.status, body: (await answer.json()) as { discountCode?: string; reason?: string } };
    };
    const first = await claim("freund.eins+x@example.de", "198.51.100.40");
    expect(await referralOf(shop, "freund.eins+x@example.de")).toMatchObject({ review: null, score: 0 });
    // The same mailbox again gets its own code back, and is no second claim.
    expect((await claim("Freund.Eins@Example.de", "198.51.100.40")).body.discountCode).toBe(first.body.discountCode);
    expect(await referralOf(shop, "freund.eins+x@example.de")).toMatchObject({ review: null, score: 0 });

    // Another mailbox from the same network: a code still (a household shares a connection), and staff review it.
    const second = await claim("freund.zwei@example.de", "198.51.100.40");
    expect(second.status).toBe(200);
    expect(second.body.discountCode).toMatch(/^FRIEND-/);
    const flagged = await referralOf(shop, "freund.zwei@example.de");
    expect(flagged).toMatchObject({ status: "pending", review: "flagged", score: 40 });
    const queue = await admin(referralsLoader, shop, "/app/referrals?tab=review");
    if (queue instanceof Response) throw new Error(`queue answered ${queue.status}`);
    expect(queue.figures.waitingForReview).toBe(1);
    expect(queue.page.rows).toEqual([
      expect.objectContaining({
        id: flagged!.id,
        needsReview: true,
        reasons: [
          `Claimed from the same network as ${first.body.discountCode}'s claim on this link, with another email (one person with two emails, or a household)`,
        ],
      }),
    ]);

    // The advocate's own refused try, then another email from that network: review too.
    expect((await claim("ana+me@example.com", "198.51.100.41")).status).toBe(409);
    expect((await claim("ana.second@example.net", "198.51.100.41")).status).toBe(200);
    expect((await referralOf(shop, "ana.second@example.net"))?.state.signals).toEqual([
      expect.objectContaining({
        code: "same_client",
        reason: "Claimed from the same network as the advocate's own refused try at this link, with another email",
      }),
    ]);

    // Another advocate's link from that network, and this link from another network, are not flagged.
    const bo = sandbox.control.createCustomerAccount({
      shop,
      email: "bo@example.com",
      firstName: "Bo",
      lastName: "Lind",
    });
    await deliverNew();
    const boLink = ((await (await storefront.join(shop, numeric(bo.id))).json()) as { referral: { code: string } })
      .referral.code;
    expect((await claim("freund.drei@example.de", "198.51.100.40", boLink)).status).toBe(200);
    expect((await claim("freund.vier@example.de", "198.51.100.42")).status).toBe(200);
    for (const email of ["freund.drei@example.de", "freund.vier@example.de"]) {
      expect(await referralOf(shop, email), email).toMatchObject({ review: null, score: 0 });
    }

    // The flagged friend's order waits for staff: the advocate earns nothing until Approve.
    const friend = sandbox.control.createCustomerAccount({ shop, email: "freund.zwei@example.de", firstName: "Zwei" });
    sandbox.control.placeOrder({ shop, customerId: String(friend.id), discountCode: second.body.discountCode! });
    await deliverNew();
    expect(await referralOf(shop, "freund.zwei@example.de")).toMatchObject({ status: "pending", review: "flagged" });
    expect(await customerRow(shop, advocateId)).toMatchObject({ pointsPending: 0, successfulReferrals: 0 });
  });

  it("Cancel voids the friend's code in Shopify, takes the advocate's reward back and names who did it", async () => {
    const { shop, sandbox, advocateId, code } = await setUp();
    const { discountCode } = (await (await storefront.claim(shop, { code, email: "cy@example.net" })).json()) as {
      discountCode: string;
    };
    const referral = await referralOf(shop, "cy@example.net");
    const cancelled = await admin(referralsAction, shop, "/app/referrals", {
      form: { intent: "cancel", referralId: String(referral!.id) },
    });
    expect(cancelled).toMatchObject({ ok: true, status: "cancelled", codesPending: 0 });
    expect(await auditActions(shop)).toContain("referral.cancel");
    const inShopify = sandbox.control.discountCodes({ shop }).find((discount) => discount.code === discountCode);
    expect(inShopify?.endsAt).not.toBeNull();
    // The friend can no longer check out with it.
    const friend = sandbox.control.createCustomerAccount({ shop, email: "cy@example.net" });
    expect(() => sandbox.control.placeOrder({ shop, customerId: String(friend.id), discountCode })).toThrow(
      /valid discount code/,
    );
    expect(await referralOf(shop, "cy@example.net")).toMatchObject({ status: "cancelled" });
    const cancel = await first(
      db
        .select()
        .from(referralEvents)
        .where(and(eq(referralEvents.shop, shop), eq(referralEvents.kind, "cancelled"))),
    );
    expect(cancel).toMatchObject({
      explanation: "Cancelled by Sam Owner; the friend's code is deactivated in Shopify",
      actorName: "Sam Owner",
    });
    // A claim with the same email is refused now.
    expect((await storefront.claim(shop, { code, email: "cy@example.net" })).status).toBe(409);
    expect((await customerRow(shop, advocateId))?.pointsPending).toBe(0);
  });

  it("Cancel after completion takes back the held points, and the directory and profile say so", async () => {
    const { shop, advocateId, friendOrders } = await setUp();
    await friendOrders("di@example.net", { address1: "5 Elgin St", city: "Ottawa", zip: "K1P 5K8", countryCode: "CA" });
    const referral = await referralOf(shop, "di@example.net");
    expect(referral?.status).toBe("completed");
    await admin(referralsAction, shop, "/app/referrals", {
      form: { intent: "cancel", referralId: String(referral!.id) },
    });
    const advocate = await customerRow(shop, advocateId);
    expect(advocate).toMatchObject({ pointsPending: 0, successfulReferrals: 0, refereeRevenueMinor: 0 });
    const last = await db
      .select({ explanation: ledgerEntries.explanation })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.customerId, advocate!.id)))
      .orderBy(asc(ledgerEntries.id));
    expect(last.at(-1)?.explanation).toBe(
      "\u2212500: referral cancelled, cancelled by Sam Owner; held referral points taken back",
    );
  });
});

describe("the Referrals page, the profile and the directory", () => {
  it("shows figures, tabs and search, and exports every referral as CSV", async () => {
    const { shop, friendOrders, code } = await setUp();
    const { order } = await friendOrders("erin@example.net", {
      address1: "1 Rideau St",
      city: "Ottawa",
      zip: "K1N 8S7",
      countryCode: "CA",
    });
    // Each from its own network: a second claim from one network is a review case of its own (below).
    await storefront.claim(shop, { code, email: "ana+me@example.com" }, "198.51.100.21");
    await storefront.claim(shop, { code, email: "fay@example.net" }, "198.51.100.22");

    const page = await admin(referralsLoader, shop, "/app/referrals?tab=completed");
    if (page instanceof Response) throw new Error(String(page.status));
    expect(page.figures).toMatchObject({
      // The advocate's own +tag address was refused on the spot: no referral, nothing to review (lifecycle.ts).
      counts: { pending: 1, completed: 1, blocked: 0, cancelled: 0, own_link: 1 },
      total: 2,
      waitingForReview: 0,
      completionRate: 100,
      refereeRevenueMinor: order.totalCents,
      currency: "CAD",
    });
    expect(page.page.rows.map((row) => row.friend.email)).toEqual(["erin@example.net"]);
    const byFriend = await admin(referralsLoader, shop, "/app/referrals?tab=pending&q=FAY");
    expect((byFriend as { page: { rows: unknown[] } }).page.rows).toHaveLength(1);
    const byAdvocate = await admin(referralsLoader, shop, "/app/referrals?tab=pending&q=Ana%20Ok");
    expect((byAdvocate as { page: { rows: unknown[] } }).page.rows).toHaveLength(1);
    const nobody = await admin(referralsLoader, shop, "/app/referrals?tab=pending&q=zed");
    expect((nobody as { page: { rows: unknown[] } }).page.rows).toHaveLength(0);

    const csv = (await admin(exportLoader, shop, "/app/referrals/export")) as Response;
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // A byte-order mark first, so spreadsheets read UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("Referral ID,Status,")).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => [row.Status, row["Friend email"], row["Order total"]])).toEqual([
      ["completed", "erin@example.net", (order.totalCents / 100).toFixed(2)],
      ["own_link", "ana+me@example.com", ""],
      ["pending", "fay@example.net", ""],
    ]);
    expect(rows[1]?.Reasons).toBe(
      "The friend's email reaches the advocate's own mailbox once case, dots and +tags are set aside",
    );
  });

  it("writes an advocate's points reward in the CSV in the program's name for its points", async () => {
    const { shop, friendOrders } = await setUp();
    const staff = contextFor(shop, "staff");
    await saveProgram({
      ctx: staff,
      input: { ...(await getProgram({ ctx: staff })).settings, pointsName: "stars ⭐", pointName: "star ⭐" },
    });
    await friendOrders("erin@example.net", {
      address1: "1 Rideau St",
      city: "Ottawa",
      zip: "K1N 8S7",
      countryCode: "CA",
    });
    const csv = (await admin(exportLoader, shop, "/app/referrals/export")) as Response;
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => row["Advocate reward"])).toEqual(["500 stars ⭐ (held)"]);
  });

  it("leaves out, from the list, its tabs' counts, search and the CSV, every referral of an advocate Shopify deleted", async () => {
    const { shop, sandbox, friendOrders, code, advocateId, deliverNew } = await setUp();
    await friendOrders("erin@example.net", {
      address1: "1 Rideau St",
      city: "Ottawa",
      zip: "K1N 8S7",
      countryCode: "CA",
    });
    // Each from its own network: a second claim from one network is a review case of its own (below).
    await storefront.claim(shop, { code, email: "ana+me@example.com" }, "198.51.100.21");
    await storefront.claim(shop, { code, email: "fay@example.net" }, "198.51.100.22");
    const cleo = sandbox.control.createCustomerAccount({ shop, email: "cleo@example.com", firstName: "Cleo" });
    await deliverNew();
    const joined = await storefront.join(shop, numeric(cleo.id));
    const cleoCode = ((await joined.json()) as { referral: { code: string } }).referral.code;
    await storefront.claim(shop, { code: cleoCode, email: "gus@example.net" });

    type Page = {
      figures: { counts: Record<string, number>; total: number; waitingForReview: number };
      page: { rows: Array<{ friend: { email: string | null } }> };
    };
    const friends = async (query: string) =>
      ((await admin(referralsLoader, shop, `/app/referrals?${query}`)) as Page).page.rows.map(
        (row) => row.friend.email,
      );
    const figures = async () => ((await admin(referralsLoader, shop, "/app/referrals?tab=pending")) as Page).figures;
    const csvFriends = async () => {
      const csv = (await admin(exportLoader, shop, "/app/referrals/export")) as Response;
      const rows = parse(await csv.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
      return rows.map((row) => row["Friend email"]);
    };
    expect(await friends("tab=completed")).toEqual(["erin@example.net"]);
    expect(await csvFriends()).toEqual([
      "erin@example.net",
      "ana+me@example.com",
      "fay@example.net",
      "gus@example.net",
    ]);

    expect(await friends("tab=pending")).toEqual(["gus@example.net", "fay@example.net"]);
    expect(await figures()).toMatchObject({ counts: { pending: 2, completed: 1, blocked: 0, own_link: 1 }, total: 3 });
    expect(await friends("tab=own_link")).toEqual(["ana+me@example.com"]);
    expect(await friends("tab=completed&q=Ana%20Ok")).toEqual(["erin@example.net"]);

    // The advocate is deleted in Shopify (she has no orders of her own): her referrals leave the tabs, their counts,
    // the review queue, the search and the export, as she left the directory; Cleo's stay. (A friend is linked by
    // their order, and Shopify deletes no customer with orders; the same condition covers one that is deleted.)
    sandbox.control.deleteCustomer({ shop, customerId: advocateId });
    await deliverNew();
    expect(await friends("tab=pending")).toEqual(["gus@example.net"]);
    expect(await friends("tab=completed")).toEqual([]);
    expect(await friends("tab=blocked")).toEqual([]);
    expect(await friends("tab=own_link")).toEqual([]);
    expect(await friends("tab=review")).toEqual([]);
    expect(await friends("tab=completed&q=Ana%20Ok")).toEqual([]);
    expect(await figures()).toMatchObject({
      counts: { pending: 1, completed: 0, blocked: 0, cancelled: 0, own_link: 0 },
      total: 1,
      waitingForReview: 0,
    });
    expect(await csvFriends()).toEqual(["gus@example.net"]);
    // The rows stay for the ledger's history: nothing was erased.
    expect(await db.select().from(referrals).where(eq(referrals.shop, shop))).toHaveLength(4);
  });

  it("lists an advocate under the directory's Joined and Has successful referrals filters, counted, once their friend's paid order completes the referral", async () => {
    const { shop, sandbox, advocateId, friendOrders, deliverNew } = await setUp();
    // A Member who never asked for a code: with joining automatic every Member is in the program (decision 019).
    const carl = sandbox.control.createCustomerAccount({ shop, email: "carl@example.com", firstName: "Carl" });
    await deliverNew();
    const advocate = await customerRow(shop, advocateId);
    const carlRow = await customerRow(shop, numeric(carl.id));
    /** Every page of the directory for these params, with the deferred count of matches. */
    const matching = async (search: string) => {
      const ids: number[] = [];
      let after: string | undefined;
      let count: unknown;
      do {
        const page = await admin(directoryLoader, shop, `/app/customers?${search}${after ? `&after=${after}` : ""}`);
        if (page instanceof Response) throw new Error(String(page.status));
        ids.push(...page.page.customers.map((customer) => customer.id));
        after = page.page.nextCursor;
        count = await page.count;
      } while (after);
      return { ids, count };
    };
    const exactly = (count: number) => ({ count, precision: "exact" });

    // Both Members are in the program (nobody opened Carl's profile); no referral has completed yet.
    const members = [carlRow!.id, advocate!.id];
    expect(await matching("referral_joined=yes")).toEqual({ ids: members, count: exactly(2) });
    expect((await matching("referral_joined=no")).ids).not.toContain(carlRow!.id);
    expect(await matching("has_referrals=yes&sort=referrals-desc")).toEqual({ ids: [], count: exactly(0) });

    const { friendId } = await friendOrders("hal@example.net", {
      address1: "40 Elgin St",
      city: "Ottawa",
      zip: "K1P 1C7",
      countryCode: "CA",
    });
    const friend = await customerRow(shop, friendId);
    expect((await referralOf(shop, "hal@example.net"))?.status).toBe("completed");

    for (const sort of ["referrals-desc", "referee-asc", "name-asc"]) {
      expect(await matching(`has_referrals=yes&sort=${sort}`), sort).toEqual({
        ids: [advocate!.id],
        count: exactly(1),
      });
    }
    // Both filters with the Members tab, and a search for any part of her name.
    expect(await matching("tab=members&referral_joined=yes&has_referrals=yes&q=okaf")).toEqual({
      ids: [advocate!.id],
      count: exactly(1),
    });
    const without = await matching("has_referrals=no");
    expect(without.ids).toEqual(expect.arrayContaining([carlRow!.id, friend!.id]));
    expect(without.ids).not.toContain(advocate!.id);
    expect(without.count).toEqual(exactly(without.ids.length));
    // The friend has an account, so is a Member: in the program too, as an advocate of their own.
    expect((await matching("referral_joined=yes")).ids).toEqual([friend!.id, ...members]);
  });

  it("shows the referral on the advocate's profile and in the directory columns, sortable", async () => {
    const { shop, advocateId, friendOrders } = await setUp();
    const { order, friendId } = await friendOrders("gus@example.net", {
      address1: "9 Bank St",
      city: "Ottawa",
      zip: "K1P 5N2",
      countryCode: "CA",
    });
    const advocate = await customerRow(shop, advocateId);
    const profile = await admin(profileLoader, shop, `/app/customers/${advocate!.id}`, {
      params: { id: String(advocate!.id) },
    });
    if (profile instanceof Response) throw new Error(String(profile.status));
    expect(profile.referral.summary).toMatchObject({
      status: "joined",
      referees: 1,
      successful: 1,
      refereeRevenueMinor: order.totalCents,
    });
    expect(profile.referral.referrals).toEqual([
      expect.objectContaining({
        friendEmail: "gus@example.net",
        status: "completed",
        order: { name: `#${order.number}`, totalMinor: order.totalCents, currency: "CAD" },
      }),
    ]);
    const friend = await customerRow(shop, friendId);
    const friendProfile = await admin(profileLoader, shop, `/app/customers/${friend!.id}`, {
      params: { id: String(friend!.id) },
    });
    if (friendProfile instanceof Response) throw new Error(String(friendProfile.status));
    expect(friendProfile.referral.rewards).toEqual([expect.objectContaining({ role: "friend", used: true })]);
    expect(friendProfile.referral.referredBy).toMatchObject({ advocateName: "Ana Okafor", status: "completed" });

    const directory = await admin(directoryLoader, shop, "/app/customers?sort=referrals-desc");
    if (directory instanceof Response) throw new Error(String(directory.status));
    expect(directory.page.customers[0]).toMatchObject({
      id: advocate!.id,
      successfulReferrals: 1,
      refereeRevenueMinor: order.totalCents,
      referrerRevenueMinor: 0,
    });
    const ascending = await admin(directoryLoader, shop, "/app/customers?sort=referee-asc");
    if (ascending instanceof Response) throw new Error(String(ascending.status));
    expect(ascending.page.customers.at(-1)?.id).toBe(advocate!.id);
  });
});

describe("Settings → Referrals", () => {
  it("saves a new version with the staff member, refuses bad fields on their paths, and new claims follow it", async () => {
    const { shop, code } = await setUp();
    const loaded = await admin(settingsLoader, shop, "/app/settings/referrals");
    if (loaded instanceof Response) throw new Error(String(loaded.status));
    expect(loaded.form).toMatchObject({
      enabled: true,
      friendKind: "percent_off",
      friendValue: "10",
      pendingDays: "30",
    });
    const bad = (await admin(settingsAction, shop, "/app/settings/referrals", {
      form: { settings: JSON.stringify({ ...loaded.form, friendValue: "150" }) },
    })) as Response;
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors["friendReward.percent"]).toEqual([
      "Percent off must be a whole number from 1 to 100",
    ]);
    const saved = await admin(settingsAction, shop, "/app/settings/referrals", {
      form: {
        settings: JSON.stringify({
          ...loaded.form,
          friendKind: "fixed_amount_off",
          friendValue: "15.00",
          friendMinimum: "",
        }),
      },
    });
    expect(saved).toMatchObject({ ok: true, changed: true, version: 2 });
    // The refused form wrote nothing; the saved version is in the audit trail.
    expect(await auditActions(shop)).toEqual(["referral_program.save"]);
    const offer = await (await storefront.claim(shop, { code, email: "hal@example.net" })).json();
    expect(offer.title).toBe("$15.00 CAD off your first order");
    const after = await admin(settingsLoader, shop, "/app/settings/referrals");
    expect((after as { versions: Array<{ version: number; actorName: string | null }> }).versions.slice(0, 2)).toEqual([
      expect.objectContaining({ version: 2, actorName: "Sam Owner" }),
      expect.objectContaining({ version: 1, actor: "tally" }),
    ]);

    // Off: links lead to a friendly page, joining and claiming answer 404.
    await admin(settingsAction, shop, "/app/settings/referrals", {
      form: { settings: JSON.stringify({ ...loaded.form, enabled: false }) },
    });
    expect((await storefront.claim(shop, { code, email: "ivy@example.net" })).status).toBe(404);
    expect((await storefront.landing(shop, code)).status).toBe(404);
    const stored = await db.select().from(referrals).where(eq(referrals.shop, shop));
    expect(stored).toHaveLength(1);
  });
});
