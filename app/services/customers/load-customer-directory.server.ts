import {
  cursorFitsSort,
  customerQueryFromParams,
  customerQueryToParams,
  viewFit,
  parseDirectorySort,
  type CustomerCount,
  type CustomerDirectoryPage,
  type CustomerQuery,
  type CustomerQueryParams,
  type DirectoryColumn,
  type DirectoryCursor,
  type SavedCustomerView,
} from "~/domain/customers";
import { DomainError, formatMinor, toMinor, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext } from "../context";
import { getShopCurrency } from "../shops/get-shop.server";
import { countMatchingCustomers, getCustomerCounters, listCustomerFacets } from "./customer-query.server";
import { findCustomerView, getDirectoryColumns, getExportColumns, listCustomerViews } from "./directory-views.server";
import type { ExportColumn } from "~/domain/background-jobs";
import { listCustomers } from "./list-customers.server";

export const DIRECTORY_PAGE_SIZE = 50;

export interface CustomerDirectoryView {
  query: CustomerQuery;
  currency: CurrencyCode;
  page: CustomerDirectoryPage;
  /** Each tab's count, from the kept counters. */
  tabCounts: Record<"all" | "members" | "guests" | "paying" | "non-converting" | "opted-in" | "blocked", number>;
  facets: Awaited<ReturnType<typeof listCustomerFacets>>;
  views: SavedCustomerView[];
  columns: DirectoryColumn[];
  /** The columns of the staff member's last export; null: never exported (the form starts from `columns`). */
  exportColumns: ExportColumn[] | null;
  /**
   * The saved view the URL names (`view`), when it holds the list shown: "same" terms (its tab may show the list's
   * count) or "narrowed" by a search typed over it. Null when the URL names none, or one that does not hold the list.
   */
  selectedView: { id: number; fit: "same" | "narrowed" } | null;
  /**
   * Why the view the URL names is not the one shown: "deleted" (the shop no longer has it), or "differs" with the view
   * (the URL's terms are not the view's as saved now: a link kept from before "Save" changed it, or edited by hand).
   */
  viewNotice: { kind: "deleted" } | { kind: "differs"; view: { id: number; name: string } } | null;
}

/**
 * The directory URL's params of a saved view (its terms and sort, amounts as a merchant types them in the shop's
 * currency) with `view=<id>`, as a click on its tab makes them; undefined when the shop has no such view.
 */
export async function customerViewParams({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: number };
}): Promise<URLSearchParams | undefined> {
  const view = await findCustomerView({ ctx, input });
  if (!view) return undefined;
  const currency = await getShopCurrency({ ctx });
  const params = customerQueryToParams(view.query, (minor) => formatMinor(minor, currency));
  params.set("view", String(view.id));
  return params;
}

/** The customer query of the directory's URL params, amounts read in the shop's currency. */
export async function customerQueryOf({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { params: CustomerQueryParams };
}): Promise<{ query: CustomerQuery; currency: CurrencyCode }> {
  const currency = await getShopCurrency({ ctx });
  return { query: customerQueryFromParams(input.params, (amount) => toMinor(amount, currency)), currency };
}

/**
 * Everything the directory page shows for its URL: the page of customers, the tab counts, the filters' choices, the
 * shop's saved views and the staff member's columns. Throws `bad_request` for a cursor from another sort.
 */
export async function loadCustomerDirectory({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    params: CustomerQueryParams;
    after?: DirectoryCursor;
    before?: DirectoryCursor;
    staffId: string | null;
    /** The saved view the URL names, if any. */
    viewId?: number;
  };
}): Promise<CustomerDirectoryView> {
  const { query, currency } = await customerQueryOf({ ctx, input });
  const { key } = parseDirectorySort(query.sort);
  for (const cursor of [input.after, input.before]) {
    if (cursor && !cursorFitsSort(cursor, key)) throw new DomainError("bad_request", "Cursor does not match the sort");
  }
  const page = await listCustomers({
    ctx,
    input: { query, after: input.after, before: input.before, limit: DIRECTORY_PAGE_SIZE },
  });
  const counters = await getCustomerCounters({ ctx });
  const view = input.viewId === undefined ? undefined : await findCustomerView({ ctx, input: { id: input.viewId } });
  const fit = view ? viewFit(view.query, query) : undefined;
  return {
    query,
    currency,
    page,
    tabCounts: {
      all: counters.customers,
      members: counters.members,
      guests: counters.guests,
      paying: counters.paying,
      "non-converting": counters.nonConverting,
      "opted-in": counters.optedIn,
      blocked: counters.blocked,
    },
    facets: await listCustomerFacets({ ctx }),
    views: await listCustomerViews({ ctx }),
    columns: await getDirectoryColumns({ ctx, input: { staffId: input.staffId } }),
    exportColumns: await getExportColumns({ ctx, input: { staffId: input.staffId } }),
    selectedView: view && fit && fit !== "differs" ? { id: view.id, fit } : null,
    viewNotice:
      input.viewId === undefined
        ? null
        : !view
          ? { kind: "deleted" }
          : fit === "differs"
            ? { kind: "differs", view: { id: view.id, name: view.name } }
            : null,
  };
}

/**
 * The number of customers the query matches (see countMatchingCustomers), started after the page is on its way: the
 * route streams it, so the table never waits for the count.
 */
export async function countDirectoryMatches({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { query: CustomerQuery };
}): Promise<CustomerCount> {
  await new Promise((resolve) => setImmediate(resolve));
  return countMatchingCustomers({ ctx, input });
}
