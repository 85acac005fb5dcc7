export {
  MAX_TASK_ATTEMPTS,
  elapsedMs,
  estimateRemainingMs,
  isFinished,
  itemOutcomeSchema,
  taskRetryDelayMs,
  taskStatusSchema,
  type ItemOutcome,
  type ProgressReading,
  type TaskStatus,
} from "./progress";
export type { TaskItemView, TaskView } from "./views";
export {
  defineTaskKind,
  findTaskKind,
  outcomeLabelsOf,
  backfillOrdersKind,
  importCustomersKind,
  importPointsKind,
  recalculatePointsKind,
  taskKinds,
  type AnyTaskKind,
  type TaskKindDefinition,
} from "./kinds";
export {
  MAX_SELECTED_ROWS,
  bulkEditCustomersKind,
  bulkEditSchema,
  customerSelectionSchema,
  defaultExportColumns,
  exportCell,
  exportColumnHeaders,
  exportColumns,
  exportCustomersKind,
  inviteCustomersKind,
  undoBulkPointsKind,
  type BulkEdit,
  type CustomerSelection,
  type ExportColumn,
  type ExportedCustomer,
} from "./customer-bulk";
export {
  customerSyncSummarySchema,
  emptyCustomerSyncSummary,
  syncCustomersKind,
  type CustomerSyncSummary,
} from "./customer-sync";
