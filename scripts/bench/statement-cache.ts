// Which statement cache Tally keeps (decision 012): the same service calls on two connections to one database, one
// with every statement prepared afresh (drizzle's way, plus app/db/prepared.ts on the hot paths) and one that also
// keeps better-sqlite3 statements by SQL text, as app/db/client.server.ts once did. Rounds alternate; medians print.
// Run: npx tsx scripts/bench/statement-cache.ts
import { emptyCustomerQuery } from "~/domain/customers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { openDatabase, type Db } from "~/db/client.server";
import { customers } from "~/db/schema";
import type { ServiceContext } from "~/services/context";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { listCustomers } from "~/services/customers/list-customers.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";

function cacheBySqlText(sqlite: Database.Database) {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) cache.set(source, (statement = prepare(source)));
    return statement;
  }) as typeof sqlite.prepare;
}

const dir = mkdtempSync(path.join(tmpdir(), "tally-statements-"));
const file = path.join(dir, "bench.sqlite");
const plain = openDatabase(file);
const cached = openDatabase(file);
cacheBySqlText(cached.$client);
const shop = "bench.myshopify.com";
const CUSTOMERS = 20_000;
plain.transaction((tx) => {
  for (let i = 0; i < CUSTOMERS; i += 500) {
    tx.insert(customers)
      .values(
        Array.from({ length: 500 }, (_, j) => ({
          shop,
          customerGid: `gid://shopify/Customer/${1_000_000 + i + j}`,
          email: `c${i + j}@example.com`,
          firstName: "Bench",
          lastName: `Customer ${i + j}`,
          shopifyState: "ENABLED",
        })),
      )
      .run();
  }
});

let request = 0;
async function workload(db: Db, calls: number) {
  const ctx: ServiceContext = { shop, db, now: new Date(), actor: "bench" };
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const customerId = 1 + ((i * 7919) % CUSTOMERS);
    await adjustPoints({ ctx, input: { customerId, points: 5, reason: "bench", requestId: `r${++request}` } });
    await getCustomerProfile({ ctx, input: { customerId } });
    await listCustomers({ ctx, input: { query: { ...emptyCustomerQuery, sort: "points-desc" }, limit: 50 } });
  }
  return Number(process.hrtime.bigint() - started) / 1000 / calls;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
await workload(plain, 200);
await workload(cached, 200);
const results = { plain: [] as number[], cached: [] as number[] };
for (let round = 0; round < 7; round++) {
  results.plain.push(await workload(plain, 500));
  results.cached.push(await workload(cached, 500));
}
const p = median(results.plain);
const c = median(results.cached);
console.log(`adjust points + profile + directory page, ${CUSTOMERS} customers, median of 7 rounds of 500:`);
console.log(`  statements prepared afresh (prepared.ts on hot paths): ${p.toFixed(0)} µs per round trip`);
console.log(
  `  plus better-sqlite3 statements cached by SQL text:     ${c.toFixed(0)} µs (${((c / p) * 100).toFixed(0)}%)`,
);
plain.$client.close();
cached.$client.close();
rmSync(dir, { recursive: true, force: true });
