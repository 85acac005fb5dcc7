import { and, eq } from "drizzle-orm";
import { reviseProgram, type Program } from "~/domain/program";
import { programVersions, shops } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { getProgram } from "./get-program.server";

/** Who version 1 is recorded under: the defaults Tally installs with, not a person. */
export const INSTALL_DEFAULTS_ACTOR = "tally";

/**
 * Saves the settings form as a new program version, recording the staff member (id and name), with `program.save` in
 * the audit trail (the settings before and after). An unchanged form
 * saves nothing. Version 1, the install defaults, lives only in code until the first save; that save stores it too,
 * so the history keeps every version. Throws DomainError("invalid_input") with field errors for a bad form.
 */
export async function saveProgram({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<{
  program: Program;
  changed: boolean;
}> {
  return inTransaction(ctx, async (tx) => {
    const current = await getProgram({ ctx, tx });
    const next = reviseProgram(current, input);
    if (next.version === current.version) return { program: current, changed: false };
    const now = ctx.now.toISOString();
    const [storedFirst] = await tx
      .select({ id: programVersions.id })
      .from(programVersions)
      .where(and(eq(programVersions.shop, ctx.shop), eq(programVersions.version, 1)));
    if (current.version === 1 && !storedFirst) {
      const [shop] = await tx.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
      await tx.insert(programVersions).values({
        shop: ctx.shop,
        version: 1,
        settings: current.settings,
        actor: INSTALL_DEFAULTS_ACTOR,
        actorName: null,
        createdAt: shop?.installedAt ?? now,
      });
    }
    await tx.insert(programVersions).values({
      shop: ctx.shop,
      version: next.version,
      settings: next.settings,
      currency: next.currency,
      actor: ctx.actor,
      actorName: ctx.actorName ?? null,
      createdAt: now,
    });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "program.save",
        subject: "Program",
        before: { version: current.version, currency: current.currency, settings: current.settings },
        after: { version: next.version, currency: next.currency, settings: next.settings },
      },
    });
    return { program: next, changed: true };
  });
}
