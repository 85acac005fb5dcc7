import { z } from "zod";

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

/** Why Shopify would refuse this (trimmed) tag, in a merchant's words, or undefined when it is fine. */
export function tagProblem(tag: string): string | undefined {
  if (tag.length > MAX_TAG_LENGTH)
    return `A tag can be at most ${MAX_TAG_LENGTH} characters: "${preview(tag)}" has ${tag.length}`;
  if (tag.includes(",")) return `A tag cannot contain a comma: "${preview(tag)}"`;
  return undefined;
}

/** Splits a comma-separated list as staff type it: trimmed, empty entries dropped, duplicates kept once. */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
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
