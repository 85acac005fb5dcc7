import { reviseProgram, type Program } from "~/domain/program";
import { programVersions } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { getProgram } from "./get-program.server";
import { storeSettingsVersion } from "./store-settings-version.server";

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
    await storeSettingsVersion({
      ctx,
      tx,
      input: { table: programVersions, current, next, defaultsCurrency: null },
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
