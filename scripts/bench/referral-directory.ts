// The directory's referral columns at a 1,000,000-customer shop (issue 9): a page sorted by Successful referrals,
// Referrer revenue or Referee revenue, first and deep (keyset cursor), beside the same pages sorted by points (an
// older sort with the same kind of index) as the baseline measured in the same run; and the plan SQLite picks.
// Run: npx tsx scripts/bench/referral-directory.ts [customers]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "~/db/client.server";
import { customers } from "~/db/schema";
import { directoryCursorSchema, emptyCustomerQuery, type DirectorySort } from "~/domain/customers";
import type { ServiceContext } from "~/services/context";
import { listCustomers } from "~/services/customers/list-customers.server";

const CUSTOMERS = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(path.join(tmpdir(), "tally-referral-directory-"));
const db = openDatabase(path.join(dir, "bench.sqlite"), { checks: false });
const shop = "bench.myshopify.com";

// About 3% of customers are advocates with completed referrals; the rest are zeros, as in a real shop.
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const started = Date.now();
db.transaction((tx) => {
  for (let i = 0; i < CUSTOMERS; i += 1000) {
    tx.insert(customers)
      .values(
        Array.from({ length: Math.min(1000, CUSTOMERS - i) }, (_, j) => {
          const advocate = random() < 0.03;
          const successful = advocate ? 1 + Math.floor(random() * 12) : 0;
          return {
            shop,
            customerGid: `gid://shopify/Customer/${10_000_000 + i + j}`,
            email: `c${i + j}@example.com`,
            firstName: "Bench",
            lastName: `Customer ${i + j}`,
            shopifyState: "ENABLED",
            pointsBalance: Math.floor(random() * 5000),
            successfulReferrals: successful,
            refereeRevenueMinor: successful * (2000 + Math.floor(random() * 20_000)),
            referrerRevenueMinor: advocate && random() < 0.5 ? Math.floor(random() * 50_000) : 0,
          };
        }),
      )
      .run();
  }
});
db.$client.exec("ANALYZE");
console.log(`seeded ${CUSTOMERS.toLocaleString("en-US")} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const ctx: ServiceContext = { shop, db, now: new Date(), actor: "bench" };

async function timed(sort: DirectorySort, pages: number) {
  const samples: number[] = [];
  let after: string | undefined;
  for (let round = 0; round < 7; round++) {
    after = undefined;
    const began = process.hrtime.bigint();
    for (let page = 0; page < pages; page++) {
      const cursor = after ? directoryCursorSchema.parse(after) : undefined;
      const result = await listCustomers({
        ctx,
        input: { query: { ...emptyCustomerQuery, sort }, limit: 50, ...(cursor ? { after: cursor } : {}) },
      });
      after = result.nextCursor;
    }
    samples.push(Number(process.hrtime.bigint() - began) / 1e6 / pages);
  }
  samples.sort((a, b) => a - b);
  return samples[3]!;
}

const plan = (column: string) =>
  (
    db.all(
      sql.raw(
        `explain query plan select id from customers where shop = '${shop}' order by ${column} desc, id desc limit 51`,
      ),
    ) as Array<{ detail: string }>
  )
    .map((row) => row.detail)
    .join("; ");

console.log("median ms per page of 50 (7 rounds): page 1, and each of pages 1-200 walked by cursor");
for (const sort of [
  "points-desc",
  "referrals-desc",
  "referrals-asc",
  "referrer-desc",
  "referee-desc",
  "referee-asc",
] as DirectorySort[]) {
  const first = await timed(sort, 1);
  const deep = await timed(sort, 200);
  console.log(`${sort.padEnd(15)} page 1 ${first.toFixed(2)} ms   pages 1-200 ${deep.toFixed(2)} ms a page`);
}
for (const column of ["successful_referrals", "referrer_revenue_minor", "referee_revenue_minor"]) {
  console.log(`plan ${column}: ${plan(column)}`);
}
db.$client.close();
rmSync(dir, { recursive: true, force: true });
