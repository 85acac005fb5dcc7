import { reviseProgram, type Program } from "~/domain/program";
import { programVersions } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getProgram } from "./get-program.server";

/**
 * Saves the settings form as a new program version, recording the staff member. An unchanged form saves nothing.
 * Throws DomainError("invalid_input") with field errors for a bad form.
 */
export function saveProgram({ ctx, input }: { ctx: ServiceContext; input: unknown }): {
  program: Program;
  changed: boolean;
} {
  return ctx.db.transaction((tx) => {
    const current = getProgram({ ctx, tx });
    const next = reviseProgram(current, input);
    if (next.version === current.version) return { program: current, changed: false };
    tx.insert(programVersions)
      .values({
        shop: ctx.shop,
        version: next.version,
        settings: next.settings,
        currency: next.currency,
        actor: ctx.actor,
        createdAt: ctx.now.toISOString(),
      })
      .run();
    return { program: next, changed: true };
  });
}
