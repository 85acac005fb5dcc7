import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { openPostgres, poolOf } from "~/db/postgres/client.server";
import { applyPendingDeliveries, type EffectLookup } from "~/services/webhooks/process-webhook.server";
import { stopWebhookDrain } from "~/shopify/webhooks/queue.server";
import { webhookEffects } from "~/shopify/webhooks/registry.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { onPostgres } from "../helpers/dialect";
import { earnsOf, installedShop, queuePaidOrders, statusesOf } from "../helpers/queued-orders";

// Every route module registers its topic's schema and effect when it loads.
import.meta.glob("/app/routes/webhooks.*.ts", { eager: true });

// Decision 037: on PostgreSQL several instances drain one delivery queue. Each batch locks the rows it reads with
// SKIP LOCKED for as long as its transaction lives: two instances take disjoint deliveries without waiting on each
// other, and an instance that dies mid-batch leaves its deliveries to the living one, none applied twice.

const { db } = contextFor("any", "test");

// This process's own drain between requests is off: each test says which instance drains when.
beforeAll(() => stopWebhookDrain());

/** The registered effects, each first waiting for `gate` and saying it started: an instance caught mid-batch. */
function heldEffects(gate: Promise<void>, started: () => void): EffectLookup {
  return (topic) => {
    const effect = webhookEffects(topic);
    return (
      effect && {
        ...effect,
        apply: async (args) => {
          started();
          await gate;
          return effect.apply?.(args);
        },
      }
    );
  };
}

const drain = (instance: Db, effects: EffectLookup, limit: number) =>
  applyPendingDeliveries({
    ctx: { ...contextForAllShops("shopify"), db: instance },
    effects,
    input: { limit, includeFailed: true },
  });

// PostgreSQL only: a SQLite file has one process (README, "One instance only").
describe.skipIf(!onPostgres)("the webhook queue with two instances on one PostgreSQL", () => {
  it("lets the second instance apply the deliveries the first has not taken while the first is mid-batch, each once", async () => {
    const shop = await installedShop();
    await queuePaidOrders(shop, ["920011", "920012", "920013", "920014"]);
    // A second instance: a pool of its own on the same database.
    const other = await openPostgres(process.env.DATABASE_URL!, { poolSize: 2 });
    try {
      let release!: () => void;
      let started!: () => void;
      const midBatch = new Promise<void>((resolve) => (started = resolve));
      const first = drain(
        other,
        heldEffects(new Promise<void>((resolve) => (release = resolve)), () => started()),
        2,
      );
      await midBatch;
      // The other instance holds two deliveries in its open batch: this one takes the two others at once, without
      // waiting for that batch, and finds nothing more to do.
      expect(await drain(db, webhookEffects, 20)).toEqual({ applied: 2, failed: 0, parked: 0, skipped: 0 });
      expect(await earnsOf(shop)).toEqual(["920013: 13", "920014: 14"]);
      release();
      expect(await first).toEqual({ applied: 2, failed: 0, parked: 0, skipped: 0 });
      expect(await drain(db, webhookEffects, 20)).toEqual({ applied: 0, failed: 0, parked: 0, skipped: 0 });
      expect(await earnsOf(shop)).toEqual(["920011: 11", "920012: 12", "920013: 13", "920014: 14"]);
      expect(await statusesOf(shop)).toEqual(["processed", "processed", "processed", "processed"]);
    } finally {
      await poolOf(other).end();
    }
  });

  it("applies a dead instance's deliveries in the living one, once, when its connection drops mid-batch (kill -9)", async () => {
    const shop = await installedShop();
    await queuePaidOrders(shop, ["930021", "930022", "930023"]);
    const other = await openPostgres(process.env.DATABASE_URL!, { poolSize: 1 });
    const pool = poolOf(other);
    let started!: () => void;
    const midBatch = new Promise<void>((resolve) => (started = resolve));
    // Its first delivery's effect never finishes: the instance dies holding all three, the first one half-applied.
    void drain(
      other,
      heldEffects(new Promise<void>(() => {}), () => started()),
      20,
    ).catch(() => undefined);
    await midBatch;
    expect(await drain(db, webhookEffects, 20)).toEqual({ applied: 0, failed: 0, parked: 0, skipped: 0 });
    // As kill -9 would: the server sees the connection drop, rolls the batch back and lets go of its rows.
    const [client] = (
      pool as unknown as {
        _clients: Array<{
          connection: { stream: { destroy(): void } };
          on(event: "error", listener: () => void): void;
        }>;
      }
    )._clients;
    // The dead instance's client learns of it too; nothing of it is awaited any more (its pool is never ended).
    client!.on("error", () => undefined);
    client!.connection.stream.destroy();
    await expect.poll(async () => (await drain(db, webhookEffects, 20)).applied, { timeout: 5000 }).toBe(3);
    expect(await earnsOf(shop)).toEqual(["930021: 21", "930022: 22", "930023: 23"]);
    expect(await statusesOf(shop)).toEqual(["processed", "processed", "processed"]);
  });
});
