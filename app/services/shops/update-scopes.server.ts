import { eq } from "drizzle-orm";
import { sessions, shops } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { requestJobRun } from "../scheduled-jobs/job-state.server";

/**
 * The merchant granted or revoked optional scopes; keep the stored sessions and shop in step, and reconcile at the
 * next tick, so what the new scopes let Tally see comes in without waiting for the interval.
 */
export async function updateScopes({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: { scopes: string[] } }) {
  const scope = input.scopes.join(",");
  await tx.update(sessions).set({ scope }).where(eq(sessions.shop, ctx.shop));
  await tx.update(shops).set({ scope }).where(eq(shops.shop, ctx.shop));
  await requestJobRun({ ctx, tx, input: { job: "reconcile" } });
}
