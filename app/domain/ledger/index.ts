export {
  applyEntry,
  balanceDelta,
  ledgerEntrySchema,
  recalculate,
  withBalanceNote,
  zeroTotals,
  type EntryOf,
  type LedgerEntry,
  type LedgerEntryKind,
  type LedgerTotals,
} from "./entries";
export { ledgerKeys } from "./keys";
export { adjustEntry, expireEntry, importEntry, type Planned } from "./manual-entries";
export { planRedemption, type RedemptionPlan } from "./redemption";
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
  customerSyncStateSchema,
  customerUpdateSchema,
  planCustomerUpdate,
  shouldApplyCustomerUpdate,
  type CustomerSyncState,
  type CustomerUpdate,
  type CustomerUpdatePlan,
} from "./customer-events";
export { activityFilterSchema, kindsForActivity, type ActivityFilter } from "./activity";
