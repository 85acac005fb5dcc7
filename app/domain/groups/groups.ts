import { z } from "zod";
import {
  asciiMinus,
  currencyCodeSchema,
  MAX_AMOUNT_MINOR,
  minorUnits,
  toMinor,
  tooLongError,
  tooLongWords,
} from "../shared";
import { shopDayEnd, shopDayOf } from "../shared/shop-time";

/**
 * Customer groups (issue 11, seed 003): a Shopify segment the merchant names, created from a segment query
 * ("customer_tags CONTAINS 'vip'"), and a group discount for its members. Shopify checks the query's language and
 * the name's uniqueness; Tally checks only that the form says something Shopify can be asked.
 */
/** The longest name a group may have, in characters once trimmed (Shopify's for a segment's name). */
export const MAX_GROUP_NAME_LENGTH = 255;

export const groupFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "Name the group" })
    .max(MAX_GROUP_NAME_LENGTH, { error: tooLongError(MAX_GROUP_NAME_LENGTH) }),
  query: z
    .string()
    .trim()
    .min(1, { error: "Enter a segment query, like customer_tags CONTAINS 'vip'" })
    .max(5000, { error: tooLongError(5000) }),
});

export type GroupForm = z.output<typeof groupFormSchema>;

/**
 * The name and segment query an Edit group form opened with, posted beside what was typed, so that a save from a tab
 * opened before another tab's edit is refused rather than putting the old name back (`staleGroupEditWords`). Absent
 * from a page loaded before the form carried it: that save is not checked.
 */
export const groupEditSeenSchema = z.object({
  seenName: z.string().max(10_000).optional(),
  seenQuery: z.string().max(10_000).optional(),
});

/**
 * Why an edit made from `seen` (the group as the merchant's Edit form opened it) is stale now that the group is
 * `current`: "This group was renamed to “VIP 2” in another tab. Reload to see it." (on the name field), or the same
 * for its segment query; undefined when the form saw the group as it is (or did not say what it saw).
 */
export function staleGroupEditWords(
  seen: { name?: string; query?: string },
  current: { name: string; segmentQuery: string },
): { field: "name" | "query"; words: string } | undefined {
  if (seen.name !== undefined && seen.name !== current.name)
    return {
      field: "name",
      words: `This group was renamed to \u201c${current.name}\u201d in another tab. Reload to see it.`,
    };
  if (seen.query !== undefined && seen.query !== current.segmentQuery)
    return { field: "query", words: "This group's segment query was changed in another tab. Reload to see it." };
  return undefined;
}

/**
 * How members get a group discount: a code they enter at checkout (discountCodeBasicCreate), or applied by itself at
 * checkout to every member's cart (discountAutomaticBasicCreate); both take the segment as `context` on 2026-10.
 */
export const groupDiscountMethods = ["code", "automatic"] as const;
export type GroupDiscountMethod = (typeof groupDiscountMethods)[number];

/**
 * How many customers a group's Shopify segment holds now (customerSegmentMembers' totalCount), or why Shopify gave no
 * count: the segment was deleted in Shopify admin (the group points at nothing, decision 029), or Shopify could not
 * count it this time (throttled past waiting, an error).
 */
export type GroupMemberCount = { state: "counted"; count: number } | { state: "deleted" } | { state: "unavailable" };

/** Whether a group's discount is automatic: Shopify's id names the kind of discount node. */
export function isAutomaticDiscount(discountGid: string | null): boolean {
  return discountGid?.startsWith("gid://shopify/DiscountAutomaticNode/") ?? false;
}

/**
 * A hint for a code Shopify accepts but shoppers get wrong: with spaces, or with characters a link must escape ("%",
 * "#", "?", "&", "/", "+"), as in "VIP 10 %". Shopify takes any one-line code of up to 255 characters and matches it
 * case-insensitively at checkout; a shopper types it by hand, and its shareable link (https://{shop}/discount/{code})
 * needs those characters escaped. Undefined for a code of letters, digits, "-" and "_", or an empty one.
 */
export function discountCodeHint(code: string): string | undefined {
  const trimmed = code.trim();
  const spaces = /\s/.test(trimmed);
  const symbols = [...new Set(trimmed.match(/[%#?&/+]/g) ?? [])];
  if (!spaces && symbols.length === 0) return undefined;
  const what = [spaces ? "spaces" : null, symbols.length ? symbols.map((s) => `"${s}"`).join(" ") : null]
    .filter(Boolean)
    .join(" and ");
  const suggestion = trimmed.replace(/\s+/g, "").replace(/[%#?&/+]/g, "") || "VIP10";
  return `Shopify accepts ${what} in a code, but shoppers type codes by hand and a shared discount link has to escape them: ${suggestion.toUpperCase()} is easier to get right.`;
}

/**
 * The group discount form, every field judged at once so each mistake shows on its field together (newcomer round 17
 * read them one per submit: percent 0, no code and a past end date showed only the code's). `today` (YYYY-MM-DD, the
 * shop's day: `shopDayOf`) refuses a past end date with the rest; null leaves that to `groupDiscountEndRefusal`.
 */
export function groupDiscountFormSchemaOn(today: string | null) {
  return z
    .object({
      method: z.enum(groupDiscountMethods).default("code"),
      kind: z.enum(["percentage", "amount"]),
      value: z.string().trim(),
      currency: currencyCodeSchema,
      code: z.string().trim().default(""),
      /** A day (YYYY-MM-DD): the discount ends at the end of it in the shop's time zone; empty for none. */
      endsOn: z.string().trim().optional(),
      /** "1" when staff answered the doubt (`groupDiscountDoubt`) with Create anyway. */
      confirmed: z.enum(["", "1"]).optional(),
    })
    .transform((form, context) => {
      const refuse = (path: "value" | "code" | "endsOn", message: string) =>
        context.addIssue({ code: "custom", path: [path], message });
      const value = groupDiscountValue(form.kind, form.value, form.currency);
      if (typeof value === "string") refuse("value", value);
      const code = form.method === "code" ? form.code : null;
      const codeRefusal = code === null ? null : groupDiscountCodeRefusal(code);
      if (codeRefusal) refuse("code", codeRefusal);
      const endsOn = form.endsOn || null;
      if (endsOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(endsOn)) refuse("endsOn", "Enter a date like 2026-12-31");
      else if (today !== null && endsOn !== null && endsOn < today) refuse("endsOn", endedWords);
      if (typeof value === "string" || codeRefusal || context.issues.length > 0) return z.NEVER;
      const { method, kind, currency } = form;
      return { method, kind, value, currency, code, endsOn, confirmed: form.confirmed === "1" };
    });
}

/** The form without the shop's day: the end date's form is checked, its day by `groupDiscountEndRefusal`. */
export const groupDiscountFormSchema = groupDiscountFormSchemaOn(null);

const endedWords = "The end date must be today or later";

/**
 * The group discount form as posted, read on the shop's day at `now` in `timeZone`: the form, or every field's
 * refusal keyed by field ("value", "code", "endsOn") for the form to show together.
 */
export function parseGroupDiscountForm(
  input: unknown,
  now: Date,
  timeZone: string | null,
): { ok: true; form: GroupDiscountForm } | { ok: false; fieldErrors: Record<string, string[]> } {
  const parsed = groupDiscountFormSchemaOn(shopDayOf(now, timeZone)).safeParse(input);
  if (parsed.success) return { ok: true, form: parsed.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[issue.path.map(String).join(".")] ??= []).push(issue.message);
  return { ok: false, fieldErrors };
}

/**
 * Shopify's rules for a code (discountCodeBasicCreate's userErrors): at most 255 characters, no line breaks; spaces
 * and symbols are allowed, and discountCodeHint says what they cost. The refusal, or null.
 */
function groupDiscountCodeRefusal(code: string): string | null {
  if (!code) return "Enter the code members type at checkout";
  const tooLong = tooLongWords(code, 255);
  if (tooLong) return tooLong;
  if (/[\r\n]/.test(code)) return "A code is one line: take out the line break";
  return null;
}

/**
 * A group discount's value: a whole percentage from 1 to 100, or an amount in minor units of `currency`, more than 0
 * and at most MAX_AMOUNT_MINOR; or why not, in words.
 */
function groupDiscountValue(kind: "percentage" | "amount", typed: string, currency: string): number | string {
  // "−5" is "-5": refused as not more than 0, not as "not a number" (`asciiMinus`).
  const text = asciiMinus(typed);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return "Enter a number, like 10 or 5.00";
  // A number, but not one Shopify can take: say which numbers are, rather than asking for a number again.
  if (Number(text) <= 0)
    return kind === "percentage" ? "Enter a whole percentage from 1 to 100" : "Enter an amount more than 0";
  if (kind === "percentage") {
    const percent = Number(text);
    return Number.isInteger(percent) && percent >= 1 && percent <= 100
      ? percent
      : "Enter a whole percentage from 1 to 100";
  }
  const decimals = text.split(".")[1]?.length ?? 0;
  if (decimals > minorUnits(currency)) return `${currency} has ${minorUnits(currency)} decimal places`;
  const minor = text.split(".")[0]!.length > 15 ? Infinity : toMinor(text, currency);
  if (minor > MAX_AMOUNT_MINOR) {
    return `Enter an amount of at most ${(MAX_AMOUNT_MINOR / 10 ** minorUnits(currency)).toLocaleString("en-US")}`;
  }
  return minor;
}

export type GroupDiscountForm = z.output<typeof groupDiscountFormSchema>;

/**
 * Why a group discount's last day cannot be `endsOn` (YYYY-MM-DD, a day of the shop's time zone `timeZone`), or null
 * when it can: a day before the shop's today has ended already. Today is taken: the discount runs to its end. Checked
 * before asking Shopify, whose own refusal names its fields ("Ends at needs to be after starts_at").
 */
export function groupDiscountEndRefusal(endsOn: string | null, now: Date, timeZone: string | null): string | null {
  if (endsOn === null) return null;
  return endsOn < shopDayOf(now, timeZone) ? endedWords : null;
}

/**
 * The `endsAt` Shopify is given for a discount whose last day is `endsOn`: the end of that day in the shop's time zone
 * (decision 050), to the second as Shopify keeps a DateTime ("2026-12-18T04:59:59Z" for Dec 17 in Toronto); null for
 * a discount that never ends.
 */
export function groupDiscountEndsAt(endsOn: string | null, timeZone: string | null): string | null {
  return endsOn ? shopDayEnd(endsOn, timeZone).replace(/\.\d{3}Z$/, "Z") : null;
}

/**
 * Why a group discount deserves a second look before it is created, or null when it does not (decision 044): 100%
 * off, or an amount off more than the largest order the shop has taken in that currency (`largestOrderMinor`, null
 * when Tally holds none: nothing to compare with, so no doubt). Not a refusal: a merchant may mean it.
 */
export type GroupDiscountDoubt =
  | { kind: "percentage"; value: number }
  | { kind: "amount"; value: number; currency: string; largestOrderMinor: number };

export function groupDiscountDoubt(
  discount: { kind: "percentage" | "amount"; value: number; currency: string },
  largestOrderMinor: number | null,
): GroupDiscountDoubt | null {
  if (discount.kind === "percentage")
    return discount.value >= 100 ? { kind: "percentage", value: discount.value } : null;
  if (largestOrderMinor === null || discount.value <= largestOrderMinor) return null;
  return { kind: "amount", value: discount.value, currency: discount.currency, largestOrderMinor };
}

/** The doubt in the merchant's words, with money written by the caller's formatter. */
export function groupDiscountDoubtWords(
  doubt: GroupDiscountDoubt,
  money: (amountMinor: number, currency: string) => string,
): string {
  if (doubt.kind === "percentage") {
    return `${doubt.value}% off makes every member's order free. Create it anyway?`;
  }
  return (
    `${money(doubt.value, doubt.currency)} off is more than any order this shop has taken ` +
    `(largest ${money(doubt.largestOrderMinor, doubt.currency)}): every member's order would be free. Create it anyway?`
  );
}

/**
 * The title Tally gives a group's discount in Shopify ("VIPs group discount"): created with it, and retitled when the
 * group is renamed while the discount still reads its old name's (decision 029, amended).
 */
export function groupDiscountTitle(groupName: string): string {
  return `${groupName} group discount`;
}

/**
 * What a group discount gives, as the form asks for it and as Shopify answers it: the code (null for an automatic
 * discount), a whole percentage or an amount in minor units of `currency` (null for a percentage), and the end (an
 * ISO instant, null for never). Two give-discount submits asking the same terms are the same request.
 */
export interface GroupDiscountTerms {
  code: string | null;
  kind: "percentage" | "amount";
  value: number;
  currency: string | null;
  endsAt: string | null;
}

/**
 * Whether two group discounts give the same: codes compared as Shopify's checkout matches them (case-insensitively),
 * ends as instants ("2100-01-01T04:59:59Z" and "2100-01-01T04:59:59.000Z" are one end).
 */
export function sameGroupDiscountTerms(a: GroupDiscountTerms, b: GroupDiscountTerms): boolean {
  const end = (at: string | null) => (at === null ? null : Date.parse(at));
  return (
    a.code?.toLowerCase() === b.code?.toLowerCase() &&
    a.kind === b.kind &&
    a.value === b.value &&
    (a.kind === "percentage" || a.currency === b.currency) &&
    end(a.endsAt) === end(b.endsAt)
  );
}

/**
 * Whether a code discount found in Shopify is one Tally created for this group (decision 029): for the group's segment
 * only and titled as Tally titles it (`groupDiscountTitle`). A code another discount of the merchant's holds is not.
 */
export function isGroupsOwnDiscount(
  discount: { title: string; segmentGids: readonly string[] },
  group: { name: string; segmentGid: string },
): boolean {
  return (
    discount.title === groupDiscountTitle(group.name) &&
    discount.segmentGids.length === 1 &&
    discount.segmentGids[0] === group.segmentGid
  );
}

/**
 * What renaming a group did to its discount's title in Shopify: `retitled` from the old name's title to the new one's;
 * `kept` a title the merchant wrote in Shopify admin (it no longer reads the old name's); `failed` when Shopify did not
 * take the new title after it had renamed the segment (`reason` in the merchant's words; the title is as it was).
 */
export type GroupDiscountRetitle =
  | { state: "retitled"; from: string; to: string }
  | { state: "kept"; title: string }
  | { state: "failed"; title: string; to: string; reason: string };

/**
 * Whether a renamed group's discount should follow the new name: only while its title in Shopify is still the one Tally
 * gave it under the old name. "done" when it reads the new name's already (a repeated submit), "keep" for a title the
 * merchant edited in Shopify admin.
 */
export function groupDiscountRetitlePlan(
  currentTitle: string,
  oldName: string,
  newName: string,
): "retitle" | "done" | "keep" {
  if (currentTitle === groupDiscountTitle(newName)) return "done";
  return currentTitle === groupDiscountTitle(oldName) ? "retitle" : "keep";
}

/**
 * What a merchant reads when a group was renamed and its discount's title could not follow, or null when nothing is
 * left to tell: the group is renamed in Shopify and Tally, the discount still has its old title, and how to change it.
 */
export function groupDiscountRetitleWarning(retitle: GroupDiscountRetitle | null): string | null {
  if (retitle?.state !== "failed") return null;
  return (
    `The group is renamed, but its discount in Shopify is still titled \u201c${retitle.title}\u201d: ${retitle.reason}. ` +
    `Change its title to \u201c${retitle.to}\u201d in Shopify admin (Discounts) if it should follow.`
  );
}
