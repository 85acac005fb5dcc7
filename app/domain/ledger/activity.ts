import { z } from "zod";
import type { LedgerEntryKind } from "./entries";

/** The Activity log's tabs on a customer profile. */
export const activityFilterSchema = z.enum(["all", "earned", "redeemed"]);
export type ActivityFilter = z.infer<typeof activityFilterSchema>;

/**
 * Which ledger kinds each tab shows. Earned is points coming in from the program (earned, referral rewards, or released
 * after the hold); Redeemed is points spent on rewards and given back when a reward's order was refunded. Reversals,
 * corrections, staff adjustments and expiry are neither, so only All shows them: a merchant reading "Earned" should not have to net out a
 * refund. An entry moved in from a merged customer shows on the tabs the entry it moved shows on.
 */
export function kindsForActivity(filter: ActivityFilter): readonly LedgerEntryKind[] | undefined {
  switch (filter) {
    case "all":
      return undefined;
    case "earned":
      return ["earn", "release", "referral"];
    case "redeemed":
      return ["redeem", "redemption_return"];
  }
}
