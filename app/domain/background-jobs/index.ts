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
