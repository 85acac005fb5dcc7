import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeAuditChange } from "~/components/audit-log";
import { describeFinished } from "~/domain/background-jobs";
import { auditEvents, customers, ledgerEntries } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { BULK_FROM_ROWS } from "~/jobs/tasks/import-customers-bulk.server";
import { createFormatter } from "~/lib/format";
import { action as importPage, loader as importPreview } from "~/routes/app.import.$id";
import { action as importUpload } from "~/routes/app.import._index";
import { loader as jobPage } from "~/routes/app.jobs.$id";
import { iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { contextFor } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { callAdminRoute } from "../helpers/signed-requests";

/*
 * Newcomer round 11, finding 2: a row that says what Shopify and Tally already hold of Giulia Rossi was previewed as
 * "1 customer Shopify has already matches the file", then imported as "Imported – Updated", the job finished "4 of 4
 * imported" and the audit line read "To update: 1; Already matching: 1". Through the Import and Jobs routes as the
 * admin posts them, on both of the import's paths (one customerSet per row, and the bulk mutation of a large file):
 * the apply does what the preview said.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const format = createFormatter({ locale: "en-US", pointsNames: { singular: "point", plural: "points" } });

const call = callAdminRoute;

const installedShop = () => installedSandboxShop(sandboxOf());

/** A customer in Shopify and in Tally's copy, as the install's sync would have brought them. */
async function knownCustomer(shop: string, fields: { email: string; firstName: string; lastName: string }) {
  const created = sandboxOf().control.createCustomer({ shop, ...fields });
  await db.insert(customers).values({
    shop,
    customerGid: `gid://shopify/Customer/${String(created.id).replace(/\D/g, "")}`,
    ...fields,
  });
  return created;
}

/** An installed shop whose Shopify and Tally both hold Giulia Rossi and Maya Okafor. */
async function shopWithGiuliaAndMaya() {
  const shop = await installedShop();
  const giulia = await knownCustomer(shop, {
    email: "giulia.rossi.1999@example.com",
    firstName: "Giulia",
    lastName: "Rossi",
  });
  await knownCustomer(shop, { email: "maya.demo@example.com", firstName: "Maya", lastName: "Okafor" });
  await sandboxOf().control.idle();
  return { shop, giulia };
}

/** Uploads the file, lets its check run, starts the import from its page and lets it run: answers the job's id. */
async function importFile(shop: string, csv: string) {
  const form = new FormData();
  form.set("intent", "customers");
  form.set("existing", "update");
  form.set("file", new File([csv], "customers.csv", { type: "text/csv" }));
  const uploaded = (await call(importUpload, shop, "/app/import", { method: "POST", body: form })) as Response;
  expect(uploaded.status).toBe(302);
  await createTaskRunner({ shops: [shop] }).drain();
  const importId = Number(/\/app\/import\/(\d+)/.exec(uploaded.headers.get("Location") ?? "")?.[1]);
  const preview = await call(importPreview, shop, `/app/import/${importId}`);
  const started = (await call(importPage, shop, `/app/import/${importId}`, {
    method: "POST",
    body: new URLSearchParams({ intent: "start" }),
  })) as Response;
  expect(started.status).toBe(302);
  await createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
  await sandboxOf().control.idle();
  const jobId = Number(/\/app\/jobs\/(\d+)/.exec(started.headers.get("Location") ?? "")?.[1]);
  return { importId, jobId, preview };
}

/** What the job's page says: its finished line, and each listed customer (by name or email) with outcome and words. */
async function jobOf(shop: string, jobId: number) {
  const { job, outcomeLabels } = await call(jobPage, shop, `/app/jobs/${jobId}`);
  const results = new Map<string, string>();
  for await (const item of iterateTaskItems({ ctx: contextFor(shop, "test"), input: { taskId: jobId } }))
    results.set(item.label, `${outcomeLabels[item.outcome]} \u2013 ${item.message}`);
  return { finished: describeFinished(job, format.number), results };
}

/** The shop's audit log line of an action, as the Audit log page words it. */
async function auditLine(shop: string, action: string) {
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, action)))
    .orderBy(asc(auditEvents.id));
  expect(event, action).toBeDefined();
  return describeAuditChange({ ...event!, actorName: null } as Parameters<typeof describeAuditChange>[0], format);
}

describe("a row that already matches what Shopify and Tally hold is imported as the preview said", () => {
  it("is not sent to Shopify, listed as already matching beside the rows that change, and counted so", async () => {
    const { shop, giulia } = await shopWithGiuliaAndMaya();
    const csv = [
      "First name,Last name,Email",
      "Giulia,Rossi,giulia.rossi.1999@example.com",
      "Maya,Again,maya.demo@example.com",
      "Zoë,Łęcka,zoe@example.com",
      "",
    ].join("\n");
    const { importId, jobId, preview } = await importFile(shop, csv);
    expect(preview.summary).toMatchObject({ create: 1, update: 2, unchanged: 1 });
    // Its page, once it ran, counts what the import did rather than what the check foresaw.
    const after = await call(importPreview, shop, `/app/import/${importId}`);
    expect(after).toMatchObject({ status: "imported", ran: { done: 2, skipped: 1, failed: 0 } });
    expect(preview.ran).toBeNull();

    const job = await jobOf(shop, jobId);
    expect(Object.fromEntries(job.results)).toEqual({
      // Listed by name: each result line is tied to its customer in Tally, one the import created included.
      "Giulia Rossi": "Skipped \u2013 Already matches the file: nothing of theirs changes",
      "Maya Again": "Imported \u2013 Updated",
      "Zoë Łęcka": "Imported \u2013 Created",
    });
    expect(job.finished).toBe("Finished: 2 of 3 customers imported, 1 already matching");
    // Shopify was not asked to set what it has: Giulia's customer is as it was, and sent no customers/update.
    const inShopify = sandboxOf().control.customerByEmail({ shop, email: giulia.email! });
    expect(inShopify?.updatedAt).toBe(giulia.updatedAt);
    expect(sandboxOf().control.customerByEmail({ shop, email: "maya.demo@example.com" })?.lastName).toBe("Again");
    // The audit log counts her as matching, as the preview did, and no update.
    for (const action of ["import.check", "import.customers"])
      expect(await auditLine(shop, action)).toMatch(/To create: 1; To update: 1; Already matching: 1/);
  });

  it("adds a matching row's points in Tally only, and says so on its line", async () => {
    const shop = await installedShop();
    const giulia = await knownCustomer(shop, {
      email: "giulia.rossi.1999@example.com",
      firstName: "Giulia",
      lastName: "Rossi",
    });
    await sandboxOf().control.idle();
    const csv = [
      "First name,Last name,Email,Points",
      "Giulia,Rossi,giulia.rossi.1999@example.com,50",
      "Zoë,Łęcka,zoe@example.com,",
      "",
    ].join("\n");
    const { jobId } = await importFile(shop, csv);
    const job = await jobOf(shop, jobId);
    expect(job.results.get("Giulia Rossi")).toBe(
      "Imported \u2013 Details already match the file; +50 points to reach its 50",
    );
    expect(job.finished).toBe("Finished: 2 of 2 customers imported");
    expect(sandboxOf().control.customerByEmail({ shop, email: giulia.email! })?.updatedAt).toBe(giulia.updatedAt);
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, giulia.email!)));
    expect(row?.pointsBalance).toBe(50);
    const entries = await db
      .select({ explanation: ledgerEntries.explanation })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.customerId, row!.id)));
    expect(entries.map((entry) => entry.explanation)).toEqual(["+50: imported from customers.csv"]);
  });

  it("reads Points as a balance to reach: the same file imported again, or Tally's own export, adds nothing", async () => {
    // Newcomer round 14: Tally's export imported back added every balance again (602 points became 1,204).
    const { shop, giulia } = await shopWithGiuliaAndMaya();
    const balanceOf = async (email: string) =>
      (
        await db
          .select()
          .from(customers)
          .where(and(eq(customers.shop, shop), eq(customers.email, email)))
      )[0]?.pointsBalance;
    const csv = (mayaName: string) =>
      [
        "First name,Last name,Email,Points",
        "Giulia,Rossi,giulia.rossi.1999@example.com,50",
        `Maya,${mayaName},maya.demo@example.com,602`,
        "Zoë,Łęcka,zoe@example.com,30",
        "",
      ].join("\n");

    const first = await importFile(shop, csv("Okafor"));
    expect(first.preview.summary).toMatchObject({ points: 682 });
    expect([await balanceOf(giulia.email!), await balanceOf("maya.demo@example.com")]).toEqual([50, 602]);
    expect(await balanceOf("zoe@example.com")).toBe(30);

    // Again, Maya's name changed in the file: her row is sent to Shopify, and no one's balance moves.
    const again = await importFile(shop, csv("Okafor-Reyes"));
    expect(again.preview.summary).toMatchObject({ update: 3, points: 0 });
    const job = await jobOf(shop, again.jobId);
    expect(job.results.get("Giulia Rossi")).toBe(
      "Skipped \u2013 Already matches the file: nothing of theirs changes; they hold at least the file's 50 points, and none are taken away",
    );
    expect(job.results.get("Maya Okafor-Reyes")).toBe("Imported \u2013 Updated");
    expect([await balanceOf(giulia.email!), await balanceOf("maya.demo@example.com")]).toEqual([50, 602]);
    expect(await balanceOf("zoe@example.com")).toBe(30);

    // A balance above what Tally holds is reached, never passed; one below it takes nothing away.
    const third = await importFile(
      shop,
      ["Email,Points", "giulia.rossi.1999@example.com,80", "maya.demo@example.com,500", ""].join("\n"),
    );
    expect(third.preview.summary).toMatchObject({ points: 30 });
    expect((await jobOf(shop, third.jobId)).results.get("Giulia Rossi")).toBe(
      "Imported \u2013 Details already match the file; +30 points to reach its 80",
    );
    expect([await balanceOf(giulia.email!), await balanceOf("maya.demo@example.com")]).toEqual([80, 602]);
  });

  it("on the bulk path of a large file too: the matching row is staged for no one", { timeout: 90_000 }, async () => {
    const { shop, giulia } = await shopWithGiuliaAndMaya();
    const created = Array.from({ length: BULK_FROM_ROWS }, (_, i) => `Bulk,${i},bulk${i}@example.com`);
    const csv = [
      "First name,Last name,Email",
      "Giulia,Rossi,giulia.rossi.1999@example.com",
      "Maya,Again,maya.demo@example.com",
      ...created,
      "",
    ].join("\n");
    const { jobId } = await importFile(shop, csv);
    const job = await jobOf(shop, jobId);
    expect(job.results.get("Giulia Rossi")).toBe("Skipped \u2013 Already matches the file: nothing of theirs changes");
    expect(job.results.get("Maya Again")).toBe("Imported \u2013 Updated");
    expect(job.finished).toBe(
      `Finished: ${format.number(BULK_FROM_ROWS + 1)} of 1,002 customers imported, 1 already matching`,
    );
    expect(sandboxOf().control.customerByEmail({ shop, email: giulia.email! })?.updatedAt).toBe(giulia.updatedAt);
    expect(sandboxOf().control.customerByEmail({ shop, email: "bulk999@example.com" })?.firstName).toBe("Bulk");
    expect(await auditLine(shop, "import.customers")).toMatch(/To create: 1,000; To update: 1; Already matching: 1/);
  });
});
