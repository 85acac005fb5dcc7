import type { Db } from "~/db/client.server";

export type { Tx } from "~/db/transaction.server";
export { inTransaction } from "~/db/transaction.server";
export { messageOf } from "~/db/dialect";

/**
 * What every service gets: the shop it acts for, the database, the clock reading and who asked. Services are async,
 * `verbNoun({ ctx, input })`; one that writes opens its transaction with `inTransaction(ctx, async (tx) => …)`, and one
 * that must run inside its caller's transaction takes that `tx` (`verbNoun({ ctx, tx, input })`) and queries through
 * it only (decision 013).
 */
export interface ServiceContext {
  shop: string;
  db: Db;
  now: Date;
  actor: string;
  /** The acting staff member's name as Shopify gave it; recorded beside `actor` so history keeps it. */
  actorName?: string | null;
}

/**
 * What work across every shop gets: the delivery queue, retention, the list of shops to run jobs for. Its queries
 * deliberately span all shops (on a PostgreSQL sharded by shop, the fan-out queries), so it names no shop; anything it
 * does for one shop gets that shop's ServiceContext.
 */
export interface AllShopsContext {
  shop: null;
  db: Db;
  now: Date;
  actor: string;
}
