import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { and, eq, isNotNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, referralAdvocates, shops, tasks } from "~/db/schema";
import { referralSettingsToForm } from "~/domain/referrals";
import { queueReferralJoining } from "~/jobs/scheduled/queue-referral-joining.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { loader as directoryLoader } from "~/routes/app.customers";
import { action as jobAction } from "~/routes/app.jobs.$id";
import { loader as exportDownload } from "~/routes/app.jobs.$id.export[.csv]";
import { action as startJob } from "~/routes/app.jobs._index";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { getTask } from "~/services/background-jobs/get-task.server";
import { inTransaction } from "~/services/context";
import { applySyncBatch, type SyncRecord } from "~/services/customers/apply-sync-batch.server";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { recordImportedCustomers } from "~/services/imports/apply-import.server";
import { getReferralProgram, saveReferralProgram } from "~/services/referrals/referral-program.server";
import { getReferralProfile } from "~/services/referrals/referral-profile.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { answerOf } from "../helpers/route-answers";
import { samplePayload } from "../helpers/shopify-samples";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";

/*
 * With the referral program joining Members automatically (the install default), every Member is in the program
 * (decision 019): the directory's "Joined the referral program" filter, its count and the export's column say so the
 * moment a customer becomes a Member, however they came (a webhook, a sync, an import), and nobody's looking at a
 * profile changes them. Turning automatic joining on adds the shop's current Members, in a background task that
 * resumes after a restart. A Guest is never in it.
 */

const INSTALLED = "2026-03-01T09:00:00.000Z";
const { db } = contextFor("any", "test");
type Args = LoaderFunctionArgs & ActionFunctionArgs;

async function shopInstalledOn(at: string) {
  const shop = await newShopDomain();
  await db.update(shops).set({ installedAt: at }).where(eq(shops.shop, shop));
  await installOfflineSession(shop);
  return shop;
}

/** The directory for `search`, every page, with its count of matches as the page shows it. */
async function directory(shop: string, search: string) {
  const ids: number[] = [];
  let after: string | undefined;
  let count: unknown;
  do {
    const request = await sessionTokenRequest(shop, `/app/customers?${search}${after ? `&after=${after}` : ""}`);
    const page = await directoryLoader({ request, params: {}, context: {} } as Args);
    ids.push(...page.page.customers.map((customer) => customer.id));
    after = page.page.nextCursor ?? undefined;
    count = await page.count;
  } while (after);
  return { ids: ids.toSorted((a, b) => a - b), count };
}
const joined = async (shop: string) => directory(shop, "referral_joined=yes");
const exactly = (count: number) => ({ count, precision: "exact" });

async function rowOf(shop: string, gid: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, shop), eq(customers.customerGid, gid)));
  return row!;
}

let next = 0;
/** A customer as Shopify's customers/create webhook describes them, delivered signed to the real route. */
async function createdByWebhook(shop: string, state: "enabled" | "disabled", updatedAt: string) {
  next += 1;
  const id = 8_300_000_000_000 + next;
  const response = await deliverWebhook(customerCreate, "customers/create", shop, {
    ...samplePayload("customers/create"),
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    id,
    email: `webhook${next}@example.com`,
    phone: null,
    state,
    created_at: updatedAt,
    updated_at: updatedAt,
  });
  expect(response.status).toBe(200);
  return rowOf(shop, `gid://shopify/Customer/${id}`);
}

function syncRecord(n: number, state: "ENABLED" | "DISABLED", updatedAt: string): SyncRecord {
  return {
    kind: "customer",
    line: n,
    input: {
      snapshot: {
        customerGid: `gid://shopify/Customer/${8_400_000_000_000 + n}`,
        shopifyState: state,
        updatedAt,
        email: `sync${n}@example.com`,
        firstName: `Sync${n}`,
        lastName: "Customer",
        phone: null,
        city: null,
        province: null,
        countryCode: null,
        createdAt: updatedAt,
        existedBeforeInstall: false,
      },
      tags: [],
      purchasing: null,
      lastOrderAt: null,
    },
  };
}

async function saveJoining(shop: string, joining: "automatic" | "on_request", at: string) {
  const ctx = { ...contextFor(shop, "staff:1"), now: new Date(at) };
  const program = await getReferralProgram({ ctx });
  await saveReferralProgram({ ctx, input: { ...referralSettingsToForm(program.settings, program.currency), joining } });
}

/** Runners as separate processes would be; `at` moves the clock (past a dead runner's lease). */
const runner = (shop: string, at = 0) =>
  createTaskRunner({ shops: [shop], clock: () => new Date(Date.now() + at), leaseMs: 30_000, pauseMs: 0 });

describe("with joining automatic, every Member is in the referral program without anybody looking", () => {
  it("a Member a customers/create webhook brings counts at once, dated when they became one; a Guest never; opening profiles changes nothing", async () => {
    const shop = await shopInstalledOn(INSTALLED);
    const maya = await createdByWebhook(shop, "enabled", "2026-05-10T14:30:00Z");
    const guest = await createdByWebhook(shop, "disabled", "2026-05-11T10:00:00Z");

    expect(await joined(shop)).toEqual({ ids: [maya.id], count: exactly(1) });
    expect((await directory(shop, "referral_joined=no")).ids).toEqual([guest.id]);
    expect(Date.parse(maya.referralJoinedAt!)).toBe(Date.parse("2026-05-10T14:30:00Z"));
    expect(guest.referralJoinedAt).toBeNull();

    // Staff open both profiles (Maya's code is made now): the filter and its count stay as they were.
    const staff = contextFor(shop, "staff:1");
    expect((await getReferralProfile({ ctx: staff, input: { customerId: maya.id } })).summary.status).toBe("joined");
    expect((await getReferralProfile({ ctx: staff, input: { customerId: guest.id } })).summary.status).toBe(
      "not_joined",
    );
    expect(await joined(shop)).toEqual({ ids: [maya.id], count: exactly(1) });
    // The code she got dates from the day she joined, as the row does.
    const [code] = await db.select().from(referralAdvocates).where(eq(referralAdvocates.customerId, maya.id));
    expect(code!.joinedAt).toBe((await rowOf(shop, maya.customerGid)).referralJoinedAt);

    // The export's "Joined referral program" column is filled for her, empty for the Guest.
    const request = await sessionTokenRequest(shop, "/app/jobs", {
      method: "POST",
      body: new URLSearchParams({
        kind: "customers.export",
        input: JSON.stringify({ selection: { ids: [maya.id, guest.id] }, columns: ["email", "referral_joined"] }),
        requestId: "export-joined",
      }),
    });
    const started = await answerOf(() => startJob({ request, params: {}, context: {} } as Args));
    const taskId = Number(/\/app\/jobs\/(\d+)$/.exec(started.headers.get("Location") ?? "")?.[1]);
    await runner(shop).drain();
    const linkRequest = await sessionTokenRequest(shop, `/app/jobs/${taskId}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "download-export" }),
    });
    const link = (await jobAction({ request: linkRequest, params: { id: String(taskId) }, context: {} } as Args)) as {
      url: string;
    };
    const url = new URL(link.url, process.env.SHOPIFY_APP_URL);
    const csv = await answerOf(() =>
      exportDownload({ request: new Request(url), params: { id: String(taskId) }, context: {} } as Args),
    );
    const table = parse((await csv.text()).replace(/^\uFEFF/, "")) as string[][];
    expect(table[0]).toEqual(["Email", "Joined referral program (UTC)"]);
    const byEmail = new Map(table.slice(1).map(([email, at]) => [email, at]));
    expect(byEmail.get(maya.email!)).toMatch(/^2026-05-10/);
    expect(byEmail.get(guest.email!)).toBe("");
  });

  it("Members a sync brings, by the set path and by the per-record path, and an import's, count at once", async () => {
    for (const asSets of [true, false]) {
      const shop = await shopInstalledOn(INSTALLED);
      const ctx = contextFor(shop, "test");
      await applySyncBatch({
        ctx,
        input: {
          records: [
            syncRecord(1, "ENABLED", "2026-01-05T08:00:00Z"),
            syncRecord(2, "ENABLED", "2026-06-07T08:00:00Z"),
            syncRecord(3, "DISABLED", "2026-06-07T08:00:00Z"),
          ],
          asSets,
        },
      });
      const [before, after, guest] = await Promise.all(
        [1, 2, 3].map((n) => rowOf(shop, `gid://shopify/Customer/${8_400_000_000_000 + n}`)),
      );
      expect((await joined(shop)).count, `asSets ${asSets}`).toEqual(exactly(2));
      // A Member from before the program joined automatically joined when it began (the install); a later one, then.
      expect(before!.referralJoinedAt, `asSets ${asSets}`).toBe(INSTALLED);
      expect(Date.parse(after!.referralJoinedAt!), `asSets ${asSets}`).toBe(Date.parse("2026-06-07T08:00:00Z"));
      expect(guest!.referralJoinedAt).toBeNull();
    }

    const shop = await shopInstalledOn(INSTALLED);
    const ctx = contextFor(shop, "test");
    const imported = (n: number, state: string) => ({
      customerGid: `gid://shopify/Customer/${8_500_000_000_000 + n}`,
      email: `import${n}@example.com`,
      firstName: "Imported",
      lastName: `${n}`,
      phone: null,
      state,
      tags: [],
      createdAt: "2026-07-01T10:00:00Z",
      updatedAt: "2026-07-01T10:00:00Z",
      points: 0,
    });
    await inTransaction(ctx, (tx) =>
      recordImportedCustomers({
        ctx,
        tx,
        input: {
          importId: 1,
          fileName: "customers.csv",
          taskId: 1,
          from: "csv",
          customers: [imported(1, "ENABLED"), imported(2, "DISABLED")],
        },
      }),
    );
    const member = await rowOf(shop, `gid://shopify/Customer/${8_500_000_000_001}`);
    expect(await joined(shop)).toEqual({ ids: [member.id], count: exactly(1) });
    expect(Date.parse(member.referralJoinedAt!)).toBe(Date.parse("2026-07-01T10:00:00Z"));
  });

  it("turning automatic joining on adds every current Member in a background task that resumes after a restart; not Guests; the blocked once unblocked", async () => {
    const shop = await shopInstalledOn(INSTALLED);
    await saveJoining(shop, "on_request", "2026-04-01T00:00:00.000Z");
    const MEMBERS = 2_100;
    const members: number[] = [];
    for (let start = 0; start < MEMBERS; start += 300) {
      const rows = await insertCustomers(
        db,
        shop,
        Array.from({ length: Math.min(300, MEMBERS - start) }, (_, i) => ({
          status: "member" as const,
          // Half were Members before joining turned automatic, half became Members after.
          memberSince: (start + i) % 2 === 0 ? "2026-02-01T00:00:00.000Z" : "2026-09-01T00:00:00.000Z",
        })),
      );
      members.push(...rows.map((row) => row.id));
    }
    await insertCustomers(
      db,
      shop,
      Array.from({ length: 40 }, () => ({ status: "guest" as const })),
    );
    const [blocked] = await insertCustomers(db, shop, [{ status: "member", blocked: true, memberSince: INSTALLED }]);
    // On request: a new Member is not in the program until they ask.
    const asked = await createdByWebhook(shop, "enabled", "2026-05-01T10:00:00Z");
    expect((await joined(shop)).count).toEqual(exactly(0));

    await saveJoining(shop, "automatic", "2026-08-15T12:00:00.000Z");
    const [queued] = await db
      .select()
      .from(tasks)
      .where(and(eq(tasks.shop, shop), eq(tasks.kind, "referrals.join-members")));
    expect(queued).toMatchObject({ status: "queued", title: "Add Members to the referral program" });

    // The process dies after two chunks: part of the shop is stamped, and the task resumes from there.
    await runner(shop).drain({ stopAfterChunks: 2 });
    const partly = ((await joined(shop)).count as { count: number }).count;
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(MEMBERS + 1);
    await runner(shop, 60_000).drain();

    const everyone = [...members, asked.id].toSorted((a, b) => a - b);
    expect(await joined(shop)).toEqual({ ids: everyone, count: exactly(MEMBERS + 1) });
    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId: queued!.id } });
    expect(task).toMatchObject({ status: "succeeded", summary: { joined: MEMBERS + 1 } });
    const dates = await db
      .select({ id: customers.id, at: customers.referralJoinedAt })
      .from(customers)
      .where(and(eq(customers.shop, shop), isNotNull(customers.referralJoinedAt)));
    const dateOf = new Map(dates.map((row) => [row.id, row.at]));
    expect(dateOf.get(members[0]!)).toBe("2026-08-15T12:00:00.000Z");
    expect(dateOf.get(members[1]!)).toBe("2026-09-01T00:00:00.000Z");
    expect(dateOf.has(blocked!.id)).toBe(false);

    // Unblocked, the blocked Member joins too; saving again or the scheduled job's ask queues no second sweep.
    await setCustomerBlocked({ ctx: contextFor(shop, "staff:1"), input: { customerId: blocked!.id, blocked: false } });
    expect((await joined(shop)).count).toEqual(exactly(MEMBERS + 2));
    expect(await queueReferralJoining({ shop })).toEqual({ queued: false });
    expect(
      await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.shop, shop), eq(tasks.kind, "referrals.join-members"))),
    ).toHaveLength(1);
  });

  it("a shop whose Members were never stamped (from before) gets them added by the scheduled job's sweep", async () => {
    const shop = await shopInstalledOn(INSTALLED);
    const rows = await insertCustomers(db, shop, [
      { status: "member", memberSince: "2026-05-05T05:00:00.000Z" },
      { status: "member", memberSince: "2025-01-01T00:00:00.000Z" },
      { status: "guest" },
    ]);
    expect((await joined(shop)).count).toEqual(exactly(0));
    expect(await queueReferralJoining({ shop })).toEqual({ queued: true });
    await runner(shop).drain();
    expect(await joined(shop)).toEqual({ ids: [rows[0]!.id, rows[1]!.id], count: exactly(2) });
    const at = (id: number) =>
      db.select({ at: customers.referralJoinedAt }).from(customers).where(eq(customers.id, id));
    expect(await at(rows[0]!.id)).toEqual([{ at: "2026-05-05T05:00:00.000Z" }]);
    expect(await at(rows[1]!.id)).toEqual([{ at: INSTALLED }]);
  });
});
