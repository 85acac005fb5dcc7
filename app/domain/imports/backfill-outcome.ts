import type { ImportWords } from "./customer-outcome";

/*
 * What a "Points for past orders" import says before and after it gives (newcomer round 17, C2). The preview counts
 * what the orders since a date would earn (`orders`, `points`, `customers`). Giving plans each order again: an order
 * another backfill gave since (an older preview given after a newer one) gives nothing, rightly, so what was given can
 * be less than the preview said. The run adds up what it gave (`givenOrders`, `givenPoints`) and the preview's orders
 * it skipped (`alreadyGiven`, `noLongerEarns`: refunded or cancelled since); once done, those are the import's figures,
 * on its page, in its audit line and in its undo, never the preview's.
 */

/**
 * A done backfill's figures: `orders`, `points` given, `customers` (the distinct owners of the orders that earned,
 * counted from the job's results) and, when some were skipped, `alreadyGiven` and `noLongerEarns`. A summary the run
 * did not add up (a backfill given before these figures existed) is kept as it was.
 */
export function backfillGivenFigures(
  summary: Readonly<Record<string, number>>,
  customers: number,
): Record<string, number> {
  if (summary.givenOrders === undefined && summary.alreadyGiven === undefined && summary.noLongerEarns === undefined)
    return { ...summary };
  return {
    orders: summary.givenOrders ?? 0,
    points: summary.givenPoints ?? 0,
    customers,
    ...(summary.alreadyGiven ? { alreadyGiven: summary.alreadyGiven } : {}),
    ...(summary.noLongerEarns ? { noLongerEarns: summary.noLongerEarns } : {}),
  };
}

/**
 * What a counted preview has left to give: its `orders` and `points` less those of its orders another backfill gave
 * since (`takenOrders`, `takenPoints`, kept by movePreviewShares; given back when that one is undone), and how many
 * were taken (`taken`). A preview given since then to all of its orders has nothing left.
 */
export function backfillLeft(summary: Readonly<Record<string, number>>): {
  orders: number;
  points: number;
  taken: number;
} {
  const taken = summary.takenOrders ?? 0;
  return {
    orders: Math.max(0, (summary.orders ?? 0) - taken),
    points: Math.max(0, (summary.points ?? 0) - (summary.takenPoints ?? 0)),
    taken,
  };
}

/**
 * True when a counted preview has no order left to give points to (none found, or another backfill gave them all
 * since): the page offers no "Give 0 points" (P4), and a give sent from an older page starts nothing.
 */
export function backfillGivesNothing(summary: Readonly<Record<string, number>>): boolean {
  const left = backfillLeft(summary);
  return left.orders === 0 || left.points === 0;
}

/**
 * The lines a backfill's page shows under its title: the preview's "N orders … earn P", or, once given, "Gave P for
 * N orders …" and the preview's orders that were skipped, named as such ("177 orders already had points").
 */
export function backfillLines(status: string, summary: Readonly<Record<string, number>>, words: ImportWords): string[] {
  const figure = (key: string) => summary[key] ?? 0;
  const orders = (value: number) => words.count(value, { one: "order", other: "orders" });
  const customers = words.count(figure("customers"), { one: "customer", other: "customers" });
  const tied = "Each order's points are tied to it: a later refund takes its share back, as for any order.";
  if (status === "checking") return [];
  const left = backfillLeft(summary);
  const takenSince = `Another "Points for past orders", given since this preview, gave ${orders(left.taken)} of it their points`;
  if (status === "checked" && backfillGivesNothing(summary))
    return left.taken > 0
      ? [`${takenSince}: nothing is left to give.`]
      : [
          "No order paid before Tally was installed is left to earn points since this date: each already has its points, or earns none under today's program.",
        ];
  if (status === "checked" && left.taken > 0)
    return [
      `${orders(left.orders)} paid before Tally was installed ${left.orders === 1 ? "is" : "are"} left to earn ${words.points(left.points)} under today's program`,
      `${takenSince}: they are left out, and nothing is given twice.`,
      tied,
    ];
  if (status !== "imported" && status !== "undoing" && status !== "undone")
    return [
      `${orders(figure("orders"))} paid before Tally was installed earn ${words.points(figure("points"))} under today's program, for ${customers}`,
      tied,
    ];
  const skipped = [
    ...(figure("alreadyGiven")
      ? [
          `${orders(figure("alreadyGiven"))} of the preview already had points (another "Points for past orders" gave them first): skipped, nothing given twice.`,
        ]
      : []),
    ...(figure("noLongerEarns")
      ? [`${orders(figure("noLongerEarns"))} of the preview no longer earn (refunded or cancelled since): skipped.`]
      : []),
  ];
  return [
    `Gave ${words.points(figure("points"))} for ${orders(figure("orders"))} paid before Tally was installed, to ${customers}`,
    ...skipped,
    tied,
  ];
}
