import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeAuditChange, type AuditLine } from "~/components/audit-log";
import { auditEvents, tasks } from "~/db/schema";
import { emptyCustomerQuery } from "~/domain/customers";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { createFormatter } from "~/lib/format";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { listAuditEvents } from "~/services/audit/list-audit-events.server";
import { listTasks } from "~/services/background-jobs/get-task.server";
import { pruneFinishedTasks } from "~/services/background-jobs/prune-tasks.server";
import { undoImport } from "~/services/imports/apply-import.server";
import { startImport } from "~/services/imports/start-import.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { checkPointsImport } from "../helpers/import-checks";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { inTransaction } from "~/services/context";
import { customerRow, deliverAll } from "../helpers/referral-flow";
import { sessionTokenRequest } from "../helpers/signed-requests";
import { startFromDirectory } from "../helpers/start-job";

/*
 * A customer's audit trail holds every staff action that changed them (issue 11, decision 032's register), whether
 * staff acted on their profile or on many customers at once from a job: a points file, its undo, and the directory's
 * bulk tags, block and points (decision 017, amended). A newcomer found "+100: imported from points.csv, Sam Owner"
 * in a profile's Activity and nothing in its Audit trail.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const staff = { actor: "staff:42", actorName: "Sam Owner" };
const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const drain = (shop: string) => createTaskRunner({ shops: [shop] }).drain();

/** The customer's audit trail, oldest first, as [action, the words its profile shows, the job it names]. */
async function trailOf(shop: string, customerId: number) {
  const { events } = await listAuditEvents({ ctx: contextFor(shop, "test"), input: { customerId, limit: 50 } });
  return events.reverse().map((event) => [event.action, describeAuditChange(event, format), event.taskId] as const);
}

/** The profile as staff open it: its Activity and its Audit trail (the loader's data). */
async function profileOf(shop: string, customerId: number) {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}`);
  return profileLoader({ request, params: { id: String(customerId) }, context: {} } as Args);
}

async function fileOf(name: string, content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "tally-trail-")), name);
  await writeFile(path, content);
  return path;
}

describe("a customer's audit trail", () => {
  it("names the points a file gave them, the file and who imported it, as their Activity does, and the undo", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const [ana, ben] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Lee", email: "ana@example.com", pointsBalance: 20 },
      { status: "member", firstName: "Ben", lastName: "Ode", email: "ben@example.com" },
    ]);
    const ctx = contextFor(shop, staff);
    const checked = await checkPointsImport({
      ctx,
      input: {
        fileName: "points.csv",
        filePath: await fileOf("points.csv", "email,points\nana@example.com,100\nben@example.com,40\n"),
        source: "generic",
      },
    });
    const { task } = await startImport({ ctx, input: { importId: checked.id } });
    await drain(shop);

    const profile = await profileOf(shop, ana!.id);
    const activity = JSON.stringify(profile.activity);
    expect(activity).toContain("+100: imported from points.csv");
    expect(profile.audit.map((line) => [line.action, line.actorName, line.taskId])).toEqual([
      ["points.import", "Sam Owner", task.id],
    ]);
    expect(describeAuditChange(profile.audit[0] as AuditLine, format)).toBe(
      `+100, balance 20 \u2192 120, imported from points.csv (import ${checked.id})`,
    );

    await undoImport({ ctx, input: { importId: checked.id, requestId: "undo-points" } });
    expect(await trailOf(shop, ana!.id)).toEqual([
      ["points.import", `+100, balance 20 \u2192 120, imported from points.csv (import ${checked.id})`, task.id],
      [
        "points.import_undo",
        `\u2212100, balance 120 \u2192 20, undid the import of points.csv (import ${checked.id})`,
        task.id,
      ],
    ]);
    expect((await trailOf(shop, ben!.id)).map(([action]) => action)).toEqual(["points.import", "points.import_undo"]);
  });

  it("has a line for each customer a bulk block, unblock or points adjustment changed, naming the job", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    // More than a chunk of each job (250), so the lines of several chunks are written, each chunk's together.
    const people = await insertCustomers(
      db,
      shop,
      Array.from({ length: 260 }, (_, n) => ({ status: "member" as const, firstName: `P${n}`, lastName: "Lee" })),
    );
    const [first, last] = [people[0]!, people.at(-1)!];
    const everyone = { query: emptyCustomerQuery };
    const block = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: everyone, edit: { action: "block" } },
      "b",
    );
    await drain(shop);
    const unblock = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: everyone, edit: { action: "unblock" } },
      "u",
    );
    // Unblocked first: a bulk points adjustment leaves blocked customers out (decision 065).
    const points = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: everyone, edit: { action: "points_adjust", points: 50, reason: "Spring gift" } },
      "p",
    );
    await drain(shop);
    const undo = await startFromDirectory(shop, "customers.bulk-points-undo", { taskId: points }, "undo-p");
    await drain(shop);

    expect(await trailOf(shop, first.id)).toEqual([
      ["customer.block", "Blocked: earns and redeems nothing until unblocked", block],
      ["customer.unblock", "Unblocked", unblock],
      ["points.adjust", "+50, balance 0 \u2192 50, \u201cSpring gift\u201d", points],
      ["points.adjust", "\u221250, balance 50 \u2192 0, \u201cUndo: Spring gift\u201d", undo],
    ]);
    expect((await trailOf(shop, last.id)).map(([action, , taskId]) => [action, taskId])).toEqual([
      ["customer.block", block],
      ["customer.unblock", unblock],
      ["points.adjust", points],
      ["points.adjust", undo],
    ]);
    // One line per customer changed, whatever the chunk: none twice, none left out.
    const lines = await db
      .select({ action: auditEvents.action, taskId: auditEvents.taskId, customerId: auditEvents.customerId })
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), inArray(auditEvents.taskId, [block, unblock, points, undo])));
    const perJob = (taskId: number) => lines.filter((line) => line.taskId === taskId && line.customerId !== null);
    for (const taskId of [block, unblock, points, undo]) {
      expect(perJob(taskId)).toHaveLength(260);
      expect(new Set(perJob(taskId).map((line) => line.customerId)).size).toBe(260);
    }
  });

  it("has a line for tags a bulk action added or removed in Shopify, beside the job's own line on the profile", async () => {
    const shop = await newShopDomain();
    const sandbox = sandboxOf();
    sandbox.control.createShop({ shop });
    await installThroughAdmin(sandbox, shop);
    const from = sandbox.control.deliveries({ shop }).length;
    const created = ["mo", "ne"].map((name) =>
      sandbox.control.createCustomerAccount({ shop, email: `${name}@example.com`, firstName: name }),
    );
    await deliverAll(sandbox, shop, from);
    const [mo, ne] = await Promise.all(
      created.map(async (customer) => (await customerRow(shop, String(customer.id).replace(/\D/g, "")))!),
    );
    const both = { ids: [mo!.id, ne!.id] };
    const added = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: both, edit: { action: "tags_add", tags: ["VIP", "Autumn"] } },
      "tags-add",
    );
    await drain(shop);
    const removed = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [mo!.id] }, edit: { action: "tags_remove", tags: ["vip"] } },
      "tags-remove",
    );
    await drain(shop);

    expect(await trailOf(shop, mo!.id)).toEqual([
      ["customer.tags_add", "Added VIP, Autumn; tags: none \u2192 Autumn, VIP", added],
      ["customer.tags_remove", "Removed VIP; tags: Autumn, VIP \u2192 Autumn", removed],
    ]);
    expect((await trailOf(shop, ne!.id)).map(([action]) => action)).toEqual(["customer.tags_add"]);
    // The profile reads both the job's line (linked to it) and the audit's; its card shows the job's while it is kept
    // (tests/unit/customer-audit-card.test.tsx), the audit's once the job is pruned.
    const profile = await profileOf(shop, ne!.id);
    expect(profile.bulkActions.map((line) => line.taskId)).toEqual([added]);
    expect(profile.audit.map((line) => [line.action, line.taskId])).toEqual([["customer.tags_add", added]]);
  });

  it("names the job of each line a bulk points adjustment or its undo wrote, as the Jobs list titles it, until it is pruned", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const [sam] = await insertCustomers(db, shop, [{ status: "member", firstName: "Sam", lastName: "Lee" }]);
    const points = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [sam!.id] }, edit: { action: "points_adjust", points: 25, reason: "Newcomer test bonus" } },
      "p",
    );
    await drain(shop);
    const undo = await startFromDirectory(shop, "customers.bulk-points-undo", { taskId: points }, "undo-p");
    await drain(shop);
    const ctx = contextFor(shop, "test");
    const jobs = new Map((await listTasks({ ctx, input: { limit: 10 } })).tasks.map((task) => [task.id, task.title]));
    expect(jobs.get(points)).toBe("Add 25 points");

    // The profile's card and the Audit log page read the same lines: by customer, and the shop's whole trail.
    const titled = [
      ["points.adjust", points, jobs.get(points)],
      ["points.adjust", undo, jobs.get(undo)],
    ];
    const profile = await profileOf(shop, sam!.id);
    expect(profile.audit.map((line) => [line.action, line.taskId, line.taskTitle]).reverse()).toEqual(titled);
    const page = await listAuditEvents({ ctx, input: { limit: 50 } });
    expect(
      page.events
        .filter((line) => line.customerId === sam!.id)
        .map((line) => [line.action, line.taskId, line.taskTitle])
        .reverse(),
    ).toEqual(titled);
    expect(jobs.get(undo)).toMatch(/^Undo: Add 25 points/);

    const longAgo = new Date(Date.now() - 91 * 86_400_000).toISOString();
    await inTransaction(ctx, (tx) => tx.update(tasks).set({ finishedAt: longAgo }).where(eq(tasks.id, points)));
    await pruneFinishedTasks({ ctx: contextForAllShops("test"), input: { keepDays: 90, limit: 10, batch: 10 } });
    const { events } = await listAuditEvents({ ctx, input: { customerId: sam!.id, limit: 50 } });
    expect(events.map((line) => [line.taskId, line.taskTitle]).reverse()).toEqual([
      [points, null],
      [undo, jobs.get(undo)],
    ]);
  });
});
