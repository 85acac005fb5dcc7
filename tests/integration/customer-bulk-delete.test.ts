import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers } from "~/db/schema";
import { emptyCustomerQuery } from "~/domain/customers";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { loader as homeLoader } from "~/routes/app._index";
import { loader as directoryLoader } from "~/routes/app.customers";
import { action as profileAction, loader as profileLoader } from "~/routes/app.customers_.$id";
import { action as editAction } from "~/routes/app.customers_.$id_.edit";
import { action as jobAction, loader as jobPage } from "~/routes/app.jobs.$id";
import { loader as exportDownload } from "~/routes/app.jobs.$id.export[.csv]";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { repairCustomerCounts } from "~/services/customers/repair-customer-counts.server";
import { getTask } from "~/services/background-jobs/get-task.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { answer, customerRow, deliverAll } from "../helpers/referral-flow";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { startFromDirectory } from "../helpers/start-job";
import { samplePayload } from "../helpers/shopify-samples";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const numeric = (id: string | number) => String(id).replace(/\D/g, "");
const drain = (shop: string) => createTaskRunner({ shops: [shop] }).drain();

function inShopify(shop: string, id: string | number): boolean {
  try {
    sandboxOf().control.customer({ shop, customerId: String(id) });
    return true;
  } catch {
    return false;
  }
}

/** A shop with four customers in Shopify and Tally; two of them have an order. */
async function shopWithBuyersAndBrowsers() {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  await installThroughAdmin(sandbox, shop);
  const from = sandbox.control.deliveries({ shop }).length;
  const people = ["ana", "ben", "cleo", "dev"].map((name) =>
    sandbox.control.createCustomerAccount({ shop, email: `${name}@example.com`, firstName: name.toUpperCase() }),
  );
  for (const buyer of [people[1]!, people[3]!]) sandbox.control.placeOrder({ shop, customerId: String(buyer.id) });
  await deliverAll(sandbox, shop, from);
  const rows = await Promise.all(people.map(async (person) => (await customerRow(shop, numeric(person.id)))!));
  return { shop, sandbox, people, rows };
}

describe("Delete customers from the directory", () => {
  it("deletes every matching customer without orders in Shopify, keeps those with orders saying why, and audits each", async () => {
    const { shop, sandbox, people, rows } = await shopWithBuyersAndBrowsers();
    const [ana, ben, cleo, dev] = rows;
    const taskId = await startFromDirectory(
      shop,
      "customers.delete",
      { selection: { query: emptyCustomerQuery } },
      "delete-1",
    );
    // Pressed twice: one job.
    expect(
      await startFromDirectory(shop, "customers.delete", { selection: { query: emptyCustomerQuery } }, "delete-1"),
    ).toBe(taskId);
    await drain(shop);

    const ctx = contextFor(shop, "test");
    const task = await getTask({ ctx, input: { taskId } });
    expect(task).toMatchObject({ status: "succeeded", title: "Delete customers", progress: { done: 4, total: 4 } });
    expect(task.items).toMatchObject({ done: 2, skipped: 2, failed: 0 });

    const page = await jobPage({
      request: await sessionTokenRequest(shop, `/app/jobs/${taskId}`),
      params: { id: String(taskId) },
      context: {},
    } as Args);
    const said = Object.fromEntries(page.results.items.map((item) => [item.customerId, item.message]));
    expect(said).toEqual({
      [ana!.id]: "Deleted in Shopify",
      [ben!.id]: "Kept: has orders",
      [cleo!.id]: "Deleted in Shopify",
      [dev!.id]: "Kept: has orders",
    });
    expect(page.outcomeLabels).toMatchObject({ done: "Deleted", skipped: "Kept" });

    // Shopify deleted exactly the two without orders.
    expect(people.map((person) => inShopify(shop, person.id))).toEqual([false, true, false, true]);

    // Tally follows Shopify's customers/delete: only those two leave the directory.
    await deliverAll(sandbox, shop, 0);
    const deleted = await db
      .select({ id: customers.id, deletedAt: customers.deletedAt })
      .from(customers)
      .where(eq(customers.shop, shop))
      .orderBy(customers.id);
    expect(deleted.map((row) => row.deletedAt !== null)).toEqual([true, false, true, false]);

    const audit = await db
      .select({ action: auditEvents.action, customerId: auditEvents.customerId, taskId: auditEvents.taskId })
      .from(auditEvents)
      .where(eq(auditEvents.shop, shop))
      .orderBy(auditEvents.id);
    expect(audit.map((line) => [line.action, line.customerId])).toEqual([
      ["task.start", null],
      ["customer.delete", ana!.id],
      ["customer.delete_refused", ben!.id],
      ["customer.delete", cleo!.id],
      ["customer.delete_refused", dev!.id],
    ]);

    // The offer beside a kept customer: Request erasure, the profile's own action.
    const request = await sessionTokenRequest(shop, `/app/customers/${ben!.id}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "request-erasure" }),
    });
    const erasure = await profileAction({ request, params: { id: String(ben!.id) }, context: {} } as Args);
    expect(erasure).toMatchObject({ ok: true, intent: "request-erasure" });
    expect(sandbox.control.erasureRequests({ shop }).length).toBe(1);
  });

  it("keeps a deleted customer's profile as history: adjusting points, store credit, block, edit, recalculate and delete are refused (410) in words", async () => {
    const { shop, sandbox, rows } = await shopWithBuyersAndBrowsers();
    const cleo = rows[2]!;
    const from = sandbox.control.deliveries({ shop }).length;
    await startFromDirectory(shop, "customers.delete", { selection: { ids: [cleo.id] } }, "delete-cleo");
    await drain(shop);
    await deliverAll(sandbox, shop, from);
    const before = (await customerRow(shop, cleo.customerGid.replace(/\D/g, "")))!;
    expect(before.deletedAt).not.toBeNull();

    const post = async (form: Record<string, string>) => {
      const request = await sessionTokenRequest(shop, `/app/customers/${cleo.id}`, {
        method: "POST",
        body: new URLSearchParams(form),
      });
      const response = (await answer(async () => {
        const result = await profileAction({ request, params: { id: String(cleo.id) }, context: {} } as Args);
        return result instanceof Response ? result : Response.json(result);
      })) as Response;
      return { status: response.status, error: ((await response.json()) as { error?: string }).error };
    };
    const deleted = "This customer was deleted in Shopify: ";
    expect(await post({ intent: "adjust", points: "50", reason: "Goodwill", requestId: "adj-1" })).toEqual({
      status: 410,
      error: `${deleted}their points can no longer be adjusted`,
    });
    expect(
      await post({
        intent: "store-credit",
        direction: "issue",
        amount: "5",
        currency: "CAD",
        reason: "Sorry",
        requestId: "sc-1",
      }),
    ).toMatchObject({ status: 410, error: `${deleted}store credit can no longer be issued or deducted` });
    expect(await post({ intent: "block" })).toEqual({
      status: 410,
      error: `${deleted}there is no one left to block or unblock`,
    });
    expect(await post({ intent: "recalculate" })).toEqual({
      status: 410,
      error: `${deleted}their points can no longer be recalculated`,
    });
    expect(await post({ intent: "delete" })).toEqual({
      status: 410,
      error: `${deleted}there is nothing left to delete`,
    });
    const editRequest = await sessionTokenRequest(shop, `/app/customers/${cleo.id}/edit`, {
      method: "POST",
      body: new URLSearchParams({
        firstName: "Renamed",
        lastName: "",
        email: "",
        phone: "",
        tags: "",
        taxExempt: "false",
        emailMarketing: "UNSUBSCRIBED",
        smsMarketing: "UNSUBSCRIBED",
      }),
    });
    const edited = (await answer(async () => {
      const result = await editAction({ request: editRequest, params: { id: String(cleo.id) }, context: {} } as Args);
      return result instanceof Response ? result : Response.json(result);
    })) as Response;
    expect(edited.status).toBe(410);

    // Nothing changed: the same points, not blocked, and nothing more in the audit trail than the deletion.
    const after = (await customerRow(shop, cleo.customerGid.replace(/\D/g, "")))!;
    expect(after).toMatchObject({ pointsBalance: before.pointsBalance, blocked: false, firstName: before.firstName });
    const audited = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.customerId, cleo.id)));
    expect(audited.map((event) => event.action)).toEqual(["customer.delete"]);
  });

  it("deletes only the ticked rows, and a customer of another shop is never reached", async () => {
    const { shop, people, rows } = await shopWithBuyersAndBrowsers();
    const other = await shopWithBuyersAndBrowsers();
    const taskId = await startFromDirectory(
      shop,
      "customers.delete",
      { selection: { ids: [rows[2]!.id, rows[3]!.id, other.rows[0]!.id] } },
      "delete-ticked",
    );
    await drain(shop);
    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task.items).toMatchObject({ done: 1, skipped: 1, failed: 0 });
    expect(people.map((person) => inShopify(shop, person.id))).toEqual([true, true, false, true]);
    expect(other.people.map((person) => inShopify(other.shop, person.id))).toEqual([true, true, true, true]);
    expect(
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.shop, other.shop), eq(auditEvents.action, "customer.delete"))),
    ).toEqual([]);
  });

  it("leaves the deleted customers out of the list, search, filters, counts, Home and export, until Shopify brings one back", async () => {
    const { shop, sandbox, people, rows } = await shopWithBuyersAndBrowsers();
    const [ana, ben, cleo, dev] = rows;
    const directory = async (search = "") =>
      directoryLoader({ request: await sessionTokenRequest(shop, `/app/customers${search}`), params: {}, context: {} });
    const listed = async (search = "") => (await directory(search)).page.customers.map((row) => row.name).toSorted();
    const home = async () => homeLoader({ request: await sessionTokenRequest(shop, "/app"), params: {}, context: {} });
    const exported = async (requestId: string) => {
      const taskId = await startFromDirectory(
        shop,
        "customers.export",
        { selection: { query: emptyCustomerQuery }, columns: ["first_name", "email"] },
        requestId,
      );
      await drain(shop);
      const request = await sessionTokenRequest(shop, `/app/jobs/${taskId}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "download-export" }),
      });
      const link = (await jobAction({ request, params: { id: String(taskId) }, context: {} } as Args)) as {
        url: string;
      };
      const url = new URL(link.url, process.env.SHOPIFY_APP_URL);
      const response = await answer(() =>
        exportDownload({ request: new Request(url), params: { id: String(taskId) }, context: {} } as Args),
      );
      const table = parse(
        Buffer.from(await response.arrayBuffer())
          .toString("utf8")
          .slice(1),
      ) as string[][];
      return table
        .slice(1)
        .map(([firstName]) => firstName!)
        .toSorted();
    };

    expect(await listed()).toEqual(["ANA", "BEN", "CLEO", "DEV"]);
    expect((await directory()).tabCounts).toMatchObject({ all: 4, members: 4, guests: 0 });
    expect((await home()).insights).toMatchObject({ customers: 4, members: 4 });

    await startFromDirectory(shop, "customers.delete", { selection: { query: emptyCustomerQuery } }, "delete-all");
    await drain(shop);
    await deliverAll(sandbox, shop, 0);

    // As in Shopify's own customer list: Ana and Cleo are gone, wherever the merchant looks.
    expect(await listed()).toEqual(["BEN", "DEV"]);
    expect(await (await directory()).count).toEqual({ count: 2, precision: "exact" });
    expect(await listed("?q=ana")).toEqual([]);
    expect(await listed("?q=example.com")).toEqual(["BEN", "DEV"]);
    expect(await listed("?status=member&points_min=0")).toEqual(["BEN", "DEV"]);
    expect(await (await directory("?status=member&points_min=0")).count).toEqual({ count: 2, precision: "exact" });
    expect(await listed("?tab=members&sort=name-desc")).toEqual(["BEN", "DEV"]);
    expect((await directory()).tabCounts).toEqual({
      all: 2,
      members: 2,
      guests: 0,
      paying: 0,
      "non-converting": 0,
      "opted-in": 0,
      blocked: 0,
    });
    expect((await home()).insights).toMatchObject({ customers: 2, members: 2, guests: 0 });
    expect(await exported("export-after-delete")).toEqual(["BEN", "DEV"]);
    // The ledger's history stays, and the profile still opens by its URL, saying what happened.
    const profile = await profileLoader({
      request: await sessionTokenRequest(shop, `/app/customers/${ana!.id}`),
      params: { id: String(ana!.id) },
      context: {},
    } as Args);
    expect(JSON.stringify(profile)).toContain('"deletedAt":"');
    const ctx = contextFor(shop, "test");
    expect(await repairCustomerCounts({ ctx })).toEqual({ drifted: false });

    // A newer snapshot of Cleo from Shopify (an un-deleted customer) brings her back, counted again.
    const update = await deliverWebhook(customerUpdate, "customers/update", shop, {
      ...samplePayload("customers/update"),
      admin_graphql_api_id: cleo!.customerGid,
      id: Number(numeric(people[2]!.id)),
      email: "cleo@example.com",
      first_name: "CLEO",
      last_name: null,
      phone: null,
      state: "enabled",
      tags: "",
      updated_at: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(update.status).toBe(200);
    expect(await listed()).toEqual(["BEN", "CLEO", "DEV"]);
    expect(await listed("?q=cleo")).toEqual(["CLEO"]);
    expect(await listed("?status=member&points_min=0")).toEqual(["BEN", "CLEO", "DEV"]);
    expect((await directory()).tabCounts).toMatchObject({ all: 3, members: 3, guests: 0 });
    expect((await home()).insights).toMatchObject({ customers: 3, members: 3 });
    expect(await repairCustomerCounts({ ctx })).toEqual({ drifted: false });
    expect(ben && dev).toBeTruthy();
  });
});
