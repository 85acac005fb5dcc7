import { z } from "zod";
import { and, asc, eq } from "drizzle-orm";
import {
  defaultDirectoryColumns,
  directoryColumnsSchema,
  isViewNameTaken,
  VIEW_NAME_TAKEN,
  viewNameKey,
  storedCustomerQuerySchema,
  type CustomerQuery,
  type DirectoryColumn,
  type SavedCustomerView,
} from "~/domain/customers";
import { exportColumns, type ExportColumn } from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { customerViews, staffPreferences } from "~/db/schema";
import { isUniqueViolation, lockUntilCommit } from "~/db/dialect";
import { inTransaction, type ServiceContext, type Tx } from "../context";

/** At most this many saved views a shop (Shopify's admin allows a handful of tabs before "More views"). */
export const MAX_SAVED_VIEWS = 50;

/** The shop's saved directory views, oldest first (the order their tabs appear in). */
export async function listCustomerViews({ ctx }: { ctx: ServiceContext }): Promise<SavedCustomerView[]> {
  const rows = await ctx.db
    .select({ id: customerViews.id, name: customerViews.name, query: customerViews.query })
    .from(customerViews)
    .where(eq(customerViews.shop, ctx.shop))
    .orderBy(asc(customerViews.id));
  // A view saved by an older Tally whose query no longer parses is left out rather than breaking the page.
  return rows.flatMap((row) => {
    const query = storedCustomerQuerySchema.safeParse(row.query);
    return query.success ? [{ id: row.id, name: row.name, query: query.data }] : [];
  });
}

/** One of the shop's saved views by id, or undefined when it has none such (deleted, another shop's, unreadable). */
export async function findCustomerView({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: number };
}): Promise<SavedCustomerView | undefined> {
  const [row] = await ctx.db
    .select({ id: customerViews.id, name: customerViews.name, query: customerViews.query })
    .from(customerViews)
    .where(and(eq(customerViews.shop, ctx.shop), eq(customerViews.id, input.id)));
  const query = storedCustomerQuerySchema.safeParse(row?.query);
  return row && query.success ? { id: row.id, name: row.name, query: query.data } : undefined;
}

/**
 * Saves the current search, tab, filters and sort as a named view of the shop's directory (Polaris IndexFilters'
 * "Create view" and "Save as"), or, given `id`, as that view's new query under its own name ("Save"). Throws
 * `conflict` when a tab already has the name (isViewNameTaken: a built-in tab or another view, whatever the case) or
 * past MAX_SAVED_VIEWS, `not_found` when `id` is not one of the shop's views. Returns the view.
 */
export async function saveCustomerView({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { name: string; query: CustomerQuery; id?: number };
}): Promise<SavedCustomerView> {
  const now = ctx.now.toISOString();
  return refusingTakenNames(() =>
    inTransaction(ctx, async (tx) => {
      if (input.id !== undefined) {
        const [updated] = await tx
          .update(customerViews)
          .set({ query: input.query, updatedAt: now })
          .where(and(eq(customerViews.shop, ctx.shop), eq(customerViews.id, input.id)))
          .returning({ id: customerViews.id, name: customerViews.name });
        if (!updated) throw new DomainError("not_found", "No such view");
        return { id: updated.id, name: updated.name, query: input.query };
      }
      const names = await viewNamesOf(tx, ctx.shop);
      if (
        isViewNameTaken(
          input.name,
          names.map((view) => view.name),
        )
      ) {
        throw new DomainError("conflict", VIEW_NAME_TAKEN, { fieldErrors: { name: [VIEW_NAME_TAKEN] } });
      }
      if (names.length >= MAX_SAVED_VIEWS) {
        throw new DomainError("conflict", `A shop keeps at most ${MAX_SAVED_VIEWS} views: delete one first`);
      }
      const [row] = await tx
        .insert(customerViews)
        .values({
          shop: ctx.shop,
          name: input.name,
          nameKey: viewNameKey(input.name),
          query: input.query,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: customerViews.id });
      return { id: row!.id, name: input.name, query: input.query };
    }),
  );
}

/**
 * Renames a saved view; `conflict` when a tab already has the name (isViewNameTaken; the view's own name in another
 * case is fine), `not_found` when the view is not the shop's.
 */
export async function renameCustomerView({ ctx, input }: { ctx: ServiceContext; input: { id: number; name: string } }) {
  await refusingTakenNames(() =>
    inTransaction(ctx, async (tx) => {
      const others = (await viewNamesOf(tx, ctx.shop)).filter((view) => view.id !== input.id);
      if (
        isViewNameTaken(
          input.name,
          others.map((view) => view.name),
        )
      ) {
        throw new DomainError("conflict", VIEW_NAME_TAKEN, { fieldErrors: { name: [VIEW_NAME_TAKEN] } });
      }
      const updated = await tx
        .update(customerViews)
        .set({ name: input.name, nameKey: viewNameKey(input.name), updatedAt: ctx.now.toISOString() })
        .where(and(eq(customerViews.shop, ctx.shop), eq(customerViews.id, input.id)))
        .returning({ id: customerViews.id });
      if (updated.length === 0) throw new DomainError("not_found", "No such view");
    }),
  );
}

/**
 * Runs a write of a view's name, answering the database's refusal of a name another view of the shop has
 * (customer_views_shop_name_key_uq, migration 0043) as the service's own check does: `conflict`, VIEW_NAME_TAKEN.
 * The index holds the rule against any writer; a name only it refuses is one written past the shop's lock.
 */
async function refusingTakenNames<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error, customerViews, "customer_views_shop_name_key_uq")) throw error;
    throw new DomainError("conflict", VIEW_NAME_TAKEN, { fieldErrors: { name: [VIEW_NAME_TAKEN] } });
  }
}

/**
 * The shop's saved views' ids and names, holding the shop's view-name lock until commit. The unique index on the
 * name's key (migration 0043) keeps two views from being one tab whoever writes them; the lock is kept for what the
 * index cannot see: the MAX_SAVED_VIEWS count (two saves at 49 views would both pass it on PostgreSQL), and views
 * saved before 0043 with non-ASCII capitals, keyed by SQL's lower() until renamed. SQLite's single writer already
 * serialises them.
 */
async function viewNamesOf(tx: Tx, shop: string): Promise<Array<{ id: number; name: string }>> {
  await lockUntilCommit(tx, `customer-view-names:${shop}`);
  return tx
    .select({ id: customerViews.id, name: customerViews.name })
    .from(customerViews)
    .where(eq(customerViews.shop, shop));
}

/** Deletes a saved view of the shop; `not_found` when it is not there. */
export async function deleteCustomerView({ ctx, input }: { ctx: ServiceContext; input: { id: number } }) {
  const deleted = await inTransaction(ctx, (tx) =>
    tx
      .delete(customerViews)
      .where(and(eq(customerViews.shop, ctx.shop), eq(customerViews.id, input.id)))
      .returning({ id: customerViews.id }),
  );
  if (deleted.length === 0) throw new DomainError("not_found", "No such view");
}

const COLUMNS_KEY = "directory.columns";

/** The directory columns a staff member chose (by Shopify user id), or the default set. */
export async function getDirectoryColumns({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { staffId: string | null };
}): Promise<DirectoryColumn[]> {
  if (!input.staffId) return defaultDirectoryColumns;
  const parsed = directoryColumnsSchema.safeParse(await readStaffPreference(ctx, input.staffId, COLUMNS_KEY));
  return parsed.success ? parsed.data : defaultDirectoryColumns;
}

/** Remembers the columns a staff member chose, for them only, on this shop. */
export async function saveDirectoryColumns({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { staffId: string; columns: DirectoryColumn[] };
}) {
  await writeStaffPreference(ctx, input.staffId, COLUMNS_KEY, directoryColumnsSchema.parse(input.columns));
}

const EXPORT_COLUMNS_KEY = "export.columns";
const exportColumnsSchema = z.array(z.enum(exportColumns)).min(1).max(exportColumns.length);

/**
 * The export columns a staff member last exported (by Shopify user id), or null when they never exported (the export
 * form then starts from their directory columns). Newcomer round 19 (P2): the form forgot them, unlike the picker.
 */
export async function getExportColumns({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { staffId: string | null };
}): Promise<ExportColumn[] | null> {
  if (!input.staffId) return null;
  const parsed = exportColumnsSchema.safeParse(await readStaffPreference(ctx, input.staffId, EXPORT_COLUMNS_KEY));
  return parsed.success ? exportColumns.filter((column) => parsed.data.includes(column)) : null;
}

/**
 * Remembers the columns of the export the staff member (ctx.actor "staff:<id>") just started, for them only, on this
 * shop. Nothing for another actor, or for an input that holds no columns.
 */
export async function rememberExportColumns({ ctx, input }: { ctx: ServiceContext; input: { columns?: unknown } }) {
  const staffId = ctx.actor.startsWith("staff:") ? ctx.actor.slice("staff:".length) : null;
  const parsed = exportColumnsSchema.safeParse(input.columns);
  if (!staffId || !parsed.success) return;
  await writeStaffPreference(ctx, staffId, EXPORT_COLUMNS_KEY, parsed.data);
}

/** One staff member's stored preference under `key` on this shop (unchecked JSON), or undefined when none. */
async function readStaffPreference(ctx: ServiceContext, staffId: string, key: string): Promise<unknown> {
  const [row] = await ctx.db
    .select({ value: staffPreferences.value })
    .from(staffPreferences)
    .where(
      and(eq(staffPreferences.shop, ctx.shop), eq(staffPreferences.staffId, staffId), eq(staffPreferences.key, key)),
    );
  return row?.value;
}

/** Stores one staff member's preference under `key` on this shop, replacing what was there. */
async function writeStaffPreference(ctx: ServiceContext, staffId: string, key: string, value: unknown): Promise<void> {
  await inTransaction(ctx, (tx) =>
    tx
      .insert(staffPreferences)
      .values({ shop: ctx.shop, staffId, key, value, updatedAt: ctx.now.toISOString() })
      .onConflictDoUpdate({
        target: [staffPreferences.shop, staffPreferences.staffId, staffPreferences.key],
        set: { value, updatedAt: ctx.now.toISOString() },
      }),
  );
}
