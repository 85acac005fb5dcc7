import type { ScheduledJob } from "./scheduled-job";
import { applyRetentionJob } from "./scheduled/apply-retention.server";
import { drainWebhookQueueJob } from "./scheduled/drain-webhook-queue.server";
import { pruneDeliveriesJob } from "./scheduled/prune-deliveries.server";
import { pruneExportFilesJob } from "./scheduled/prune-export-files.server";
import { pruneTasksJob } from "./scheduled/prune-tasks.server";
import { pruneUploadsJob } from "./scheduled/prune-uploads.server";
import { publishMetafieldsJob } from "./scheduled/publish-metafields.server";
import { publishProgramMetafieldsJob } from "./scheduled/publish-program-metafields.server";
import { queueReferralJoiningJob } from "./scheduled/queue-referral-joining.server";
import { reconcileJob } from "./scheduled/reconcile.server";
import { refreshShopFactsJob } from "./scheduled/refresh-shop-facts.server";
import { refreshStoreCreditJob } from "./scheduled/refresh-store-credit.server";
import { releaseHeldPointsJob } from "./scheduled/release-held-points.server";
import { settleReferralsJob } from "./scheduled/settle-referrals.server";
import { sendEmailsJob } from "./scheduled/send-emails.server";
import { settleReservedRewardsJob } from "./scheduled/settle-reserved-rewards.server";

/**
 * Every scheduled job, in the order each tick runs them: the all-shops jobs first, then each installed shop's jobs.
 * A new scheduled job is one file in app/jobs/scheduled/ and one line here (docs/ARCHITECTURE.md).
 */
export const schedule: readonly ScheduledJob[] = [
  drainWebhookQueueJob,
  pruneDeliveriesJob,
  pruneTasksJob,
  pruneExportFilesJob,
  pruneUploadsJob,
  applyRetentionJob,
  releaseHeldPointsJob,
  settleReservedRewardsJob,
  settleReferralsJob,
  sendEmailsJob,
  reconcileJob,
  refreshShopFactsJob,
  publishMetafieldsJob,
  refreshStoreCreditJob,
  publishProgramMetafieldsJob,
  queueReferralJoiningJob,
];
