// npm run bench:sync-apply: the apply of a Sync customers chunk alone (applySyncBatch, decision 030), without Shopify,
// the JSONL download or the task runner: SYNC_APPLY_CUSTOMERS customers (10,000 by default) with 2.5 orders each, as
// the sync task hands them over, in chunks of SYNC_APPLY_CHUNK lines (1,000 by default), into an empty shop. Measured three ways in the same run: the
// set-based apply, the per-record services (the reference it is tested against), and the set-based apply again; then a
// second pass over each shop, which changes nothing. Prints the time per line, customers/s and orders/s.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SyncRecord } from "~/services/customers/apply-sync-batch.server";

const CUSTOMERS = Number(process.env.SYNC_APPLY_CUSTOMERS ?? 10_000);
const CHUNK = Number(process.env.SYNC_APPLY_CHUNK ?? 1_000);
const dir = mkdtempSync(path.join(tmpdir(), "tally-bench-sync-apply-"));
Object.assign(process.env, {
  DATABASE_PATH: path.join(dir, "bench.sqlite"),
  SHOPIFY_API_KEY: "bench-sync-apply",
  SHOPIFY_API_SECRET: "bench-sync-apply-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  SCOPES: "read_customers,read_orders",
  NODE_ENV: "production",
  TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  TALLY_BACKGROUND_JOBS: "off",
});
const { contextFor } = await import("~/shopify.server");
const { recordInstall } = await import("~/services/shops/record-install.server");
const { applySyncBatch } = await import("~/services/customers/apply-sync-batch.server");

/** A shop's JSONL as the sync task reads it: each customer, then their orders (a fifth with a discount code). */
function records(): SyncRecord[] {
  const out: SyncRecord[] = [];
  let line = 0;
  for (let n = 1; n <= CUSTOMERS; n++) {
    out.push({
      kind: "customer",
      line: ++line,
      input: {
        snapshot: {
          customerGid: `gid://shopify/Customer/${n}`,
          shopifyState: n % 3 ? "ENABLED" : "DISABLED",
          updatedAt: "2026-05-01T10:00:00Z",
          email: `customer-${n}@example.com`,
          firstName: `Anna${n}`,
          lastName: `Petrova${n}`,
          phone: n % 4 ? null : `+1 613 555 ${String(n % 10_000).padStart(4, "0")}`,
          city: "Ottawa",
          province: "Ontario",
          countryCode: "CA",
          createdAt: "2025-03-01T10:00:00Z",
          taxExempt: false,
          existedBeforeInstall: false,
        },
        tags: n % 5 ? [] : ["vip"],
        purchasing: { ordersCount: 2 + (n % 2), amountSpentMinor: 12_000, currency: "USD" },
        lastOrderAt: "2026-01-10T09:00:00Z",
      },
    });
    for (let k = 0; k < 2 + (n % 2); k++) {
      const order = n * 10 + k;
      out.push({
        kind: "order",
        line: ++line,
        facts: {
          orderGid: `gid://shopify/Order/${order}`,
          name: `#${order}`,
          currency: "USD",
          subtotalMinor: 5_000,
          totalMinor: 5_650,
          financialStatus: "paid",
          fulfillmentStatus: "fulfilled",
          discountCodes: order % 5 ? [] : ["WELCOME10"],
          cancelledAt: null,
          processedAt: "2026-01-10T09:00:00Z",
          updatedAt: "2026-01-10T09:00:00Z",
          customer: { customerGid: `gid://shopify/Customer/${n}`, email: null, firstName: null, lastName: null },
        },
      });
    }
  }
  return out;
}

const all = records();
const orders = all.length - CUSTOMERS;
console.log(
  `\nbench:sync-apply: ${CUSTOMERS.toLocaleString("en")} customers and ${orders.toLocaleString("en")} orders, ${all.length.toLocaleString("en")} lines in chunks of ${CHUNK.toLocaleString("en")}`,
);
for (const [label, asSets] of [
  ["set-based", true],
  ["per record (the reference)", false],
  ["set-based, again", true],
] as const) {
  const shop = `bench-apply-${label.replace(/\W+/g, "-")}.myshopify.com`;
  const ctx = { ...contextFor(shop, "bench"), now: new Date() };
  await recordInstall({ ctx, input: { scope: process.env.SCOPES! } });
  const timed = async () => {
    const started = performance.now();
    for (let start = 0; start < all.length; start += CHUNK)
      await applySyncBatch({ ctx, input: { records: all.slice(start, start + CHUNK), asSets } });
    return (performance.now() - started) / 1000;
  };
  const first = await timed();
  const second = await timed();
  const per = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString("en");
  console.log(
    `${label.padEnd(27)} new: ${first.toFixed(2)} s, ${((first * 1e6) / all.length).toFixed(0)} µs a line, ${per(CUSTOMERS, first)} customers/s, ${per(orders, first)} orders/s;  unchanged: ${second.toFixed(2)} s, ${per(CUSTOMERS, second)} customers/s`,
  );
}
rmSync(dir, { recursive: true, force: true });
