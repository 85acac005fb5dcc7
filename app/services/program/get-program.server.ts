import { desc, eq, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import { defaultProgram, programSchema, type Program } from "~/domain/program";
import { programVersions, shops } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

/** The shop's current program: its newest version, or the install defaults in the shop's currency. */
// Read on every order webhook, so both queries are prepared (they run inside the caller's transaction, if any).
export function getProgram({ ctx }: { ctx: ServiceContext; tx?: Tx }): Program {
  const latest = prepared(ctx.db, "program-latest", (db) =>
    db
      .select()
      .from(programVersions)
      .where(eq(programVersions.shop, sql.placeholder("shop")))
      .orderBy(desc(programVersions.version))
      .limit(1)
      .prepare(),
  ).get({ shop: ctx.shop });
  const shop = prepared(ctx.db, "shop-currency", (db) =>
    db
      .select({ currency: shops.currency })
      .from(shops)
      .where(eq(shops.shop, sql.placeholder("shop")))
      .prepare(),
  ).get({ shop: ctx.shop });
  const currency = shop?.currency ?? "USD";
  if (!latest) return defaultProgram(currency);
  // Version rows never change, so a row parsed once stays right; the cache is keyed by row and currency.
  const key = `${latest.id}:${currency}`;
  let program = parsedVersions.get(key);
  if (!program) {
    program = programSchema.parse({ version: latest.version, currency, settings: latest.settings });
    if (parsedVersions.size > 10_000) parsedVersions.clear();
    parsedVersions.set(key, program);
  }
  return program;
}

const parsedVersions = new Map<string, Program>();
