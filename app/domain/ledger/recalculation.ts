import { formatPoints } from "~/domain/program";
import { storedPoints, type LedgerEntry } from "./entries";
import { ledgerKeys } from "./keys";

/*
 * Recalculate points from orders (decision 022) answers "why do I have 40 points?" order by order: the entries an order
 * should have written, replayed from what Shopify says now (its payment, refunds, cancellation) under the program
 * version that was in force when it was paid, beside the entries the ledger holds for it. Entries are matched by
 * idempotency key, so the difference reads entry by entry ("refund #2: −12 expected, not recorded"). Only points that
 * count as earned are compared (earn, reverse, correct): releasing held points is a clock reading, and rewards are
 * the customer's own spending.
 */

/** A ledger row of the order, as stored: `points` signed the way it moves the customer's points. */
export interface RecordedEntry {
  key: string;
  points: number;
  explanation: string;
}

export interface RecalculationLine {
  key: string;
  /** The expected entry's explanation, or the recorded one's when Shopify's view has no such entry. */
  explanation: string;
  /** Signed points the entry should have; null when Shopify's view has no such entry. */
  expected: number | null;
  /** Signed points the ledger holds under this key; null when it has none. */
  recorded: number | null;
}

export interface OrderRecalculation {
  orderGid: string;
  orderName: string | null;
  /** Net points the order should hold, and the ledger's. */
  expected: number;
  recorded: number;
  /** expected − recorded: what a correction for this order adds (negative takes away). */
  difference: number;
  /** Every entry of either side, in the expected order, the ledger's extra ones after. */
  lines: RecalculationLine[];
}

const compared = new Set<LedgerEntry["kind"]>(["earn", "reverse", "correct"]);

/** Whether an entry counts in the comparison: points earned on an order, or taken back from it. */
export function isComparedEntry(entry: LedgerEntry): boolean {
  return compared.has(entry.kind);
}

/** The expected entries of one order beside its recorded ones, matched by key. Pure. */
export function compareOrder(input: {
  orderGid: string;
  orderName: string | null;
  expected: readonly LedgerEntry[];
  recorded: readonly RecordedEntry[];
}): OrderRecalculation {
  const recordedByKey = new Map(input.recorded.map((row) => [row.key, row]));
  const lines: RecalculationLine[] = [];
  for (const entry of input.expected.filter(isComparedEntry)) {
    const row = recordedByKey.get(entry.idempotencyKey);
    recordedByKey.delete(entry.idempotencyKey);
    lines.push({
      key: entry.idempotencyKey,
      explanation: entry.explanation,
      expected: storedPoints(entry),
      recorded: row?.points ?? null,
    });
  }
  for (const row of recordedByKey.values()) {
    lines.push({ key: row.key, explanation: row.explanation, expected: null, recorded: row.points });
  }
  // A correction this recalculation wrote earlier is part of what the order holds, with nothing expected of its own.
  const expected = lines.reduce((sum, line) => sum + (line.expected ?? 0), 0);
  const recorded = lines.reduce((sum, line) => sum + (line.recorded ?? 0), 0);
  return {
    orderGid: input.orderGid,
    orderName: input.orderName,
    expected,
    recorded,
    difference: expected - recorded,
    lines,
  };
}

/**
 * The ledger entry that sets one order right after staff confirmed: a `correct` entry whose explanation gives both
 * sides ("Recalculated from Shopify: order #1001 should hold +0, the ledger had +40"). `revision` numbers the
 * recalculations of the same order, so each is its own entry. Held points are corrected as held when `pending`.
 */
export function recalculationEntry(order: OrderRecalculation, revision: number, pending: boolean): LedgerEntry {
  const name = order.orderName ? `order ${order.orderName}` : "order";
  return {
    kind: "correct",
    idempotencyKey: ledgerKeys.recalculateOrder(order.orderGid, revision),
    points: order.difference,
    pending,
    orderGid: order.orderGid,
    explanation:
      `${formatPoints(order.difference)}: recalculated from Shopify, ${name} should hold ` +
      `${formatPoints(order.expected)} and the ledger had ${formatPoints(order.recorded)}`,
  };
}
