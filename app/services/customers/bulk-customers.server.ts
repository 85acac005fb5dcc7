import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { CustomerSelection } from "~/domain/background-jobs";
import { customers } from "~/db/schema";
import { preparedRows } from "~/db/dialect";
import type { SQL } from "drizzle-orm";
import type { ServiceContext, Tx } from "../context";
import { emptyCustomerQuery, type DirectoryCursor } from "~/domain/customers";
import { countMatchingCustomers, listMatchingCustomerIds, planSortOrderRead } from "./customer-query.server";
import { joinUnblockedMembers } from "../referrals/referral-joining.server";
import { customerSubject, recordAudits } from "../audit/record-audit.server";
import { applyTagEvent } from "./customer-facts.server";

/*
 * The customers a bulk action or an export acts on (decision 026): the rows staff ticked, or every customer matching
 * a frozen directory query, read a batch at a time so a task's checkpoint is simply the last row done: in id order
 * for a bulk action, in the directory's sort for an export (decision 043).
 */

const selectedColumns = {
  id: customers.id,
  customerGid: customers.customerGid,
  firstName: customers.firstName,
  lastName: customers.lastName,
  email: customers.email,
  phone: customers.phone,
  status: customers.status,
  blocked: customers.blocked,
  tags: customers.tags,
  pointsBalance: customers.pointsBalance,
  pointsPending: customers.pointsPending,
  joinedAt: customers.joinedAt,
  lastOrderAt: customers.lastOrderAt,
  ordersCount: customers.ordersCount,
  amountSpentMinor: customers.amountSpentMinor,
  currency: customers.currency,
  storeCreditMinor: customers.storeCreditMinor,
  storeCreditCurrency: customers.storeCreditCurrency,
  city: customers.city,
  countryCode: customers.countryCode,
  emailMarketingState: customers.emailMarketingState,
  taxExempt: customers.taxExempt,
  referralJoinedAt: customers.referralJoinedAt,
  successfulReferrals: customers.successfulReferrals,
  referrerRevenueMinor: customers.referrerRevenueMinor,
  refereeRevenueMinor: customers.refereeRevenueMinor,
};

export type SelectedCustomer = {
  [Key in keyof typeof selectedColumns]: (typeof selectedColumns)[Key]["_"]["data"] extends infer Data
    ? (typeof selectedColumns)[Key]["_"]["notNull"] extends true
      ? Data
      : Data | null
    : never;
};

const at = Object.fromEntries(Object.keys(selectedColumns).map((key, index) => [key, index])) as Record<
  keyof typeof selectedColumns,
  number
>;

/** A row of `selectedColumns` and the sort key's value after them, as SQLite stores it. */
function pagedCustomerOf(row: unknown[]): PagedCustomer {
  return { ...selectedCustomerOf(row), sortValue: row[row.length - 1] as string | number };
}

/** A row of `selectedColumns` as SQLite stores it (booleans 0/1, tags JSON text), as drizzle would map it. */
function selectedCustomerOf(row: unknown[]): SelectedCustomer {
  const value = <Key extends keyof typeof selectedColumns>(key: Key) => row[at[key]] as SelectedCustomer[Key];
  const tags = row[at.tags];
  return {
    id: value("id"),
    customerGid: value("customerGid"),
    firstName: value("firstName"),
    lastName: value("lastName"),
    email: value("email"),
    phone: value("phone"),
    status: value("status"),
    blocked: row[at.blocked] === 1,
    tags: typeof tags === "string" && tags !== "[]" ? (JSON.parse(tags) as string[]) : [],
    pointsBalance: value("pointsBalance"),
    pointsPending: value("pointsPending"),
    joinedAt: value("joinedAt"),
    lastOrderAt: value("lastOrderAt"),
    ordersCount: value("ordersCount"),
    amountSpentMinor: value("amountSpentMinor"),
    currency: value("currency"),
    storeCreditMinor: value("storeCreditMinor"),
    storeCreditCurrency: value("storeCreditCurrency"),
    city: value("city"),
    countryCode: value("countryCode"),
    emailMarketingState: value("emailMarketingState"),
    taxExempt: row[at.taxExempt] === 1,
    referralJoinedAt: value("referralJoinedAt"),
    successfulReferrals: value("successfulReferrals"),
    referrerRevenueMinor: value("referrerRevenueMinor"),
    refereeRevenueMinor: value("refereeRevenueMinor"),
  };
}

/**
 * The next batch of at most `limit` customers of the selection after customer id `afterId` (0 for the first), in id
 * order, and `lastId`, where the next batch starts (undefined: the selection is done). Ticked rows of another shop
 * or no longer stored are not returned.
 */
export async function listSelectedCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { selection: CustomerSelection; afterId: number; limit: number };
}) {
  const ids =
    "ids" in input.selection
      ? [...new Set(input.selection.ids)]
          .filter((id) => id > input.afterId)
          .sort((a, b) => a - b)
          .slice(0, input.limit)
      : await listMatchingCustomerIds({
          ctx,
          input: { query: input.selection.query, afterId: input.afterId, limit: input.limit },
        });
  if (ids.length === 0) return { rows: [], lastId: undefined };
  const rows = await ctx.db
    .select(selectedColumns)
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids)))
    .orderBy(customers.id);
  return { rows, lastId: ids.at(-1)! };
}

type SortOrderRead = Awaited<ReturnType<typeof planSortOrderRead>>;

function buildExportReads(ctx: ServiceContext, plan: SortOrderRead) {
  const order = plan.descending ? sql`desc` : sql`asc`;
  const beyond = plan.descending ? sql`<` : sql`>`;
  const read = (position?: SQL) =>
    ctx.db
      .select({ ...selectedColumns, sortValue: plan.sortValue })
      .from(customers)
      .where(and(plan.where, position))
      .orderBy(sql`${plan.key} ${order}`, sql`${plan.id} ${order}`)
      .limit(sql.placeholder("limit"))
      .prepare();
  return {
    first: read(),
    // As the directory reads a page after a cursor: the rest of the cursor key's ties, then the keys beyond it, two
    // ranges SQLite seeks on the index (a (key, id) > (v, i) bound would read every tie of v).
    ties: read(sql`${plan.key} = ${sql.placeholder("value")} and ${plan.id} ${beyond} ${sql.placeholder("id")}`),
    rest: read(sql`${plan.key} ${beyond} ${sql.placeholder("value")}`),
  };
}

/** Prepared page reads of the exports running in this process, by read key; a few at most run at once. */
const exportReads = new Map<string, ReturnType<typeof buildExportReads>>();
const MAX_EXPORT_READS = 8;

type PagedCustomer = SelectedCustomer & { sortValue: string | number };

/**
 * The next page of a selection's customers after `after` (null for the first), for a long read of a whole shop (an
 * export): a query selection in the directory's order (its sort, then id; decision 043), planned once per `readKey`
 * (say, the task) and read a page at a time through prepared statements keyset on (sort key, id), so the millionth
 * row costs what the first does; `last` is the position the next page starts after (undefined: the selection is done).
 * Ticked rows are read in the sort the directory had when they were ticked (their `sort`), ties included, from the
 * same plan with the ids added to it; ticked rows without a sort (an export begun before they kept it) are read in id
 * order, as listSelectedCustomers reads them, and so is a query selection with `order: "id"` (an export begun before
 * decision 043, resumed in the order its file began; `last` is then `{ value: id, id }`).
 */
export async function readSelectionPage({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    selection: CustomerSelection;
    after: DirectoryCursor | null;
    limit: number;
    readKey: string;
    order?: "sort" | "id";
  };
}): Promise<{ rows: SelectedCustomer[]; last: DirectoryCursor | undefined }> {
  const { selection } = input;
  if (("ids" in selection && !selection.sort) || input.order === "id") {
    const { rows, lastId } = await listSelectedCustomers({
      ctx,
      input: { selection: input.selection, afterId: input.after?.id ?? 0, limit: input.limit },
    });
    return { rows, last: lastId === undefined ? undefined : { value: lastId, id: lastId } };
  }
  const key = `${ctx.shop}\n${input.readKey}\n${input.limit}`;
  let reads = exportReads.get(key);
  if (!reads) {
    if ("ids" in selection) {
      // At most MAX_SELECTED_ROWS ids: read by primary key, then sorted, as the directory's page was.
      const plan = await planSortOrderRead({
        ctx,
        input: { query: { ...emptyCustomerQuery, sort: selection.sort! }, wanted: input.limit, byId: true },
      });
      reads = buildExportReads(ctx, {
        ...plan,
        where: and(plan.where, inArray(customers.id, [...new Set(selection.ids)]))!,
      });
    } else {
      const plan = await planSortOrderRead({ ctx, input: { query: selection.query, wanted: input.limit } });
      reads = buildExportReads(ctx, plan);
    }
    exportReads.set(key, reads);
    if (exportReads.size > MAX_EXPORT_READS) exportReads.delete(exportReads.keys().next().value!);
  }
  // Stored values, mapped here by position: drizzle's generic row mapping cost more than the read itself (bench:export).
  const read = (statement: (typeof reads)["first"], params: Record<string, unknown>) =>
    preparedRows<PagedCustomer>(ctx.db, statement, params, pagedCustomerOf);
  const { after } = input;
  let rows: PagedCustomer[];
  if (after === null) rows = await read(reads.first, { limit: input.limit });
  else {
    rows = await read(reads.ties, { value: after.value, id: after.id, limit: input.limit });
    if (rows.length < input.limit)
      rows = rows.concat(await read(reads.rest, { value: after.value, limit: input.limit - rows.length }));
  }
  if (rows.length === 0) exportReads.delete(key);
  const last = rows.at(-1);
  return { rows, last: last ? { value: last.sortValue, id: last.id } : undefined };
}

/**
 * How many of the ticked customers (ids, repeats counted once) are the shop's and match `where` (any drizzle condition
 * on `customers`; none: all of them), read 500 ids at a time so a "select all on this page" of thousands stays within
 * SQLite's and PostgreSQL's parameter limits. Exact; one indexed read per 500 ids on the primary key.
 */
export async function countTickedCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { ids: readonly number[]; where?: SQL };
}): Promise<number> {
  const ids = [...new Set(input.ids)];
  let found = 0;
  for (let at = 0; at < ids.length; at += 500) {
    const [row] = await ctx.db
      .select({ found: count() })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids.slice(at, at + 500)), input.where));
    found += row?.found ?? 0;
  }
  return found;
}

/** How many customers the selection holds, for the progress bar: exact or Shopify-style "at least" (null: unknown). */
export async function countSelectedCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { selection: CustomerSelection };
}): Promise<number | null> {
  if ("ids" in input.selection) return countTickedCustomers({ ctx, input: { ids: input.selection.ids } });
  const { count, precision } = await countMatchingCustomers({ ctx, input: { query: input.selection.query } });
  return precision === "exact" ? count : null;
}

/**
 * Blocks or unblocks the given customers in the caller's transaction, answering which ones changed (a customer
 * already in the state asked for is left alone). Each one changed gets the `customer.block` / `customer.unblock` line
 * the profile's Block writes, naming the bulk action's job (`taskId`), all in one multi-row insert (decision 017,
 * amended: the job's task.start line says who started it, these say whom it changed).
 */
export async function setBlockedInBulk({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerIds: readonly number[]; blocked: boolean; taskId: number };
}): Promise<{ changed: Set<number> }> {
  if (input.customerIds.length === 0) return { changed: new Set() };
  const rows = await tx
    .update(customers)
    .set({ blocked: input.blocked, updatedAt: ctx.now.toISOString() })
    .where(
      and(
        eq(customers.shop, ctx.shop),
        inArray(customers.id, [...input.customerIds]),
        eq(customers.blocked, !input.blocked),
      ),
    )
    .returning({
      id: customers.id,
      customerGid: customers.customerGid,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
    });
  if (!input.blocked) await joinUnblockedMembers({ ctx, tx, input: { customerIds: rows.map((row) => row.id) } });
  await recordAudits({
    ctx,
    tx,
    input: rows.map((row) => ({
      action: input.blocked ? "customer.block" : "customer.unblock",
      subject: customerSubject(row),
      customerId: row.id,
      before: { blocked: !input.blocked },
      after: { blocked: input.blocked },
      taskId: input.taskId,
    })),
  });
  return { changed: new Set(rows.map((row) => row.id)) };
}

/** One customer's tags as a bulk Add or Remove tags left them, as Shopify answered. */
export interface BulkTagChange {
  customer: Pick<SelectedCustomer, "id" | "customerGid" | "firstName" | "lastName" | "email" | "tags">;
  /** The tags asked for, each spelled as Shopify now holds it (or as the customer carried it, for a removal). */
  tags: string[];
  /** Those of `tags` the customer did not have (adding) or had (removing): empty when the action changed nothing. */
  changed: string[];
  /** The customer's tags as Shopify answered after the change. */
  after: string[];
}

/**
 * Records what a chunk of a bulk Add or Remove tags did in Shopify (inside the chunk's transaction): each customer's
 * tags as a dated fact (applyTagEvent, so a newer webhook still wins), and for each whose tags it changed a
 * `customer.tags_add` / `customer.tags_remove` line naming the job (`taskId`), their tags before and after, written
 * together (recordAudits).
 */
export async function applyBulkTagChanges({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { adding: boolean; taskId: number; changes: readonly BulkTagChange[] };
}) {
  for (const change of input.changes) {
    await applyTagEvent({
      ctx,
      tx,
      input: {
        customerGid: change.customer.customerGid,
        tags: change.tags,
        present: input.adding,
        occurredAt: ctx.now.toISOString(),
      },
    });
  }
  await recordAudits({
    ctx,
    tx,
    input: input.changes
      .filter((change) => change.changed.length > 0)
      .map((change) => ({
        action: input.adding ? "customer.tags_add" : "customer.tags_remove",
        subject: customerSubject(change.customer),
        customerId: change.customer.id,
        before: { tags: change.customer.tags },
        after: { tags: change.after, [input.adding ? "added" : "removed"]: change.changed },
        taskId: input.taskId,
      })),
  });
}
