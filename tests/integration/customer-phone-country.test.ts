import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, shops } from "~/db/schema";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action as editAction, loader as editLoader } from "~/routes/app.customers_.$id_.edit";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { emptyCustomerQuery } from "~/domain/customers";
import { listCustomers } from "~/services/customers/list-customers.server";
import { listImportProblems } from "~/services/imports/apply-import.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { checkCustomerImport } from "../helpers/import-checks";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest, webhookRequest } from "../helpers/signed-requests";

/*
 * Staff type a customer's phone as they write it at home, and Tally reads it as Shopify admin does: a national number
 * in the shop's country (decision 053), which Tally keeps from the Shop object and shop/update.
 */
const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request, id: number) => ({ request, params: { id: String(id) }, context: {} }) as Args;

async function answerOf(run: Promise<unknown>) {
  const answer = await run;
  return (answer instanceof Response ? { status: answer.status, ...(await answer.json()) } : answer) as Record<
    string,
    unknown
  >;
}

/** A shop in `country` with Tally installed the real way and Pat, a customer without a phone, synced. */
async function shopIn(country: string) {
  const shop = await newShopDomain({ country: null });
  const { control } = sandboxOf();
  control.createShop({ shop, country });
  const pat = control.createCustomer({ shop, email: "pat@example.com", firstName: "Pat", lastName: "Lee" });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  const patRow = (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "pat@example.com"))),
  ))!;
  const savePhone = async (phone: string) => {
    const path = `/app/customers/${patRow.id}/edit`;
    const body = new URLSearchParams({
      firstName: "Pat",
      lastName: "Lee",
      email: "pat@example.com",
      phone,
      tags: "",
      taxExempt: "false",
      emailMarketing: "NOT_SUBSCRIBED",
      smsMarketing: "NOT_SUBSCRIBED",
    });
    return answerOf(editAction(args(await sessionTokenRequest(shop, path, { method: "POST", body }), patRow.id)));
  };
  const phones = async () => ({
    inShopify: control.customer({ shop, customerId: String(pat.id) })!.phone,
    inTally: (await first(db.select().from(customers).where(eq(customers.id, patRow.id))))!.phone,
  });
  return { shop, control, patRow, savePhone, phones };
}

const countryOf = async (shop: string) =>
  (await first(db.select({ country: shops.country }).from(shops).where(eq(shops.shop, shop))))?.country;

describe("Edit customer reads a phone in the shop's country", () => {
  it("takes a Canadian shop's (613) 555-0123 and stores +16135550123, in Shopify and in Tally", async () => {
    const { shop, patRow, savePhone, phones } = await shopIn("CA");
    expect(await countryOf(shop)).toBe("CA");
    const path = `/app/customers/${patRow.id}/edit`;
    const form = await answerOf(editLoader(args(await sessionTokenRequest(shop, path), patRow.id)));
    expect(form).toMatchObject({ phoneHelp: "like (613) 555-0123, or +44 20 7946 0958 for a number abroad" });

    expect(await savePhone("(613) 555-0123")).toEqual({ ok: true, changed: ["phone"] });
    expect(await phones()).toEqual({ inShopify: "+16135550123", inTally: "+16135550123" });
    // The same number written another way is no change.
    expect(await savePhone("613-555-0123")).toEqual({ ok: true, changed: [] });
    expect(await savePhone("1 613 555 0199")).toEqual({ ok: true, changed: ["phone"] });
    expect(await phones()).toEqual({ inShopify: "+16135550199", inTally: "+16135550199" });
    // A number abroad is written with its country code, as before.
    expect(await savePhone("+44 20 7946 0958")).toEqual({ ok: true, changed: ["phone"] });
    expect(await phones()).toEqual({ inShopify: "+442079460958", inTally: "+442079460958" });

    expect(await savePhone("555-0123")).toMatchObject({
      status: 400,
      fieldErrors: { phone: ["“555-0123” is too short to be a phone number."] },
    });
    expect(await phones()).toEqual({ inShopify: "+442079460958", inTally: "+442079460958" });
  });

  it("takes a UK shop's 020 7946 0958 as +442079460958, and refuses a number no UK number can be", async () => {
    const { shop, savePhone, phones } = await shopIn("GB");
    expect(await countryOf(shop)).toBe("GB");
    expect(await savePhone("020 7946 095")).toMatchObject({
      status: 400,
      fieldErrors: { phone: ["“020 7946 095” is not a phone number in the United Kingdom."] },
    });
    expect(await phones()).toEqual({ inShopify: null, inTally: null });
    expect(await savePhone("020 7946 0958")).toEqual({ ok: true, changed: ["phone"] });
    expect(await phones()).toEqual({ inShopify: "+442079460958", inTally: "+442079460958" });
    expect(await savePhone("+44 20 7946 0958")).toEqual({ ok: true, changed: [] });
  });

  it("follows the shop's move to another country from shop/update, and an older shop/update does not undo it", async () => {
    const { shop, control, savePhone, phones } = await shopIn("CA");
    const before = control.deliveries({ shop, topic: "shop/update" }).length;
    control.updateShop({ shop, country: "GB" });
    const [moved] = control.deliveries({ shop, topic: "shop/update" }).slice(before);
    const { topic, body, webhookId, eventId, triggeredAt } = moved!;
    const deliver = (id = webhookId, text = body) =>
      shopUpdate({
        request: webhookRequest({ shop, topic, body: text, webhookId: id, eventId: `${eventId}${id}`, triggeredAt }),
        params: {},
        context: {},
      });
    expect((await deliver()).status).toBe(200);
    expect(await countryOf(shop)).toBe("GB");
    // "613" is not how a London number starts: read in the UK now, the Canadian number is refused.
    expect(await savePhone("(613) 555-0123")).toMatchObject({
      status: 400,
      fieldErrors: { phone: ["“(613) 555-0123” is not a phone number in the United Kingdom."] },
    });
    expect(await savePhone("020 7946 0958")).toEqual({ ok: true, changed: ["phone"] });
    expect(await phones()).toEqual({ inShopify: "+442079460958", inTally: "+442079460958" });

    // Shopify delivers out of order: a shop/update from before the move, arriving late, leaves the country alone.
    const older = JSON.parse(body) as Record<string, unknown>;
    const earlier = new Date(Date.parse(String(older.updated_at)) - 60_000).toISOString();
    const late = JSON.stringify({ ...older, country_code: "CA", country: "CA", updated_at: earlier });
    expect((await deliver(`${webhookId}-late`, late)).status).toBe(200);
    expect(await countryOf(shop)).toBe("GB");
  });
});

describe("the profile, Edit customer and the directory's search write and read a phone as the shop's staff do", () => {
  /** Who the directory finds for `search`, by email. */
  const found = async (shop: string, search: string) =>
    (
      await listCustomers({
        ctx: contextFor(shop, "staff"),
        input: { query: { ...emptyCustomerQuery, search }, limit: 50 },
      })
    ).customers.map((row) => row.email);
  const formPhone = async (shop: string, id: number) => {
    const path = `/app/customers/${id}/edit`;
    const form = await answerOf(editLoader(args(await sessionTokenRequest(shop, path), id)));
    return (form.current as { phone: string }).phone;
  };

  it("in a UK shop: 020 7946 0958 on the form and found by it, in part, and with its country code", async () => {
    const { shop, patRow, savePhone } = await shopIn("GB");
    expect(await savePhone("+44 20 7946 0958")).toEqual({ ok: true, changed: ["phone"] });
    expect(await formPhone(shop, patRow.id)).toBe("020 7946 0958");
    // Saved as the form shows it, nothing changes.
    expect(await savePhone("020 7946 0958")).toEqual({ ok: true, changed: [] });
    for (const typed of [
      "020 7946 0958",
      "02079460958",
      "020 7946",
      "+44 20 7946 0958",
      "0044 20 7946 0958",
      "7946 0958",
    ])
      expect(await found(shop, typed), typed).toEqual(["pat@example.com"]);
    expect(await found(shop, "020 7946 0959")).toEqual([]);
  });

  it("in a Canadian shop: (613) 555-0123 on the form and found by it, a UK number with its code", async () => {
    const { shop, patRow, savePhone } = await shopIn("CA");
    expect(await savePhone("613-555-0123")).toEqual({ ok: true, changed: ["phone"] });
    expect(await formPhone(shop, patRow.id)).toBe("(613) 555-0123");
    for (const typed of ["(613) 555-0123", "613-555-0123", "1 613 555 0123", "555-0123", "+1 613 555 0123"])
      expect(await found(shop, typed), typed).toEqual(["pat@example.com"]);
    expect(await savePhone("011 44 20 7946 0958")).toEqual({ ok: true, changed: ["phone"] });
    expect(await formPhone(shop, patRow.id)).toBe("+44 20 7946 0958");
    for (const typed of ["011 44 20 7946 0958", "+44 20 7946 0958", "0044 20 7946 0958"])
      expect(await found(shop, typed), typed).toEqual(["pat@example.com"]);
  });
});

describe("the customer import reads a phone in the shop's country", () => {
  const file = async (rows: string[]) => {
    const dir = await mkdtemp(join(tmpdir(), "tally-phones-"));
    const path = join(dir, "customers.csv");
    await writeFile(path, ["Email,First name,Phone", ...rows].join("\n"));
    return path;
  };
  const problemsOf = async (country: string, rows: string[]) => {
    const { shop } = await shopIn(country);
    const ctx = contextFor(shop, { actor: "staff:42", actorName: "Sam Owner" });
    const checked = await checkCustomerImport({
      ctx,
      input: { fileName: "customers.csv", filePath: await file(rows), existing: "update", invite: false },
    });
    const problems: [number, string][] = [];
    for await (const problem of listImportProblems({ ctx, input: { importId: checked.id } }))
      problems.push([problem.line, problem.message]);
    return { valid: checked.summary.valid, problems };
  };

  it("takes a Canadian shop's national numbers and says how to write a bad one", async () => {
    expect(
      await problemsOf("CA", [
        "a@example.com,A,(613) 555-0101",
        "b@example.com,B,613-555-0102",
        "c@example.com,C,555-0103",
      ]),
    ).toEqual({
      valid: 2,
      problems: [
        [
          4,
          "“555-0103” is too short to be a phone number: write it like (613) 555-0123, or +44 20 7946 0958 for a number abroad.",
        ],
      ],
    });
  });

  it("reads a UK shop's file in the UK and a French shop's in France, each refusing what no number there can be", async () => {
    expect(
      await problemsOf("GB", [
        "a@example.com,A,+44 20 7946 0958",
        "b@example.com,B,020 7946 0958",
        "c@example.com,C,020 7946",
      ]),
    ).toEqual({
      valid: 2,
      problems: [
        [
          4,
          "“020 7946” is not a phone number in the United Kingdom: write it like 07400 123456, or +1 613 555 0123 for a number abroad.",
        ],
      ],
    });
    expect(await problemsOf("FR", ["a@example.com,A,06 12 34 56 78", "b@example.com,B,01 23 45"])).toEqual({
      valid: 1,
      problems: [
        [
          3,
          "“01 23 45” is too short to be a phone number: write it like 06 12 34 56 78, or +44 20 7946 0958 for a number abroad.",
        ],
      ],
    });
  });
});
