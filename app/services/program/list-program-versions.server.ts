import { desc, eq } from "drizzle-orm";
import { programVersions } from "~/db/schema";
import { defaultSettings, diffProgramSettings, programSettingsSchema, type ProgramChange } from "~/domain/program";
import type { ServiceContext } from "../context";
import { findShop, getShopCurrency } from "../shops/get-shop.server";
import { INSTALL_DEFAULTS_ACTOR } from "./store-settings-version.server";

export interface ProgramVersionEntry {
  version: number;
  actor: string;
  /** The staff member's name as Shopify gave it when they saved; null for Tally's defaults or when none was given. */
  actorName: string | null;
  createdAt: string;
  /** What this version changed from the one before; null for version 1, the install defaults. */
  changes: ProgramChange[] | null;
  /** The points names this version used, so its changes read in its own words ("150 points", later "1 star"). */
  pointsNames: { singular: string; plural: string };
}

/**
 * The settings audit log, newest first: who saved which version when, and what it changed. Every version is listed,
 * version 1 included: a shop whose first save predates storing version 1 gets it rebuilt from the install defaults in
 * the shop's currency (the same function `getProgram` falls back to).
 */
export async function listProgramVersions({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { limit?: number };
}): Promise<ProgramVersionEntry[]> {
  const limit = input.limit ?? 50;
  // One more than shown, so the oldest shown version can say what it changed.
  const stored = await ctx.db
    .select()
    .from(programVersions)
    .where(eq(programVersions.shop, ctx.shop))
    .orderBy(desc(programVersions.version))
    .limit(limit + 1);
  const rows = stored.map((row) => ({ ...row, settings: programSettingsSchema.parse(row.settings) }));
  const oldest = rows.at(-1);
  if (!oldest || oldest.version === 2) {
    const currency = await getShopCurrency({ ctx });
    rows.push({
      id: 0,
      shop: ctx.shop,
      version: 1,
      currency,
      settings: programSettingsSchema.parse(defaultSettings(currency)),
      actor: INSTALL_DEFAULTS_ACTOR,
      actorName: null,
      createdAt: (await findShop({ ctx }))?.installedAt ?? ctx.now.toISOString(),
    });
  }
  return rows.slice(0, limit).map((row, index) => {
    const previous = rows[index + 1];
    return {
      version: row.version,
      actor: row.actor,
      actorName: row.actorName,
      createdAt: row.createdAt,
      changes: row.version === 1 ? null : previous ? diffProgramSettings(previous.settings, row.settings) : [],
      pointsNames: { singular: row.settings.pointName, plural: row.settings.pointsName },
    };
  });
}
