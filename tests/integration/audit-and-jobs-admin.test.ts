import { desc, eq } from "drizzle-orm";
import { USER_ID } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, shops, taskItems, tasks } from "~/db/schema";
import { DomainError } from "~/domain/shared";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as customerAction } from "~/routes/app.customers_.$id";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { loader as homeLoader } from "~/routes/app._index";
import { loader as auditLoader } from "~/routes/app.audit";
import { action as jobAction, loader as jobLoader } from "~/routes/app.jobs.$id";
import { loader as csvLoader } from "~/routes/app.jobs.$id.results[.csv]";
import { action as startAction, loader as jobsLoader } from "~/routes/app.jobs._index";
import { loader as activeJobsLoader } from "~/routes/app.jobs.active";
import { recordAudit } from "~/services/audit/record-audit.server";
import { listAuditActors, listAuditEvents } from "~/services/audit/list-audit-events.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { inTransaction } from "~/services/context";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const staffActor = `staff:${USER_ID}`;

async function freshShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

async function post(
  handler: (a: ReturnType<typeof args>) => Promise<unknown>,
  shop: string,
  path: string,
  fields: Record<string, string>,
  params: Record<string, string> = {},
): Promise<Response | unknown> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  try {
    return await handler(args(await sessionTokenRequest(shop, path, { method: "POST", body }), params));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function auditOf(shop: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.shop, shop)).orderBy(auditEvents.id);
}

describe("the audit trail records each staff action with the change it made", () => {
  it("adjust points, block and unblock from the profile, each under the staff member's name", async () => {
    const shop = await freshShop();
    const [customer] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Pat", lastName: "Lee", pointsBalance: 0 },
    ]);
    const path = `/app/customers/${customer!.id}`;
    const params = { id: String(customer!.id) };
    await post(
      customerAction,
      shop,
      path,
      { intent: "adjust", points: "60", reason: "Goodwill", requestId: "r1" },
      params,
    );
    // A resubmitted adjustment is the same adjustment: one line.
    await post(
      customerAction,
      shop,
      path,
      { intent: "adjust", points: "60", reason: "Goodwill", requestId: "r1" },
      params,
    );
    await post(customerAction, shop, path, { intent: "block" }, params);
    await post(customerAction, shop, path, { intent: "block" }, params);
    await post(customerAction, shop, path, { intent: "unblock" }, params);

    expect(await auditOf(shop)).toMatchObject([
      {
        action: "points.adjust",
        actor: staffActor,
        actorName: "Alex Morgan",
        customerId: customer!.id,
        subject: "Pat Lee",
        before: { balance: 0 },
        after: { balance: 60, points: 60, reason: "Goodwill" },
        requestId: "r1",
      },
      { action: "customer.block", subject: "Pat Lee", before: { blocked: false }, after: { blocked: true } },
      { action: "customer.unblock", before: { blocked: true }, after: { blocked: false } },
    ]);
  });

  it("a refused change records nothing: the line commits with its change or not at all", async () => {
    const shop = await freshShop();
    const [customer] = await insertCustomers(db, shop, [{ status: "member" }]);
    await expect(
      adjustPoints({
        ctx: contextFor(shop, { actor: "staff:9", actorName: "Kim" }),
        input: { customerId: customer!.id, points: 0, reason: "nothing", requestId: "r0" },
      }),
    ).rejects.toThrow(DomainError);
    // A change that throws after its audit line rolls the line back too.
    await expect(
      inTransaction(contextFor(shop, "staff:9"), async (tx) => {
        await recordAudit({
          ctx: contextFor(shop, "staff:9"),
          tx,
          input: { action: "customer.block", subject: "x", customerId: customer!.id },
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await auditOf(shop)).toEqual([]);
  });

  it("a program save records the settings before and after", async () => {
    const shop = await freshShop();
    const { form } = await settingsLoader(args(await sessionTokenRequest(shop, "/app/settings")));
    await post(settingsAction, shop, "/app/settings", { settings: JSON.stringify({ ...form, signupBonus: "150" }) });
    const [line] = await auditOf(shop);
    expect(line).toMatchObject({
      action: "program.save",
      subject: "Program",
      actorName: "Alex Morgan",
      before: { version: 1, settings: { signupBonus: 100 } },
      after: { version: 2, settings: { signupBonus: 150 } },
    });
  });

  it("erasing a customer keeps who did what and when, not what identified them", async () => {
    const shop = await freshShop();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", firstName: "Ana", lastName: "Ruiz" }]);
    await adjustPoints({
      ctx: contextFor(shop, { actor: "staff:9", actorName: "Kim" }),
      input: { customerId: customer!.id, points: 5, reason: "Ana called about her order", requestId: "r2" },
    });
    const ctx = contextFor(shop, "shopify");
    await inTransaction(ctx, (tx) =>
      redactCustomer({ ctx, tx, input: { customerGid: customer!.customerGid, email: customer!.email } }),
    );
    expect(await auditOf(shop)).toMatchObject([
      { action: "points.adjust", actorName: "Kim", subject: "Erased customer", before: null, after: null },
    ]);
  });
});

describe("erasing a customer, in the jobs' result lists", () => {
  it("takes their email out of every import's result lines, and no one else's", async () => {
    const shop = await freshShop();
    const [ana] = await insertCustomers(db, shop, [{ status: "member", email: "ana_r@example.com" }]);
    const now = new Date().toISOString();
    const task = async (kind: string, key: string) =>
      (
        await db
          .insert(tasks)
          .values({
            shop,
            kind,
            title: kind,
            status: "succeeded",
            idempotencyKey: key,
            input: {},
            unitOne: "row",
            unitOther: "rows",
            actor: "staff:9",
            createdAt: now,
          })
          .returning({ id: tasks.id })
      )[0]!.id;
    const imported = await task("customers.import", "import");
    const points = await task("points.import", "points");
    const item = (taskId: number, itemKey: string, label: string | null) => ({
      shop,
      taskId,
      itemKey,
      label,
      outcome: "failed" as const,
      message: "Shopify said: email is invalid",
      at: now,
    });
    // As imports write them: keyed by the row's email, a bulk import's steps as "{step}:{email}".
    await db.insert(taskItems).values([
      item(imported, "ana_r@example.com", "ana_r@example.com"),
      item(imported, "2:ANA_R@example.com", "ANA_R@example.com"),
      item(points, "ana_r@example.com", "ana_r@example.com"),
      // Not Ana: "_" is not a wildcard, and an email that merely ends like hers is someone else's.
      item(imported, "anaxr@example.com", "anaxr@example.com"),
      item(imported, "diana_r@example.com", "diana_r@example.com"),
    ]);

    const ctx = contextFor(shop, "shopify");
    await inTransaction(ctx, (tx) =>
      redactCustomer({ ctx, tx, input: { customerGid: ana!.customerGid, email: "ana_r@example.com" } }),
    );
    const left = await db
      .select({ key: taskItems.itemKey, label: taskItems.label })
      .from(taskItems)
      .where(eq(taskItems.shop, shop));
    expect(JSON.stringify(left)).not.toMatch(/(^|[^i])ana_r@/i);
    expect(left.filter((row) => row.key.startsWith("erased:"))).toHaveLength(3);
    expect(left.map((row) => row.label).filter(Boolean)).toEqual(["anaxr@example.com", "diana_r@example.com"]);
  });
});

describe("the Audit page", () => {
  it("lists newest first, filters by staff, action and customer, and pages by keyset", async () => {
    const shop = await freshShop();
    const [ada, ben] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ada" },
      { status: "member", firstName: "Ben", lastName: "Okafor" },
    ]);
    const kim = contextFor(shop, { actor: "staff:9", actorName: "Kim" });
    const lee = contextFor(shop, { actor: "staff:8", actorName: "Lee" });
    for (let n = 0; n < 60; n += 1) {
      await adjustPoints({
        ctx: n % 2 ? kim : lee,
        input: { customerId: (n % 3 ? ada : ben)!.id, points: n + 1, reason: `r${n}`, requestId: `q${n}` },
      });
    }
    const load = async (query: string) => auditLoader(args(await sessionTokenRequest(shop, `/app/audit${query}`)));

    const page1 = await load("");
    expect(page1.events).toHaveLength(50);
    expect(page1.events[0]).toMatchObject({ after: { points: 60 }, actorName: "Kim" });
    expect(page1.nextBefore).not.toBeNull();
    const page2 = await load(`?before=${page1.nextBefore}`);
    expect(page2.events.map((e) => (e.after as { points: number }).points)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(page2.nextBefore).toBeNull();

    const kims = await load("?actor=staff%3A9");
    expect(kims.events).toHaveLength(30);
    expect(kims.events.every((e) => e.actorName === "Kim")).toBe(true);
    const bens = await load(`?customer=${ben!.id}&actor=staff%3A8`);
    expect(bens.filters).toMatchObject({ customerId: ben!.id, customerLabel: "Ben Okafor" });
    // Ben's lines (every third adjustment) that Lee made (every second one): n = 0, 6, …, 54.
    expect(bens.events.map((e) => (e.after as { points: number }).points)).toEqual([
      55, 49, 43, 37, 31, 25, 19, 13, 7, 1,
    ]);
    expect((await load("?action=customer.block")).events).toEqual([]);
    expect(page1.actors).toEqual([
      { actor: "staff:9", actorName: "Kim" },
      { actor: "staff:8", actorName: "Lee" },
    ]);
    expect(await listAuditActors({ ctx: kim })).toEqual(page1.actors);
  });

  it("shows only the shop's own lines, and refuses an unknown action filter", async () => {
    const shop = await freshShop();
    const other = await freshShop();
    const [customer] = await insertCustomers(db, other, [{ status: "member" }]);
    await adjustPoints({
      ctx: contextFor(other, "staff:1"),
      input: { customerId: customer!.id, points: 5, reason: "x", requestId: "q" },
    });
    expect((await listAuditEvents({ ctx: contextFor(shop, "t"), input: { limit: 10 } })).events).toEqual([]);
    await expect(
      auditLoader(args(await sessionTokenRequest(shop, "/app/audit?action=points.delete"))),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe("jobs through the admin", () => {
  it("starts Recalculate points from a form post once per request id, and opens the job's page", async () => {
    const shop = await freshShop();
    await insertCustomers(db, shop, [{ status: "member", pointsBalance: 7 }, { status: "member" }]);
    const fields = { kind: "points.recalculate", input: JSON.stringify({ repair: true }), requestId: "click-1" };
    const started = (await post(startAction, shop, "/app/jobs", fields)) as Response;
    expect(started.status).toBe(302);
    const [task] = await db.select().from(tasks).where(eq(tasks.shop, shop));
    expect(started.headers.get("Location")).toContain(`/app/jobs/${task!.id}`);
    const again = (await post(startAction, shop, "/app/jobs", fields)) as Response;
    expect(again.headers.get("Location")).toContain(`/app/jobs/${task!.id}`);
    expect(await db.select().from(tasks).where(eq(tasks.shop, shop))).toHaveLength(1);
    expect(task).toMatchObject({ actor: staffActor, actorName: "Alex Morgan", status: "queued" });

    const params = { id: String(task!.id) };
    const queued = await jobLoader(args(await sessionTokenRequest(shop, `/app/jobs/${task!.id}`), params));
    expect(queued).toMatchObject({ job: { status: "queued", title: "Recalculate points" }, results: { items: [] } });

    // Home points to it while it is queued or running, and no longer once it is done.
    const home = async () => (await homeLoader(args(await sessionTokenRequest(shop, "/app")))).activeJobs;
    expect(await home()).toMatchObject([{ id: task!.id, title: "Recalculate points", status: "queued" }]);
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await home()).toEqual([]);
    const done = await jobLoader(args(await sessionTokenRequest(shop, `/app/jobs/${task!.id}`), params));
    expect(done).toMatchObject({
      job: { status: "succeeded", progress: { done: 2, total: 2 }, items: { done: 1 } },
      outcomeLabels: { done: "Repaired" },
      results: { outcome: null, items: [{ outcome: "done", message: "Balance 7 → 0 points" }] },
    });
    const list = await jobsLoader(args(await sessionTokenRequest(shop, "/app/jobs")));
    expect(list.tasks.map((t) => t.id)).toEqual([task!.id]);
    // Another shop's staff cannot see it.
    const stranger = await freshShop();
    await expect(
      jobLoader(args(await sessionTokenRequest(stranger, `/app/jobs/${task!.id}`), params)),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("Home's banner asks for all its shop's running jobs at once, only what its lines say, and a finished one leaves", async () => {
    const shop = await freshShop();
    const stranger = await freshShop();
    await insertCustomers(db, shop, [{ status: "member", pointsBalance: 7 }]);
    await insertCustomers(db, stranger, [{ status: "member" }]);
    // Recalculate points queued (one at a time per shop), behind an export of the shop's customers already running.
    const exporting = (
      await db
        .insert(tasks)
        .values({
          shop,
          kind: "customers.export",
          title: "Export customers",
          status: "running",
          lane: "read",
          idempotencyKey: "export",
          input: {},
          progressDone: 1,
          progressTotal: 3,
          unitOne: "customer",
          unitOther: "customers",
          actor: staffActor,
          createdAt: new Date().toISOString(),
          startedAt: new Date().toISOString(),
          lockedBy: "another-instance",
          lockedUntil: new Date(Date.now() + 30_000).toISOString(),
        })
        .returning({ id: tasks.id })
    )[0]!;
    const start = async (on: string) => {
      const fields = { kind: "points.recalculate", input: JSON.stringify({ repair: true }), requestId: "click" };
      expect(((await post(startAction, on, "/app/jobs", fields)) as Response).status).toBe(302);
      return (await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.shop, on)).orderBy(desc(tasks.id)))[0]!;
    };
    const recalculation = await start(shop);
    await start(stranger);
    const active = async () => activeJobsLoader(args(await sessionTokenRequest(shop, "/app/jobs/active?poll=1")));

    const answer = await active();
    // Newest first, as Home lists them, and only the session's shop's: the stranger's job is not there.
    expect(answer.jobs.map((job) => job.id)).toEqual([recalculation.id, exporting.id]);
    // Exactly what a line says: its title and link, how far it is, and what it waits for; its kind, by which the
    // directory leaves out Sync customers; nothing of its input or actor.
    expect(answer.jobs).toEqual([
      {
        id: recalculation.id,
        kind: "points.recalculate",
        title: "Recalculate points",
        status: "queued",
        progress: { done: 0, total: null, unit: { one: "customer", other: "customers" } },
      },
      {
        id: exporting.id,
        kind: "customers.export",
        title: "Export customers",
        status: "running",
        progress: { done: 1, total: 3, unit: { one: "customer", other: "customers" } },
      },
    ]);
    expect(Object.keys(answer)).toEqual(["jobs", "now"]);
    expect(Number.isNaN(Date.parse(answer.now))).toBe(false);

    // The export done: the next answer lists only the recalculation, and nothing once the runner has done it too.
    await db
      .update(tasks)
      .set({ status: "succeeded", finishedAt: new Date().toISOString(), lockedBy: null, lockedUntil: null })
      .where(eq(tasks.id, exporting.id));
    expect((await active()).jobs.map((job) => job.id)).toEqual([recalculation.id]);
    await createTaskRunner({ shops: [shop] }).drain();
    expect((await active()).jobs).toEqual([]);
    // The stranger's job was never theirs to see, and is still there for its own shop.
    const theirs = await activeJobsLoader(args(await sessionTokenRequest(stranger, "/app/jobs/active?poll=1")));
    expect(theirs.jobs).toMatchObject([{ title: "Recalculate points", status: "queued" }]);
  });

  it("a bad start is refused with its reason and queues nothing", async () => {
    const shop = await freshShop();
    const refused = (await post(startAction, shop, "/app/jobs", {
      kind: "points.recalculate",
      input: JSON.stringify({ repair: "maybe" }),
      requestId: "bad",
    })) as Response;
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: "invalid_input",
      fieldErrors: { repair: [expect.any(String)] },
    });
    expect(await db.select().from(tasks).where(eq(tasks.shop, shop))).toEqual([]);
  });

  it("cancels from the job page, and downloads the results as CSV through a signed link only", async () => {
    const shop = await freshShop();
    const rows = await insertCustomers(db, shop, [
      { status: "member", firstName: '=HYPERLINK("http://evil")', pointsBalance: 3 },
      { status: "member", firstName: "Émile", lastName: "Durand", email: "emile@example.com", pointsBalance: 4 },
    ]);
    await db.update(shops).set({ timezone: "America/Toronto" }).where(eq(shops.shop, shop));
    await post(startAction, shop, "/app/jobs", { kind: "points.recalculate", input: "{}", requestId: "dl" });
    const task = (await first(db.select().from(tasks).where(eq(tasks.shop, shop))))!;
    await createTaskRunner({ shops: [shop] }).drain();
    const params = { id: String(task.id) };
    // Cancelling a finished job changes nothing.
    expect(await post(jobAction, shop, `/app/jobs/${task.id}`, { intent: "cancel" }, params)).toMatchObject({
      ok: true,
      cancelled: false,
    });

    const link = (await post(jobAction, shop, `/app/jobs/${task.id}`, { intent: "download", outcome: "" }, params)) as {
      url: string;
    };
    expect(link.url).toMatch(new RegExp(`^/app/jobs/${task.id}/results\\.csv\\?shop=`));
    const csv = (await csvLoader(args(new Request(`${process.env.SHOPIFY_APP_URL}${link.url}`), params))) as Response;
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toMatch(/^attachment; filename="Recalculate-points-\d+-results-/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    // As the customer export writes them (newcomer round 21: "When" was UTC ISO, and a "Key" column held Tally's ids):
    // the email and Shopify customer ID a merchant can look up, the time in the shop's zone, named in the header.
    const time = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";
    expect(text.split("\r\n")).toEqual([
      "Customer,Email,Shopify customer ID,Outcome,What happened,When (America/Toronto)",
      expect.stringMatching(
        new RegExp(
          `^"'=HYPERLINK\\(""http://evil""\\) Customer \\d+",${rows[0]!.email},${rows[0]!.customerGid},Repaired,Balance 3 → 0 points,${time}$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`^Émile Durand,emile@example.com,${rows[1]!.customerGid},Repaired,Balance 4 → 0 points,${time}$`),
      ),
      "",
    ]);
    const [item] = await db.select().from(taskItems).where(eq(taskItems.taskId, task.id));
    // Sweden's locale writes "2026-12-02 03:16:37", the file's form; the zone is Toronto's.
    const toronto = new Intl.DateTimeFormat("sv-SE", {
      timeZone: "America/Toronto",
      dateStyle: "short",
      timeStyle: "medium",
    }).format(new Date(item!.at));
    expect(text).toContain(`,${toronto}\r\n`);
    expect(text).not.toContain(item!.at);

    // Altered, expired or another job's link: refused.
    const url = new URL(`${process.env.SHOPIFY_APP_URL}${link.url}`);
    const forged = new URL(url);
    forged.searchParams.set("shop", await newShopDomain());
    const expired = new URL(url);
    expired.searchParams.set("expires", String(Date.now() - 1));
    for (const bad of [forged, expired]) {
      expect(((await csvLoader(args(new Request(bad), params))) as Response).status).toBe(403);
    }
    expect(((await csvLoader(args(new Request(url), { id: String(task.id + 1) }))) as Response).status).toBe(403);
    // A path naming no job is a job not found, not a schema's words about a pattern.
    const named = (await csvLoader(args(new Request(url), { id: "abc" })).catch(
      (thrown: unknown) => thrown,
    )) as Response;
    expect(named.status).toBe(404);
    await expect(named.text()).resolves.not.toMatch(/pattern|regex/);
    const failedOnly = new URL(url);
    failedOnly.searchParams.set("outcome", "failed");
    expect(((await csvLoader(args(new Request(failedOnly), params))) as Response).status).toBe(403);
    expect((await db.select().from(customers).where(eq(customers.shop, shop))).map((c) => c.pointsBalance)).toEqual([
      0, 0,
    ]);
  });
});
