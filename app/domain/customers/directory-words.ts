import { isFiltered, type CustomerQuery } from "./customer-query";

/*
 * What narrows the directory's list, said by what actually narrows it: a tab, a typed search, the filters. The list
 * reached from Home's link has filters and no search, and the Guests tab alone has neither: words that named "the
 * search and filters" for both sent a newcomer looking for a search nobody had typed.
 */

/** Whether anything besides the search and the tab narrows the list (a filter of the Filters bar). */
function hasFilters(query: CustomerQuery): boolean {
  return isFiltered({ ...query, search: undefined });
}

/**
 * Whom a bulk action over the whole list ("Select all", or nothing ticked) reaches: "every customer", "every customer
 * in the Guests tab", "every customer that matches the search", "every customer in the Guests tab that matches the
 * search and filters". `tabLabel` is the tab's label in the directory ("Guests"), unused on All.
 */
export function selectionReachWords(query: CustomerQuery, tabLabel: string): string {
  const tab = query.tab === "all" ? "" : ` in the ${tabLabel} tab`;
  const searched = Boolean(query.search);
  const filtered = hasFilters(query);
  const what =
    searched && filtered ? "the search and filters" : searched ? "the search" : filtered ? "the filters" : "";
  return `every customer${tab}${what ? ` that matches ${what}` : ""}`;
}

/**
 * What the directory's "No customers found" suggests, only what applies: a typed search "Try another name, email or
 * phone.", filters "Clear the filters.", a tab besides All "Choose another tab." (Clear all keeps the tab); several
 * joined with "or": "Try another name, email or phone, or clear the filters."; "" when nothing narrows the list.
 */
export function noCustomersFoundHint(query: CustomerQuery): string {
  const ways = [
    query.search ? "try another name, email or phone" : "",
    hasFilters(query) ? "clear the filters" : "",
    query.tab !== "all" ? "choose another tab" : "",
  ].filter(Boolean);
  if (ways.length === 0) return "";
  const said = ways.length === 1 ? ways[0]! : `${ways.slice(0, -1).join(", ")}, or ${ways.at(-1)}`;
  return `${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
}
