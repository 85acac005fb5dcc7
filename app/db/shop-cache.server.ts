import { isPostgres } from "./which-dialect";
import type { Db } from "./client.server";

/**
 * What every webhook reads for its shop and only a few writes change (decision 039): the install state, read at
 * intake, and the shop's currency and newest program version, read by every order effect. Kept per SQLite connection,
 * so only on SQLite, where this process is the database's one writer: every write of those rows goes through the
 * services that call `forgetShop`, so an entry is never older than the last save. On PostgreSQL other instances write
 * too; nothing is kept there, and each read goes to the database (it leaves the event loop there anyway).
 */
export interface ShopEntry {
  install?: "installed" | "uninstalled" | "unknown";
  /** The shop's currency column (null until Shopify or a first order says). */
  currency?: string | null;
  /** The newest program version's row, or null for a shop that never saved its program. */
  latestProgram?: unknown;
  /** Since when the referral program has joined Members automatically, or null (findAutomaticJoiningSince). */
  referralJoiningSince?: string | null;
}

const caches = new WeakMap<object, Map<string, ShopEntry>>();
/** Per connection, the shops written in the current turn of the event loop: read through, never kept, until it ends. */
const settling = new WeakMap<object, Set<string>>();
/** A bound on shops held, far above what one process serves; past it the cache starts again. */
const MAX_SHOPS = 10_000;

/** The shop's entry to read and fill, or undefined where nothing is kept (PostgreSQL, or a shop written this turn). */
export function shopEntry(db: Db, shop: string): ShopEntry | undefined {
  if (isPostgres(db) || settling.get(db.$client)?.has(shop)) return undefined;
  let cache = caches.get(db.$client);
  if (!cache) caches.set(db.$client, (cache = new Map()));
  let entry = cache.get(shop);
  if (!entry) {
    if (cache.size >= MAX_SHOPS) cache.clear();
    cache.set(shop, (entry = {}));
  }
  return entry;
}

/**
 * Called by every write of a cached row (install, uninstall, a program saved, the shop's currency, shop/redact), inside
 * its transaction, after the write. The entry goes, and until the current turn of the event loop is over the shop is
 * read from the database and not kept: a SQLite transaction ends within the turn it began in (decision 013), so what
 * is kept afterwards was committed, and a write that rolls back leaves nothing of itself in the cache.
 */
export function forgetShop(db: Db, shop: string): void {
  if (isPostgres(db)) return;
  caches.get(db.$client)?.delete(shop);
  let shops = settling.get(db.$client);
  if (!shops) settling.set(db.$client, (shops = new Set()));
  if (shops.has(shop)) return;
  shops.add(shop);
  setImmediate(() => shops.delete(shop));
}
