import { releaseHeldPoints } from "~/services/jobs/release-held-points.server";
import { runReferralJobs } from "~/services/referrals/referral-jobs.server";
import { resolveReservedRewards } from "~/services/rewards/redeem-points.server";
import { listInstalledShops } from "~/services/shops/list-shops.server";
import { applyRetention } from "~/services/retention/apply-retention.server";
import { recordShopFacts } from "~/services/shops/update-shop-facts.server";
import { pruneDeliveries } from "~/services/webhooks/process-webhook.server";
import { findJobState } from "~/services/sync/job-state.server";
import { env } from "~/lib/env.server";
import { contextFor, contextForAllShops, unauthenticated } from "~/shopify.server";
import { shopifyReferralDiscounts } from "./admin/referral-discounts.server";
import { drainWebhookQueue } from "./handle-webhook.server";
import { publishBalances } from "./metafields.server";
import { reconcileShop } from "./reconcile.server";
import { shopifyRewardLookup } from "./rewards.server";
import { fetchShopFacts } from "./shop.server";

const running = new Set<string>();

/**
 * Everything Tally does for a shop off the request path: release held points, publish balances to metafields,
 * settle redemptions a crash left reserved, release referral rewards and settle referral codes (runReferralJobs), and
 * reconcile with Shopify when it is due (at once after install).
 * One run per shop at a time.
 */
export async function runShopJobs(shop: string, options: { forceReconcile?: boolean } = {}) {
  if (running.has(shop)) return;
  running.add(shop);
  try {
    const ctx = contextFor(shop, "tally-jobs");
    const { admin } = await unauthenticated.admin(shop);
    await releaseHeldPoints({ ctx, input: { limit: 500 } });
    await resolveReservedRewards({ ctx, input: { olderThanMs: 120_000 }, lookup: shopifyRewardLookup(admin.graphql) });
    await runReferralJobs({ ctx, gateway: shopifyReferralDiscounts(admin.graphql) });
    const last = await findJobState({ ctx, input: { job: "reconcile" } });
    const reconcileEveryMs = env().RECONCILE_INTERVAL_SECONDS * 1000;
    const due = !last?.lastRunAt || Date.parse(last.lastRunAt) + reconcileEveryMs <= ctx.now.getTime();
    if (options.forceReconcile || due) {
      await reconcileShop({ ctx: contextFor(shop, "tally-sync"), graphql: admin.graphql });
      // Shop facts heal like everything else: a missed shop/update (a currency change) is read back here. After the
      // reconciliation, so the install sync starts as early as it can (it takes the orders it finds as pre-install).
      const facts = await fetchShopFacts(admin.graphql);
      await recordShopFacts({ ctx, input: { ...facts, at: null } });
    }
    await publishBalances({ ctx, graphql: admin.graphql });
  } finally {
    running.delete(shop);
  }
}

/**
 * Runs every shop's jobs every `intervalMs` (JOBS_INTERVAL_SECONDS by default); started by server.js in production,
 * unless TALLY_BACKGROUND_JOBS is off. Returns a stop function.
 */
export function startBackgroundJobs({ intervalMs = env().JOBS_INTERVAL_SECONDS * 1000 }: { intervalMs?: number } = {}) {
  if (env().TALLY_BACKGROUND_JOBS === "off") return () => undefined;
  let stopped = false;
  const tick = async () => {
    // Deliveries a previous process accepted but never applied, and effects that failed and are due a retry.
    await drainWebhookQueue();
    await pruneDeliveries({ ctx: contextForAllShops("tally-jobs"), input: { keepDays: 7, limit: 5000 } });
    await applyRetention({ ctx: contextForAllShops("tally-jobs"), input: { limit: 5000 } });
    for (const shop of await listInstalledShops({ ctx: contextForAllShops("tally-jobs") })) {
      if (stopped) return;
      await runShopJobs(shop).catch((error: unknown) => console.error(`Tally jobs for ${shop} failed:`, error));
    }
  };
  const run = () => tick().catch((error: unknown) => console.error("Tally's background jobs failed:", error));
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  void run();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
