import { z } from "zod";
import { parseTypedDay, type DayOrder } from "~/domain/shared/calendar-day";
import { asciiMinus, ungroupThousands } from "~/domain/shared/integers";
import { tooLongError, tooLongWords } from "~/domain/shared/text-limit";
import { customerTagSchema } from "./tags";

/*
 * The customer query: which of a shop's customers a screen, a bulk action or an export is about (issue 10). One shape,
 * parsed from the directory's URL (`customerQueryFromParams`), written back to one (`customerQueryToParams`), stored as
 * a saved view, and turned into SQL by one service (app/services/customers/customer-query.server.ts). A tab and the
 * filters all hold at once; a filter left out does not filter.
 */

/** Customer types (seed 004) and the directory's other built-in views, each a tab with its count. */
export const customerTabs = ["all", "members", "guests", "paying", "non-converting", "opted-in", "blocked"] as const;
export type CustomerTab = (typeof customerTabs)[number];

/** Shopify's email marketing states (CustomerEmailMarketingState). */
export const emailConsentStates = [
  "SUBSCRIBED",
  "NOT_SUBSCRIBED",
  "PENDING",
  "UNSUBSCRIBED",
  "REDACTED",
  "INVALID",
] as const;
export type EmailConsentState = (typeof emailConsentStates)[number];

/**
 * Each email marketing state in the merchant's words, as Shopify admin's customer page says them: the directory's
 * column and filter, and the export's "Email marketing" cells (an export wrote Shopify's enums until newcomer round
 * 13 read "NOT_SUBSCRIBED" in Excel).
 */
export const emailConsentLabels: Record<EmailConsentState, string> = {
  SUBSCRIBED: "Subscribed",
  NOT_SUBSCRIBED: "Not subscribed",
  PENDING: "Pending confirmation",
  UNSUBSCRIBED: "Unsubscribed",
  REDACTED: "Redacted",
  INVALID: "Invalid",
};

/** A stored state (`null`: never read from Shopify) in words: "" for none, Shopify's own word for a state added later. */
export function emailConsentLabel(state: string | null): string {
  if (state === null) return "";
  return emailConsentLabels[state as EmailConsentState] ?? state;
}

/** The directory's sort keys; each has a (shop, key, id) index, so both directions are one range scan. */
export const directorySortKeys = [
  "points",
  "joined",
  "name",
  "orders",
  "spent",
  "last_order",
  // Referral figures (seed 002): successful referrals, referrer revenue, referee revenue.
  "referrals",
  "referrer",
  "referee",
  // Store credit (issue 11, decision 027): the balance Shopify last answered, in its account's minor units.
  "store_credit",
] as const;
export type DirectorySortKey = (typeof directorySortKeys)[number];
export const directorySortSchema = z.enum(
  directorySortKeys.flatMap((key) => [`${key}-desc`, `${key}-asc`] as const) as [
    `${DirectorySortKey}-${"asc" | "desc"}`,
    ...`${DirectorySortKey}-${"asc" | "desc"}`[],
  ],
);
export type DirectorySort = z.infer<typeof directorySortSchema>;
export const defaultDirectorySort: DirectorySort = "joined-desc";

export function parseDirectorySort(sort: DirectorySort): { key: DirectorySortKey; direction: "asc" | "desc" } {
  const at = sort.lastIndexOf("-");
  return { key: sort.slice(0, at) as DirectorySortKey, direction: sort.slice(at + 1) as "asc" | "desc" };
}

/** Sort keys whose values are text (ISO dates, folded names); the others are integers. */
export const textSortKeys: ReadonlySet<DirectorySortKey> = new Set(["joined", "name", "last_order"]);

export interface IntegerRange {
  min?: number;
  max?: number;
}
export interface DateRange {
  /** YYYY-MM-DD, inclusive, UTC. */
  from?: string;
  to?: string;
}

export interface CustomerQuery {
  /** What the merchant typed in the search box (any part of a name, email or phone). */
  search?: string;
  tab: CustomerTab;
  status?: "member" | "guest";
  type?: "paying" | "non-converting";
  /** Customers with any of these tags (Shopify tags, the merchant's customer groups). */
  tags: string[];
  taxExempt?: boolean;
  /** Customers in any of these email marketing states. */
  consent: EmailConsentState[];
  orders: IntegerRange;
  /** Amount spent in the shop's currency, in minor units. */
  spent: IntegerRange;
  points: IntegerRange;
  joined: DateRange;
  /** ISO 3166 alpha-2 codes of the default address's country. */
  countries: string[];
  blocked?: boolean;
  referralJoined?: boolean;
  hasReferrals?: boolean;
  /**
   * No points activity (no ledger entry: nothing earned, redeemed, adjusted or expired) in the last this many days, or
   * ever: the directory's Points activity filter, and Home's idle balances.
   */
  idleDays?: number;
  sort: DirectorySort;
}

export const emptyCustomerQuery: CustomerQuery = {
  tab: "all",
  tags: [],
  consent: [],
  orders: {},
  spent: {},
  points: {},
  joined: {},
  countries: [],
  sort: defaultDirectorySort,
};

const many = <Item extends z.ZodType<string, string>>(item: Item, max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .pipe(z.array(item).max(max));
const yesNo = z
  .enum(["yes", "no"])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === "yes"));
/**
 * A whole number in a message, as the admin's formatter writes it (app/lib/format.ts): thousands grouped and a true
 * minus sign, U+2212 ("−2,000,000,000"), as the list shows a debt; a field's message read "-2,000,000,000" beside it.
 */
export function wholeNumberWords(value: number): string {
  return `${value < 0 ? "\u2212" : ""}${Math.abs(value).toLocaleString("en-US")}`;
}

/** What a filter says of a comma out of place ("1,00"), for whole numbers and for amounts. */
const misplacedCommaMessages = {
  whole: "Use commas for thousands only, like 1,000",
  amount: "Use commas for thousands only, like 1,000.50",
} as const;

/**
 * A number as typed with its thousands grouped as the directory prints them ("1,000", "2,295.37"), without the commas;
 * a comma out of place is `message`. Newcomer round 21: "1,000.50" copied from the list's "$2,295.37" was refused.
 */
const ungrouped = (message: string) =>
  z.string().transform((value, ctx) => {
    const digits = ungroupThousands(value);
    if (digits !== null) return digits;
    // Not "custom": a custom issue refuses the whole link (parseQueryLeavingOut); this leaves the value out.
    ctx.addIssue({ code: "invalid_format", format: "regex", input: value, message });
    return z.NEVER;
  });

/**
 * A whole number as typed, within [min, max], its minus typed either way ("−5" or "-5": `asciiMinus`) and its
 * thousands grouped or not ("1,000"); out of it, the bounds in words ("Enter a whole number from −2,000,000,000 to
 * 2,000,000,000"). Below a bound of 0 or more is the bound alone: "Can't be below 0", "Can't be below 1" for 0 days
 * as for -3 (a minus typed in Number of orders read "Enter a whole number, like 50"; 0 days read the bounds, -3 days
 * the bound alone).
 */
const wholeNumber = ({ min, max }: { min: number; max: number }) => {
  const bounds = `Enter a whole number from ${wholeNumberWords(min)} to ${wholeNumberWords(max)}`;
  return (
    z
      .string()
      .transform(asciiMinus)
      .pipe(ungrouped(misplacedCommaMessages.whole))
      .pipe(z.string().regex(/^-?\d+$/, { error: "Enter a whole number, like 50" }))
      .transform(Number)
      // Digits only by now, so the one way to fail `int` is a number past JavaScript's safe integers: past the bounds too.
      .pipe(
        z
          .number()
          // A bound's issue, not a custom one: the link leaves the value out rather than being refused (parse.server.ts).
          .min(min, { error: min < 0 ? bounds : `Can't be below ${wholeNumberWords(min)}`, abort: true })
          .max(max, { error: bounds })
          .int({ error: bounds }),
      )
      .optional()
  );
};
/**
 * A money amount as typed in the shop's currency ("25", "25.50", "1,000.50" as the list prints money), kept as text
 * without its commas until the currency is known. Totals spent are never negative: a minus, typed either way, is
 * "Can't be below 0" (it read "Enter an amount like 25").
 */
const amount = z
  .string()
  .transform((value, ctx) => {
    const typed = asciiMinus(value);
    if (!typed.startsWith("-")) return typed;
    // A bound's issue, not a custom one: a link holding it leaves the value out rather than being refused.
    ctx.addIssue({
      code: "too_small",
      origin: "number",
      minimum: 0,
      inclusive: true,
      input: value,
      message: "Can't be below 0",
    });
    return z.NEVER;
  })
  .pipe(ungrouped(misplacedCommaMessages.amount))
  .pipe(
    z
      .string()
      .refine((value) => !/^\d{13,}/.test(value), {
        error: "Enter an amount below 1,000,000,000,000",
        abort: true,
      })
      .regex(/^\d{1,12}(\.\d{1,3})?$/, { error: "Enter an amount like 25 or 25.50" }),
  )
  .optional();
/** A day as typed ("2026-11-28", "Nov 28, 2026"), as YYYY-MM-DD; the field and the link share the rule (calendar-day.ts). */
const day = z
  .string()
  .transform((value, ctx) => {
    const parsed = parseTypedDay(value);
    if ("day" in parsed) return parsed.day;
    // Not "custom": a custom issue is a refusal of the whole link (parseQueryLeavingOut), a day one value left out.
    ctx.addIssue({ code: "invalid_format", format: "date", input: value, message: parsed.problem });
    return z.NEVER;
  })
  .optional();

/**
 * The URL form of a customer query, as the directory writes it: `q`, `tab`, `status`, `type`, `tag` (repeated),
 * `tax_exempt`, `consent` (repeated), `orders_min`/`orders_max`, `spent_min`/`spent_max` (amounts in the shop's
 * currency), `points_min`/`points_max`, `joined_from`/`joined_to`, `country` (repeated), `blocked`,
 * `referral_joined`, `has_referrals`, `idle_days`, `sort`.
 */
/** The longest search the directory takes, in characters: its box stops there, so a typed search is never refused. */
export const SEARCH_MAX_LENGTH = 100;

export const customerQueryParamsSchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(SEARCH_MAX_LENGTH, { error: tooLongError(SEARCH_MAX_LENGTH) })
      .optional(),
    tab: z.enum(customerTabs).default("all"),
    status: z.enum(["member", "guest"]).optional(),
    type: z.enum(["paying", "non-converting"]).optional(),
    tag: many(customerTagSchema, 20),
    tax_exempt: yesNo,
    consent: many(z.enum(emailConsentStates), emailConsentStates.length),
    orders_min: wholeNumber({ min: 0, max: 1_000_000_000 }),
    orders_max: wholeNumber({ min: 0, max: 1_000_000_000 }),
    spent_min: amount,
    spent_max: amount,
    points_min: wholeNumber({ min: -2_000_000_000, max: 2_000_000_000 }),
    points_max: wholeNumber({ min: -2_000_000_000, max: 2_000_000_000 }),
    joined_from: day,
    joined_to: day,
    country: many(z.string().regex(/^[A-Z]{2}$/, { error: "Use a two-letter country code" }), 250),
    blocked: yesNo,
    referral_joined: yesNo,
    has_referrals: yesNo,
    idle_days: wholeNumber({ min: 1, max: 36_500 }),
    sort: directorySortSchema.default(defaultDirectorySort),
  })
  .superRefine((params, ctx) => {
    // A reversed range matches nobody; said, rather than quietly answering an empty list (found by a newcomer).
    const ranges = [
      ["Number of orders", "orders_min", "orders_max"],
      ["Total spent", "spent_min", "spent_max"],
      ["Points", "points_min", "points_max"],
      ["Date joined", "joined_from", "joined_to"],
    ] as const;
    for (const [label, low, high] of ranges) {
      const from = params[low];
      const to = params[high];
      if (from === undefined || to === undefined) continue;
      if (
        typeof from === "string" && typeof to === "string"
          ? low === "joined_from"
            ? from > to
            : Number(from) > Number(to)
          : from > to
      ) {
        // No path: the issue is the two ends', and its words name the filter ("points_max: Points: …" was shown).
        const words = (end: string | number) => (typeof end === "number" ? wholeNumberWords(end) : end);
        ctx.addIssue({
          code: "custom",
          path: [],
          message: `${label}: the range is reversed (from ${words(from)} to ${words(to)}); swap them`,
        });
      }
    }
  });
export type CustomerQueryParams = z.infer<typeof customerQueryParamsSchema>;

/** Each directory URL parameter (and the page's cursor) in the directory's own words, for what a link left out. */
const directoryParamLabels: Record<string, string> = {
  q: "Search",
  tab: "Tab",
  status: "Status",
  type: "Customer type",
  tag: "Tags",
  tax_exempt: "Tax exempt",
  consent: "Email marketing",
  orders_min: "Number of orders, from",
  orders_max: "Number of orders, to",
  spent_min: "Total spent, from",
  spent_max: "Total spent, to",
  points_min: "Points, from",
  points_max: "Points, to",
  joined_from: "Date joined, from",
  joined_to: "Date joined, to",
  country: "Country",
  blocked: "Blocked",
  referral_joined: "Joined the referral program",
  has_referrals: "Has successful referrals",
  // The filter's label in the Filters bar: "No points activity in the last (days)" read as a riddle.
  idle_days: "Points activity",
  sort: "Sort",
  after: "Page",
  before: "Page",
};

/**
 * A value the directory left out, in words: "Points, to: Enter a whole number from −2,000,000,000 to 2,000,000,000".
 * `name` is the URL parameter, `message` the schema's reason; a reason written for developers (zod's own "Invalid
 * option: expected one of …") becomes "not one the directory knows".
 */
export function leftOutParamWords(name: string, message: string | undefined): string {
  const label = directoryParamLabels[name] ?? name;
  if (name === "after" || name === "before") return `${label}: the link's place in the list is out of date`;
  const own = message && !/^(Invalid|Too (big|small)|Expected)/.test(message) ? message : "not one the directory knows";
  return `${label}: ${own}`;
}

/**
 * Why a value typed into one of the directory's filter fields cannot be used, in the words the link's check would
 * give (`customerQueryParamsSchema`), or null when it can: the range filters say so on the field instead of the list
 * quietly ignoring it. `name` is the URL parameter ("points_max"), `value` as typed; a day typed in numbers with the
 * year last is read in `dayOrder`, the staff member's (the link then holds it as YYYY-MM-DD: `rangeEnd`).
 */
export function directoryParamProblem(
  name: keyof CustomerQueryParams,
  value: string,
  dayOrder?: DayOrder,
): string | null {
  if (value.trim() === "") return null;
  if (name === "joined_from" || name === "joined_to") {
    const parsed = parseTypedDay(value, dayOrder);
    return "problem" in parsed ? parsed.problem : null;
  }
  const result = customerQueryParamsSchema.shape[name].safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? "Not a value the directory can use");
}

/** The URL's params as zod reads them: a key given more than once is a list. */
export function paramsOf(searchParams: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    params[key] = values.length === 1 ? values[0]! : values;
  }
  return params;
}

const range = <Value>(min: Value | undefined, max: Value | undefined) => ({
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});

/**
 * A customer query from parsed URL params; `toMinor` turns a typed amount into the shop currency's minor units
 * (app/domain/shared/money.ts), since only the caller knows the currency.
 */
export function customerQueryFromParams(
  params: CustomerQueryParams,
  toMinor: (amount: string) => number,
): CustomerQuery {
  const spentMin = params.spent_min === undefined ? undefined : toMinor(params.spent_min);
  const spentMax = params.spent_max === undefined ? undefined : toMinor(params.spent_max);
  return {
    ...(params.q ? { search: params.q } : {}),
    tab: params.tab,
    ...(params.status ? { status: params.status } : {}),
    ...(params.type ? { type: params.type } : {}),
    tags: params.tag,
    ...(params.tax_exempt !== undefined ? { taxExempt: params.tax_exempt } : {}),
    consent: params.consent,
    orders: range(params.orders_min, params.orders_max),
    spent: range(spentMin, spentMax),
    points: range(params.points_min, params.points_max),
    joined: {
      ...(params.joined_from ? { from: params.joined_from } : {}),
      ...(params.joined_to ? { to: params.joined_to } : {}),
    },
    countries: params.country,
    ...(params.blocked !== undefined ? { blocked: params.blocked } : {}),
    ...(params.referral_joined !== undefined ? { referralJoined: params.referral_joined } : {}),
    ...(params.has_referrals !== undefined ? { hasReferrals: params.has_referrals } : {}),
    ...(params.idle_days !== undefined ? { idleDays: params.idle_days } : {}),
    sort: params.sort,
  };
}

/**
 * The URL params of a customer query, the inverse of `customerQueryFromParams`; `fromMinor` writes an amount as the
 * merchant would type it. Defaults are left out, so links stay short.
 */
export function customerQueryToParams(query: CustomerQuery, fromMinor: (minor: number) => string): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) params.set(key, String(value));
  };
  const flag = (key: string, value: boolean | undefined) =>
    set(key, value === undefined ? undefined : value ? "yes" : "no");
  set("q", query.search);
  if (query.tab !== "all") set("tab", query.tab);
  set("status", query.status);
  set("type", query.type);
  for (const tag of query.tags) params.append("tag", tag);
  flag("tax_exempt", query.taxExempt);
  for (const state of query.consent) params.append("consent", state);
  set("orders_min", query.orders.min);
  set("orders_max", query.orders.max);
  set("spent_min", query.spent.min === undefined ? undefined : fromMinor(query.spent.min));
  set("spent_max", query.spent.max === undefined ? undefined : fromMinor(query.spent.max));
  set("points_min", query.points.min);
  set("points_max", query.points.max);
  set("joined_from", query.joined.from);
  set("joined_to", query.joined.to);
  for (const country of query.countries) params.append("country", country);
  flag("blocked", query.blocked);
  flag("referral_joined", query.referralJoined);
  flag("has_referrals", query.hasReferrals);
  set("idle_days", query.idleDays);
  if (query.sort !== defaultDirectorySort) set("sort", query.sort);
  return params;
}

/** The schema a saved view's stored query is read back through (JSON, amounts already in minor units). */
export const storedCustomerQuerySchema: z.ZodType<CustomerQuery> = z.object({
  search: z.string().max(SEARCH_MAX_LENGTH).optional(),
  tab: z.enum(customerTabs),
  status: z.enum(["member", "guest"]).optional(),
  type: z.enum(["paying", "non-converting"]).optional(),
  tags: z.array(z.string().max(255)).max(20),
  taxExempt: z.boolean().optional(),
  consent: z.array(z.enum(emailConsentStates)),
  orders: z.object({ min: z.number().int().optional(), max: z.number().int().optional() }),
  spent: z.object({ min: z.number().int().optional(), max: z.number().int().optional() }),
  points: z.object({ min: z.number().int().optional(), max: z.number().int().optional() }),
  joined: z.object({ from: z.string().optional(), to: z.string().optional() }),
  countries: z.array(z.string()).max(250),
  blocked: z.boolean().optional(),
  referralJoined: z.boolean().optional(),
  hasReferrals: z.boolean().optional(),
  idleDays: z.number().int().positive().optional(),
  sort: directorySortSchema,
});

/** Whether the query narrows the shop at all beyond its tab (a search or any filter). */
export function isFiltered(query: CustomerQuery): boolean {
  const { tab: _tab, sort: _sort, ...rest } = query;
  return Object.values(rest).some((value) =>
    Array.isArray(value)
      ? value.length > 0
      : typeof value === "object" && value !== null
        ? Object.keys(value).length > 0
        : value !== undefined,
  );
}

/** A count as the directory shows it: exact, at least (Shopify's "10,000+"), or estimated from a sample. */
export interface CustomerCount {
  count: number;
  precision: "exact" | "at_least" | "estimate";
}

/** The directory's optional columns (Name is always shown), in the order they appear. */
export const directoryColumns = [
  "email",
  // Search finds customers by phone; the column shows it, as the shop's staff write it (decision 053; round 21).
  "phone",
  "status",
  "points",
  "joined",
  "last_order",
  "orders",
  "spent",
  "store_credit",
  "location",
  "tags",
  "consent",
  "tax_exempt",
  "referrals",
  "referrer",
  "referee",
] as const;
export type DirectoryColumn = (typeof directoryColumns)[number];
/**
 * The columns a staff member sees until they choose their own in the column picker (which keeps every column):
 * what seeds 000 and 004 say merchants read first (name and email, Member/Guest status, points, date joined; location,
 * orders and total spent) and the referral program's one figure, successful referrals. Nine columns with Name fit the
 * admin's content area at 1280-1440 px without a sideways scroll; phone, last order, store credit, tags, consent, tax
 * exempt and the two referral revenues are a tick away. Staff who saved a choice keep it (staff_preferences).
 */
export const defaultDirectoryColumns: DirectoryColumn[] = [
  "email",
  "status",
  "points",
  "joined",
  "orders",
  "spent",
  "location",
  "referrals",
];
export const directoryColumnsSchema = z
  .array(z.enum(directoryColumns))
  .max(directoryColumns.length)
  .transform((columns) => directoryColumns.filter((column) => columns.includes(column)));

/** The longest name a saved view may have, in characters once trimmed. */
export const MAX_VIEW_NAME_LENGTH = 40;

/** The directory's built-in tabs as their tabs name them; a saved view may not take one of these names. */
export const customerTabLabels: Record<CustomerTab, string> = {
  all: "All",
  members: "Members",
  guests: "Guests",
  paying: "Paying",
  "non-converting": "Non-converting",
  "opted-in": "Opted-in",
  blocked: "Blocked",
};

/** Why a view's name is refused when a tab already has it: Polaris' own words in its Rename and Create view dialogs. */
export const VIEW_NAME_TAKEN = "A view with this name already exists. Please choose a different name.";

/**
 * A view's name as tabs compare it, so that two names a merchant reads as one are one tab: compatibility forms folded
 * (Unicode NFKC: a full-width "Ｍembers" is "Members", the ligature "ﬁ" is "fi", a decomposed "é" is the composed one),
 * every run of white space (a non-breaking space, a double space) made one space and the ends trimmed, then
 * lower-cased (JavaScript's Unicode lower case, so "ÉTÉ" is "été"), as Polaris' Rename dialog compares case. Two names
 * with one key are one tab; the database keeps it unique per shop (customer_views.name_key). Returns the key, never
 * throws.
 */
export function viewNameKey(name: string): string {
  return name.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
}

/**
 * Whether `name` is already a tab's: a built-in tab's (customerTabLabels) or one of `viewNames` (the shop's saved
 * views, less the one being renamed). Compared by viewNameKey, so neither "members" nor a full-width "Ｍembers" can
 * sit beside "Members".
 */
export function isViewNameTaken(name: string, viewNames: readonly string[]): boolean {
  const key = viewNameKey(name);
  return [...Object.values(customerTabLabels), ...viewNames].some((taken) => viewNameKey(taken) === key);
}

/** A saved view's name as a merchant types it. */
export const viewNameSchema = z
  .string({ error: "Name the view" })
  .trim()
  .min(1, { error: "Name the view" })
  // The same words the name field shows as the merchant types (`tooLongWords`), counted on the trimmed name.
  .max(MAX_VIEW_NAME_LENGTH, { error: (issue) => tooLongWords(String(issue.input), MAX_VIEW_NAME_LENGTH) });

export interface SavedCustomerView {
  id: number;
  name: string;
  query: CustomerQuery;
}

/**
 * The directory URL's parameters that are a view's terms: its search, tab and filters, everything a saved view holds
 * but its sort (a sort changed over a view keeps the view selected, as in Shopify admin).
 */
export const directoryTermParams: readonly string[] = Object.keys(customerQueryParamsSchema.shape).filter(
  (name) => name !== "sort",
);

/** Whether a directory URL's params (`paramsOf`) hold any of a view's terms (`directoryTermParams`). */
export function hasDirectoryTerms(params: Readonly<Record<string, unknown>>): boolean {
  return directoryTermParams.some((name) => params[name] !== undefined);
}

/** A query's terms (all but its sort) in one canonical text: lists sorted, tags by their key, empty ranges dropped. */
function termsKey(query: CustomerQuery): string {
  const { sort: _sort, ...terms } = query;
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((each) => (typeof each === "string" ? each.toLowerCase() : each)).sort();
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, each]) => each !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, each]) => [key, canonical(each)]),
      );
    return value;
  };
  return JSON.stringify(canonical(terms));
}

/**
 * How the directory's shown query stands to a saved view's: "same" terms (the sort may differ), "narrowed" (the view's
 * terms with a search typed over a view that has none: the list is part of the view), or "differs" (a filter, the tab
 * or the view's search changed: the list is not the view's, and the view must not name it).
 */
export function viewFit(view: CustomerQuery, shown: CustomerQuery): "same" | "narrowed" | "differs" {
  if (termsKey(view) === termsKey(shown)) return "same";
  if (
    view.search === undefined &&
    shown.search !== undefined &&
    termsKey(view) === termsKey({ ...shown, search: undefined })
  )
    return "narrowed";
  return "differs";
}
