import { describe, expect, it } from "vitest";
import { openPostgres, poolOf } from "~/db/postgres/client.server";
import { runShopJobsAlone } from "~/services/scheduled-jobs/job-state.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { onPostgres } from "../helpers/dialect";

// PostgreSQL only: several instances share one database there (decision 034); a SQLite file has one process.
describe.skipIf(!onPostgres)("scheduled jobs with two instances on one PostgreSQL", () => {
  it("runs a shop's jobs in one instance at a time: the other skips them, and runs them once the first is done", async () => {
    const shop = await newShopDomain();
    const here = contextFor(shop, "tally-jobs");
    // A second instance: a pool of its own on the same database.
    const other = await openPostgres(process.env.DATABASE_URL!, { poolSize: 2 });
    try {
      const ran: string[] = [];
      let finish!: () => void;
      const first = runShopJobsAlone({
        ctx: { ...here, db: other },
        work: async () => {
          ran.push("other instance");
          await new Promise<void>((resolve) => (finish = resolve));
        },
      });
      await expect.poll(() => ran).toEqual(["other instance"]);

      const whileHeld = await runShopJobsAlone({ ctx: here, work: async () => void ran.push("this instance") });
      expect(whileHeld).toBe(false);
      // Another shop's jobs are not held up.
      const elsewhere = contextFor(await newShopDomain(), "tally-jobs");
      expect(await runShopJobsAlone({ ctx: elsewhere, work: async () => void ran.push("another shop") })).toBe(true);

      finish();
      expect(await first).toBe(true);
      expect(await runShopJobsAlone({ ctx: here, work: async () => void ran.push("this instance") })).toBe(true);
      expect(ran).toEqual(["other instance", "another shop", "this instance"]);
    } finally {
      await poolOf(other).end();
    }
  });

  it("frees the shop's jobs when the instance running them dies mid-run", async () => {
    const shop = await newShopDomain();
    const here = contextFor(shop, "tally-jobs");
    const other = await openPostgres(process.env.DATABASE_URL!, { poolSize: 1 });
    const pool = poolOf(other);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    // The other instance takes the lock and then its process is gone: its connection closes under it.
    void runShopJobsAlone({
      ctx: { ...here, db: other },
      work: async () => {
        started();
        await new Promise(() => {});
      },
    });
    await running;
    expect(await runShopJobsAlone({ ctx: here, work: async () => undefined })).toBe(false);
    // As kill -9 would: the server sees the connection drop, and ends its session.
    const [client] = (pool as unknown as { _clients: Array<{ connection: { stream: { destroy(): void } } }> })._clients;
    client!.connection.stream.destroy();
    await expect.poll(() => runShopJobsAlone({ ctx: here, work: async () => undefined })).toBe(true);
  });
});
