import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { kindsForActivity, type ActivityFilter } from "~/domain/ledger";
import { ledgerEntries } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface ActivityRow {
  id: number;
  kind: string;
  /** Signed effect on the spendable balance (or on held points when `held`). */
  points: number;
  held: boolean;
  explanation: string;
  actor: string;
  createdAt: string;
}

/**
 * A page of one customer's ledger, newest first, keyset-paginated by id: `before` is the last id of the previous page,
 * so ledger_entries_customer_idx (shop, customer_id, id) walks straight to it however long the history is.
 */
export function listActivity({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; filter: ActivityFilter; before?: number; limit: number };
}): { rows: ActivityRow[]; nextCursor: number | undefined } {
  const kinds = kindsForActivity(input.filter);
  const rows = ctx.db
    .select({
      id: ledgerEntries.id,
      kind: ledgerEntries.kind,
      points: ledgerEntries.points,
      held: ledgerEntries.held,
      explanation: ledgerEntries.explanation,
      actor: ledgerEntries.actor,
      createdAt: ledgerEntries.createdAt,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        eq(ledgerEntries.customerId, input.customerId),
        // An entry moved in from a merged customer shows where the entry it moved would.
        kinds
          ? or(
              inArray(ledgerEntries.kind, [...kinds]),
              and(eq(ledgerEntries.kind, "move_in"), inArray(ledgerEntries.sourceType, [...kinds])),
            )
          : undefined,
        input.before ? lt(ledgerEntries.id, input.before) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.id))
    .limit(input.limit + 1)
    .all();
  const page = rows.slice(0, input.limit);
  return { rows: page, nextCursor: rows.length > input.limit ? page.at(-1)?.id : undefined };
}
