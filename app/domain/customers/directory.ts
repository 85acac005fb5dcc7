import { z } from "zod";
import type { CurrencyCode } from "~/domain/shared";

/** The directory's sort keys; each has a (shop, key, id) index, so both directions are one range scan. */
export const directorySortKeys = [
  "points",
  "joined",
  "name",
  "orders",
  "spent",
  "referrals",
  "referrer",
  "referee",
] as const;
export type DirectorySortKey = (typeof directorySortKeys)[number];

export const directorySortSchema = z.enum([
  "joined-desc",
  "joined-asc",
  "points-desc",
  "points-asc",
  "name-asc",
  "name-desc",
  "orders-desc",
  "orders-asc",
  "spent-desc",
  "spent-asc",
  // Referral figures (seed 002): successful referrals, referrer revenue, referee revenue.
  "referrals-desc",
  "referrals-asc",
  "referrer-desc",
  "referrer-asc",
  "referee-desc",
  "referee-asc",
]);
export type DirectorySort = z.infer<typeof directorySortSchema>;
export const defaultDirectorySort: DirectorySort = "joined-desc";

export function parseDirectorySort(sort: DirectorySort): { key: DirectorySortKey; direction: "asc" | "desc" } {
  const [key, direction] = sort.split("-") as [DirectorySortKey, "asc" | "desc"];
  return { key, direction };
}

export const directoryStatusSchema = z.enum(["member", "guest", "blocked"]);
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;
/** positive: has points; zero: none; negative: owes points (a refund after a redemption, see decision 001). */
export const directoryPointsSchema = z.enum(["positive", "zero", "negative"]);
export type DirectoryPoints = z.infer<typeof directoryPointsSchema>;

/** A keyset position: the sort key's value and the id of the row it was read from. */
export interface DirectoryCursor {
  value: string | number;
  id: number;
}

/** Cursors travel in the URL, opaque to people and stable across reloads. */
export function encodeDirectoryCursor(cursor: DirectoryCursor): string {
  const json = JSON.stringify([cursor.value, cursor.id]);
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const cursorTupleSchema = z.tuple([z.union([z.string().max(400), z.number().int()]), z.number().int().positive()]);

function decodeDirectoryCursor(encoded: string): unknown {
  try {
    const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

const cursorSchema = z
  .string()
  .max(800)
  .transform(decodeDirectoryCursor)
  .pipe(cursorTupleSchema)
  .transform(([value, id]): DirectoryCursor => ({ value, id }));

const textSortKeys: ReadonlySet<DirectorySortKey> = new Set(["joined", "name"]);

/** The directory's URL search params. A cursor must carry the kind of value its sort orders by. */
export const directoryQuerySchema = z
  .object({
    q: z.string().trim().max(100).optional(),
    sort: directorySortSchema.default(defaultDirectorySort),
    status: directoryStatusSchema.optional(),
    points: directoryPointsSchema.optional(),
    after: cursorSchema.optional(),
    before: cursorSchema.optional(),
  })
  .superRefine((query, issues) => {
    if (query.after && query.before) {
      issues.addIssue({ code: "custom", path: ["before"], message: "Use either after or before, not both" });
    }
    const isText = textSortKeys.has(parseDirectorySort(query.sort).key);
    for (const field of ["after", "before"] as const) {
      const cursor = query[field];
      if (cursor && typeof cursor.value !== (isText ? "string" : "number")) {
        issues.addIssue({ code: "custom", path: [field], message: "Cursor does not match the sort" });
      }
    }
  });
export type DirectoryQuery = z.infer<typeof directoryQuerySchema>;

/**
 * The search key as the index stores it: SQLite's lower() folds ASCII only, so the query is folded the same way
 * ("Émile" finds "Émile", "émile" does not).
 */
export function searchKey(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * The smallest string greater than every string that starts with `prefix`, in SQLite's BINARY order (UTF-8 bytes,
 * which is code point order): prefix matches become `key >= prefix AND key < upperBound`, a range on an index.
 */
export function prefixUpperBound(prefix: string): string {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return points.join("") + String.fromCodePoint(next);
  }
  return "\u{10ffff}".repeat(101);
}

export interface CustomerDirectoryRow {
  id: number;
  name: string;
  email: string | null;
  status: "member" | "guest";
  blocked: boolean;
  /** Shopify merged the customer into another; its points moved there (the profile says where). */
  merged: boolean;
  pointsBalance: number;
  joinedAt: string | null;
  ordersCount: number;
  amountSpentMinor: number;
  currency: CurrencyCode | null;
  city: string | null;
  countryCode: string | null;
  /** Referrals Completed with this customer as the advocate. */
  successfulReferrals: number;
  /** What the customer paid on orders using referral rewards, minor units of the shop currency. */
  referrerRevenueMinor: number;
  /** What the customer's referred friends paid on the orders that completed their referrals. */
  refereeRevenueMinor: number;
}

export interface CustomerDirectoryPage {
  customers: CustomerDirectoryRow[];
  /** The shop's currency: the referral revenue columns are in it. */
  shopCurrency?: CurrencyCode;
  /** Cursor for the page after this one (`after`), when there is one. */
  nextCursor?: string;
  /** Cursor for the page before this one (`before`), when there is one. */
  previousCursor?: string;
}
