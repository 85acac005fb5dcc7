import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeAuditChange } from "~/components/audit-log";
import { auditActionLabel, describeFieldChanges } from "~/domain/audit";
import { customers, importChanges } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { createFormatter } from "~/lib/format";
import { action as importPage, loader as importPreview } from "~/routes/app.import.$id";
import { action as importUpload } from "~/routes/app.import._index";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { contextFor } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { callAdminRoute } from "../helpers/signed-requests";

/*
 * Newcomer round 8, finding 5: an import overwrote Maya Okafor's last name while its preview said only "1 customers
 * Shopify has will be updated", and her audit trail said nothing. Through the Import routes as the admin posts them:
 * the preview names each field an update changes and counts the updates that change nothing; after the import, each
 * customer's own audit trail names the file and what it changed.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const format = createFormatter({ locale: "en-US", pointsNames: { singular: "point", plural: "points" } });

const call = callAdminRoute;

const installedShop = () => installedSandboxShop(sandboxOf());

/** A customer in Shopify and in Tally's copy, as the install's sync would have brought them. */
async function knownCustomer(
  shop: string,
  fields: { email: string; firstName: string; lastName: string; tags?: string[]; phone?: string },
) {
  const created = sandboxOf().control.createCustomer({ shop, ...fields });
  const [row] = await db
    .insert(customers)
    .values({
      shop,
      customerGid: `gid://shopify/Customer/${String(created.id).replace(/\D/g, "")}`,
      email: fields.email,
      firstName: fields.firstName,
      lastName: fields.lastName,
      phone: fields.phone ?? null,
      tags: fields.tags ?? [],
    })
    .returning({ id: customers.id });
  return row!.id;
}

async function uploadCustomers(shop: string, csv: string) {
  const form = new FormData();
  form.set("intent", "customers");
  form.set("existing", "update");
  form.set("file", new File([csv], "customers.csv", { type: "text/csv" }));
  const answer = (await call(importUpload, shop, "/app/import", { method: "POST", body: form })) as Response;
  expect(answer.status).toBe(302);
  // The check runs in the background (decision 048): the preview below is the one its page shows once it is done.
  await createTaskRunner({ shops: [shop] }).drain();
  return Number(/\/app\/import\/(\d+)/.exec(answer.headers.get("Location") ?? "")?.[1]);
}

async function previewOf(shop: string, importId: number) {
  return call(importPreview, shop, `/app/import/${importId}`);
}

async function auditTrailOf(shop: string, customerId: number) {
  const profile = await call(profileLoader, shop, `/app/customers/${customerId}`);
  return profile.audit.map((line) => `${auditActionLabel(line.action)} · ${describeAuditChange(line, format)}`);
}

describe("an import's preview shows what it changes on customers Shopify has", () => {
  it("lists each update's changed fields, counts the updates that change nothing, and each customer's trail names the import", async () => {
    const shop = await installedShop();
    const maya = await knownCustomer(shop, { email: "maya.demo@example.com", firstName: "Maya", lastName: "Okafor" });
    const theo = await knownCustomer(shop, { email: "theo@example.com", firstName: "Théo", lastName: "Martin" });
    const ana = await knownCustomer(shop, {
      email: "ana@example.com",
      firstName: "Ana",
      lastName: "Silva",
      tags: ["vip"],
    });
    const csv = [
      "First name,Last name,Email,Tags,Accepts email marketing",
      "Maya,Again,maya.demo@example.com,,",
      // Théo's row says what Shopify already has: an update that changes nothing.
      "Théo,Martin,THEO@example.com,,",
      "Ana,Silva,ana@example.com,wholesale,yes",
      "Zoë,Łęcka,zoe@example.com,,yes",
      "",
    ].join("\n");
    const importId = await uploadCustomers(shop, csv);

    const preview = await previewOf(shop, importId);
    expect(preview.summary).toMatchObject({
      create: 1,
      update: 3,
      unchanged: 1,
      "changed.lastName": 1,
      "changed.tags": 1,
      "changed.emailMarketing": 1,
    });
    expect(
      preview.changes.map((change) => [
        change.line,
        change.email,
        describeFieldChanges(change.before, change.after, format.number),
      ]),
    ).toEqual([
      [2, "maya.demo@example.com", "Last name: Okafor \u2192 Again"],
      [4, "ana@example.com", "Tags: vip \u2192 wholesale; Email marketing: not subscribed \u2192 subscribed"],
    ]);
    expect(preview.changes.map((change) => change.customerId)).toEqual([maya, ana]);

    const started = (await call(importPage, shop, `/app/import/${importId}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "start" }),
    })) as Response;
    expect(started.status).toBe(302);
    await createTaskRunner({ shops: [shop] }).drain();

    expect(sandboxOf().control.customerByEmail({ shop, email: "maya.demo@example.com" })?.lastName).toBe("Again");
    expect(await auditTrailOf(shop, maya)).toEqual([
      `Imported a customer from a file · Last name: Okafor \u2192 Again, from customers.csv (import ${importId})`,
    ]);
    expect(await auditTrailOf(shop, ana)).toEqual([
      `Imported a customer from a file · Tags: vip \u2192 wholesale; Email marketing: not subscribed \u2192 subscribed, from customers.csv (import ${importId})`,
    ]);
    // Nothing changed for Théo, so nothing is written in his trail.
    expect(await auditTrailOf(shop, theo)).toEqual([]);
    const [zoe] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "zoe@example.com")));
    expect(await auditTrailOf(shop, zoe!.id)).toEqual([
      `Imported a customer from a file · Created from customers.csv (import ${importId}): First name: Zoë; Last name: \u0141\u0119cka; Email marketing: subscribed`,
    ]);
  });

  it("counts every change of a file of 1,200 updates while keeping only the first 50 rows to show", async () => {
    const shop = await installedShop();
    const rows = Array.from({ length: 1200 }, (_, index) => ({
      shop,
      customerGid: `gid://shopify/Customer/${900000 + index}`,
      email: `member${index}@example.com`,
      firstName: "Member",
      lastName: `Number ${index}`,
      phone: null,
      tags: [],
    }));
    for (let at = 0; at < rows.length; at += 200) await db.insert(customers).values(rows.slice(at, at + 200));
    // Every third row renames its customer, every fifth tags them, the rest say what Tally holds.
    const lines = rows.map((row, index) =>
      [
        row.firstName,
        index % 3 === 0 ? `Renamed ${index}` : row.lastName,
        row.email,
        index % 5 === 0 ? "wholesale" : "",
      ].join(","),
    );
    const importId = await uploadCustomers(shop, ["First name,Last name,Email,Tags", ...lines, ""].join("\n"));

    const preview = await previewOf(shop, importId);
    const renamed = rows.filter((_, index) => index % 3 === 0).length;
    const tagged = rows.filter((_, index) => index % 5 === 0).length;
    const changing = rows.filter((_, index) => index % 3 === 0 || index % 5 === 0).length;
    expect(preview.summary).toMatchObject({
      update: 1200,
      unchanged: 1200 - changing,
      "changed.lastName": renamed,
      "changed.tags": tagged,
    });
    expect(preview.changes).toHaveLength(50);
    expect(preview.changes[0]).toMatchObject({ line: 2, email: "member0@example.com" });
    expect(describeFieldChanges(preview.changes[1]!.before, preview.changes[1]!.after)).toBe(
      "Last name: Number 3 \u2192 Renamed 3",
    );
    const [stored] = await db
      .select({ rows: count() })
      .from(importChanges)
      .where(and(eq(importChanges.shop, shop), eq(importChanges.importId, importId)));
    expect(stored!.rows).toBe(50);
  });
});
