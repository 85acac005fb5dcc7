import { and, eq, isNull } from "drizzle-orm";
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
  /** How many of the selection are Guests, as the directory counts; null while Guests can redeem (nothing to say). */
  guests: CustomerCount | null;
}

/**
 * Who of a bulk points adjustment's selection would get points they cannot spend, for the directory's form before staff
 * start it: while the program's "Guests can redeem" is off (app/domain/ledger/redemption.ts refuses a Guest's
 * redemption), the Guests among the selection, who can redeem once they create an account in the store (a Member,
 * decision 010). Ticked rows are counted by id, 500 at a time; a search and filters by the directory's own count with
 * Status: Guest added (exact, "10,000+" or an estimate, on its indexes: decision 019). Read only; never refuses.
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
  if (guestsRedeem) return { selected, guestsRedeem, guests: null };
  const { selection } = input;
  if ("ids" in selection) {
    const guests = await countTickedCustomers({
      ctx,
      input: { ids: selection.ids, where: and(eq(customers.status, "guest"), isNull(customers.deletedAt)) },
    });
    return { selected, guestsRedeem, guests: { count: guests, precision: "exact" } };
  }
  const { query } = selection;
  const guests =
    query.status === "member" || query.tab === "members"
      ? { count: 0, precision: "exact" as const }
      : await countMatchingCustomers({ ctx, input: { query: { ...query, status: "guest" } } });
  return { selected, guestsRedeem, guests };
}
