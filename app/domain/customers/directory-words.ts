import { isFiltered, type CustomerQuery } from "./customer-query";
import { isSearchWithoutLettersOrDigits } from "./search";

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
  const { tab, what } = narrowingWords(query, tabLabel);
  return `every customer${tab}${what ? ` that matches ${what}` : ""}`;
}

/**
 * What a bulk action's form over the whole list says when that list is empty, naming only what selects it, as
 * `selectionReachWords` does, then what the directory suggests (`noCustomersFoundHint`): "No customer matches the
 * search: there is nothing to do. Try another name, email or phone.", "No customer is in the Guests tab: there is
 * nothing to do. Choose another tab.", "There are no customers yet: there is nothing to do." for an unnarrowed list.
 */
export function noSelectionWords(query: CustomerQuery, tabLabel: string): string {
  const { tab, what } = narrowingWords(query, tabLabel);
  const none = what ? `No customer${tab} matches ${what}` : tab ? `No customer is${tab}` : "There are no customers yet";
  const hint = noCustomersFoundHint(query);
  return `${none}: there is nothing to do.${hint ? ` ${hint}` : ""}`;
}

/** The tab (" in the Guests tab", "" on All) and what matches ("the search", "the filters", both, or ""). */
function narrowingWords(query: CustomerQuery, tabLabel: string): { tab: string; what: string } {
  const tab = query.tab === "all" ? "" : ` in the ${tabLabel} tab`;
  const searched = Boolean(query.search);
  const filtered = hasFilters(query);
  const what =
    searched && filtered ? "the search and filters" : searched ? "the search" : filtered ? "the filters" : "";
  return { tab, what };
}

/**
 * What the directory's "No customers found" suggests, only what applies: a typed search "Try another name, email or
 * phone.", filters "Clear the filters.", a tab besides All "Choose another tab." (Clear all keeps the tab); several
 * joined with "or": "Try another name, email or phone, or clear the filters."; "" when nothing narrows the list. A
 * search of punctuation alone, which matches no one, is the reason itself: "Search for a name, email or phone: “'” has
 * no letters or digits."
 */
export function noCustomersFoundHint(query: CustomerQuery): string {
  if (query.search && isSearchWithoutLettersOrDigits(query.search))
    return `Search for a name, email or phone: “${query.search.trim()}” has no letters or digits.`;
  const ways = [
    query.search ? "try another name, email or phone" : "",
    hasFilters(query) ? "clear the filters" : "",
    query.tab !== "all" ? "choose another tab" : "",
  ].filter(Boolean);
  if (ways.length === 0) return "";
  const said = ways.length === 1 ? ways[0]! : `${ways.slice(0, -1).join(", ")}, or ${ways.at(-1)}`;
  return `${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
}
