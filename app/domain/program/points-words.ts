/**
 * Points as Tally writes them to shoppers (emails, the storefront) and in the admin's stored lines (job results), with
 * the program's own names (Settings: "stars ⭐", singular "star ⭐"): "1,250 stars ⭐", "1 star ⭐", "+96 stars ⭐".
 * Newcomer round 17 read "you get 250 points" in an invitation and "+96 points" in a job of a shop whose points are
 * "stars ⭐", beside "1,475 stars ⭐" in the reminder sent with it.
 *
 * English grouping (these lines are stored or mailed, not drawn per staff locale: the admin's own pages use the
 * request's formatter, app/lib/format.ts); a true minus sign (U+2212) as the formatter writes one; the singular for
 * exactly one, as the storefront widget chooses it.
 */

/** The program's names for its points, as saved in its settings. */
export interface PointsNaming {
  /** "points", "stars ⭐" */
  pointsName: string;
  /** "point", "star ⭐" */
  pointName: string;
}

/** The names a program starts with, for text written where no program is at hand. */
export const defaultPointsNaming: PointsNaming = { pointsName: "points", pointName: "point" };

/** The name that goes with `points`: singular for 1 and −1, plural otherwise (0 included). */
export function pointsNameFor(naming: PointsNaming, points: number): string {
  return Math.abs(points) === 1 ? naming.pointName : naming.pointsName;
}

/**
 * `points` with its name: 1250 → "1,250 stars ⭐", 1 → "1 star ⭐", −20 → "−20 stars ⭐"; `signed` writes a change
 * with its sign: 96 → "+96 stars ⭐", 0 → "0 stars ⭐".
 */
export function pointsInWords(naming: PointsNaming, points: number, options: { signed?: boolean } = {}): string {
  const digits = Math.abs(points).toLocaleString("en-US");
  const sign = points < 0 ? "\u2212" : options.signed && points > 0 ? "+" : "";
  return `${sign}${digits} ${pointsNameFor(naming, points)}`;
}
