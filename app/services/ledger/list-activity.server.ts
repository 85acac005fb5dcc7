import { and, asc, desc, eq, gt, gte, inArray, like, lt, lte, or, sql } from "drizzle-orm";
import { shopDateWriter } from "~/domain/shared/shop-time";
import { getShopCurrency, getShopTimeZone } from "~/services/shops/get-shop.server";
import { activityLabel, kindsForActivity, likePattern, type ActivityFilter, type ActivitySort } from "~/domain/ledger";
import { adminMoneyInText, formatAdminMoney, type CurrencyCode } from "~/domain/shared";
import { customers, ledgerEntries, storeCreditTransactions } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface ActivityRow {
  /** Unique within the log: "ledger:<id>" or "store_credit:<id>". */
  key: string;
  id: number;
  kind: string;
  /** The entry's word on the log ("Earned", "Imported", "Redeemed"): activityLabel. */
  label: string;
  /** Signed effect on the spendable balance (or on held points when `held`). */
  points: number;
  held: boolean;
  explanation: string;
  actor: string;
  /**
   * Who acted, by name: the staff member as Shopify named them when they acted, or the customer for their own
   * redemptions (looked up now, so an erased customer is no longer named). Null when no name is known.
   */
  actorName: string | null;
  createdAt: string;
  /** A store credit line (kind "store_credit_issue" / "store_credit_deduct"): the signed amount; points are 0. */
  storeCredit: { amountMinor: number; currency: string } | null;
}

/**
 * A page of one customer's ledger, newest first (or oldest first), keyset-paginated by id: `cursor` is the last id of
 * the previous page, so ledger_entries_customer_idx (shop, customer_id, id) walks straight to it however long the
 * history is. `search` matches an order name, a reason or who acted anywhere in the explanation, the staff reason
 * (`note`) or the staff member's name, ignoring case; it scans only this customer's rows, through the same index.
 * The Pending tab lists entries that moved held points and the releases that made them spendable.
 */
export async function listActivity({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    customerId: number;
    filter: ActivityFilter;
    search?: string;
    sort?: ActivitySort;
    cursor?: number;
    limit: number;
  };
}): Promise<{ rows: ActivityRow[]; nextCursor: number | undefined }> {
  const kinds = kindsForActivity(input.filter);
  const oldestFirst = input.sort === "oldest";
  const pattern = input.search ? likePattern(input.search.toLowerCase()) : null;
  const matches = (
    column: typeof ledgerEntries.explanation | typeof ledgerEntries.note | typeof ledgerEntries.actorName,
  ) => like(sql`lower(${column})`, sql`${pattern} escape '\\'`);
  const rows = await ctx.db
    .select({
      id: ledgerEntries.id,
      kind: ledgerEntries.kind,
      source: ledgerEntries.sourceType,
      points: ledgerEntries.points,
      held: ledgerEntries.held,
      explanation: ledgerEntries.explanation,
      actor: ledgerEntries.actor,
      actorName: ledgerEntries.actorName,
      createdAt: ledgerEntries.createdAt,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        eq(ledgerEntries.customerId, input.customerId),
        // An entry moved in from a merged customer shows where the entry it moved would.
        input.filter === "pending"
          ? or(eq(ledgerEntries.held, true), eq(ledgerEntries.kind, "release"))
          : kinds
            ? or(
                inArray(ledgerEntries.kind, [...kinds]),
                and(eq(ledgerEntries.kind, "move_in"), inArray(ledgerEntries.sourceType, [...kinds])),
              )
            : undefined,
        pattern
          ? or(matches(ledgerEntries.explanation), matches(ledgerEntries.note), matches(ledgerEntries.actorName))
          : undefined,
        input.cursor ? (oldestFirst ? gt : lt)(ledgerEntries.id, input.cursor) : undefined,
      ),
    )
    .orderBy(oldestFirst ? asc(ledgerEntries.id) : desc(ledgerEntries.id))
    .limit(input.limit + 1);
  // Amounts the entry recorded with their currency ("69.16 CAD") in the admin's words: "$69.16" (decision 052).
  const storeCurrency = await getShopCurrency({ ctx });
  const page = rows.slice(0, input.limit).map(
    ({ source, ...row }) =>
      ({
        ...row,
        label: activityLabel({ kind: row.kind, source }),
        explanation: adminMoneyInText(row.explanation, { storeCurrency }),
        key: `ledger:${row.id}`,
        storeCredit: null,
      }) satisfies ActivityRow,
  );
  const nextCursor = rows.length > input.limit ? page.at(-1)?.id : undefined;
  const named = await withCustomerNames(ctx, page);
  if (input.filter !== "all") return { rows: named, nextCursor };
  const credit = await storeCreditLines(ctx, input.customerId, {
    oldestFirst,
    pattern,
    // The window this page of the ledger covers in time: from the previous page's last entry to this page's last.
    after: input.cursor ? await createdAtOf(ctx, input.cursor) : undefined,
    upTo: nextCursor !== undefined ? page.at(-1)?.createdAt : undefined,
  });
  const merged = [...named, ...credit].sort((a, b) =>
    oldestFirst ? a.createdAt.localeCompare(b.createdAt) : b.createdAt.localeCompare(a.createdAt),
  );
  return { rows: merged, nextCursor };
}

async function createdAtOf(ctx: ServiceContext, entryId: number) {
  const [row] = await ctx.db
    .select({ createdAt: ledgerEntries.createdAt })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.id, entryId)));
  return row?.createdAt;
}

/**
 * Store credit staff issued or deducted in Tally, shown beside the ledger entries of the same time (issue 11): the
 * lines dated in the page's window (`after` exclusive, `upTo` inclusive, in the page's direction), so each line
 * shows on exactly one page. Search matches the reason and the staff member's name.
 */
async function storeCreditLines(
  ctx: ServiceContext,
  customerId: number,
  window: { oldestFirst: boolean; pattern: string | null; after?: string; upTo?: string },
): Promise<ActivityRow[]> {
  const { oldestFirst, pattern, after, upTo } = window;
  const matches = (column: typeof storeCreditTransactions.reason | typeof storeCreditTransactions.actorName) =>
    like(sql`lower(${column})`, sql`${pattern} escape '\\'`);
  const rows = await ctx.db
    .select()
    .from(storeCreditTransactions)
    .where(
      and(
        eq(storeCreditTransactions.shop, ctx.shop),
        eq(storeCreditTransactions.customerId, customerId),
        after ? (oldestFirst ? gt : lt)(storeCreditTransactions.createdAt, after) : undefined,
        upTo ? (oldestFirst ? lte : gte)(storeCreditTransactions.createdAt, upTo) : undefined,
        pattern ? or(matches(storeCreditTransactions.reason), matches(storeCreditTransactions.actorName)) : undefined,
      ),
    );
  const shopDate = shopDateWriter(await getShopTimeZone({ ctx }));
  const storeCurrency = await getShopCurrency({ ctx });
  return rows.map((row) => {
    const amount = formatAdminMoney(Math.abs(row.amountMinor), row.currency as CurrencyCode, { storeCurrency });
    // The day the credit can last be spent, in the shop's zone, as staff chose it and the store credit card writes it.
    const expiry = row.expiresAt ? `, expires ${shopDate(row.expiresAt)}` : "";
    const kind = row.kind === "credit" ? "store_credit_issue" : "store_credit_deduct";
    return {
      key: `store_credit:${row.id}`,
      id: row.id,
      kind,
      label: activityLabel({ kind, source: null }),
      points: 0,
      held: false,
      explanation: `${row.kind === "credit" ? "Issued" : "Deducted"} ${amount} of store credit${expiry}: ${row.reason}`,
      actor: row.actor,
      actorName: row.actorName,
      createdAt: row.createdAt,
      storeCredit: { amountMinor: row.amountMinor, currency: row.currency },
    };
  });
}

/** Storefront redemptions are recorded under the customer's gid; the log shows their name instead. */
async function withCustomerNames(ctx: ServiceContext, rows: ActivityRow[]): Promise<ActivityRow[]> {
  const gids = [
    ...new Set(rows.map((row) => row.actor).filter((actor) => actor.startsWith("gid://shopify/Customer/"))),
  ];
  if (gids.length === 0) return rows;
  const found = await ctx.db
    .select({ gid: customers.customerGid, firstName: customers.firstName, lastName: customers.lastName })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.customerGid, gids)));
  const names = new Map(found.map((c) => [c.gid, [c.firstName, c.lastName].filter(Boolean).join(" ") || null]));
  return rows.map((row) => (names.has(row.actor) ? { ...row, actorName: names.get(row.actor) ?? null } : row));
}
