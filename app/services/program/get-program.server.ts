import { and, desc, eq, max, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import { defaultProgram, programSchema, type Program } from "~/domain/program";
import { currencyCodeSchema, DomainError } from "~/domain/shared";
import { programVersions, shops } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { shopEntry } from "~/db/shop-cache.server";

type VersionRow = typeof programVersions.$inferSelect;

async function shopCurrency(ctx: ServiceContext, tx: Tx | undefined): Promise<string> {
  return (await storedShopCurrency({ ctx, tx })) ?? "USD";
}

/**
 * The shop's currency column: null until Shopify (install, shop/update) or a first order says. Kept per shop on SQLite
 * until a write of the shop's row forgets it (shop-cache.server.ts).
 */
export async function storedShopCurrency({ ctx, tx }: { ctx: ServiceContext; tx?: Tx }): Promise<string | null> {
  const cached = shopEntry(tx ?? ctx.db, ctx.shop);
  if (cached?.currency !== undefined) return cached.currency;
  const [shop] = await prepared(tx ?? ctx.db, "shop-currency", (db) =>
    db
      .select({ currency: shops.currency })
      .from(shops)
      .where(eq(shops.shop, sql.placeholder("shop")))
      .prepare(),
  ).execute({ shop: ctx.shop });
  // A shop without a row is not kept: its install writes the row.
  if (cached && shop) cached.currency = shop.currency;
  return shop?.currency ?? null;
}

/**
 * The shop's newest program version, kept per shop on SQLite until a save, a currency change or a redaction forgets it
 * (shop-cache.server.ts). By its unique (shop, version) key, not `order by … limit ?`: SQLite binds the limit as a
 * parameter, which cost this query, read on every order webhook, 15 µs against 6 (decision 035).
 */
async function latestVersion(ctx: ServiceContext, tx: Tx | undefined): Promise<VersionRow | undefined> {
  const cached = shopEntry(tx ?? ctx.db, ctx.shop);
  if (cached?.latestProgram !== undefined) return (cached.latestProgram as VersionRow | null) ?? undefined;
  const [latest] = await prepared(tx ?? ctx.db, "program-latest", (db) =>
    db
      .select()
      .from(programVersions)
      .where(
        and(
          eq(programVersions.shop, sql.placeholder("shop")),
          eq(
            programVersions.version,
            db
              .select({ version: max(programVersions.version) })
              .from(programVersions)
              .where(eq(programVersions.shop, sql.placeholder("shop"))),
          ),
        ),
      )
      .prepare(),
  ).execute({ shop: ctx.shop });
  if (cached) cached.latestProgram = latest ?? null;
  return latest;
}

// Version rows never change, so a row parsed once stays right; the cache is keyed by row and currency.
const parsedVersions = new Map<string, Program>();

function parseVersion(row: VersionRow, currency: string): Program {
  const key = `${row.id}:${currency}`;
  let program = parsedVersions.get(key);
  if (!program) {
    program = programSchema.parse({ version: row.version, currency, settings: row.settings });
    if (parsedVersions.size > 10_000) parsedVersions.clear();
    parsedVersions.set(key, program);
  }
  return program;
}

/**
 * The shop's current program: its newest version, or the install defaults in the shop's currency. A version's
 * amounts are in its own currency, or (saved before the store currency ever changed) in the shop's.
 *
 * With `currency`, the program that earns on amounts in that currency: the current one when it is in that currency,
 * else the newest version that was (an order paid before the store currency changed, delivered after: decision 008).
 * Throws DomainError("invalid_input") when Tally never had a program in that currency, which is a delivery that
 * cannot succeed until the shop's facts say otherwise.
 */
// Read on every order webhook, so both queries are prepared (and kept per shop on SQLite); through `tx` when called
// inside a transaction.
export async function getProgram({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input?: { currency?: string };
}): Promise<Program> {
  const current = await shopCurrency(ctx, tx);
  const latest = await latestVersion(ctx, tx);
  const program = latest ? parseVersion(latest, latest.currency ?? current) : defaultProgram(current);
  const wanted = input?.currency;
  if (!wanted || wanted === program.currency) return program;
  const [earlier] = await (tx ?? ctx.db)
    .select()
    .from(programVersions)
    .where(and(eq(programVersions.shop, ctx.shop), eq(programVersions.currency, wanted)))
    .orderBy(desc(programVersions.version))
    .limit(1);
  if (!earlier) {
    throw new DomainError(
      "invalid_input",
      `the amount is in ${wanted} but the program earns in ${program.currency}, and the store's currency was ` +
        `never ${wanted} as far as Tally knows; it earns once Shopify reports the store currency (shop/update)`,
    );
  }
  return parseVersion(earlier, wanted);
}

/**
 * The program as it was at `version`, for deciding an earning again under the rules it was first decided with.
 * Version 1 of a shop that never saved its settings is the install defaults. `currency` is the currency the earning
 * was in, used for versions that predate any currency change.
 */
export async function getProgramVersion({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { version: number; currency?: string };
}): Promise<Program> {
  const [row] = await (tx ?? ctx.db)
    .select()
    .from(programVersions)
    .where(and(eq(programVersions.shop, ctx.shop), eq(programVersions.version, input.version)));
  const currency = row?.currency ?? input.currency ?? (await shopCurrency(ctx, tx));
  if (!row) return defaultProgram(currencyCodeSchema.parse(currency));
  return parseVersion(row, currency);
}
