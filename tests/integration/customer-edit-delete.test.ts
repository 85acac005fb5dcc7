import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers } from "~/db/schema";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action as editAction, loader as editLoader } from "~/routes/app.customers_.$id_.edit";
import { action as profileAction } from "~/routes/app.customers_.$id";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest } from "../helpers/signed-requests";

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

async function postTo(
  route: (args: Args) => Promise<unknown>,
  shop: string,
  path: string,
  id: number,
  fields: Record<string, string>,
) {
  const request = await sessionTokenRequest(shop, path, { method: "POST", body: new URLSearchParams(fields) });
  return answerOf(route(args(request, id)));
}

async function shopWithCustomers() {
  const shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop });
  const pat = control.createCustomer({
    shop,
    email: "pat@example.com",
    firstName: "Pat",
    lastName: "Lee",
    state: "ENABLED",
  });
  const buyer = control.createCustomerAccount({ shop, email: "buyer@example.com" });
  control.placeOrder({ shop, customerId: String(buyer.id) });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  const row = async (email: string) =>
    (await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.email, email))),
    ))!;
  return { shop, control, pat, buyer, patRow: await row("pat@example.com"), buyerRow: await row("buyer@example.com") };
}

const form = (values: Record<string, string>) => ({
  firstName: "Pat",
  lastName: "Lee",
  email: "pat@example.com",
  phone: "",
  tags: "",
  taxExempt: "false",
  emailMarketing: "NOT_SUBSCRIBED",
  smsMarketing: "NOT_SUBSCRIBED",
  ...values,
});

describe("Edit customer", () => {
  it("saves name, contacts, tags, tax exemption and both consents to Shopify, and the profile shows Shopify's answer", async () => {
    const { shop, control, pat, patRow } = await shopWithCustomers();
    const path = `/app/customers/${patRow.id}/edit`;
    const loaded = await editLoader(args(await sessionTokenRequest(shop, path), patRow.id));
    expect(loaded.current).toMatchObject({
      firstName: "Pat",
      email: "pat@example.com",
      emailMarketing: "NOT_SUBSCRIBED",
    });

    const saved = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({
        firstName: "Patricia",
        lastName: "Lee-Smith",
        // As people write it: read as +14155550123, as the import reads it (a newcomer's was refused).
        phone: "+1 (415) 555-0123",
        tags: "vip, wholesale",
        taxExempt: "true",
        emailMarketing: "SUBSCRIBED",
        smsMarketing: "SUBSCRIBED",
      }),
    );
    expect(saved).toMatchObject({ ok: true });
    expect(saved.changed).toEqual([
      "firstName",
      "lastName",
      "phone",
      "tags",
      "taxExempt",
      "emailMarketing",
      "smsMarketing",
    ]);

    const inShopify = control.customer({ shop, customerId: String(pat.id) })!;
    expect(inShopify).toMatchObject({
      firstName: "Patricia",
      lastName: "Lee-Smith",
      phone: "+14155550123",
      taxExempt: true,
    });
    expect(inShopify.tags.sort()).toEqual(["vip", "wholesale"]);
    expect(inShopify.marketing.state).toBe("SUBSCRIBED");
    expect(inShopify.sms?.state).toBe("SUBSCRIBED");
    const inTally = (await first(db.select().from(customers).where(eq(customers.id, patRow.id))))!;
    expect(inTally).toMatchObject({ firstName: "Patricia", lastName: "Lee-Smith", phone: "+14155550123" });
    expect(inTally.tags.sort()).toEqual(["vip", "wholesale"]);
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.customerId, patRow.id));
    expect(audit).toMatchObject({
      action: "customer.edit",
      actorName: "Sam Owner",
      before: { firstName: "Pat", emailMarketing: "NOT_SUBSCRIBED", taxExempt: false },
      after: { firstName: "Patricia", emailMarketing: "SUBSCRIBED", taxExempt: true },
    });
  });

  it("puts Shopify's refusal on the field it names, and changes nothing", async () => {
    const { shop, control, pat, patRow } = await shopWithCustomers();
    const path = `/app/customers/${patRow.id}/edit`;
    // Shopify keeps one customer per email address.
    const taken = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({ firstName: "Pat", email: "buyer@example.com" }),
    );
    // In Shopify's words, without the name of the mutation that carried them (a tester read "customerUpdate: …").
    expect(taken).toMatchObject({
      status: 422,
      code: "shopify_refused",
      error: "Shopify refused the change: Email has already been taken",
      fieldErrors: { email: ["Email has already been taken"] },
    });
    expect(control.customer({ shop, customerId: String(pat.id) })!.email).toBe("pat@example.com");

    // SMS consent needs a phone number: Shopify refuses it on the SMS field.
    const noPhone = await postTo(editAction, shop, path, patRow.id, form({ smsMarketing: "SUBSCRIBED" }));
    expect(noPhone).toMatchObject({ status: 422 });
    expect(Object.keys(noPhone.fieldErrors as object)).toEqual(["smsMarketing"]);

    const badEmail = await postTo(editAction, shop, path, patRow.id, form({ email: "not an email" }));
    expect(badEmail).toMatchObject({
      status: 400,
      fieldErrors: { email: ["Enter an email address like pat@example.com"] },
    });
    const shortPhone = await postTo(editAction, shop, path, patRow.id, form({ phone: "415 555 012" }));
    expect(shortPhone).toMatchObject({
      status: 400,
      fieldErrors: { phone: ["“415 555 012” is too short to be a phone number."] },
    });
    // No name, email or phone left: refused on each of those fields (Shopify's own refusal names none).
    const nobody = await postTo(editAction, shop, path, patRow.id, form({ firstName: " ", lastName: "", email: "" }));
    const words = "Enter a name, an email or a phone: Shopify keeps no customer without one of them";
    expect(nobody).toMatchObject({
      status: 400,
      fieldErrors: { firstName: [words], lastName: [words], email: [words], phone: [words] },
    });
    expect(control.customer({ shop, customerId: String(pat.id) })).toMatchObject({ firstName: "Pat" });
    expect(await db.select().from(auditEvents).where(eq(auditEvents.customerId, patRow.id))).toEqual([]);
  });
  it("refuses a bad email and a bad phone in one answer, each on its field, and sends nothing to Shopify", async () => {
    const { shop, control, pat, patRow } = await shopWithCustomers();
    const path = `/app/customers/${patRow.id}/edit`;
    const both = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({ firstName: "Patricia", email: "not an email", phone: "415 555 012", tags: "x".repeat(256) }),
    );
    expect(both).toMatchObject({
      status: 400,
      code: "invalid_input",
      error: "Correct the fields marked and try again",
      fieldErrors: {
        email: ["Enter an email address like pat@example.com"],
        phone: ["“415 555 012” is too short to be a phone number."],
        "tags.0": [expect.stringContaining("keep it to 255 characters or fewer (this is 256)")],
      },
    });
    // Every contact emptied and a tag too long: Shopify's rule and the tag's length, together.
    const nobody = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({ firstName: "", lastName: "", email: "", phone: "", tags: "x".repeat(256) }),
    );
    const words = "Enter a name, an email or a phone: Shopify keeps no customer without one of them";
    expect(nobody).toMatchObject({
      status: 400,
      fieldErrors: {
        firstName: [words],
        lastName: [words],
        email: [words],
        phone: [words],
        "tags.0": [expect.any(String)],
      },
    });
    expect(control.customer({ shop, customerId: String(pat.id) })).toMatchObject({
      firstName: "Pat",
      email: "pat@example.com",
    });
    expect(await db.select().from(auditEvents).where(eq(auditEvents.customerId, patRow.id))).toEqual([]);
  });

  it("saves a name or tag that starts like a formula, as Shopify and the import take it", async () => {
    const { shop, control, pat, patRow } = await shopWithCustomers();
    const path = `/app/customers/${patRow.id}/edit`;
    const saved = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({ firstName: "=Pat", lastName: "-", tags: "@home" }),
    );
    expect(saved).toMatchObject({ ok: true, changed: ["firstName", "lastName", "tags"] });
    expect(control.customer({ shop, customerId: String(pat.id) })).toMatchObject({
      firstName: "=Pat",
      lastName: "-",
      tags: ["@home"],
    });
  });

  it("saves a first and last name of Shopify's 255 characters and refuses 256 in words that allow 255", async () => {
    const { shop, control, pat, patRow } = await shopWithCustomers();
    const path = `/app/customers/${patRow.id}/edit`;
    const refused = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({ firstName: "a".repeat(256), lastName: "b".repeat(256) }),
    );
    expect(refused).toMatchObject({
      status: 400,
      fieldErrors: {
        firstName: ["Keep it to 255 characters or fewer (this is 256)"],
        lastName: ["Keep it to 255 characters or fewer (this is 256)"],
      },
    });
    const saved = await postTo(
      editAction,
      shop,
      path,
      patRow.id,
      form({ firstName: "a".repeat(255), lastName: "b".repeat(255) }),
    );
    expect(saved).toMatchObject({ ok: true, changed: ["firstName", "lastName"] });
    expect(control.customer({ shop, customerId: String(pat.id) })).toMatchObject({
      firstName: "a".repeat(255),
      lastName: "b".repeat(255),
    });
  });

  it("refuses a tag over Shopify's 255 characters in words on the Tags field, and sends nothing to Shopify", async () => {
    const { shop, control, pat, patRow } = await shopWithCustomers();
    const path = `/app/customers/${patRow.id}/edit`;
    const long = "z".repeat(256);
    const refused = await postTo(editAction, shop, path, patRow.id, form({ tags: `vip, ${long}` }));
    expect(refused).toMatchObject({
      status: 400,
      fieldErrors: {
        "tags.1": [`Tag \u201c${"z".repeat(20)}\u2026\u201d: keep it to 255 characters or fewer (this is 256)`],
      },
    });
    expect(control.customer({ shop, customerId: String(pat.id) })!.tags).toEqual([]);

    const fits = await postTo(editAction, shop, path, patRow.id, form({ tags: "z".repeat(255) }));
    expect(fits).toMatchObject({ ok: true });
    expect(control.customer({ shop, customerId: String(pat.id) })!.tags).toEqual(["z".repeat(255)]);
  });
});

describe("Delete customer", () => {
  it("deletes a customer without orders in Shopify, and keeps one with orders, saying why and offering erasure", async () => {
    const { shop, control, pat, buyer, patRow, buyerRow } = await shopWithCustomers();
    const path = (id: number) => `/app/customers/${id}`;

    const deleted = await postTo(profileAction, shop, path(patRow.id), patRow.id, { intent: "delete" });
    expect(deleted).toMatchObject({
      ok: true,
      results: [{ customerId: patRow.id, name: "Pat Lee", outcome: "deleted", reason: null }],
    });
    expect(() => control.customer({ shop, customerId: String(pat.id) })).toThrow(/No customer/);

    const kept = await postTo(profileAction, shop, path(buyerRow.id), buyerRow.id, { intent: "delete" });
    expect(kept).toMatchObject({
      ok: true,
      results: [{ customerId: buyerRow.id, name: "buyer@example.com", outcome: "kept", reason: "has orders" }],
    });
    expect(control.customer({ shop, customerId: String(buyer.id) })).toBeDefined();
    // Tally's row is untouched: only Shopify's customers/delete removes a customer from Tally.
    expect((await first(db.select().from(customers).where(eq(customers.id, buyerRow.id))))!.deletedAt).toBeNull();

    const erasure = await postTo(profileAction, shop, path(buyerRow.id), buyerRow.id, { intent: "request-erasure" });
    expect(erasure).toMatchObject({ ok: true, intent: "request-erasure" });
    expect(control.erasureRequests({ shop }).length).toBe(1);
    // Asked twice, Shopify says it is already scheduled.
    const again = await postTo(profileAction, shop, path(buyerRow.id), buyerRow.id, { intent: "request-erasure" });
    expect(again).toMatchObject({
      status: 422,
      code: "shopify_refused",
      error: "Shopify refused the change: Customer's data is already scheduled for erasure",
    });

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.shop, shop)).orderBy(auditEvents.id);
    expect(audit.map((row) => [row.action, row.customerId])).toEqual([
      ["customer.delete", patRow.id],
      ["customer.delete_refused", buyerRow.id],
      ["customer.erasure_request", buyerRow.id],
    ]);
  });
});
