export {
  applyEntry,
  balanceDelta,
  movableKindSchema,
  pointsFromStored,
  storedPoints,
  ledgerEntrySchema,
  recalculate,
  withBalanceNote,
  zeroTotals,
  type EntryOf,
  type LedgerEntry,
  type LedgerEntryKind,
  type LedgerTotals,
  type MovableKind,
} from "./entries";
export { assertWithinLedgerBounds } from "./bounds";
export { balanceEffectOf, hasSpentAdjustment, SPENDING_KINDS, type StoredMovement } from "./adjustment-undo";
export { ledgerKeys } from "./keys";
export { adjustEntry, expireEntry, importEntry, undoImportEntry, type Planned } from "./manual-entries";
export { planRedemption, RewardRefused, type RedemptionPlan } from "./redemption";
export {
  editFactSchema,
  emptyOrderState,
  financialStatusOf,
  normalizeOrderState,
  orderPointsHeld,
  orderRefundedMinor,
  preInstallPaidState,
  refundFactSchema,
  orderEventSchema,
  orderPointsStateSchema,
  orderReleaseAt,
  planBackfill,
  planBackfillUndo,
  planOrderEvent,
  planOrderRelease,
  type OrderEvent,
  type OrderPlan,
  type OrderPlanContext,
  type OrderPointsState,
  type EditFact,
  type RefundFact,
} from "./order-events";
export {
  activityFilterSchema,
  activityLabel,
  activitySearchSchema,
  activitySortSchema,
  kindsForActivity,
  likePattern,
  type ActivityFilter,
  type ActivitySort,
} from "./activity";
export {
  earningContextAt,
  isRedecidable,
  planOrderCorrection,
  planSignup,
  signupDecisionSchema,
  signupSettlesWithinMs,
  type OrderCorrectionPlan,
  type SignupDecision,
  type SignupPlan,
} from "./customer-events";
export { isMovable, planMove, type MergeParty, type MovableRow } from "./merge";
export {
  compareOrder,
  isComparedEntry,
  recalculationEntry,
  type OrderRecalculation,
  type RecalculationLine,
  type RecordedEntry,
} from "./recalculation";
export {
  pendingReleases,
  storefrontActivityKind,
  type PendingRelease,
  type StorefrontActivityKind,
} from "./storefront";
