import { and, eq } from "drizzle-orm";
import { shops, type programVersions, type referralProgramVersions } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { forgetShop } from "~/db/shop-cache.server";

/** Who version 1 is recorded under: the defaults Tally installs with, not a person. */
export const INSTALL_DEFAULTS_ACTOR = "tally";

/**
 * The tables of versioned settings (each row one saved version, per shop, never changed once written), each with the
 * currency its version 1 row records.
 */
type SettingsVersionsTable =
  | { table: typeof programVersions; defaultsCurrency: null }
  | { table: typeof referralProgramVersions; defaultsCurrency: string };

/**
 * Writes `next` as a new version of a versioned setting (the points program, the referral program) under the staff
 * member acting, at `ctx.now`, inside the caller's transaction. Version 1, the install defaults, lives only in code
 * until the first save; that save stores `current` (version 1) too, under INSTALL_DEFAULTS_ACTOR at the shop's install
 * time, so the history keeps every version. `defaultsCurrency` is the currency recorded on that row (null for the
 * program's: the shop's currency of the time, decision 008). The caller has decided `next` differs from `current`.
 */
export async function storeSettingsVersion({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: SettingsVersionsTable & {
    current: { version: number; settings: unknown };
    next: { version: number; settings: unknown; currency: string };
  };
}): Promise<void> {
  const { table, current, next } = input;
  const now = ctx.now.toISOString();
  if (current.version === 1) {
    const [storedFirst] = await tx
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.shop, ctx.shop), eq(table.version, 1)));
    if (!storedFirst) {
      const [shop] = await tx.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
      await tx.insert(table).values({
        shop: ctx.shop,
        version: 1,
        settings: current.settings,
        currency: input.defaultsCurrency,
        actor: INSTALL_DEFAULTS_ACTOR,
        actorName: null,
        createdAt: shop?.installedAt ?? now,
      });
    }
  }
  await tx.insert(table).values({
    shop: ctx.shop,
    version: next.version,
    settings: next.settings,
    currency: next.currency,
    actor: ctx.actor,
    actorName: ctx.actorName ?? null,
    createdAt: now,
  });
  // The newest program version is kept per shop (shop-cache.server.ts): the next order earns by this one.
  forgetShop(tx, ctx.shop);
}
