import {
  findAutomaticJoiningSince,
  hasMembersToJoin,
  queueReferralMembersJoining,
} from "~/services/referrals/referral-joining.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/** Per shop, the start of automatic joining this process has seen queued; after a restart each shop is asked once. */
const queued = new Map<string, string | null>();

/**
 * With joining automatic every Member is in the referral program (decision 019). Saving the settings queues the sweep
 * that stamps the shop's current Members; this job queues it for a shop that never had it (one that joined
 * automatically before the sweep existed, or whose save a crash cut off before the queueing) when a Member not yet
 * joined is left (hasMembersToJoin), once per start of automatic joining: the task's idempotency key makes a second ask
 * answer the first task. Returns `{ queued }`.
 */
export async function queueReferralJoining({ shop }: { shop: string }) {
  const ctx = contextFor(shop, "tally-jobs");
  const since = await findAutomaticJoiningSince({ ctx });
  if (queued.has(shop) && queued.get(shop) === since) return { queued: false };
  // A shop whose Members all arrived stamped (installed since) needs no sweep: none on its Jobs page.
  const created = since !== null && (await hasMembersToJoin({ ctx })) && (await queueReferralMembersJoining({ ctx }));
  queued.set(shop, since);
  return { queued: created };
}

export const queueReferralJoiningJob: EveryTickShopJob = {
  name: "add Members to the referral program",
  scope: "each shop",
  every: "tick",
  perform: queueReferralJoining,
};
