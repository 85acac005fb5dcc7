import { z } from "zod";
import type { CurrencyCode } from "~/domain/shared";
import type { CustomerCount, DirectorySortKey } from "./customer-query";
import { textSortKeys } from "./customer-query";

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

export const directoryCursorSchema = z
  .string()
  .max(800)
  .transform(decodeDirectoryCursor)
  .pipe(cursorTupleSchema)
  .transform(([value, id]): DirectoryCursor => ({ value, id }));

/** Whether a cursor carries the kind of value its sort orders by (text for dates and names, integers otherwise). */
export function cursorFitsSort(cursor: DirectoryCursor, key: DirectorySortKey): boolean {
  return typeof cursor.value === (textSortKeys.has(key) ? "string" : "number");
}

/** The directory's page position in the URL: the page after `after`, or the one before `before`. */
export const directoryPageSchema = z
  .object({ after: directoryCursorSchema.optional(), before: directoryCursorSchema.optional() })
  .refine((page) => !(page.after && page.before), { error: "Use either after or before, not both", path: ["before"] });

export interface CustomerDirectoryRow {
  id: number;
  /** The full name, or the email, or "Guest (no email)" for a customer with neither. */
  name: string;
  email: string | null;
  /** As the shop's staff write it ("(613) 555-0123" in a Canadian shop; writePhone, decision 053), not E.164. */
  phone: string | null;
  status: "member" | "guest";
  blocked: boolean;
  /** Shopify merged the customer into another; its points moved there (the profile says where). */
  merged: boolean;
  pointsBalance: number;
  joinedAt: string | null;
  lastOrderAt: string | null;
  ordersCount: number;
  amountSpentMinor: number;
  currency: CurrencyCode | null;
  /** Store credit as Shopify last answered it (decision 027), in minor units of `storeCreditCurrency`. */
  storeCreditMinor: number;
  /** Null when Tally never read the customer's store credit accounts: the balance is unknown, not zero. */
  storeCreditCurrency: CurrencyCode | null;
  city: string | null;
  countryCode: string | null;
  tags: string[];
  emailMarketingState: string | null;
  taxExempt: boolean;
  /** Referrals Completed with this customer as the advocate. */
  successfulReferrals: number;
  /** What the customer paid on orders using referral rewards, minor units of the shop currency. */
  referrerRevenueMinor: number;
  /** What the customer's referred friends paid on the orders that completed their referrals. */
  refereeRevenueMinor: number;
}

export interface CustomerDirectoryPage {
  customers: CustomerDirectoryRow[];
  /** Cursor for the page after this one (`after`), when there is one. */
  nextCursor?: string;
  /** Cursor for the page before this one (`before`), when there is one. */
  previousCursor?: string;
}

export type { CustomerCount };

/**
 * A prefix search key as an index on `lower(…)` stores it: SQLite's lower() folds ASCII only, so the text is folded
 * the same way (the Referrals page's prefix search on a friend's email).
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
