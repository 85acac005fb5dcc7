import { desc, eq } from "drizzle-orm";
import { programVersions } from "~/db/schema";
import type { ServiceContext } from "../context";

/** The settings audit log: who saved which version when, newest first. */
export function listProgramVersions({ ctx, input = {} }: { ctx: ServiceContext; input?: { limit?: number } }) {
  return ctx.db
    .select({ version: programVersions.version, actor: programVersions.actor, createdAt: programVersions.createdAt })
    .from(programVersions)
    .where(eq(programVersions.shop, ctx.shop))
    .orderBy(desc(programVersions.version))
    .limit(input.limit ?? 50)
    .all();
}
