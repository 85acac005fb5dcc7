import { and, desc, eq } from "drizzle-orm";
import {
  defaultReferralProgram,
  referralProgramIn,
  referralProgramSchema,
  referralSettingsFromForm,
  reviseReferralProgram,
  type ReferralProgram,
  type ReferralSettingsForm,
} from "~/domain/referrals";
import { referralProgramVersions, shops } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { INSTALL_DEFAULTS_ACTOR, storeSettingsVersion } from "../program/store-settings-version.server";
import { getShopCurrency } from "../shops/get-shop.server";
import { findAutomaticJoiningSince, queueReferralMembersJoining } from "./referral-joining.server";

type VersionRow = typeof referralProgramVersions.$inferSelect;

function parseVersion(row: VersionRow): ReferralProgram {
  return referralProgramSchema.parse({ version: row.version, currency: row.currency, settings: row.settings });
}

/**
 * The shop's referral program: its newest version, or the install defaults (on, every Member joins) in the shop's
 * currency, read at its face value in the store's current currency (decision 008). With `version`, the version a
 * referral was claimed under (the defaults for version 1 of a shop that never saved).
 */
export async function getReferralProgram({
  ctx,
  tx,
  input = {},
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input?: { version?: number };
}): Promise<ReferralProgram> {
  const db = tx ?? ctx.db;
  const currency = await getShopCurrency({ ctx, tx });
  const [row] =
    input.version === undefined
      ? await db
          .select()
          .from(referralProgramVersions)
          .where(eq(referralProgramVersions.shop, ctx.shop))
          .orderBy(desc(referralProgramVersions.version))
          .limit(1)
      : await db
          .select()
          .from(referralProgramVersions)
          .where(and(eq(referralProgramVersions.shop, ctx.shop), eq(referralProgramVersions.version, input.version)));
  return referralProgramIn(row ? parseVersion(row) : defaultReferralProgram(currency), currency);
}

/**
 * Saves Settings → Referrals as a new version with the staff member, audited (`referral_program.save`, the settings
 * before and after); an unchanged form saves nothing. When joining becomes automatic (or the program comes on with
 * it), queues the task that adds every current Member to the program (queueReferralMembersJoining). Version 1 (the
 * install defaults, only in code until then) is stored by the first save, so the history keeps every version. Throws
 * DomainError("invalid_input") with field errors (`friendReward.percent`) for a bad form.
 */
export async function saveReferralProgram({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ReferralSettingsForm;
}): Promise<{ program: ReferralProgram; changed: boolean }> {
  const sinceBefore = await findAutomaticJoiningSince({ ctx });
  const saved = await inTransaction(ctx, async (tx) => {
    const current = await getReferralProgram({ ctx, tx });
    const next = reviseReferralProgram(current, referralSettingsFromForm(input, current.currency));
    if (next.version === current.version) return { program: current, changed: false };
    await storeSettingsVersion({
      ctx,
      tx,
      input: { table: referralProgramVersions, current, next, defaultsCurrency: current.currency },
    });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "referral_program.save",
        subject: "Referral program",
        before: { version: current.version, settings: current.settings },
        after: { version: next.version, settings: next.settings },
      },
    });
    return { program: next, changed: true };
  });
  // Joining became automatic (or the program came on): every current Member joins, in the background. Queued after
  // the commit; a crash in between is healed by the scheduled job that queues the same sweep (referral-joining).
  if (saved.changed && (await findAutomaticJoiningSince({ ctx })) !== sinceBefore) {
    await queueReferralMembersJoining({ ctx });
  }
  return saved;
}

export interface ReferralProgramVersionEntry {
  version: number;
  actor: string;
  actorName: string | null;
  createdAt: string;
  program: ReferralProgram;
}

/** The referral settings' history, newest first; version 1 is the install defaults when never saved. */
export async function listReferralProgramVersions({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { limit?: number };
}): Promise<ReferralProgramVersionEntry[]> {
  const rows = await ctx.db
    .select()
    .from(referralProgramVersions)
    .where(eq(referralProgramVersions.shop, ctx.shop))
    .orderBy(desc(referralProgramVersions.version))
    .limit(input.limit ?? 20);
  const entries = rows.map((row) => ({
    version: row.version,
    actor: row.actor,
    actorName: row.actorName,
    createdAt: row.createdAt,
    program: parseVersion(row),
  }));
  if (entries.length === 0) {
    const [shop] = await ctx.db.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
    entries.push({
      version: 1,
      actor: INSTALL_DEFAULTS_ACTOR,
      actorName: null,
      createdAt: shop?.installedAt ?? ctx.now.toISOString(),
      program: defaultReferralProgram(await getShopCurrency({ ctx })),
    });
  }
  return entries;
}
