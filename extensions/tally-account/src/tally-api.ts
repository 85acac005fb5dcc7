import { APP_URL } from "./app-url";

/** The storefront view of the signed-in customer (README, "The storefront API"), as GET /customer-account/v1/me answers. */
export interface AccountView {
  customer:
    { known: true; blocked: boolean; status: string; points: number; pendingPoints: number } | { known: false } | null;
  program: { pointsName: string; pointName: string };
  referral?: { status: "joined" | "not_joined"; url: string; referees: number; successful: number } | null;
  rewardsUrl: string;
}

/** GET /customer-account/v1/orders/{id}. */
export interface OrderPoints {
  status: "earned" | "pending" | "not_earned" | "waiting";
  orderName: string | null;
  points: number;
  releaseAt: string | null;
  holdDays: number | null;
  pointsName: string;
  pointName: string;
}

/**
 * A GET to Tally with a fresh session token (`sessionToken.get()` caches it until it nears expiry), read as JSON.
 * Throws on any answer but 200 so the block shows its error state.
 */
export async function tallyGet<T>(sessionToken: { get(): Promise<string> }, path: string): Promise<T> {
  const response = await fetch(`${APP_URL}${path}`, {
    headers: { Authorization: `Bearer ${await sessionToken.get()}` },
  });
  if (!response.ok) throw new Error(`Tally answered ${response.status}`);
  return (await response.json()) as T;
}

/** What the blocks write with: the customer's locale's number format and the extension's strings. */
export interface Words {
  formatNumber(n: number): string;
  translate(key: string, replacements?: Record<string, string | number>): string;
}

/**
 * The program's name for `points` (the plural when left out), the singular for 1 and −1: the merchant's ("stars ⭐"),
 * or the customer's language's word ("Punkte") while the program keeps the names it starts with, "points" and "point"
 * (decision 051).
 */
export function pointsName(program: { pointsName: string; pointName: string }, words: Words, points?: number) {
  const one = points !== undefined && Math.abs(points) === 1;
  if (program.pointsName === "points" && program.pointName === "point")
    return words.translate(one ? "point" : "points");
  return one ? program.pointName : program.pointsName;
}

/** "1 point", "1,250 stars ⭐": the number in the customer's locale, then `pointsName`. */
export function pointsText(points: number, program: { pointsName: string; pointName: string }, words: Words) {
  return `${words.formatNumber(points)} ${pointsName(program, words, points)}`;
}
