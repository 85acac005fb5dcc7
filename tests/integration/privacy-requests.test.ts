import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, complianceExports, customers } from "~/db/schema";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action as customerProfile } from "~/routes/app.customers_.$id";
import { loader as privacyPage } from "~/routes/app.privacy";
import { loader as download } from "~/routes/app.privacy_.$id.$format";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { samplePayload } from "../helpers/shopify-samples";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

async function thrownOrReturned(run: Promise<unknown>): Promise<Response | unknown> {
  try {
    return await run;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A shop with Pat, who got points adjusted and store credit from staff, and asked Shopify for their data. */
async function shopWithDataRequest() {
  const shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop, currency: "CAD" });
  const pat = control.createCustomer({ shop, email: "pat@example.com", firstName: "Pat", lastName: "Lee" });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  const row = (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "pat@example.com"))),
  ))!;
  const post = async (fields: Record<string, string>) =>
    customerProfile({
      request: await sessionTokenRequest(shop, `/app/customers/${row.id}`, {
        method: "POST",
        body: new URLSearchParams({ requestId: crypto.randomUUID(), ...fields }),
      }),
      params: { id: String(row.id) },
      context: {},
    });
  await post({ intent: "adjust", points: "40", reason: "Welcome gift" });
  await post({ intent: "store-credit", direction: "issue", amount: "12", currency: "CAD", reason: "Late parcel" });

  const dataRequestId = 9_100_000_000_000_000_001n;
  const body = {
    ...samplePayload("customers/data_request"),
    shop_domain: shop,
    customer: { id: BigInt(pat.id), email: "pat@example.com", phone: null },
    orders_requested: [],
    data_request: { id: dataRequestId },
  };
  expect((await deliverWebhook(dataRequest, "customers/data_request", shop, body)).status).toBe(200);
  const get = async (path: string, route: (args: LoaderFunctionArgs) => Promise<unknown>, params = {}) =>
    thrownOrReturned(route({ request: await sessionTokenRequest(shop, path), params, context: {} }));
  return { shop, row, dataRequestId: String(dataRequestId), get };
}

describe("Privacy requests", () => {
  it("lists a customer's data request from Shopify's signed webhook, and hands its export over as JSON and CSV", async () => {
    const { shop, row, dataRequestId, get } = await shopWithDataRequest();
    const page = (await get("/app/privacy", privacyPage)) as Awaited<ReturnType<typeof privacyPage>>;
    expect(page.rows).toEqual([
      expect.objectContaining({ dataRequestId, customerId: row.id, customerLabel: "Pat Lee", expired: false }),
    ]);
    const [request] = page.rows;
    expect(Date.parse(request!.answerBy) - Date.parse(request!.receivedAt)).toBe(30 * 86_400_000);

    const json = (await get(`/app/privacy/${request!.id}/json`, download, {
      id: String(request!.id),
      format: "json",
    })) as Response;
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toBe(`attachment; filename="data-request-${dataRequestId}.json"`);
    const data = await json.json();
    expect(data.customer).toMatchObject({ email: "pat@example.com", firstName: "Pat", lastName: "Lee" });
    expect(data.ledgerEntries).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "adjust", points: 40, note: "Welcome gift" })]),
    );
    expect(data.storeCredit).toEqual([
      expect.objectContaining({ kind: "credit", amountMinor: 1200, currency: "CAD", reason: "Late parcel" }),
    ]);
    expect(data.auditEvents.map((event: { action: string }) => event.action)).toEqual([
      "points.adjust",
      "store_credit.issue",
    ]);
    expect(data).toHaveProperty("emailsSent", []);
    expect(data).toHaveProperty("rewards", []);
    expect(data.referral).toHaveProperty("referrals", []);

    const csv = (await get(`/app/privacy/${request!.id}/csv`, download, {
      id: String(request!.id),
      format: "csv",
    })) as Response;
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const records = parse(await csv.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records).toContainEqual({ section: "customer", record: "1", field: "email", value: "pat@example.com" });
    expect(records).toContainEqual({ section: "storeCredit", record: "1", field: "reason", value: "Late parcel" });
    expect(records).toContainEqual({ section: "request", record: "1", field: "dataRequestId", value: dataRequestId });

    const downloads = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "privacy.export_download")))
      .orderBy(asc(auditEvents.id));
    expect(downloads.map((event) => [event.customerId, event.actorName, event.after])).toEqual([
      [row.id, "Sam Owner", { dataRequestId, format: "json" }],
      [row.id, "Sam Owner", { dataRequestId, format: "csv" }],
    ]);
  });

  it("says a request expired once Shopify's 30 days have passed, and no longer hands the export over", async () => {
    const { shop, get } = await shopWithDataRequest();
    // 12:00 UTC 31 days ago: its deadline is 12:00 UTC the day before yesterday, that day in Toronto too.
    const thirtyOneDaysAgo = new Date(Math.floor(Date.now() / 86_400_000 - 31) * 86_400_000 + 43_200_000).toISOString();
    await db.update(complianceExports).set({ createdAt: thirtyOneDaysAgo }).where(eq(complianceExports.shop, shop));
    const page = (await get("/app/privacy", privacyPage)) as Awaited<ReturnType<typeof privacyPage>>;
    expect(page.rows).toEqual([expect.objectContaining({ expired: true })]);

    const id = String(page.rows[0]!.id);
    const refused = (await get(`/app/privacy/${id}/json`, download, { id, format: "json" })) as Response;
    expect(refused.status).toBe(410);
    const deadline = new Date(Date.parse(thirtyOneDaysAgo) + 30 * 86_400_000);
    const day = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(deadline);
    // Written as the admin writes days ("Nov 30, 2026"), in the shop's zone.
    expect((await refused.json()).error).toBe(`This data request expired on ${day}: Shopify gives 30 days to answer`);
  });

  it("shows one shop's requests only, and refuses another shop's export", async () => {
    const one = await shopWithDataRequest();
    const other = await shopWithDataRequest();
    const page = (await other.get("/app/privacy", privacyPage)) as Awaited<ReturnType<typeof privacyPage>>;
    expect(page.rows).toHaveLength(1);
    const theirs = (await one.get("/app/privacy", privacyPage)) as Awaited<ReturnType<typeof privacyPage>>;
    const id = String(theirs.rows[0]!.id);
    const refused = (await other.get(`/app/privacy/${id}/json`, download, { id, format: "json" })) as Response;
    expect(refused.status).toBe(404);
  });
});
