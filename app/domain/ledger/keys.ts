/**
 * Canonical idempotency keys, one per real-world event. The ledger has a unique index on (shop, key), so a redelivered
 * webhook or a double-clicked button collapses into the entry that is already there. Shopify GIDs are globally unique,
 * so no key needs the customer in it unless the event itself is per customer.
 */
export const ledgerKeys = {
  earnOrder: (orderGid: string) => `earn:order:${orderGid}`,
  signup: (customerGid: string) => `signup:${customerGid}`,
  importBalance: (importId: string, customerGid: string) => `earn:import:${importId}:${customerGid}`,
  /** Points for an order paid before install, awarded by a backfill batch, and that batch's undo (decision 023). */
  earnBackfill: (batchId: string, orderGid: string) => `earn:backfill:${batchId}:${orderGid}`,
  undoBackfill: (batchId: string, orderGid: string) => `undo:backfill:${batchId}:${orderGid}`,
  /** Taking back one customer's entry of an import batch, once (decision 023). */
  undoImport: (importId: string, customerGid: string) => `undo:import:${importId}:${customerGid}`,
  reverseRefund: (refundGid: string) => `reverse:refund:${refundGid}`,
  /** One committed order edit (orders/edited `order_edit.id`): what it added earns, what it removed reverses. */
  earnEdit: (orderGid: string, editId: string) => `earn:edit:${orderGid}:${editId}`,
  reverseEdit: (orderGid: string, editId: string) => `reverse:edit:${orderGid}:${editId}`,
  /** The one entry that takes whatever an order still holds when it is cancelled or fully refunded. */
  reverseClose: (orderGid: string) => `reverse:close:${orderGid}`,
  /** The n-th closing entry given back: a late edit made the fully refunded order hold goods paid for again. */
  restoreClose: (orderGid: string, closing: number) => `earn:reopen:${orderGid}:${closing}`,
  release: (orderGid: string) => `release:order:${orderGid}`,
  redeem: (rewardId: string) => `redeem:${rewardId}`,
  redemptionReturn: (rewardId: string) => `redemption_return:${rewardId}`,
  /**
   * `requestId` comes from the form, so a resubmitted adjustment is the same adjustment; the customer is in the key
   * because a request id is the browser's, and the same one reaching another customer is another adjustment.
   */
  adjust: (customerGid: string, requestId: string) => `adjust:${customerGid}:${requestId}`,
  expire: (customerGid: string, period: string) => `expire:${customerGid}:${period}`,
  /**
   * The n-th time a customer fact that arrived late changed what an earning should have been. Numbered because the
   * same earning can be set right more than once (a tag added, then learned to have been removed before the order).
   */
  correctSignup: (customerGid: string, revision: number) => `correct:signup:${customerGid}:${revision}`,
  correctOrder: (orderGid: string, revision: number) => `correct:order:${orderGid}:${revision}`,
  /** The n-th correction staff confirmed after recalculating an order from Shopify (decision 022). */
  recalculateOrder: (orderGid: string, revision: number) => `correct:recalculate:${orderGid}:${revision}`,
  /**
   * A referral's reward to its advocate, its release after the pending period, and its taking back: once per referral
   * (`referralKey` is the referral's own stable key), whatever redelivers or reviews it.
   */
  referral: (referralKey: string) => `referral:${referralKey}`,
  releaseReferral: (referralKey: string) => `release:referral:${referralKey}`,
  reverseReferral: (referralKey: string) => `reverse:referral:${referralKey}`,
  /** An entry moved by a customer merge: once onto the customer kept, once off the customer merged away. */
  moveIn: (movedKey: string) => `move:in:${movedKey}`,
  moveOut: (movedKey: string) => `move:out:${movedKey}`,
} as const;
