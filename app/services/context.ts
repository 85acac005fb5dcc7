import type { Db } from "~/db/client.server";

/** What every service gets: the shop it acts for, the database, the clock reading and who asked. */
export interface ServiceContext {
  shop: string;
  db: Db;
  now: Date;
  actor: string;
  /** The acting staff member's name as Shopify gave it; recorded beside `actor` so history keeps it. */
  actorName?: string | null;
}

/** A transaction handle; same query API as `Db`, used by services that compose inside one transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
