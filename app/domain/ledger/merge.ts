import { movableKindSchema, pointsFromStored, type EntryOf, type MovableKind } from "./entries";
import { ledgerKeys } from "./keys";

/*
 * When Shopify merges customer A into customer B, A's points history becomes B's. The ledger stays append-only: each
 * of A's entries is copied onto B as a `move_in` that keeps its kind, points and held flag ("Moved from a merged
 * customer: +300: order #1001 paid ..."), and taken off A by a `move_out`, so A ends at zero on every figure and its
 * log says where each entry went. Keys derive from the moved entry's own key, so a redelivered merge, or a merge that
 * arrives after A's delete, moves each entry exactly once; an entry written to A after the merge (a late order, a
 * refund) is moved the same way the moment it is written.
 */

/** A stored ledger row, as much of it as a move needs. */
export interface MovableRow {
  kind: string;
  /** The row's signed `points` column. */
  points: number;
  held: boolean;
  idempotencyKey: string;
  explanation: string;
  /** For a move_in row, the kind it moved (the row's source_type). */
  sourceType: string | null;
  sourceGid: string | null;
}

export interface MergeParty {
  customerGid: string;
  /** How the log names the customer: an email, a name, or "customer 123". */
  label: string;
}

const debtNote = /; balance now \u2212\d+, repaid from future points$/;

/** Whether the row can be moved: everything but what a move already took off. */
export function isMovable(row: Pick<MovableRow, "kind">): boolean {
  return row.kind !== "move_out";
}

/**
 * The pair of entries that moves each of `rows` from `from` to `to`: move_out entries for `from`, move_in entries for
 * `to`, in the rows' order. Rows that are themselves move_out are skipped. Throws on a row of a kind the ledger does
 * not know, rather than moving it wrongly.
 */
export function planMove(
  rows: readonly MovableRow[],
  parties: { from: MergeParty; to: MergeParty },
): { out: EntryOf<"move_out">[]; in: EntryOf<"move_in">[] } {
  const out: EntryOf<"move_out">[] = [];
  const into: EntryOf<"move_in">[] = [];
  for (const row of rows) {
    if (!isMovable(row)) continue;
    const movedKind: MovableKind = movableKindSchema.parse(row.kind === "move_in" ? row.sourceType : row.kind);
    const points = pointsFromStored(movedKind, row.points);
    // A debt note spoke of the old customer's balance; the moved copy is read against the new one.
    const original = row.explanation.replace(debtNote, "");
    const common = { movedKind, points, pending: row.held, sourceGid: row.sourceGid };
    into.push({
      ...common,
      kind: "move_in",
      idempotencyKey: ledgerKeys.moveIn(row.idempotencyKey),
      counterpartGid: parties.from.customerGid,
      explanation: `Moved from a merged customer (${parties.from.label}): ${original}`,
    });
    out.push({
      ...common,
      kind: "move_out",
      idempotencyKey: ledgerKeys.moveOut(row.idempotencyKey),
      counterpartGid: parties.to.customerGid,
      explanation: `Moved to ${parties.to.label}, the customer Shopify merged this one into: ${original}`,
    });
  }
  return { out, in: into };
}
