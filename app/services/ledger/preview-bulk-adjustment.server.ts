import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { CustomerSelection } from "~/domain/background-jobs";
import type { CustomerCount } from "~/domain/customers";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";
import { countSelectedCustomers, countTickedCustomers } from "../customers/bulk-customers.server";
import { countMatchingCustomers } from "../customers/customer-query.server";
import { getProgram } from "../program/get-program.server";

/** What a bulk Adjust points form says before staff start it (previewBulkAdjustment). */
export interface BulkAdjustmentPreview {
  /** How many customers the selection holds; null when too many to count exactly. */
  selected: number | null;
  /** The program's "Guests can redeem" (Settings): while off, a Guest given points cannot spend them. */
  guestsRedeem: boolean;
  /**
   * How many of the selection are Guests who would get the points (blocked ones are left out), as the directory
   * counts; null while Guests can redeem (nothing to say).
   */
  guests: CustomerCount | null;
  /** How many of the selection are blocked, whom the adjustment leaves out (decision 065), as the directory counts. */
  blocked: CustomerCount;
}

/**
 * Who of a bulk points adjustment's selection it would leave out or give points they cannot spend, for the directory's
 * form before staff start it: the blocked customers, whom it leaves out (decision 065: a blocked customer earns and
 * redeems nothing until unblocked; staff adjust them on their profile), and, while the program's "Guests can redeem"
 * is off (app/domain/ledger/redemption.ts refuses a Guest's redemption), the Guests it would reach, who can redeem once
 * they create an account in the store (a Member, decision 010). Ticked rows are counted by id, 500 at a time; a search
 * and filters by the directory's own count with Blocked: yes, or Status: Guest and Blocked: no, added (exact,
 * "10,000+" or an estimate, on its indexes: decision 019; the blocked through their partial index). Read only; never
 * refuses.
 */
export async function previewBulkAdjustment({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { selection: CustomerSelection };
}): Promise<BulkAdjustmentPreview> {
  const { guestsRedeem } = (await getProgram({ ctx })).settings;
  const selected = await countSelectedCustomers({ ctx, input });
  const { selection } = input;
  const none = { count: 0, precision: "exact" as const };
  if ("ids" in selection) {
    const tickedWhere = (where: SQL) =>
      countTickedCustomers({ ctx, input: { ids: selection.ids, where: and(where, isNull(customers.deletedAt)) } });
    const blocked = { count: await tickedWhere(eq(customers.blocked, true)), precision: "exact" as const };
    if (guestsRedeem) return { selected, guestsRedeem, guests: null, blocked };
    const guests = await tickedWhere(and(eq(customers.status, "guest"), eq(customers.blocked, false))!);
    return { selected, guestsRedeem, guests: { count: guests, precision: "exact" }, blocked };
  }
  const { query } = selection;
  const allBlocked = query.tab === "blocked" || query.blocked === true;
  const blocked =
    query.blocked === false
      ? none
      : await countMatchingCustomers({ ctx, input: { query: { ...query, blocked: true } } });
  if (guestsRedeem) return { selected, guestsRedeem, guests: null, blocked };
  const guests =
    query.status === "member" || query.tab === "members" || allBlocked
      ? none
      : await countMatchingCustomers({ ctx, input: { query: { ...query, status: "guest", blocked: false } } });
  return { selected, guestsRedeem, guests, blocked };
}
