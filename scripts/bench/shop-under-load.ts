// A shop of many customers and its Customers directory asked while a background task runs, shared by
// bench:bulk-points, bench:task-stalls and bench:tasks. Call openBenchShop() before importing anything under ~/: it
// sets the environment (a fresh SQLite file, background jobs off) that app modules read once at import.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { pause, sampleWhile, stats } from "./sampling";

/**
 * Sets the environment for a bench on a fresh SQLite file in a temporary folder named after `name`, then seeds `shop`
 * with `count` Members, each with a balance of 10 to 99 points and the ledger entry it sums. Answers the shop's service
 * context, the folder (for files the bench writes) and `cleanup`, which deletes the folder.
 */
export async function openBenchShop({ name, shop, count }: { name: string; shop: string; count: number }) {
  const dir = mkdtempSync(path.join(tmpdir(), `tally-bench-${name}-`));
  Object.assign(process.env, {
    DATABASE_PATH: path.join(dir, "bench.sqlite"),
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: "https://tally.bench",
    SCOPES: "read_customers",
    NODE_ENV: "production",
    TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    TALLY_BACKGROUND_JOBS: "off",
  });
  const { contextFor } = await import("~/shopify.server");
  const { customers, ledgerEntries } = await import("~/db/schema");
  const ctx = contextFor(shop, { actor: "staff:1", actorName: "Bench" });
  const seedStart = performance.now();
  // 500 rows an insert: drizzle binds every column of the customers table, and SQLite allows 32,766 variables.
  const SEED_BATCH = 500;
  for (let start = 0; start < count; start += SEED_BATCH) {
    const rows = await ctx.db
      .insert(customers)
      .values(
        Array.from({ length: Math.min(SEED_BATCH, count - start) }, (_, i) => ({
          shop,
          customerGid: `gid://shopify/Customer/${10_000_000 + start + i}`,
          email: `c${start + i}@example.com`,
          firstName: `First${start + i}`,
          lastName: `Last${start + i}`,
          status: "member" as const,
          pointsBalance: 10 + ((start + i) % 90),
        })),
      )
      .returning({ id: customers.id, points: customers.pointsBalance });
    await ctx.db.insert(ledgerEntries).values(
      rows.map((row) => ({
        shop,
        customerId: row.id,
        kind: "adjust",
        points: row.points,
        idempotencyKey: `seed:${row.id}`,
        actor: "staff:1",
        explanation: "seeded",
        createdAt: new Date().toISOString(),
      })),
    );
  }
  console.log(
    `seeded ${count.toLocaleString("en")} customers in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  return { ctx, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The Customers directory as a merchant's reload asks for it, served as server.js serves a request (inside
 * withRequestId): its loader (the page of customers and the tab counts), then the count the route streams after it
 * ("Counting…"). `ask` runs one reload; `take` answers and forgets the loader's and the count's latencies so far, ms.
 */
export async function directoryProbe(shop: string) {
  const { contextFor } = await import("~/shopify.server");
  const { customerQueryParamsSchema } = await import("~/domain/customers");
  const { countDirectoryMatches, loadCustomerDirectory } =
    await import("~/services/customers/load-customer-directory.server");
  const { withRequestId } = await import("~/lib/log.server");
  const loader: number[] = [];
  const count: number[] = [];
  const ask = () =>
    withRequestId(randomBytes(4).toString("hex"), async () => {
      const pageCtx = { ...contextFor(shop, "staff:1"), now: new Date() };
      const began = performance.now();
      const view = await loadCustomerDirectory({
        ctx: pageCtx,
        input: { params: customerQueryParamsSchema.parse({}), staffId: "1" },
      });
      const loaded = performance.now();
      loader.push(loaded - began);
      await countDirectoryMatches({ ctx: pageCtx, input: { query: view.query } });
      count.push(performance.now() - loaded);
    });
  const take = () => ({ loader: loader.splice(0, loader.length), count: count.splice(0, count.length) });
  /** The directory asked every 25 ms for `ms` on the idle process (after a second's warm-up, not kept). */
  const idle = async (ms: number) => {
    await sampleWhile(ask, pause(1000));
    take();
    await sampleWhile(ask, pause(ms));
    return take();
  };
  /**
   * The directory asked every 25 ms until `run` settles (not at all when `asking` is false: the task's own speed),
   * with the event loop's delay monitored meanwhile: its latencies, the loop's p50 / p99 / longest stall (ms), and how
   * long `run` took (s).
   */
  const during = async (run: Promise<unknown>, asking = true) => {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const started = performance.now();
    loop.enable();
    await (asking ? sampleWhile(ask, run) : run);
    loop.disable();
    return {
      ...take(),
      seconds: (performance.now() - started) / 1000,
      loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, longest: loop.max / 1e6 },
    };
  };
  return { ask, take, idle, during };
}

export { stats };
