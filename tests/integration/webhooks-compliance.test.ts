import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { and, count, eq, getTableColumns, is } from "drizzle-orm";
import { SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "~/db/schema";
import { checkCustomerImport, checkPointsImport } from "../helpers/import-checks";
import {
  checkouts,
  complianceExports,
  customerGroups,
  customerSyncs,
  customers,
  earningSkips,
  emailOutbox,
  emailSuppressions,
  emailTemplateNoticesKept,
  emailTemplateVersions,
  ledgerEntries,
  referralAddressFingerprints,
  referralClaimAttempts,
  referralEvents,
  referralRevenueOrders,
  referralRewards,
  referrals,
  rewards,
  shopJobs,
  storeCreditTransactions,
  taskItems,
  tasks,
  webhookFailures,
} from "~/db/schema";
import { claimedReferral, defaultReferralSettings, referralSettingsToForm } from "~/domain/referrals";
import type { ServiceContext } from "~/services/context";
import { joinReferralProgram } from "~/services/referrals/advocates.server";
import { saveReferralProgram } from "~/services/referrals/referral-program.server";
import { action as checkoutCreate } from "~/routes/webhooks.checkouts.create";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { emptyCustomerQuery } from "~/domain/customers";
import { saveCustomerView, saveDirectoryColumns } from "~/services/customers/directory-views.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { saveProgram } from "~/services/program/save-program.server";
import { recordInstall } from "~/services/shops/record-install.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { deliverWebhook } from "../helpers/signed-requests";
import { samplePayload } from "../helpers/shopify-samples";
import { orderJson } from "../factories/orders";
import { first } from "../helpers/db";
import { onPostgres } from "../helpers/dialect";

const { db } = contextFor("any", "test");
const deliver = (
  action: Parameters<typeof deliverWebhook>[0],
  topic: string,
  shop: string,
  body: unknown,
  webhookId?: string,
) => deliverWebhook(action, topic, shop, body, webhookId ? { webhookId } : {});

let sequence = 0;

/** A Shopify customer with an 18-digit id and contact details no other test uses. */
function newCustomer() {
  sequence += 1;
  const tag = randomBytes(4).toString("hex");
  const id = 706405506930370000n + BigInt(sequence) * 1_000n + BigInt(Number.parseInt(tag.slice(0, 2), 16));
  return {
    id,
    gid: `gid://shopify/Customer/${id}`,
    email: `zebediah.quill.${tag}@redact-me.example`,
    firstName: `Zebediah${tag}`,
    lastName: `Quillfeather${tag}`,
    phone: `+1555${String(Number.parseInt(tag, 16)).padStart(10, "0").slice(0, 7)}`,
  };
}
type Customer = ReturnType<typeof newCustomer>;

function customerBody(customer: Customer) {
  const sample = samplePayload("customers/create");
  return {
    ...sample,
    id: customer.id,
    admin_graphql_api_id: customer.gid,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    phone: customer.phone,
    state: "enabled",
    default_address: { ...(sample.default_address as object), city: "Ottawa", province: "Ontario" },
  };
}

function checkoutBody(token: string, email: string, customer?: Customer) {
  return {
    ...samplePayload("checkouts/create"),
    token,
    email,
    completed_at: null,
    updated_at: "2026-01-01T00:00:00Z",
    customer: customer ? { id: customer.id, admin_graphql_api_id: customer.gid } : null,
  };
}

function paidOrderBody(orderId: bigint, customer: Customer) {
  const order = samplePayload("orders/paid");
  return orderJson({
    id: orderId,
    name: `#${orderId % 10_000n}`,
    lines: [{ id: orderId + 1n, price: "40.00" }],
    customer: { ...(order.customer as object), id: customer.id, admin_graphql_api_id: customer.gid, state: "enabled" },
  });
}

/** A customer Tally knows through its webhooks: account, a paid order, a guest checkout and a signed-in one. */
async function customerWithHistory(shop: string) {
  const customer = newCustomer();
  expect((await deliver(customerCreate, "customers/create", shop, customerBody(customer))).status).toBe(200);
  const orderId = 820982911946150000n + BigInt(sequence);
  expect((await deliver(orderPaid, "orders/paid", shop, paidOrderBody(orderId, customer))).status).toBe(200);
  const guestToken = `guest-${randomBytes(6).toString("hex")}`;
  const accountToken = `account-${randomBytes(6).toString("hex")}`;
  // Typed with another case: Shopify keeps what the buyer typed.
  await deliver(checkoutCreate, "checkouts/create", shop, checkoutBody(guestToken, customer.email.toUpperCase()));
  await deliver(checkoutCreate, "checkouts/create", shop, checkoutBody(accountToken, customer.email, customer));
  const row = await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customer.gid))),
  );
  if (!row) throw new Error("customers/create stored nothing");
  return { customer, row, orderGid: `gid://shopify/Order/${orderId}`, guestToken, accountToken };
}

function dataRequestBody(shop: string, customer: Customer) {
  return {
    ...samplePayload("customers/data_request"),
    shop_domain: shop,
    // Exactly as Shopify writes them: bare 18-digit numbers that JSON.parse would round.
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    orders_requested: [],
    data_request: { id: 9_000_000_000_000_000_001n + BigInt(sequence) },
  };
}

function redactBody(shop: string, customer: Customer) {
  return {
    ...samplePayload("customers/redact"),
    shop_domain: shop,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    orders_to_redact: [],
  };
}

function databaseFilesContain(text: string): string[] {
  const file = process.env.DATABASE_PATH!;
  return [file, `${file}-wal`].filter((path) => existsSync(path) && readFileSync(path).includes(Buffer.from(text)));
}

describe("customers/data_request", () => {
  it("stores everything Tally holds about the customer as one export, keyed by the request id", async () => {
    const shop = await newShopDomain();
    const { customer, row, orderGid, guestToken, accountToken } = await customerWithHistory(shop);
    const body = dataRequestBody(shop, customer);

    expect((await deliver(dataRequest, "customers/data_request", shop, body, "dr-1")).status).toBe(200);
    expect((await deliver(dataRequest, "customers/data_request", shop, body, "dr-1")).status).toBe(200);

    const exports = await db.select().from(complianceExports).where(eq(complianceExports.shop, shop));
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ dataRequestId: String(body.data_request.id), customerGid: customer.gid });
    const data = exports[0]!.export as {
      customer: Record<string, unknown>;
      ledgerEntries: unknown[];
      orders: unknown[];
      checkouts: Array<{ token: string }>;
    };
    expect(data.customer).toMatchObject({ id: row.id, email: customer.email, firstName: customer.firstName });
    expect(data.ledgerEntries.length).toBeGreaterThanOrEqual(2); // sign-up bonus and the order
    expect(data.orders).toMatchObject([{ orderGid }]);
    expect(data.checkouts.map((checkout) => checkout.token).sort()).toEqual([accountToken, guestToken].sort());
    expect(data).toHaveProperty("rewards", []);
    expect(data).toHaveProperty("earningSkips", []);
  });

  it("answers a request about a customer Tally never saw with an empty export", async () => {
    const shop = await newShopDomain();
    const body = dataRequestBody(shop, newCustomer());
    expect((await deliver(dataRequest, "customers/data_request", shop, body)).status).toBe(200);
    const [stored] = await db.select().from(complianceExports).where(eq(complianceExports.shop, shop));
    expect(stored?.export).toMatchObject({ customer: null, ledgerEntries: [], orders: [], checkouts: [] });
  });

  it("rejects a payload without the data request id and records nothing", async () => {
    const shop = await newShopDomain();
    const { data_request: _, ...body } = dataRequestBody(shop, newCustomer());
    expect((await deliver(dataRequest, "customers/data_request", shop, body)).status).toBe(400);
    expect(await db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.shop, shop))).toEqual([]);
  });
});

describe("customers/redact", () => {
  // SQLite only: it reads the database file's bytes. PostgreSQL keeps an erased row's old version until VACUUM reuses
  // its space (decision 034); the rows themselves are checked by the tests below on both.
  it.skipIf(onPostgres)(
    "erases the customer's personal data from the database file and keeps the anonymous points",
    async () => {
      const shop = await newShopDomain();
      const { customer, row, guestToken, accountToken } = await customerWithHistory(shop);
      await adjustPoints({
        ctx: contextFor(shop, "staff:1"),
        input: { customerId: row.id, points: 25, reason: `goodwill for ${customer.firstName}`, requestId: "r-1" },
      });
      await deliver(dataRequest, "customers/data_request", shop, dataRequestBody(shop, customer));
      // An import's preview that would rename the customer keeps their old and new details until the erasure.
      const renames = path.join(await mkdtemp(path.join(tmpdir(), "tally-compliance-")), "customers.csv");
      await writeFile(renames, `email,first name\n${customer.email},Renamed\n`);
      const preview = await checkCustomerImport({
        ctx: contextFor(shop, "staff:1"),
        input: {
          fileName: "customers.csv",
          filePath: renames,
          existing: "update",
          invite: false,
        },
      });
      expect(preview.summary).toMatchObject({ update: 1, "changed.firstName": 1 });
      const before = (await first(db.select().from(customers).where(eq(customers.id, row.id))))!;
      const pointsBefore = await db
        .select({ kind: ledgerEntries.kind, points: ledgerEntries.points })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.customerId, row.id));
      expect(databaseFilesContain(customer.email)).not.toEqual([]);

      const response = await deliver(customersRedact, "customers/redact", shop, redactBody(shop, customer));
      expect(response.status).toBe(200);

      const after = (await first(db.select().from(customers).where(eq(customers.id, row.id))))!;
      expect(after).toMatchObject({
        email: null,
        firstName: null,
        lastName: null,
        phone: null,
        city: null,
        province: null,
        countryCode: null,
        pointsBalance: before.pointsBalance,
        lifetimeEarned: before.lifetimeEarned,
      });
      expect(after.redactedAt).toBeTruthy();
      const ledger = await db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, row.id));
      expect(ledger.map(({ kind, points }) => ({ kind, points }))).toEqual(pointsBefore);
      expect(ledger.find((entry) => entry.kind === "adjust")).toMatchObject({
        note: null,
        explanation: "+25: adjusted by staff (reason erased)",
      });
      const checkoutEmails = await db
        .select({ token: checkouts.token, email: checkouts.email })
        .from(checkouts)
        .where(eq(checkouts.shop, shop));
      expect(checkoutEmails.sort((a, b) => a.token.localeCompare(b.token))).toEqual(
        [
          { token: accountToken, email: null },
          { token: guestToken, email: null },
        ].sort((a, b) => a.token.localeCompare(b.token)),
      );
      expect(await db.select().from(complianceExports).where(eq(complianceExports.shop, shop))).toEqual([]);

      for (const personal of [customer.email, customer.email.toUpperCase(), customer.firstName, customer.lastName]) {
        expect(databaseFilesContain(personal), personal).toEqual([]);
      }
    },
  );

  it("is a no-op for a customer Tally never saw, and for a redelivery", async () => {
    const shop = await newShopDomain();
    const body = redactBody(shop, newCustomer());
    expect((await deliver(customersRedact, "customers/redact", shop, body, "r-1")).status).toBe(200);
    expect((await deliver(customersRedact, "customers/redact", shop, body, "r-1")).status).toBe(200);
    expect(await db.select().from(customers).where(eq(customers.shop, shop))).toEqual([]);
  });

  it("erases a customer a checked file would create from the import's preview, and no one else there", async () => {
    const shop = await newShopDomain();
    const redacted = newCustomer();
    const kept = newCustomer();
    const file = path.join(await mkdtemp(path.join(tmpdir(), "tally-compliance-")), "customers.csv");
    await writeFile(
      file,
      `email,first name,last name\n${redacted.email.toUpperCase()},${redacted.firstName},${redacted.lastName}\n${kept.email},${kept.firstName},\n`,
    );
    const preview = await checkCustomerImport({
      ctx: contextFor(shop, "staff:1"),
      input: { fileName: "customers.csv", filePath: file, existing: "update", invite: false },
    });
    expect(preview.summary).toMatchObject({ create: 2 });
    const sample = () =>
      db
        .select({ email: schema.importCreates.email, firstName: schema.importCreates.firstName })
        .from(schema.importCreates)
        .where(eq(schema.importCreates.shop, shop))
        .orderBy(schema.importCreates.line);
    expect(await sample()).toEqual([
      { email: redacted.email, firstName: redacted.firstName },
      { email: kept.email, firstName: kept.firstName },
    ]);

    expect((await deliver(customersRedact, "customers/redact", shop, redactBody(shop, redacted))).status).toBe(200);
    expect(await sample()).toEqual([{ email: kept.email, firstName: kept.firstName }]);
  });

  it("touches no other customer", async () => {
    const shop = await newShopDomain();
    const redacted = await customerWithHistory(shop);
    const kept = await customerWithHistory(shop);
    await deliver(customersRedact, "customers/redact", shop, redactBody(shop, redacted.customer));
    expect(await first(db.select().from(customers).where(eq(customers.id, kept.row.id)))).toMatchObject({
      email: kept.customer.email,
      redactedAt: null,
    });
    expect(
      (await first(db.select().from(checkouts).where(eq(checkouts.token, kept.guestToken))))?.email?.toLowerCase(),
    ).toBe(kept.customer.email);
  });
});

/** Every table with a `shop` column, found from the schema so a new table cannot be forgotten. */
const shopTables = Object.values(schema as Record<string, unknown>)
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .filter((table) => "shop" in getTableColumns(table));

async function rowsPerTable(shop: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of shopTables) {
    const shopColumn = getTableColumns(table).shop!;
    const [result] = await db.select({ n: count() }).from(table).where(eq(shopColumn, shop));
    counts[getTableConfig(table).name] = result?.n ?? 0;
  }
  return counts;
}

/** A shop with at least one row in every table. */
async function populatedShop() {
  const shop = await newShopDomain();
  const ctx = contextFor(shop, "staff:1");
  await recordInstall({ ctx, input: { scope: "read_customers" } });
  await installOfflineSession(shop);
  const { customer, row } = await customerWithHistory(shop);
  await deliver(dataRequest, "customers/data_request", shop, dataRequestBody(shop, customer));
  const { program } = await saveProgram({ ctx, input: { ...minimalSettings(), pointsName: "stars" } });
  expect(program.version).toBe(2);
  const now = new Date().toISOString();
  await db.insert(earningSkips).values({
    shop,
    customerId: row.id,
    wouldHaveEarned: 5,
    reason: "blocked",
    explanation: "0: blocked",
    createdAt: now,
  });
  await db.insert(rewards).values({
    shop,
    rewardKey: `reward-${shop}`,
    customerId: row.id,
    optionId: "five-off",
    kind: "fixed_amount_off",
    title: "5.00 off",
    points: 500,
    currency: "USD",
    status: "issued",
    code: `TALLY-${shop}`,
    createdAt: now,
    updatedAt: now,
  });
  // The install already asked for a reconciliation (a shop_jobs row); this one has run too.
  await db
    .insert(shopJobs)
    .values({ shop, job: "reconcile", lastRunAt: now })
    .onConflictDoUpdate({ target: [shopJobs.shop, shopJobs.job], set: { lastRunAt: now } });
  // The directory's rows: a tagged member in a country (tags, facets, growth, counters), a saved view, columns.
  await db
    .update(customers)
    .set({ tags: ["VIP"], countryCode: "PL", status: "member", memberSince: now })
    .where(eq(customers.id, row.id));
  await saveCustomerView({ ctx, input: { name: "VIPs", query: { ...emptyCustomerQuery, tags: ["VIP"] } } });
  await saveDirectoryColumns({ ctx, input: { staffId: "1", columns: ["email"] } });
  const [task] = await db
    .insert(tasks)
    .values({
      shop,
      kind: "points.recalculate",
      title: "Recalculate points",
      status: "succeeded",
      idempotencyKey: "recalc",
      input: { repair: true },
      unitOne: "customer",
      unitOther: "customers",
      actor: "staff:1",
      createdAt: now,
    })
    .returning();
  await db
    .insert(taskItems)
    .values({ shop, taskId: task!.id, itemKey: row.customerGid, customerId: row.id, outcome: "done", at: now });
  await populateReferrals(ctx, row.id, now);
  await db
    .insert(webhookFailures)
    .values({ shop, webhookId: "failed-1", topic: "orders/paid", error: "boom", failedAt: now });
  const [sent] = await db
    .insert(emailOutbox)
    .values({
      shop,
      customerId: row.id,
      kind: "invitation",
      batch: "b",
      status: "sent",
      recipient: "a@example.com",
      actor: "staff:1",
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await db.insert(emailSuppressions).values({
    shop,
    customerId: row.id,
    email: "a@example.com",
    source: "one_click",
    outboxId: sent!.id,
    createdAt: now,
  });
  await db.insert(customerSyncs).values({ shop, trigger: "manual", status: "succeeded", startedAt: now });
  await db.insert(emailTemplateVersions).values({
    shop,
    kind: "invitation",
    version: 1,
    subject: "s",
    html: "h",
    text: "t",
    actor: "staff:1",
    createdAt: now,
  });
  await db.insert(emailTemplateNoticesKept).values({
    shop,
    kind: "points_reminder",
    notice: "reminder_cases",
    version: 1,
    actor: "staff:1",
    createdAt: now,
  });
  // A checked points file with a bad row: an import and its problem row.
  const file = path.join(await mkdtemp(path.join(tmpdir(), "tally-compliance-")), "points.csv");
  await writeFile(file, `email,points\n${customer.email},10\nnot-an-email,5\n`);
  await checkPointsImport({ ctx, input: { fileName: "points.csv", filePath: file, source: "generic" } });
  // A customer file that renames the customer and creates another: its preview keeps the change and the new customer.
  const renames = path.join(path.dirname(file), "customers.csv");
  await writeFile(renames, `email,first name\n${customer.email},Renamed\n${newCustomer().email},New\n`);
  await checkCustomerImport({
    ctx,
    input: { fileName: "customers.csv", filePath: renames, existing: "update", invite: false },
  });
  // A file still being checked keeps the emails it met so far.
  await db.insert(schema.importEmails).values({ shop, importId: 1, email: customer.email.toLowerCase() });
  return shop;
}

/** A row in every referral table: a saved program, an advocate, a referral with its codes, story and traces. */
async function populateReferrals(ctx: ServiceContext, customerId: number, now: string) {
  const shop = ctx.shop;
  await saveReferralProgram({
    ctx,
    input: { ...referralSettingsToForm(defaultReferralSettings("USD"), "USD"), pendingDays: "14" },
  });
  const advocate = await joinReferralProgram({ ctx, input: { customerId, via: "staff" } });
  const { state } = claimedReferral({
    referralKey: `ref-${shop}`,
    reward: { kind: "points", points: 500 },
    pendingDays: 14,
    signals: [],
  });
  const [referral] = await db
    .insert(referrals)
    .values({
      shop,
      referralKey: state.referralKey,
      advocateId: advocate.id,
      advocateCustomerId: customerId,
      friendEmail: "friend@example.com",
      friendEmailKey: "friend@example.com",
      friendSearch: "friend@example.com",
      status: "pending",
      state,
      programVersion: 2,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await db.insert(referralRewards).values({
    shop,
    referralId: referral!.id,
    role: "friend",
    kind: "percent_off",
    title: "10% off",
    code: `FRIEND-${shop}`,
    codeKey: `FRIEND-${shop}`.toUpperCase(),
    percent: 10,
    currency: "USD",
    status: "issued",
    createdAt: now,
    updatedAt: now,
  });
  await db.insert(referralEvents).values({
    shop,
    referralId: referral!.id,
    kind: "claimed",
    actor: "storefront",
    explanation: "claimed",
    createdAt: now,
  });
  await db
    .insert(referralClaimAttempts)
    .values({ shop, advocateId: advocate.id, clientFingerprint: "x", createdAt: now });
  await db.insert(referralAddressFingerprints).values({ shop, customerId, fingerprint: "f", seenAt: now });
  await db.insert(referralRevenueOrders).values({
    shop,
    orderGid: `gid://shopify/Order/${shop}`,
    advocateCustomerId: customerId,
    amountMinor: 100,
    currency: "USD",
    basis: "a referral reward",
    createdAt: now,
  });
  await db.insert(storeCreditTransactions).values({
    shop,
    customerId,
    transactionGid: `gid://shopify/StoreCreditAccountCreditTransaction/${shop}`,
    accountGid: "gid://shopify/StoreCreditAccount/1",
    kind: "credit",
    amountMinor: 500,
    currency: "USD",
    balanceAfterMinor: 500,
    reason: "Goodwill",
    actor: "staff:1",
    requestId: `r-${shop}`,
    createdAt: now,
  });
  await db.insert(customerGroups).values({
    shop,
    name: "VIPs",
    segmentGid: "gid://shopify/Segment/1",
    segmentQuery: "customer_tags CONTAINS 'vip'",
    createdAt: now,
  });
}

function minimalSettings() {
  return {
    enabled: true,
    pointsName: "points",
    signupBonus: 100,
    pointsPerUnit: 1,
    unitMinor: 100,
    pendingDays: 0,
    guestsEarn: true,
    guestsRedeem: false,
    excludedTags: [],
    returnRedeemedPoints: true,
    redeemOptions: [],
  };
}

describe("shop/redact", () => {
  it("deletes every row of the shop in every table and leaves other shops alone", async () => {
    const shop = await populatedShop();
    const other = await populatedShop();
    const otherBefore = await rowsPerTable(other);
    for (const [table, rows] of Object.entries(await rowsPerTable(shop))) expect(rows, table).toBeGreaterThan(0);

    const body = { ...samplePayload("shop/redact"), shop_domain: shop };
    expect((await deliver(shopRedact, "shop/redact", shop, body, "sr-1")).status).toBe(200);
    expect((await deliver(shopRedact, "shop/redact", shop, body, "sr-1")).status).toBe(200);

    const after = await rowsPerTable(shop);
    // The first run deleted its own delivery record too, so the redelivery ran again and found nothing left.
    expect(after).toEqual(Object.fromEntries(Object.keys(after).map((table) => [table, 0])));
    expect(await rowsPerTable(other)).toEqual(otherBefore);
  });
});
