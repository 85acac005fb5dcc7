import { z } from "zod";
import { tooLongWordsFor } from "~/domain/shared/text-limit";

/*
 * A Shopify customer tag as Shopify takes it: trimmed, at most 255 characters, no comma (commas separate tags in
 * every list Shopify and Tally show). Every screen that takes tags (bulk Add/Remove tags, the profile's Edit, the
 * directory's tag filter that Save as group turns into a segment, a CSV import's Tags column) checks them here, so a
 * merchant reads the same sentence wherever a tag is too long, before anything is sent to Shopify.
 * Source: https://help.shopify.com/en/manual/shopify-admin/productivity-tools/using-tags (255 characters per tag).
 */

export const MAX_TAG_LENGTH = 255;

/** The start of a long tag, enough for a merchant to recognise which one is meant. */
function preview(tag: string): string {
  return tag.length > 20 ? `${tag.slice(0, 20)}\u2026` : tag;
}

/**
 * The words for a (trimmed) tag longer than MAX_TAG_LENGTH, naming it since it is shown among others (a comma list,
 * an import row's problems): "Tag “abc…”: keep it to 255 characters or fewer (this is 300)"; undefined when it fits.
 */
export function tagTooLong(tag: string): string | undefined {
  return tooLongWordsFor(`Tag \u201c${preview(tag)}\u201d`, tag, MAX_TAG_LENGTH);
}

/** Why Shopify would refuse this (trimmed) tag, in a merchant's words, or undefined when it is fine. */
export function tagProblem(tag: string): string | undefined {
  const tooLong = tagTooLong(tag);
  if (tooLong) return tooLong;
  if (tag.includes(",")) return `A tag cannot contain a comma: "${preview(tag)}"`;
  return undefined;
}

/**
 * The key a tag is known by, whatever its case. Shopify's tags are not case sensitive: a customer holds one "VIP" or
 * "vip", never both; adding or removing "vip" (tagsAdd, tagsRemove) acts on the "VIP" a customer has; a segment's
 * `customer_tags CONTAINS 'vip'` selects customers tagged "VIP". Tally matches, counts and compares tags by this key.
 * The tag as given (callers pass tags trimmed, as Shopify stores them) with its ASCII letters lower-cased: exactly
 * what the databases' triggers write, SQLite's own lower() and PostgreSQL's `tally_tag_key` (lower() in the "C"
 * collation), so any connection can write a customer's tags (a function registered on the app's connection could not
 * be called by sqlite3, a script or a test's own connection: "no such function"). "ÉLITE" and "élite" stay two keys;
 * nothing says Shopify folds them either (decision 019).
 * Sources: https://help.shopify.com/en/manual/shopify-flow/reference/actions/add-customer-tags and
 * .../remove-customer-tags ("Tags are not case sensitive").
 */
export function tagKey(tag: string): string {
  return tag.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Splits a comma-separated list as staff type it: trimmed, empty entries dropped, a tag given twice (in any case) once. */
export function splitTags(text: string): string[] {
  const tags = new Map<string, string>();
  for (const tag of text.split(",").map((part) => part.trim())) {
    if (tag && !tags.has(tagKey(tag))) tags.set(tagKey(tag), tag);
  }
  return [...tags.values()];
}

/** How many customers carry a tag, in one spelling (a row of the tag facets) or in all of them (a filter choice). */
export interface TagCount {
  value: string;
  customers: number;
}

/**
 * The tag filter's choices from the counts of each spelling: one choice per tag whatever its case, named by the
 * spelling most of its customers carry (the first in code point order on a tie) and counting all of them, which is
 * what filtering by it selects and what a segment made from it counts. A customer holds one spelling of a tag, so the
 * sum counts nobody twice. Ordered by key, so "apple" and "Zebra" sort as a person reads them.
 */
export function tagChoices(spellings: readonly TagCount[]): TagCount[] {
  const choices = new Map<string, { value: string; most: number; customers: number }>();
  for (const { value, customers } of spellings) {
    const key = tagKey(value);
    const choice = choices.get(key);
    if (!choice) choices.set(key, { value, most: customers, customers });
    else {
      if (customers > choice.most || (customers === choice.most && value < choice.value)) {
        choice.value = value;
        choice.most = customers;
      }
      choice.customers += customers;
    }
  }
  return [...choices.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { value, customers }]) => ({ value, customers }));
}

/** One tag: trimmed, not empty, `tagProblem`'s rule. */
export const customerTagSchema = z
  .string()
  .trim()
  .min(1, { error: "Enter a tag" })
  .superRefine((tag, ctx) => {
    const problem = tagProblem(tag);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
