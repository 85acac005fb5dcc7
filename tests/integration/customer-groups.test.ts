import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customerGroups, customers } from "~/db/schema";
import { groupDiscountDoubtWords } from "~/domain/groups";
import { createFormatter } from "~/lib/format";
import { runShopJobs } from "~/jobs/scheduler.server";
import { describeAuditChange } from "~/components/audit-log";
import { groupMemberCountWords } from "~/components/customer-groups";
import { auditActionLabel } from "~/domain/audit";
import { loader as auditLoader } from "~/routes/app.audit";
import { action, loader } from "~/routes/app.groups";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { contextFor } from "~/shopify.server";
import { orderJson } from "../factories/orders";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;

async function answerOf(run: Promise<unknown>) {
  const answer = await run;
  return (answer instanceof Response ? { status: answer.status, ...(await answer.json()) } : answer) as Record<
    string,
    unknown
  >;
}

/** A shop with two customers, one tagged vip; in the sandbox's America/Toronto unless `timezone` says otherwise. */
async function shopWithVips(timezone?: string) {
  const shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop, currency: "CAD" });
  if (timezone) control.updateShop({ shop, timezone });
  const vip = control.createCustomer({ shop, email: "vip@example.com", firstName: "Vera", tags: ["vip"] });
  const other = control.createCustomer({ shop, email: "other@example.com", firstName: "Otto" });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  const post = async (fields: Record<string, string>) =>
    answerOf(
      action({
        request: await sessionTokenRequest(shop, "/app/groups", { method: "POST", body: new URLSearchParams(fields) }),
        params: {},
        context: {},
      } as Args),
    );
  const page = async (query = "") =>
    loader({ request: await sessionTokenRequest(shop, `/app/groups${query}`), params: {}, context: {} } as Args);
  const place = (customerId: string, discountCode: string) => {
    try {
      return control.placeOrder({ shop, customerId, discountCode }).discountCents;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const audit = async () =>
    (await db.select().from(auditEvents).where(eq(auditEvents.shop, shop)).orderBy(asc(auditEvents.id))).map(
      (event) => event.action,
    );
  return { shop, control, vip, other, post, page, place, audit };
}

/** `shopWithVips` with a group "VIPs" of the vip-tagged customer, and no discount. */
async function groupOfVips(timezone?: string) {
  const setup = await shopWithVips(timezone);
  const { groupId } = await setup.post({ intent: "create", name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
  return { ...setup, groupId, group: String(groupId) };
}

/**
 * `groupOfVips` with a discount given to the group: 15% off with the code VIP15 unless `discount` says otherwise (the
 * discount form's fields, `method: "automatic"` for one with no code).
 */
async function groupWithDiscount(discount: Record<string, string> = {}, timezone?: string) {
  const setup = await groupOfVips(timezone);
  const given = await setup.post({
    intent: "discount",
    groupId: setup.group,
    kind: "percentage",
    value: "15",
    currency: "CAD",
    code: "VIP15",
    ...discount,
  });
  expect(given).toMatchObject({ ok: true, intent: "discount" });
  return setup;
}

describe("Groups with discounts", () => {
  it("creates a group as a Shopify segment, lists its members, gives them a discount only they can use, and removes both", async () => {
    const { shop, control, vip, other, post, page, place, audit } = await shopWithVips();
    const created = await post({ intent: "create", name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    expect(created).toMatchObject({ ok: true, intent: "create" });
    expect(control.segments({ shop })).toEqual([
      expect.objectContaining({ name: "VIPs", query: "customer_tags CONTAINS 'vip'" }),
    ]);
    const groupId = String(created.groupId);

    const listed = await page(`?group=${groupId}`);
    expect(listed.groups).toEqual([expect.objectContaining({ name: "VIPs", discountCode: null })]);
    expect(listed.selected).toMatchObject({
      totalCount: 1,
      members: [{ customerGid: `gid://shopify/Customer/${vip.id}`, email: "vip@example.com", ordersCount: 0 }],
    });

    const discount = await post({
      intent: "discount",
      groupId,
      kind: "percentage",
      value: "15",
      currency: "CAD",
      code: "VIP15",
    });
    expect(discount).toMatchObject({ ok: true, intent: "discount" });
    expect(typeof place(String(vip.id), "VIP15")).toBe("number");
    expect(place(String(other.id), "VIP15")).toBe("The discount code isn't available to you right now");
    expect((await page()).groups[0]).toMatchObject({
      discountCode: "VIP15",
      discountKind: "percentage",
      discountValue: 15,
    });

    expect(await post({ intent: "remove", groupId })).toMatchObject({ ok: true, intent: "remove" });
    expect(control.segments({ shop })).toEqual([]);
    expect(control.discountCodes({ shop }).find((code) => code.code === "VIP15")).toBeUndefined();
    expect(await db.select().from(customerGroups).where(eq(customerGroups.shop, shop))).toEqual([]);
    expect(await audit()).toEqual(["group.create", "group.discount", "group.remove"]);
  });

  it("names each member with Tally's id of the customer, for the link to their profile", async () => {
    const { shop, vip, page, groupId } = await groupOfVips();
    const [profile] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, `gid://shopify/Customer/${vip.id}`)));
    expect((await page(`?group=${groupId}`)).selected?.members).toEqual([
      expect.objectContaining({ customerGid: `gid://shopify/Customer/${vip.id}`, customerId: profile!.id }),
    ]);
  });

  it("gives members an automatic discount with no code, ending on the chosen day, removed with the group", async () => {
    const { shop, control, vip, other, post, page, audit, groupId } = await groupOfVips();
    const attached = await post({
      intent: "discount",
      groupId: String(groupId),
      method: "automatic",
      kind: "percentage",
      value: "20",
      currency: "CAD",
      endsOn: "2099-12-31",
    });
    expect(attached).toMatchObject({ ok: true, intent: "discount" });
    const [automatic] = control.automaticDiscounts({ shop });
    // The end of Dec 31 in Toronto, the sandbox shop's zone.
    expect(automatic).toMatchObject({ title: "VIPs group discount", endsAt: "2100-01-01T04:59:59Z" });
    expect(automatic!.segmentIds).toEqual([control.segments({ shop })[0]!.id]);
    expect((await page()).groups[0]).toMatchObject({
      discountGid: `gid://shopify/DiscountAutomaticNode/${automatic!.id}`,
      discountCode: null,
      discountKind: "percentage",
      discountValue: 20,
    });
    // At checkout, with no code: the member's cart gets 20% off, anyone else's nothing.
    const order = (customerId: string) => control.placeOrder({ shop, customerId }).discountCents;
    expect(order(String(vip.id))).toBe(1800);
    expect(order(String(other.id))).toBe(0);

    expect(await post({ intent: "remove", groupId: String(groupId) })).toMatchObject({ ok: true });
    expect(control.automaticDiscounts({ shop })).toEqual([]);
    expect(order(String(vip.id))).toBe(0);
    expect(await audit()).toEqual(["group.create", "group.discount", "group.remove"]);
  });

  it.each(["code", "automatic"] as const)(
    "removes only a group's %s discount: gone in Shopify and at checkout, the group and its segment kept, audited, and a new one can be given",
    async (method) => {
      const { shop, control, vip, post, page, place, audit, groupId } = await groupOfVips();
      const give = (code: string) =>
        post({
          intent: "discount",
          groupId: String(groupId),
          method,
          kind: "amount",
          value: "5.00",
          currency: "CAD",
          ...(method === "code" ? { code } : {}),
        });
      expect(await give("VIP5")).toMatchObject({ ok: true });
      const discounts = () =>
        method === "code"
          ? control.discountCodes({ shop }).filter((code) => code.code.startsWith("VIP"))
          : control.automaticDiscounts({ shop });
      const memberSaves = () =>
        method === "code"
          ? place(String(vip.id), "VIP5")
          : control.placeOrder({ shop, customerId: String(vip.id) }).discountCents;
      expect(discounts()).toHaveLength(1);
      expect(memberSaves()).toBe(500);

      expect(await post({ intent: "remove-discount", groupId: String(groupId) })).toMatchObject({
        ok: true,
        intent: "remove-discount",
      });
      expect(discounts()).toEqual([]);
      expect(memberSaves()).toBe(method === "code" ? "Enter a valid discount code" : 0);
      const { groups } = await page();
      expect(groups).toEqual([
        expect.objectContaining({ name: "VIPs", discountGid: null, discountCode: null, discountValue: null }),
      ]);
      expect(control.segments({ shop })).toHaveLength(1);
      const [removed] = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "group.discount_remove")));
      expect(removed).toMatchObject({
        subject: "VIPs",
        before: expect.objectContaining({ kind: "amount", value: 500, currency: "CAD" }),
        after: { discountGid: null },
      });
      expect(await audit()).toEqual(["group.create", "group.discount", "group.discount_remove"]);

      // Removing it again says there is none; the group can be given a new discount.
      expect(await post({ intent: "remove-discount", groupId: String(groupId) })).toMatchObject({ status: 409 });
      expect(await give("VIP6")).toMatchObject({ ok: true });
      expect(discounts()).toHaveLength(1);
    },
  );

  it("asks a code only of a code discount, and refuses an end date in the past before asking Shopify", async () => {
    const { shop, control, post, groupId } = await groupOfVips();
    const noCode = await post({
      intent: "discount",
      groupId: String(groupId),
      method: "code",
      kind: "percentage",
      value: "10",
      currency: "CAD",
    });
    expect(noCode).toMatchObject({ status: 400, fieldErrors: { code: ["Enter the code members type at checkout"] } });
    const ended = await post({
      intent: "discount",
      groupId: String(groupId),
      method: "automatic",
      kind: "percentage",
      value: "10",
      currency: "CAD",
      endsOn: "2020-01-01",
    });
    expect(ended).toMatchObject({ status: 400, fieldErrors: { endsOn: ["The end date must be today or later"] } });
    expect(control.automaticDiscounts({ shop })).toEqual([]);
  });

  it("puts Shopify's refusals of a group on the name and the query, and keeps nothing", async () => {
    const { shop, control, post, audit } = await shopWithVips();
    control.createSegment({ shop, name: "Wholesale", query: "customer_tags CONTAINS 'wholesale'" });
    expect(await post({ intent: "create", name: "Wholesale", query: "number_of_orders > 1" })).toMatchObject({
      status: 422,
      // Which name, and what to do (it read only "Name has already been taken").
      fieldErrors: {
        name: ["A group or Shopify segment named \u201cWholesale\u201d already exists. Choose another name."],
      },
    });
    // One place, counted from 1 as a person counts; what is wrong in Shopify's meaning, and what to write.
    expect(await post({ intent: "create", name: "Gold", query: "loyalty_tier = 'gold'" })).toMatchObject({
      status: 422,
      fieldErrors: {
        query: [
          "Shopify's segments have no filter called \"loyalty_tier\" (at the start of the query). Segment filters have Shopify's own names, such as customer_tags, number_of_orders and amount_spent.",
        ],
      },
    });
    expect(await post({ intent: "create", name: "Tagged", query: "tags CONTAINS 'vip'" })).toMatchObject({
      status: 422,
      fieldErrors: {
        query: [
          'Shopify\'s segments have no filter called "tags" (at the start of the query). Did you mean customer_tags?',
        ],
      },
    });
    expect(await post({ intent: "create", name: "Many", query: "number_of_orders >" })).toMatchObject({
      status: 422,
      fieldErrors: {
        query: [expect.stringMatching(/^Shopify could not read the query at character \d+: [^()]+\.$/)],
      },
    });
    expect(await post({ intent: "create", name: " ", query: "" })).toMatchObject({
      status: 400,
      fieldErrors: { name: ["Name the group"] },
    });
    expect(control.segments({ shop }).map((segment) => segment.name)).toEqual(["Wholesale"]);
    expect(await db.select().from(customerGroups).where(eq(customerGroups.shop, shop))).toEqual([]);
    expect(await audit()).toEqual([]);
  });

  it("gives an amount off in the shop's currency, and puts Shopify's refusal of a code in use on the code", async () => {
    const { shop, control, vip, post, page, place, groupId } = await groupOfVips();
    control.createDiscountCode({ shop, code: "TAKEN", percentage: 0.1 });
    const taken = await post({
      intent: "discount",
      groupId: String(groupId),
      kind: "amount",
      value: "5.00",
      currency: "CAD",
      code: "TAKEN",
    });
    expect(taken).toMatchObject({ status: 422, fieldErrors: { code: [expect.stringMatching(/unique/i)] } });
    expect((await page()).groups[0]).toMatchObject({ discountCode: null });

    const amount = await post({
      intent: "discount",
      groupId: String(groupId),
      kind: "amount",
      value: "5.00",
      currency: "CAD",
      code: "VIP5",
    });
    expect(amount).toMatchObject({ ok: true });
    expect(place(String(vip.id), "VIP5")).toBe(500);
    const again = await post({
      intent: "discount",
      groupId: String(groupId),
      kind: "percentage",
      value: "10",
      currency: "CAD",
      code: "VIP10",
    });
    expect(again).toMatchObject({ status: 409 });
    const badPercent = await post({
      intent: "discount",
      groupId: String(groupId),
      kind: "percentage",
      value: "150",
      currency: "CAD",
      code: "X",
    });
    expect(badPercent).toMatchObject({
      status: 400,
      fieldErrors: { value: ["Enter a whole percentage from 1 to 100"] },
    });
  });

  it("gives a group's code discount once when it is submitted twice at once, and answers both as given, as it answers a third", async () => {
    const { shop, control, vip, post, page, place, audit, groupId } = await groupOfVips();
    const give = {
      intent: "discount",
      groupId: String(groupId),
      kind: "percentage",
      value: "15",
      currency: "CAD",
      code: "VIP15",
    };
    // A double click, or the same form in two tabs: Shopify takes the first code and refuses the second as taken.
    const given = await Promise.all([post(give), post(give)]);
    expect(given).toEqual([
      { ok: true, intent: "discount", groupId },
      { ok: true, intent: "discount", groupId },
    ]);
    const codes = () => control.discountCodes({ shop }).filter((code) => code.code === "VIP15");
    expect(codes()).toHaveLength(1);
    expect((await page()).groups[0]).toMatchObject({
      discountGid: `gid://shopify/DiscountCodeNode/${codes()[0]!.id}`,
      discountCode: "VIP15",
      discountValue: 15,
    });
    expect(place(String(vip.id), "VIP15")).toBe(1350);

    // Submitted again once the first has answered: the same answer, nothing more in Shopify or the audit.
    expect(await post(give)).toEqual({ ok: true, intent: "discount", groupId });
    expect(codes()).toHaveLength(1);
    expect(await audit()).toEqual(["group.create", "group.discount"]);
    // Other terms while the group has its discount are still refused.
    expect(await post({ ...give, value: "20" })).toMatchObject({ status: 409 });
  });

  it("takes as the group's discount the code Shopify has for it when Tally's record of it was lost, and refuses a code that is not the group's", async () => {
    const { shop, control, post, page, audit, groupId } = await groupOfVips();
    const [segment] = control.segments({ shop });
    // What Shopify holds when it created the group's code and Tally's write of the group's row then failed.
    const lost = control.createDiscountCode({
      shop,
      code: "VIP15",
      title: "VIPs group discount",
      percentage: 0.15,
      segmentIds: [segment!.id],
    });
    // A code of the merchant's own for everyone, and one titled as the group's but for another segment.
    control.createDiscountCode({ shop, code: "SPRING", title: "Spring sale", percentage: 0.15 });
    const other = control.createSegment({ shop, name: "Others", query: "number_of_orders > 5" });
    control.createDiscountCode({
      shop,
      code: "OTHERS15",
      title: "VIPs group discount",
      percentage: 0.15,
      segmentIds: [other.id],
    });
    const give = { intent: "discount", groupId: String(groupId), kind: "percentage", currency: "CAD" };

    for (const code of ["SPRING", "OTHERS15"])
      expect(await post({ ...give, value: "15", code })).toMatchObject({
        status: 422,
        fieldErrors: { code: [expect.stringMatching(/unique/i)] },
      });
    // The group's own code, but not the discount asked for (10% off, not 15%): not taken as if it were.
    expect(await post({ ...give, value: "10", code: "VIP15" })).toMatchObject({
      status: 422,
      fieldErrors: { code: [expect.stringMatching(/unique/i)] },
    });
    expect((await page()).groups[0]).toMatchObject({ discountGid: null });

    expect(await post({ ...give, value: "15", code: "VIP15" })).toEqual({ ok: true, intent: "discount", groupId });
    expect((await page()).groups[0]).toMatchObject({
      discountGid: `gid://shopify/DiscountCodeNode/${lost.id}`,
      discountCode: "VIP15",
      discountKind: "percentage",
      discountValue: 15,
    });
    expect(control.discountCodes({ shop }).map((code) => code.code)).toEqual(["VIP15", "SPRING", "OTHERS15"]);
    expect(await audit()).toEqual(["group.create", "group.discount"]);
  });

  it("asks before a discount that would make every member's order free, creates it once confirmed, and a normal one at once", async () => {
    const { shop, control, vip, post, page } = await shopWithVips();
    const order = orderJson({
      currency: "CAD",
      lines: [{ id: 1n, price: "1250.00" }],
      customer: { admin_graphql_api_id: `gid://shopify/Customer/${vip.id}`, state: "enabled" },
    });
    expect((await deliverWebhook(orderPaid, "orders/paid", shop, order)).status).toBe(200);
    const { groupId } = await post({ intent: "create", name: "Big spenders", query: "number_of_orders >= 20" });
    const discount = { intent: "discount", groupId: String(groupId), method: "automatic", currency: "CAD" };

    const huge = await post({ ...discount, kind: "amount", value: "99999999" });
    expect(huge).toMatchObject({
      doubt: { kind: "amount", value: 9_999_999_900, currency: "CAD", largestOrderMinor: 125_000 },
    });
    // As app.tsx builds the page's formatter: the store's currency is written "$", with no "CA$" (decision 052).
    const { money } = createFormatter({
      locale: "en-US",
      pointsNames: { singular: "point", plural: "points" },
      storeCurrency: "CAD",
    });
    expect(groupDiscountDoubtWords((huge as { doubt: never }).doubt, money)).toBe(
      "$99,999,999.00 off is more than any order this shop has taken (largest $1,250.00): " +
        "every member's order would be free. Create it anyway?",
    );
    expect(control.automaticDiscounts({ shop })).toEqual([]);
    expect((await page()).groups[0]).toMatchObject({ discountGid: null });

    const everything = await post({ ...discount, kind: "percentage", value: "100" });
    expect(everything).toMatchObject({ doubt: { kind: "percentage", value: 100 } });
    expect(control.automaticDiscounts({ shop })).toEqual([]);

    const confirmed = await post({ ...discount, kind: "amount", value: "99999999", confirmed: "1" });
    expect(confirmed).toMatchObject({ ok: true, intent: "discount" });
    expect(control.automaticDiscounts({ shop })).toHaveLength(1);
    expect((await page()).groups[0]).toMatchObject({ discountKind: "amount", discountValue: 9_999_999_900 });

    // Within what the shop has sold, the discount is created at the first submit.
    expect(await post({ intent: "remove-discount", groupId: String(groupId) })).toMatchObject({ ok: true });
    expect(await post({ ...discount, kind: "amount", value: "1250.00" })).toMatchObject({ ok: true });
    expect(await post({ intent: "remove-discount", groupId: String(groupId) })).toMatchObject({ ok: true });
    expect(await post({ ...discount, kind: "percentage", value: "99" })).toMatchObject({ ok: true });
  });

  it("names in the audit what a group discount gave and what its removal took away: amount or percentage, code or automatic, end", async () => {
    const { shop, post } = await shopWithVips();
    const { groupId } = await post({ intent: "create", name: "Big spenders", query: "number_of_orders >= 20" });
    const group = String(groupId);
    const discount = { intent: "discount", groupId: group, currency: "CAD" };
    expect(
      await post({ ...discount, kind: "amount", value: "10.00", code: "VIP10", endsOn: "2099-12-31" }),
    ).toMatchObject({ ok: true });
    expect(await post({ intent: "remove-discount", groupId: group })).toMatchObject({ ok: true });
    expect(await post({ ...discount, method: "automatic", kind: "percentage", value: "15" })).toMatchObject({
      ok: true,
    });

    // In the shop's zone, as app.tsx gives the page's formatter.
    const format = createFormatter({
      locale: "en-GB",
      pointsNames: { singular: "point", plural: "points" },
      timeZone: "America/Toronto",
      storeCurrency: "CAD",
    });
    const { events } = await auditLoader({
      request: await sessionTokenRequest(shop, "/app/audit"),
      params: {},
      context: {},
    } as Args);
    const lines = events
      .filter((line) => line.action !== "group.create")
      .map((line) => `${auditActionLabel(line.action)} · ${line.subject} · ${describeAuditChange(line, format)}`);
    expect(lines).toEqual([
      "Gave a group a discount · Big spenders · 15% off, automatic",
      "Removed a group's discount · Big spenders · $10.00 off, code VIP10, ends 31 Dec 2099: deleted in Shopify, the group kept",
      "Gave a group a discount · Big spenders · $10.00 off, code VIP10, ends 31 Dec 2099",
    ]);
  });

  /** The day (YYYY-MM-DD) and the time (HH:MM:SS) an instant reads as in a zone, as Intl writes them. */
  const wallClock = (at: string, timeZone: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
        .formatToParts(Date.parse(at))
        .map((part) => [part.type, part.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  };
  const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

  it.each([
    // West of UTC, in summer time: Jul 15 ends at 03:59:59 UTC on Jul 16.
    ["America/Toronto", "2099-07-16T03:59:59Z"],
    // East of UTC: Jul 15 ends at 18:29:59 UTC on Jul 15.
    ["Asia/Kolkata", "2099-07-15T18:29:59Z"],
  ])(
    "ends a group discount at the end of the chosen day in the shop's time zone (%s), takes today and refuses yesterday",
    async (timeZone, endOfJul15) => {
      const { shop, control, post, page, audit, groupId } = await groupOfVips(timeZone);
      const discount = {
        intent: "discount",
        groupId: String(groupId),
        method: "automatic",
        kind: "percentage",
        value: "10",
        currency: "CAD",
      };
      const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" }, timeZone });

      expect(await post({ ...discount, endsOn: "2099-07-15" })).toMatchObject({ ok: true });
      expect(control.automaticDiscounts({ shop })[0]).toMatchObject({ endsAt: endOfJul15 });
      const listed = (await page()).groups[0]!;
      expect(listed.discountEndsAt).toBe(endOfJul15);
      expect(format.date(listed.discountEndsAt)).toBe("Jul 15, 2099");
      expect(await post({ intent: "remove-discount", groupId: String(groupId) })).toMatchObject({ ok: true });

      // The shop's today, which a shop east of UTC may reach before UTC does and one west of it after.
      const today = wallClock(new Date().toISOString(), timeZone).slice(0, 10);
      expect(await post({ ...discount, endsOn: today })).toMatchObject({ ok: true });
      const endsAt = control.automaticDiscounts({ shop })[0]!.endsAt!;
      expect(wallClock(endsAt, timeZone)).toBe(`${today} 23:59:59`);
      expect(wallClock(new Date(Date.parse(endsAt) + 1000).toISOString(), timeZone)).toMatch(/ 00:00:00$/);
      expect(await post({ intent: "remove-discount", groupId: String(groupId) })).toMatchObject({ ok: true });

      const yesterday = await post({ ...discount, endsOn: dayBefore(today) });
      expect(yesterday).toMatchObject({
        status: 400,
        fieldErrors: { endsOn: ["The end date must be today or later"] },
      });
      expect(control.automaticDiscounts({ shop })).toEqual([]);
      expect(await audit()).toEqual([
        "group.create",
        "group.discount",
        "group.discount_remove",
        "group.discount",
        "group.discount_remove",
      ]);
    },
  );
});

describe("editing a group", () => {
  /** Tally's row of the group, as the list shows it. */
  const rowOf = async (shop: string, groupId: unknown) =>
    (
      await db
        .select({ name: customerGroups.name, segmentQuery: customerGroups.segmentQuery })
        .from(customerGroups)
        .where(and(eq(customerGroups.shop, shop), eq(customerGroups.id, Number(groupId))))
    )[0];

  it("renames a group and changes its query in Shopify's segment: the members, the count and who gets the discount follow, and the audit says what changed", async () => {
    const { shop, control, vip, other, post, page, place, audit, groupId, group } = await groupWithDiscount();
    const [segment] = control.segments({ shop });

    expect(await post({ intent: "edit", groupId: group, name: "Gold", query: "customer_tags CONTAINS 'vip'" })).toEqual(
      {
        ok: true,
        intent: "edit",
        groupId,
      },
    );
    expect(control.segments({ shop })).toEqual([
      expect.objectContaining({ id: segment!.id, name: "Gold", query: "customer_tags CONTAINS 'vip'" }),
    ]);

    expect(
      await post({ intent: "edit", groupId: group, name: "Gold", query: "customer_tags NOT CONTAINS 'vip'" }),
    ).toMatchObject({ ok: true, intent: "edit" });
    expect(control.segments({ shop })).toEqual([
      expect.objectContaining({ id: segment!.id, name: "Gold", query: "customer_tags NOT CONTAINS 'vip'" }),
    ]);
    const opened = await page(`?group=${group}`);
    expect(opened.groups).toEqual([
      expect.objectContaining({
        name: "Gold",
        segmentQuery: "customer_tags NOT CONTAINS 'vip'",
        discountCode: "VIP15",
      }),
    ]);
    expect(opened.selected).toMatchObject({
      totalCount: 1,
      members: [{ customerGid: `gid://shopify/Customer/${other.id}`, email: "other@example.com" }],
    });
    expect(await opened.counts).toEqual({ [group]: { state: "counted", count: 1 } });
    // The discount's eligibility is the segment: it now reaches the new members, and no longer the old.
    expect(place(String(vip.id), "VIP15")).toBe("The discount code isn't available to you right now");
    expect(typeof place(String(other.id), "VIP15")).toBe("number");

    // A form that changes nothing asks Shopify nothing and records nothing.
    const updates = () =>
      control.adminRequests({ shop }).filter((request) => request.operationName === "TallyGroupSegmentUpdate").length;
    expect(updates()).toBe(2);
    expect(
      await post({ intent: "edit", groupId: group, name: "Gold", query: "customer_tags NOT CONTAINS 'vip'" }),
    ).toMatchObject({ ok: true });
    expect(updates()).toBe(2);

    expect(await audit()).toEqual(["group.create", "group.discount", "group.update", "group.update"]);
    const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
    const { events } = await auditLoader({
      request: await sessionTokenRequest(shop, "/app/audit"),
      params: {},
      context: {},
    } as Args);
    expect(
      events
        .filter((line) => line.action === "group.update")
        .map((line) => `${auditActionLabel(line.action)} · ${line.subject} · ${describeAuditChange(line, format)}`),
    ).toEqual([
      "Edited a group · Gold · Segment: customer_tags CONTAINS 'vip' \u2192 customer_tags NOT CONTAINS 'vip'",
      "Edited a group · Gold · Renamed from \u201cVIPs\u201d; discount retitled \u201cGold group discount\u201d in Shopify",
    ]);
  });

  it.each(["code", "automatic"] as const)(
    "retitles a renamed group's %s discount in Shopify after its name, says so in the audit, and leaves a title the merchant wrote alone",
    async (method) => {
      const { shop, control, post, page, groupId, group } = await groupWithDiscount({ method });
      const discount = () =>
        method === "code" ? control.discountCodes({ shop })[0]! : control.automaticDiscounts({ shop })[0]!;
      expect(discount().title).toBe("VIPs group discount");
      const { value, endsAt } = discount();

      expect(
        await post({ intent: "edit", groupId: group, name: "Gold", query: "customer_tags CONTAINS 'vip'" }),
      ).toEqual({ ok: true, intent: "edit", groupId });
      // Only the title changed: the discount is the same one, with its value, end and code.
      expect(discount()).toMatchObject({ title: "Gold group discount", value, endsAt });
      if (method === "code") expect(control.discountCodes({ shop })[0]!.code).toBe("VIP15");
      expect((await page()).groups[0]).toMatchObject({
        name: "Gold",
        discountGid: expect.stringContaining(discount().id),
      });

      // The merchant gives the discount a title of their own in Shopify admin: the next rename leaves it.
      control.retitleDiscount({ shop, id: discount().id, title: "Members' treat" });
      expect(
        await post({ intent: "edit", groupId: group, name: "Platinum", query: "customer_tags CONTAINS 'vip'" }),
      ).toEqual({ ok: true, intent: "edit", groupId });
      expect(discount().title).toBe("Members' treat");

      const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
      const { events } = await auditLoader({
        request: await sessionTokenRequest(shop, "/app/audit"),
        params: {},
        context: {},
      } as Args);
      expect(
        events
          .filter((line) => line.action === "group.update")
          .map((line) => `${line.subject} · ${describeAuditChange(line, format)}`),
      ).toEqual([
        "Platinum · Renamed from \u201cGold\u201d; discount title \u201cMembers' treat\u201d kept (edited in Shopify)",
        "Gold · Renamed from \u201cVIPs\u201d; discount retitled \u201cGold group discount\u201d in Shopify",
      ]);
    },
  );

  it("saves a change submitted twice at once once: one rename in Shopify's discount title, one audit line", async () => {
    const { shop, control, post, audit, groupId, group } = await groupWithDiscount();
    const edit = { intent: "edit", groupId: group, name: "Gold", query: "number_of_orders >= 0" };
    const answers = await Promise.all([post(edit), post(edit)]);
    expect(answers).toEqual([
      { ok: true, intent: "edit", groupId },
      { ok: true, intent: "edit", groupId },
    ]);
    expect(control.discountCodes({ shop })[0]).toMatchObject({ title: "Gold group discount" });
    expect(await audit()).toEqual(["group.create", "group.discount", "group.update"]);
  });

  it("of two different renames from two tabs in flight at once, saves the first in Shopify and Tally alike and refuses the second (409 with the first's name)", async () => {
    const { shop, control, post, audit, groupId, group } = await groupWithDiscount();
    const opened = { intent: "edit", groupId: group, query: "customer_tags CONTAINS 'vip'", seenName: "VIPs" };
    const names = ["Gold", "Silver"];
    const answers = await Promise.all(names.map((name) => post({ ...opened, name })));

    // Whichever reached Tally first is saved; the other tab is told so, and nothing of its rename happened.
    const saved = names[answers.findIndex((answer) => answer.ok === true)]!;
    const renamedElsewhere = `This group was renamed to \u201c${saved}\u201d in another tab. Reload to see it.`;
    expect(answers).toEqual(
      expect.arrayContaining([
        { ok: true, intent: "edit", groupId },
        expect.objectContaining({ status: 409, error: renamedElsewhere, fieldErrors: { name: [renamedElsewhere] } }),
      ]),
    );
    expect(control.segments({ shop }).map(({ name }) => name)).toEqual([saved]);
    expect(await rowOf(shop, groupId)).toMatchObject({ name: saved });
    expect(control.discountCodes({ shop })[0]).toMatchObject({ title: `${saved} group discount` });
    expect(await audit()).toEqual(["group.create", "group.discount", "group.update"]);
  });

  it("gives and removes a group's automatic discount once when each is submitted twice at once: one discount in Shopify, one audit line each, both answered as given", async () => {
    const { shop, control, post, page, audit, groupId } = await groupOfVips();
    const give = {
      intent: "discount",
      groupId: String(groupId),
      method: "automatic",
      kind: "percentage",
      value: "10",
      currency: "CAD",
    };
    // Both create one in Shopify; the later to write deletes its own and answers as the first did.
    const given = await Promise.all([post(give), post(give)]);
    expect(given).toEqual([
      { ok: true, intent: "discount", groupId },
      { ok: true, intent: "discount", groupId },
    ]);
    const [automatic] = control.automaticDiscounts({ shop });
    expect(control.automaticDiscounts({ shop })).toHaveLength(1);
    expect((await page()).groups[0]!.discountGid).toBe(`gid://shopify/DiscountAutomaticNode/${automatic!.id}`);

    const remove = { intent: "remove-discount", groupId: String(groupId) };
    // The later one finds no discount left (409) or, in flight beside the first, removes nothing more.
    const removed = await Promise.all([post(remove), post(remove)]);
    expect(removed.filter((answer) => answer.ok)).not.toHaveLength(0);
    expect(removed.every((answer) => answer.ok || answer.status === 409)).toBe(true);
    expect(control.automaticDiscounts({ shop })).toEqual([]);
    expect(await audit()).toEqual(["group.create", "group.discount", "group.discount_remove"]);
  });

  it.each([
    [
      "a discount given",
      () => groupOfVips(),
      { intent: "discount", kind: "percentage", value: "10", currency: "CAD", code: "LATE10" },
    ],
    ["a rename", () => groupWithDiscount(), { intent: "edit", name: "Gold", query: "customer_tags CONTAINS 'vip'" }],
    ["its discount removed", () => groupWithDiscount(), { intent: "remove-discount" }],
  ])(
    "of the group removed in one tab and %s in another at once, leaves nothing of the group in Shopify",
    async (_, start, other) => {
      const { shop, control, post, page, groupId, group } = await start();
      const answers = await Promise.all([
        post({ intent: "remove", groupId: group }),
        post({ ...other, groupId: group }),
      ]);
      expect(answers[0]).toEqual({ ok: true, intent: "remove", groupId });
      // The other edit came first (and the removal took its discount and segment with it), or found the group gone.
      expect(answers[1]).toMatchObject(
        answers[1]!.ok === true
          ? { intent: other.intent }
          : {
              status: 404,
              error: "This group was removed, in another tab or by another staff member. Reload to see your groups.",
            },
      );
      expect((await page()).groups).toEqual([]);
      expect(control.segments({ shop })).toEqual([]);
      expect(control.discountCodes({ shop })).toEqual([]);
      expect(control.automaticDiscounts({ shop })).toEqual([]);
    },
  );

  it("renames a group whose discount Shopify will not retitle, tells the merchant the discount kept its old title, and audits it so", async () => {
    const { shop, control, post, page, audit, groupId, group } = await groupWithDiscount();
    // The merchant takes back Tally's right to change discounts: Shopify answers the retitle ACCESS_DENIED.
    control.setGrantedScopes({
      shop,
      scopes: ["read_customers", "write_customers", "read_orders", "read_discounts", "read_markets"],
    });
    control.expireAccessTokens({ shop });

    const saved = await post({ intent: "edit", groupId: group, name: "Gold", query: "customer_tags CONTAINS 'vip'" });
    expect(saved).toMatchObject({ ok: true, intent: "edit", groupId });
    expect(saved.warning).toBe(
      "The group is renamed, but its discount in Shopify is still titled \u201cVIPs group discount\u201d: Shopify refused the change: Tally is not allowed to change this store's discounts (write_discounts access). Change its title to \u201cGold group discount\u201d in Shopify admin (Discounts) if it should follow.",
    );
    expect(control.segments({ shop })[0]).toMatchObject({ name: "Gold" });
    expect(control.discountCodes({ shop })[0]).toMatchObject({ title: "VIPs group discount" });
    expect((await page()).groups[0]).toMatchObject({ name: "Gold" });
    expect(await audit()).toEqual(["group.create", "group.discount", "group.update"]);
    const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
    const [line] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "group.update")));
    expect(describeAuditChange(line!, format)).toBe(
      "Renamed from \u201cVIPs\u201d; discount still titled \u201cVIPs group discount\u201d in Shopify: Shopify refused the change: Tally is not allowed to change this store's discounts (write_discounts access)",
    );
  });

  it("refuses a name another segment has and a query Shopify cannot read, on their fields, and changes nothing in Shopify or Tally", async () => {
    const { shop, control, post, page, audit } = await shopWithVips();
    control.createSegment({ shop, name: "Wholesale", query: "customer_tags CONTAINS 'wholesale'" });
    const { groupId } = await post({ intent: "create", name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    const group = String(groupId);
    const segments = control.segments({ shop }).map(({ name, query }) => ({ name, query }));

    expect(
      await post({ intent: "edit", groupId: group, name: "Wholesale", query: "number_of_orders > 1" }),
    ).toMatchObject({
      status: 422,
      code: "shopify_refused",
      // Which name, and what to do (it read only "Name has already been taken").
      fieldErrors: {
        name: ["A group or Shopify segment named \u201cWholesale\u201d already exists. Choose another name."],
      },
    });
    // A new name with a query Shopify refuses: Shopify takes neither, and neither does Tally.
    expect(await post({ intent: "edit", groupId: group, name: "Gold", query: "loyalty_tier = 'gold'" })).toMatchObject({
      status: 422,
      fieldErrors: {
        query: [
          "Shopify's segments have no filter called \"loyalty_tier\" (at the start of the query). Segment filters have Shopify's own names, such as customer_tags, number_of_orders and amount_spent.",
        ],
      },
    });
    expect(await post({ intent: "edit", groupId: group, name: " ", query: "" })).toMatchObject({
      status: 400,
      fieldErrors: { name: ["Name the group"] },
    });

    expect(control.segments({ shop }).map(({ name, query }) => ({ name, query }))).toEqual(segments);
    expect(await rowOf(shop, groupId)).toEqual({ name: "VIPs", segmentQuery: "customer_tags CONTAINS 'vip'" });
    expect((await page(`?group=${group}`)).selected).toMatchObject({ totalCount: 1 });
    expect(await audit()).toEqual(["group.create"]);
  });

  it("refuses a save from a tab opened before another tab renamed the group (409, in words under the name), and keeps the other tab's name in Shopify and Tally", async () => {
    const { shop, control, post, page, audit, groupId } = await groupOfVips();
    const group = String(groupId);
    // Both tabs opened Edit on "VIPs"; the first saves "VIP 2".
    const opened = { seenName: "VIPs", seenQuery: "customer_tags CONTAINS 'vip'" };
    expect(
      await post({ intent: "edit", groupId: group, name: "VIP 2", query: "customer_tags CONTAINS 'vip'", ...opened }),
    ).toEqual({ ok: true, intent: "edit", groupId });

    const renamedElsewhere = "This group was renamed to \u201cVIP 2\u201d in another tab. Reload to see it.";
    // The second tab renames it, or changes only its query (its name field still reads "VIPs"): refused, not applied.
    for (const stale of [
      { name: "Gold", query: "customer_tags CONTAINS 'vip'" },
      { name: "VIPs", query: "number_of_orders > 1" },
    ])
      expect(await post({ intent: "edit", groupId: group, ...stale, ...opened })).toMatchObject({
        status: 409,
        code: "conflict",
        error: renamedElsewhere,
        fieldErrors: { name: [renamedElsewhere] },
      });
    expect(control.segments({ shop }).map(({ name, query }) => ({ name, query }))).toEqual([
      { name: "VIP 2", query: "customer_tags CONTAINS 'vip'" },
    ]);
    expect((await page()).groups).toEqual([expect.objectContaining({ name: "VIP 2" })]);
    // The first tab's save submitted again is no stale edit: the group already reads as it asks.
    expect(
      await post({ intent: "edit", groupId: group, name: "VIP 2", query: "customer_tags CONTAINS 'vip'", ...opened }),
    ).toEqual({ ok: true, intent: "edit", groupId });

    // Reloaded, the second tab sees "VIP 2" and its save goes through; a query changed since is refused on the query.
    expect(
      await post({
        intent: "edit",
        groupId: group,
        name: "VIP 2",
        query: "number_of_orders > 1",
        seenName: "VIP 2",
        seenQuery: "customer_tags CONTAINS 'vip'",
      }),
    ).toEqual({ ok: true, intent: "edit", groupId });
    const queryChanged = "This group's segment query was changed in another tab. Reload to see it.";
    expect(
      await post({
        intent: "edit",
        groupId: group,
        name: "Gold",
        query: "customer_tags CONTAINS 'vip'",
        seenName: "VIP 2",
        seenQuery: "customer_tags CONTAINS 'vip'",
      }),
    ).toMatchObject({ status: 409, error: queryChanged, fieldErrors: { query: [queryChanged] } });
    expect(await rowOf(shop, groupId)).toEqual({ name: "VIP 2", segmentQuery: "number_of_orders > 1" });
    expect(await audit()).toEqual(["group.create", "group.update", "group.update"]);
  });

  it("refuses to edit a group whose segment was deleted in Shopify (410), and one of another shop (404)", async () => {
    const { shop, control, post, audit, groupId } = await groupOfVips();
    const elsewhere = await shopWithVips();
    const { groupId: theirs } = await elsewhere.post({
      intent: "create",
      name: "Theirs",
      query: "number_of_orders > 1",
    });
    expect(
      await post({ intent: "edit", groupId: String(theirs), name: "Mine", query: "number_of_orders > 1" }),
    ).toMatchObject({ status: 404 });
    expect(await rowOf(elsewhere.shop, theirs)).toEqual({ name: "Theirs", segmentQuery: "number_of_orders > 1" });

    control.deleteSegment({ shop, id: control.segments({ shop })[0]!.id });
    expect(
      await post({ intent: "edit", groupId: String(groupId), name: "Gold", query: "number_of_orders > 1" }),
    ).toMatchObject({
      status: 410,
      error:
        "This group's segment was deleted in Shopify, so there is nothing to change: create the group again from its segment query",
    });
    expect(await rowOf(shop, groupId)).toEqual({ name: "VIPs", segmentQuery: "customer_tags CONTAINS 'vip'" });
    expect(await audit()).toEqual(["group.create"]);
  });
});

describe("each group's size on the list of groups", () => {
  /** A shop with groups of 0, 1 and 3 customers, and one more of 3 whose segment a merchant then deletes in Shopify. */
  async function shopWithGroupsOfEverySize() {
    const setup = await shopWithVips();
    const { shop, control, post } = setup;
    for (const [name, tags] of [
      ["sol", ["solo"]],
      ["cora", ["crowd"]],
      ["cruz", ["crowd"]],
      ["cole", ["crowd", "solo-not"]],
    ] as const)
      control.createCustomer({ shop, email: `${name}@example.com`, firstName: name, tags: [...tags] });
    await control.idle();
    const groupIds: Record<string, number> = {};
    for (const [name, tag] of [
      ["Nobody", "nobody"],
      ["Solo", "solo"],
      ["Crowd", "crowd"],
      ["Gone", "crowd"],
    ] as const) {
      const created = await post({ intent: "create", name, query: `customer_tags CONTAINS '${tag}'` });
      groupIds[name] = created.groupId as number;
    }
    const countRequests = () =>
      control.adminRequests({ shop }).filter((request) => request.operationName === "TallyGroupCounts");
    return { ...setup, groupIds, countRequests };
  }

  it("counts groups of 0, 1 and 3 customers in one Admin request, and says so in the admin's number format", async () => {
    const { page, groupIds, countRequests } = await shopWithGroupsOfEverySize();
    const listed = await page();
    expect(listed.groups.map((group) => group.name)).toEqual(["Gone", "Crowd", "Solo", "Nobody"]);
    const counts = await listed.counts;
    expect(counts).toEqual({
      [groupIds.Nobody!]: { state: "counted", count: 0 },
      [groupIds.Solo!]: { state: "counted", count: 1 },
      [groupIds.Crowd!]: { state: "counted", count: 3 },
      [groupIds.Gone!]: { state: "counted", count: 3 },
    });
    // One request for the whole list, each group a count and its segment under its own aliases.
    expect(countRequests()).toEqual([
      {
        operationName: "TallyGroupCounts",
        rootFields: [
          "e0: segment",
          "c0: customerSegmentMembers",
          "e1: segment",
          "c1: customerSegmentMembers",
          "e2: segment",
          "c2: customerSegmentMembers",
          "e3: segment",
          "c3: customerSegmentMembers",
        ],
      },
    ]);
    const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
    expect(listed.groups.map((group) => `${group.name}: ${groupMemberCountWords(counts[group.id]!, format)}`)).toEqual([
      "Gone: 3 customers",
      "Crowd: 3 customers",
      "Solo: 1 customer",
      "Nobody: No customers",
    ]);
  });

  it("says a segment deleted in Shopify is deleted, counts the others, and opens that group without failing", async () => {
    const { shop, control, page, groupIds, countRequests } = await shopWithGroupsOfEverySize();
    const gone = control.segments({ shop }).find((segment) => segment.name === "Gone")!;
    control.deleteSegment({ shop, id: gone.id });

    const counts = await (await page()).counts;
    expect(counts).toEqual({
      [groupIds.Nobody!]: { state: "counted", count: 0 },
      [groupIds.Solo!]: { state: "counted", count: 1 },
      [groupIds.Crowd!]: { state: "counted", count: 3 },
      [groupIds.Gone!]: { state: "deleted" },
    });
    // Shopify's answer to the deleted segment's count takes the other counts with it (the field is non-null): the list
    // asks once more, without that count, and the segment's own null says it is gone. Never one request per group.
    const requests = countRequests();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.rootFields).not.toContain("c0: customerSegmentMembers");
    expect(requests[1]!.rootFields).toContain("e0: segment");
    const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
    expect(groupMemberCountWords(counts[groupIds.Gone!]!, format)).toBe("Segment deleted in Shopify");

    const opened = await page(`?group=${groupIds.Gone}`);
    expect(opened.selected).toMatchObject({ segmentDeleted: true, totalCount: 0, members: [] });
    // The open group's heading and its row say the same, from the same read.
    const crowd = await page(`?group=${groupIds.Crowd}`);
    expect(crowd.selected).toMatchObject({ segmentDeleted: false, totalCount: 3 });
    expect((await crowd.counts)[groupIds.Crowd!]).toEqual({ state: "counted", count: crowd.selected!.totalCount });
  });

  it("removes a group whose segment and discount were deleted in Shopify admin (Shopify refused, and it stayed)", async () => {
    const { shop, control, page, post, groupIds } = await shopWithGroupsOfEverySize();
    for (const [name, code] of [
      ["Gone", "GONE10"],
      ["Crowd", null],
    ] as const)
      expect(
        await post({
          intent: "discount",
          groupId: String(groupIds[name]),
          kind: "percentage",
          value: "10",
          currency: "CAD",
          ...(code ? { code } : { method: "automatic" }),
        }),
      ).toMatchObject({ ok: true });
    const discountIdOf = async (name: string) =>
      (await page()).groups
        .find((group) => group.name === name)!
        .discountGid!.split("/")
        .pop()!;
    // The merchant deletes Gone's segment and code, and Crowd's automatic discount, in Shopify admin.
    control.deleteSegment({ shop, id: control.segments({ shop }).find((segment) => segment.name === "Gone")!.id });
    control.deleteDiscount({ shop, id: await discountIdOf("Gone") });
    control.deleteDiscount({ shop, id: await discountIdOf("Crowd") });

    expect(await post({ intent: "remove", groupId: String(groupIds.Gone) })).toMatchObject({ ok: true });
    expect(await post({ intent: "remove", groupId: String(groupIds.Crowd) })).toMatchObject({ ok: true });
    expect((await page()).groups.map((group) => group.name)).toEqual(["Solo", "Nobody"]);
    expect(control.segments({ shop }).map((segment) => segment.name)).toEqual(["Nobody", "Solo"]);
  });

  it("opens a group whose segment was deleted in Shopify without a discount to give, refuses one with a reason (410, nothing sent to Shopify), and removes it with the code discount it still had", async () => {
    const { shop, control, page, post, groupIds, vip, place, audit } = await shopWithGroupsOfEverySize();
    const give = (name: string, code: string) =>
      post({
        intent: "discount",
        groupId: String(groupIds[name]),
        kind: "percentage",
        value: "10",
        currency: "CAD",
        code,
      });
    expect(await give("Gone", "GONE10")).toMatchObject({ ok: true });
    const segmentOf = (name: string) => control.segments({ shop }).find((segment) => segment.name === name)!;
    control.deleteSegment({ shop, id: segmentOf("Gone").id });
    control.deleteSegment({ shop, id: segmentOf("Solo").id });

    // The page knows the code is still in Shopify (it applies to no one now), and Solo never had one.
    expect((await page(`?group=${groupIds.Gone}`)).selected).toMatchObject({
      segmentDeleted: true,
      discountDeleted: false,
      group: expect.objectContaining({ discountCode: "GONE10" }),
    });
    expect((await page(`?group=${groupIds.Solo}`)).selected).toMatchObject({
      segmentDeleted: true,
      discountDeleted: false,
    });
    expect(place(String(vip.id), "GONE10")).toBe("The discount code isn't available to you right now");

    // A discount for a segment Shopify no longer has is refused here, in words, before Shopify is asked.
    const creates = () =>
      control.adminRequests({ shop }).filter((request) => request.operationName === "TallyGroupDiscountCreate");
    const sentBefore = creates().length;
    const refused = await give("Solo", "SOLO10");
    expect(refused).toMatchObject({
      status: 410,
      error:
        "This group's segment was deleted in Shopify, so a discount would reach no one: remove the group, or create it again from its segment query",
    });
    expect(refused.fieldErrors).toBeUndefined();
    expect(await give("Gone", "GONE20")).toMatchObject({ status: 410 });
    expect(creates()).toHaveLength(sentBefore);
    expect(control.discountCodes({ shop }).map((code) => code.code)).toEqual(["GONE10"]);

    // Remove takes the group out of Tally and deletes the code Shopify still had.
    expect(await post({ intent: "remove", groupId: String(groupIds.Gone) })).toMatchObject({ ok: true });
    expect(control.discountCodes({ shop })).toEqual([]);
    expect((await page()).groups.map((group) => group.name)).toEqual(["Crowd", "Solo", "Nobody"]);
    expect(await audit()).toEqual([...Array(4).fill("group.create"), "group.discount", "group.remove"]);
  });

  it.each(["code", "automatic"] as const)(
    "says a group's %s discount deleted in Shopify is gone, and gives the group a new one in its place",
    async (method) => {
      const { shop, control, page, post, vip, place, groupId } = await groupOfVips();
      const give = (code: string, value = "10") =>
        post({
          intent: "discount",
          groupId: String(groupId),
          method,
          kind: "percentage",
          value,
          currency: "CAD",
          ...(method === "code" ? { code } : {}),
        });
      expect(await give("VIP10")).toMatchObject({ ok: true });
      const opened = async () => (await page(`?group=${groupId}`)).selected!;
      expect(await opened()).toMatchObject({ segmentDeleted: false, discountDeleted: false, totalCount: 1 });
      // A second discount while the first is in Shopify is still refused.
      expect(await give("VIP11", "11")).toMatchObject({ status: 409 });

      const oldGid = (await opened()).group.discountGid!;
      control.deleteDiscount({ shop, id: oldGid.split("/").pop()! });
      expect(await opened()).toMatchObject({ segmentDeleted: false, discountDeleted: true, totalCount: 1 });

      expect(await give("VIP15")).toMatchObject({ ok: true, intent: "discount" });
      const replaced = await opened();
      expect(replaced).toMatchObject({ discountDeleted: false });
      expect(replaced.group.discountGid).not.toBe(oldGid);
      if (method === "code") expect(typeof place(String(vip.id), "VIP15")).toBe("number");
      else expect(control.placeOrder({ shop, customerId: String(vip.id) }).discountCents).toBeGreaterThan(0);
      const given = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "group.discount")));
      expect(given.map((event) => (event.before as { discountGid: string | null }).discountGid)).toEqual([
        null,
        oldGid,
      ]);
    },
  );

  it("says Count unavailable for every group when Shopify keeps throttling, and still lists them", async () => {
    const { shop, control, page, groupIds } = await shopWithGroupsOfEverySize();
    // A bucket smaller than the count request's cost (16 points for 4 groups), large enough for the page's other
    // reads: Shopify answers the counts THROTTLED however long Tally waits.
    control.setThrottle({ shop, maximumAvailable: 10, restoreRate: 1000 });
    const listed = await page();
    expect(listed.groups).toHaveLength(4);
    const counts = await listed.counts;
    expect(Object.values(counts)).toEqual(Array(4).fill({ state: "unavailable" }));
    expect(
      groupMemberCountWords(
        counts[groupIds.Solo!]!,
        createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } }),
      ),
    ).toBe("Count unavailable");
  });
});
