import { z } from "zod";
import type { LedgerEntryKind } from "./entries";

/** The Activity log's tabs on a customer profile. */
export const activityFilterSchema = z.enum(["all", "earned", "redeemed", "pending"]);
export type ActivityFilter = z.infer<typeof activityFilterSchema>;

/** The Activity log's order: by date, newest first (the default) or oldest first. */
export const activitySortSchema = z.enum(["newest", "oldest"]);
export type ActivitySort = z.infer<typeof activitySortSchema>;

/**
 * A search of the Activity log, as staff type it: an order name ("#1001"), a reason ("goodwill") or a staff member
 * ("Alex"), matched anywhere in the entry's explanation, reason or the name of who acted, ignoring case.
 */
export const activitySearchSchema = z.string().trim().max(100);

/** Escapes LIKE's wildcards so what staff typed is matched literally ("50%" finds "50%"), with `\` as the escape. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Which ledger kinds each tab shows. Pending is not a set of kinds but the held points: entries that moved points still
 * held after fulfilment (`held`), and the releases that made them spendable (the service reads it so). Earned is
 * points coming in from the program (earned, referral rewards, or released after the hold); Redeemed is points spent
 * on rewards and given back when a reward's order was refunded. Reversals, corrections, staff adjustments and expiry
 * are neither, so only All shows them: a merchant reading "Earned" should not have to net out a
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
    case "pending":
      return ["release"];
  }
}

const kindLabels: Record<string, string> = {
  earn: "Earned",
  referral: "Referral",
  release: "Released",
  reverse: "Reversed",
  adjust: "Adjusted",
  redeem: "Redeemed",
  redemption_return: "Returned",
  expire: "Expired",
  correct: "Corrected",
  move_in: "Moved in",
  move_out: "Moved out",
  store_credit_issue: "Store credit issued",
  store_credit_deduct: "Store credit deducted",
};

/**
 * The word the Activity log shows for an entry (its badge), from its kind and its stored source
 * (`ledger_entries.source_type`). Points a file brought in (a customer CSV's Points column, another loyalty app's
 * export) are written as an `earn` from the source "import" and read "Imported", not "Earned": no order earned them,
 * and a merchant answering "where did these points come from?" must not look for one (decision 062). They stay on the
 * Earned tab, points coming in, as lifetime earned counts them; their undo reads "Import undone". An unknown kind shows
 * as stored.
 */
export function activityLabel(entry: { kind: string; source: string | null }): string {
  if (entry.kind === "earn" && entry.source === "import") return "Imported";
  if (entry.kind === "correct" && entry.source === "import_undo") return "Import undone";
  return kindLabels[entry.kind] ?? entry.kind;
}
