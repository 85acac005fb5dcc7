import type { AnyTaskRun } from "./task-kind";
import { backfillOrdersTask } from "./tasks/backfill-orders.server";
import { previewBackfillTask } from "./tasks/preview-backfill.server";
import { checkImportTask } from "./tasks/check-import.server";
import { undoImportTask } from "./tasks/undo-import.server";
import { importCustomersTask } from "./tasks/import-customers.server";
import { importPointsTask } from "./tasks/import-points.server";
import { bulkEditCustomersTask } from "./tasks/bulk-edit-customers.server";
import { deleteCustomersTask } from "./tasks/delete-customers.server";
import { exportCustomersTask } from "./tasks/export-customers.server";
import { inviteCustomersTask } from "./tasks/invite-customers.server";
import { joinReferralMembersTask } from "./tasks/join-referral-members.server";
import { remindPointsTask } from "./tasks/remind-points.server";
import { recalculatePointsTask } from "./tasks/recalculate-points.server";
import { syncCustomersTask } from "./tasks/sync-customers.server";
import { undoBulkPointsTask } from "./tasks/undo-bulk-points.server";

/**
 * How each kind of background task runs, one file each in app/jobs/tasks/. A new kind is its definition in
 * app/domain/background-jobs/kinds.ts, one file in app/jobs/tasks/ and one line here (docs/ARCHITECTURE.md).
 */
export const taskRuns: readonly AnyTaskRun[] = [
  recalculatePointsTask,
  importCustomersTask,
  importPointsTask,
  backfillOrdersTask,
  previewBackfillTask,
  checkImportTask,
  undoImportTask,
  bulkEditCustomersTask,
  undoBulkPointsTask,
  inviteCustomersTask,
  remindPointsTask,
  exportCustomersTask,
  deleteCustomersTask,
  syncCustomersTask,
  joinReferralMembersTask,
];
