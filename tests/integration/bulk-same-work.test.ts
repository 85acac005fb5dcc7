import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tasks } from "~/db/schema";
import { syncCustomersKind } from "~/domain/background-jobs";
import { emptyCustomerQuery } from "~/domain/customers";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as startJob } from "~/routes/app.jobs._index";
import { startTask } from "~/services/background-jobs/start-task.server";
import { isUnfinished } from "~/services/background-jobs/task-view";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { onPostgres } from "../helpers/dialect";
import { postAsAdmin } from "../helpers/route-answers";

/*
 * Two tabs of the directory, each with bulk Adjust points "+2, twice" filled in: the second submit must not add the
 * points again unless the merchant says so (a tester's every customer got +4).
 */

const { db } = contextFor("any", "test");

async function shopWithCustomers(count = 3) {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  const rows = await insertCustomers(
    db,
    shop,
    Array.from({ length: count }, (_, index) => ({ status: "member" as const, firstName: `Member ${index}` })),
  );
  return { shop, ids: rows.map((row) => row.id) };
}

/** A tab's submit of a bulk action, as the panel posts it: the answer's status, and its body or the job it opened. */
async function submit(shop: string, kind: string, input: unknown, requestId: string, startAnyway = false) {
  const body = new URLSearchParams({ kind, input: JSON.stringify(input), requestId });
  if (startAnyway) body.set("startAnyway", "1");
  const response = await postAsAdmin(startJob, shop, "/app/jobs", body);
  const opened = /\/app\/jobs\/(\d+)$/.exec(response.headers.get("Location") ?? "")?.[1];
  return {
    status: response.status,
    jobId: opened ? Number(opened) : undefined,
    body: response.status === 302 ? undefined : ((await response.json()) as Record<string, unknown>),
  };
}

const jobsOf = (shop: string) => db.select().from(tasks).where(eq(tasks.shop, shop));
const twice = (selection: unknown, points = 2, reason = "twice") => ({
  selection,
  edit: { action: "points_adjust", points, reason },
});

describe("a bulk action submitted again while the same one is queued or running", () => {
  it("is refused with the job named, starts when the merchant says start it anyway, and again once finished", async () => {
    const { shop, ids } = await shopWithCustomers();
    const first = await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-a");
    expect(first.status).toBe(302);
    // The job was submitted 12 seconds before the second tab's submit.
    await db
      .update(tasks)
      .set({ createdAt: new Date(Date.now() - 12_500).toISOString() })
      .where(eq(tasks.id, first.jobId!));

    // The second tab: the same points, reason and customers (ticked in another order).
    const second = await submit(shop, "customers.bulk-edit", twice({ ids: [...ids].reverse() }), "tab-b");
    expect(second.status).toBe(409);
    // Tab A's own form submitted again (a double click, a retried request) still answers its job, refusing nothing.
    expect(await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-a")).toMatchObject({
      status: 302,
      jobId: first.jobId,
    });
    expect(second.body).toMatchObject({
      code: "already_running",
      error:
        "Add 2 points ('twice') to the selected customers is already waiting to start (started 12 s ago). Start it again anyway?",
      sameWork: { id: first.jobId, action: "points_add", status: "queued", terms: { points: 2, reason: "twice" } },
    });
    expect(await jobsOf(shop)).toHaveLength(1);

    // Running, counted: refused the same way, in the words of a running job.
    await db.update(tasks).set({ status: "running", progressTotal: 1_000 }).where(eq(tasks.id, first.jobId!));
    const third = await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-b");
    expect(third.body?.error).toBe(
      "Add 2 points ('twice') to 1,000 customers is already running (started 12 s ago). Start it again anyway?",
    );
    expect(await jobsOf(shop)).toHaveLength(1);

    // "Start it again anyway": the same form posts again with the flag, and a second job starts, once.
    const anyway = await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-b", true);
    expect(anyway.status).toBe(302);
    expect(anyway.jobId).not.toBe(first.jobId);
    expect((await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-b", true)).jobId).toBe(anyway.jobId);
    expect(await jobsOf(shop)).toHaveLength(2);

    // Once both finished, the panel's warning loaded before then is stale: the same submit starts, refused by nothing.
    await createTaskRunner({ shops: [shop] }).drain();
    expect((await jobsOf(shop)).map((job) => job.status)).toEqual(["succeeded", "succeeded"]);
    const later = await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-c");
    expect(later.status).toBe(302);
    expect(await jobsOf(shop)).toHaveLength(3);
  });

  it("starts other terms, another selection or another action beside it", async () => {
    const { shop, ids } = await shopWithCustomers();
    const selection = { ids };
    expect((await submit(shop, "customers.bulk-edit", twice(selection), "a")).status).toBe(302);
    expect((await submit(shop, "customers.bulk-edit", twice(selection, 3), "b")).status).toBe(302);
    expect((await submit(shop, "customers.bulk-edit", twice(selection, 2, "again"), "c")).status).toBe(302);
    expect((await submit(shop, "customers.bulk-edit", twice(selection, -2), "d")).status).toBe(302);
    expect((await submit(shop, "customers.bulk-edit", twice({ ids: ids.slice(1) }), "e")).status).toBe(302);
    expect((await submit(shop, "customers.bulk-edit", twice({ query: emptyCustomerQuery }), "f")).status).toBe(302);
    expect(
      (await submit(shop, "customers.bulk-edit", { selection, edit: { action: "tags_add", tags: ["vip"] } }, "g"))
        .status,
    ).toBe(302);
    expect(
      (await submit(shop, "customers.bulk-edit", { selection, edit: { action: "tags_add", tags: ["gold"] } }, "h"))
        .status,
    ).toBe(302);
    expect((await submit(shop, "customers.points-reminder", { selection }, "i")).status).toBe(302);
    expect((await submit(shop, "customers.invite", { selection }, "j")).status).toBe(302);
    expect(await jobsOf(shop)).toHaveLength(10);

    // The same again of each kind is refused: tags in any order or case, an email whatever its options, the same
    // search and filters sorted another way.
    const refused = [
      await submit(shop, "customers.bulk-edit", { selection, edit: { action: "tags_add", tags: ["VIP"] } }, "k"),
      await submit(shop, "customers.points-reminder", { selection, onlyRedeemable: true }, "l"),
      await submit(shop, "customers.invite", { selection: { ids: [...ids].reverse() } }, "m"),
      await submit(shop, "customers.bulk-edit", twice({ query: { ...emptyCustomerQuery, sort: "points-desc" } }), "n"),
    ];
    expect(refused.map((each) => each.status)).toEqual([409, 409, 409, 409]);
    expect(refused.map((each) => each.body?.error)).toEqual([
      "Add tags vip to the selected customers is already waiting to start (started 0 s ago). Start it again anyway?",
      "Email points reminder to the selected customers is already waiting to start (started 0 s ago). Start it again anyway?",
      "Send referral invitation to the selected customers is already waiting to start (started 0 s ago). Start it again anyway?",
      "Add 2 points ('twice') to the selected customers is already waiting to start (started 0 s ago). Start it again anyway?",
    ]);
    expect(await jobsOf(shop)).toHaveLength(10);
  });

  it("starts one of two same submits sent at the same instant, and refuses the other", async () => {
    const { shop, ids } = await shopWithCustomers();
    // Two tabs submitting in the same instant, again and again (other points each time, so no pair meets another):
    // on PostgreSQL each transaction reads before the other inserts unless something serialises them.
    const pairs = 12;
    for (let points = 1; points <= pairs; points += 1) {
      const both = await Promise.all([
        submit(shop, "customers.bulk-edit", twice({ ids }, points), `tab-a-${points}`),
        submit(shop, "customers.bulk-edit", twice({ ids: [...ids].reverse() }, points), `tab-b-${points}`),
      ]);
      expect(both.map((each) => each.status).sort(), `the pair adding ${points} points`).toEqual([302, 409]);
      expect(both.find((each) => each.status === 409)?.body).toMatchObject({
        code: "already_running",
        sameWork: { id: both.find((each) => each.status === 302)?.jobId, terms: { points, reason: "twice" } },
      });
    }
    expect(await jobsOf(shop)).toHaveLength(pairs);
  });

  it("starts one sync of two Sync customers clicks of the same instant, and answers both with it", async () => {
    // A one-at-a-time kind (two tabs' Sync customers): on PostgreSQL each start read no active sync before the other
    // inserted, and two syncs ran.
    for (let round = 1; round <= 12; round += 1) {
      const { shop } = await shopWithCustomers(1);
      const ctx = contextFor(shop, "staff:1");
      const start = (requestId: string) =>
        startTask({
          ctx,
          input: {
            kind: syncCustomersKind.kind,
            title: "Sync customers",
            unit: syncCustomersKind.unit,
            input: {},
            idempotencyKey: requestId,
            oneAtATime: true,
          },
        });
      const both = await Promise.all([start(`tab-a-${round}`), start(`tab-b-${round}`)]);
      expect(both.map((each) => each.created).sort(), `round ${round}`).toEqual([false, true]);
      expect(both[0].task.id).toBe(both[1].task.id);
      expect(await jobsOf(shop)).toHaveLength(1);
    }
  });

  // SQLite's plan (PostgreSQL's planner reads its statistics, and a test database's few tasks are one page).
  it.skipIf(onPostgres)(
    "finds the same work by the index of unfinished tasks, never the shop's finished ones",
    async () => {
      const { shop, ids } = await shopWithCustomers(1);
      await submit(shop, "customers.bulk-edit", twice({ ids }), "tab-a");
      // The refusal's read, as start-task.server.ts writes it.
      const query = db
        .select()
        .from(tasks)
        .where(and(eq(tasks.shop, shop), isUnfinished, eq(tasks.kind, "customers.bulk-edit")))
        .orderBy(asc(tasks.id))
        .toSQL();
      /* eslint-disable tally/async-data-access -- SQLite only: the driver's own query plan is what is checked */
      const plan = db.$client.prepare(`explain query plan ${query.sql}`).all(...query.params);
      /* eslint-enable tally/async-data-access */
      const steps = (plan as Array<{ detail: string }>).map((step) => step.detail);
      expect(steps).toEqual(["SEARCH tasks USING INDEX tasks_active_idx (shop=?)"]);
    },
  );
});
