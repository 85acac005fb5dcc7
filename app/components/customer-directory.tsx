import { useFetcher, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  InlineError,
  InlineGrid,
  InlineStack,
  Link,
  Page,
  Popover,
  Text,
  TextField,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type IndexTableProps,
  type TabProps,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import {
  syncCustomersKind,
  type CustomerSelection,
  type ExportColumn,
  type RunningBulkAction,
  withPolledProgress,
} from "~/domain/background-jobs";
import { CustomerBulkActionPanel, type BulkPanel } from "./customer-bulk-actions";
import { SaveAsGroupModal } from "./save-as-group";
import { NameViewModal, type RefusedViewName } from "./name-view-modal";
import { ActiveJobsBanner, type ActiveJobsPayload } from "./active-jobs-banner";
import { CustomerSyncStatus, useSyncCustomers, type CustomerSyncStatusData } from "./customer-sync-status";
import {
  customerQueryToParams,
  customerTabs,
  defaultDirectorySort,
  directoryColumns,
  directoryParamProblem,
  directorySortSchema,
  echoTyped,
  emailConsentLabel,
  emailConsentLabels,
  emailConsentStates,
  isFiltered,
  isReversedRange,
  noCustomersFoundHint,
  noSelectionWords,
  parseDirectorySort,
  pointsActivityPillLabel,
  rangeEnd,
  rangePillLabel,
  reversedRangeMessage,
  SEARCH_MAX_LENGTH,
  selectionReachWords,
  tagKey,
  typedRangeStatus,
  type CustomerCount,
  type CustomerDirectoryPage,
  type CustomerDirectoryRow,
  type CustomerQueryParams,
  type CustomerQuery,
  customerTabLabels,
  type CustomerTab,
  type DirectoryColumn,
  type DirectorySortKey,
  type RangeEnds,
  type RangeKind,
  type SavedCustomerView,
} from "~/domain/customers";
import {
  countryName,
  formatMinor,
  locationLabel,
  toMinor,
  typedDayPlaceholder,
  type CurrencyCode,
} from "~/domain/shared";
import styles from "./customer-directory.module.css";
import { useFormat } from "./format-context";
import { NotAnsweringNote } from "./reconnecting-note";
import { useSettled, type Settled } from "./use-settled";
import { useLatestSave } from "./use-latest-save";
import { useTypedParam, useTypedRange } from "./use-typed-param";

export interface CustomerDirectoryData {
  query: CustomerQuery;
  currency: CurrencyCode;
  page: CustomerDirectoryPage;
  tabCounts: Record<CustomerTab, number>;
  facets: { tags: Array<{ value: string; customers: number }>; countries: Array<{ value: string; customers: number }> };
  views: SavedCustomerView[];
  columns: DirectoryColumn[];
  /** The columns of the staff member's last export; null when they never exported. */
  exportColumns: ExportColumn[] | null;
  /** The saved view the URL names, when it holds the list: its own terms ("same") or them with a search typed over. */
  selectedView: { id: number; fit: "same" | "narrowed" } | null;
  /** Why the view the URL names is not shown: deleted, or its terms as saved now are not the URL's. */
  viewNotice: { kind: "deleted" } | { kind: "differs"; view: { id: number; name: string } } | null;
  count: Promise<CustomerCount>;
  sync: CustomerSyncStatusData;
  /** The shop's jobs still queued or running when the directory loaded (a bulk action just started), newest first. */
  activeJobs: ActiveJobsPayload;
  /** The shop's bulk action jobs still queued or running: the bulk panel warns before the same action starts again. */
  runningBulkActions: RunningBulkAction[];
  /** The URL's parameters the loader could not use and left out ("sort", "tab"). */
  leftOutParams: string[];
  /** The same, in the directory's words with the reason: "Points, to: Enter a whole number from … to …". */
  leftOutWords: string[];
}

/** Jobs the directory's banner of running jobs leaves out: Sync customers has its own progress just above it. */
const bannerLeavesOut = [syncCustomersKind.kind];

const sortLabels: Record<DirectorySortKey, [string, string, string]> = {
  joined: ["Date joined", "Newest first", "Oldest first"],
  points: ["Points", "Highest first", "Lowest first"],
  name: ["Name", "Z–A", "A–Z"],
  orders: ["Orders", "Most first", "Fewest first"],
  spent: ["Total spent", "Highest first", "Lowest first"],
  last_order: ["Last order", "Newest first", "Oldest first"],
  referrals: ["Referrals", "Most first", "Fewest first"],
  referrer: ["Referrer revenue", "Highest first", "Lowest first"],
  referee: ["Referee revenue", "Highest first", "Lowest first"],
  store_credit: ["Store credit", "Highest first", "Lowest first"],
};
const sortOptions: IndexFiltersProps["sortOptions"] = Object.entries(sortLabels).flatMap(
  ([key, [label, desc, asc]]) => [
    { label, value: `${key} desc`, directionLabel: desc },
    { label, value: `${key} asc`, directionLabel: asc },
  ],
);

const columnLabels: Record<DirectoryColumn, string> = {
  email: "Email",
  phone: "Phone",
  status: "Status",
  points: "Points",
  joined: "Date joined",
  last_order: "Last order",
  orders: "Orders",
  spent: "Total spent",
  store_credit: "Store credit",
  location: "Location",
  tags: "Tags",
  consent: "Email marketing",
  tax_exempt: "Tax exempt",
  // One name in the heading, the picker and the sort menu: short, so the default columns fit a 1280 px window; the
  // picker says what is counted. (A tooltip with the long name gave every row's header two more tab stops.)
  referrals: "Referrals",
  referrer: "Referrer revenue",
  referee: "Referee revenue",
};
/** What a column counts, under its name in the column picker, where the name alone leaves it open. */
const columnHelp: Partial<Record<DirectoryColumn, string>> = {
  referrals: "Successful ones: friends whose first order completed the referral",
};
/** The sort each column's heading sorts by, when it has one. */
const columnSorts: Partial<Record<DirectoryColumn, DirectorySortKey>> = {
  points: "points",
  joined: "joined",
  last_order: "last_order",
  orders: "orders",
  spent: "spent",
  referrals: "referrals",
  referrer: "referrer",
  referee: "referee",
  store_credit: "store_credit",
};
const numericColumns = new Set<DirectoryColumn>([
  "points",
  "orders",
  "spent",
  "store_credit",
  "referrals",
  "referrer",
  "referee",
]);

/** What a built-in tab holds, under the tabs while it is selected, where its name alone leaves it open. */
const tabHelp: Partial<Record<CustomerTab, string>> = {
  // Seed 004's customer type; a tester read the tab as "no orders".
  "non-converting": "Customers who started a checkout and never placed an order (an abandoned checkout)",
};

const yesNoChoices = [
  { label: "Yes", value: "yes" },
  { label: "No", value: "no" },
];

/** Text cut with an ellipsis past the column's width, whole in its title (the cell's hover). */
function truncated(text: string, className = styles.truncate): ReactNode {
  return (
    <span className={className} title={text}>
      {text}
    </span>
  );
}

/**
 * "12,408 customers" once the deferred count arrives ("Counting…" until then), and what narrows the list
 * (`narrowing`, "" for nothing).
 */
function CountLine({ count, narrowing }: { count: Settled<CustomerCount>; narrowing: string }) {
  const format = useFormat();
  if (count.state === "pending") {
    return (
      <Text as="p" tone="subdued">
        Counting…
      </Text>
    );
  }
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="p" variant="bodyMd" fontWeight="semibold">
        {count.state === "resolved" ? (
          <span data-testid="customer-count">{countLabel(count.value, format)}</span>
        ) : (
          "Tally could not count these customers"
        )}
      </Text>
      {narrowing ? (
        <Text as="p" tone="subdued">
          {narrowing}
        </Text>
      ) : null}
    </InlineStack>
  );
}

/** "12,408 customers", "10,000+ customers", "About 15,000 customers". */
function countLabel(count: CustomerCount, format: ReturnType<typeof useFormat>): string {
  const noun = count.count === 1 && count.precision === "exact" ? "customer" : "customers";
  if (count.precision === "at_least") return `${format.number(count.count)}+ ${noun}`;
  if (count.precision === "estimate") return `About ${format.number(count.count)} ${noun}`;
  return `${format.number(count.count)} ${noun}`;
}

/**
 * A range filter's typed ends, kept by the directory rather than by its fields: Polaris mounts the fields only while
 * the filter's popover is open, and the pill and its Clear speak of what is typed. Both ends reach the URL together,
 * as typed now (one end committing must not drop the other one still being typed); a reversed range, or an end the
 * directory cannot use (a number past its bounds, letters), is said on the field and not applied, so the list never
 * quietly loses an end (found by a newcomer).
 */
function useRangeFilter({
  names,
  ends: [low, high],
  kind,
  currency,
  apply,
}: {
  /** The URL parameters of its two ends ("points_min", "points_max"): each typed end is checked as the link is. */
  names: readonly [keyof CustomerQueryParams, keyof CustomerQueryParams];
  /** Its two ends in the URL, as written there. */
  ends: readonly [string, string];
  kind: RangeKind;
  /** An amount range's currency: an end with more decimals than it has is refused on its field too. */
  currency?: CurrencyCode;
  apply: (from: string | undefined, to: string | undefined) => void;
}) {
  const format = useFormat();
  const amountProblem = (value: string) => {
    if (!currency || value.trim() === "") return null;
    try {
      toMinor(rangeEnd(value, "number"), currency);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : "Not an amount the directory can use";
    }
  };
  const { dayOrder } = format;
  const problems = ({ from, to }: RangeEnds) =>
    [
      directoryParamProblem(names[0], from, dayOrder) ?? amountProblem(from),
      directoryParamProblem(names[1], to, dayOrder) ?? amountProblem(to),
    ] as const;
  const { typed, setTyped, clear } = useTypedRange(low, high, kind, dayOrder, (from, to) => {
    if (isReversedRange({ from, to }, kind) || problems({ from, to }).some((problem) => problem !== null)) return false;
    apply(from || undefined, to || undefined);
    return true;
  });
  const [fromProblem, toProblem] = problems(typed);
  // An end as the list writes it: money with its currency, a day as "Nov 28, 2026", a number grouped with a true minus
  // ("−5"; a newcomer read "-5" in a message beside the list's "−5"). Only for an end the directory can use.
  const write = (end: string) => {
    const value = rangeEnd(end, kind, dayOrder);
    if (value === "") return "";
    if (kind === "date") return format.day(value);
    return currency ? format.money(toMinor(value, currency), currency) : format.number(Number(value));
  };
  return {
    typed,
    /** What is typed, written as the list writes it; an end the directory cannot use as typed, in quotes and cut. */
    written: {
      from: fromProblem === null ? write(typed.from) : echoTyped(typed.from),
      to: toProblem === null ? write(typed.to) : echoTyped(typed.to),
    },
    /** Ends the directory can use (the URL's, once the loader kept them), written as `written`'s. */
    write: ({ from, to }: RangeEnds): RangeEnds => ({ from: write(from), to: write(to) }),
    setTyped,
    clear,
    fromProblem,
    toProblem,
    usable: fromProblem === null && toProblem === null,
    reversed: fromProblem === null && toProblem === null && isReversedRange(typed, kind, dayOrder),
  };
}

/**
 * The Points activity filter's typed days (`idle_days`), kept by the directory as a range's ends are (Polaris mounts
 * its field only while the popover is open), on the same typing machinery with one end: the days reach the URL after
 * a pause when the directory can use them; what it cannot use is said on the field in the link's words ("Can't be
 * below 1", "Enter a whole number, like 50") and not applied.
 */
function useDaysFilter({ value, apply }: { value: string; apply: (days: string | undefined) => void }) {
  const format = useFormat();
  const problemOf = (days: string) => directoryParamProblem("idle_days", days);
  const { typed, setTyped, clear } = useTypedRange(value, "", "number", undefined, (days) => {
    if (problemOf(days) !== null) return false;
    apply(days || undefined);
    return true;
  });
  const problem = problemOf(typed.from);
  /** Days as the list writes numbers ("1,000"); "" for none. */
  const write = (days: string) => {
    const plain = rangeEnd(days, "number");
    return plain === "" ? "" : format.number(Number(plain));
  };
  return {
    typed: typed.from,
    setTyped: (days: string) => setTyped({ from: days, to: "" }),
    clear,
    problem,
    /** What is typed, as the pill says it: written as the list writes numbers, or echoed when it cannot be used. */
    written: problem === null ? write(typed.from) : echoTyped(typed.from),
    write,
  };
}

/** The Points activity filter's field: a whole number of days, what is wrong with it said on it. */
function PointsActivityFilter({ days }: { days: ReturnType<typeof useDaysFilter> }) {
  return (
    <TextField
      label="No points activity in the last"
      type="text"
      inputMode="numeric"
      suffix="days"
      value={days.typed}
      onChange={days.setTyped}
      autoComplete="off"
      error={days.problem ?? undefined}
      helpText="Nothing earned, redeemed or adjusted in that many days, or ever. A whole number, like 30."
    />
  );
}

/** A from/to pair's fields, with what is wrong with the typed range said on them. */
function RangeFilter({
  label,
  range: { typed, written, setTyped, fromProblem, toProblem, reversed },
  type,
  prefix,
  help,
}: {
  label: string;
  range: ReturnType<typeof useRangeFilter>;
  type: RangeKind;
  prefix?: string;
  /** What the fields take, under them ("An amount like 25, 25.50 or 1,000.50"). */
  help?: string;
}) {
  // Numbers and dates are typed as text, read by the directory's own rule: a number or date field hands the page ""
  // for what the browser cannot read ("1e", "12-", 02/30/2026, a six-digit year), which then read as nothing typed (no
  // message, the pill as before, Clear greyed: newcomer rounds 16 and 17). Chromium's date field gives no input event
  // for such text, only `validity.badInput`, and shows its own order of day and month; as text, what is typed is what
  // is checked and said, in the same words in every browser.
  // The placeholder shows the order the field reads ("MM/DD/YYYY" for a US admin), as its message asks for it.
  const { dayOrder } = useFormat();
  const fieldType =
    type === "date"
      ? ({ type: "text", placeholder: typedDayPlaceholder(dayOrder) } as const)
      : ({ type: "text", inputMode: "decimal" } as const);
  return (
    <BlockStack gap="100">
      {/* Two equal columns: in a row, the field showing a message took the width and narrowed the other. */}
      <InlineGrid columns={2} gap="200">
        <TextField
          label={`${label}: from`}
          {...fieldType}
          value={typed.from}
          onChange={(from) => setTyped({ ...typed, from })}
          autoComplete="off"
          prefix={prefix}
          error={fromProblem ?? reversed}
        />
        <TextField
          label={`${label}: to`}
          {...fieldType}
          value={typed.to}
          onChange={(to) => setTyped({ ...typed, to })}
          autoComplete="off"
          prefix={prefix}
          error={toProblem ?? reversed}
        />
      </InlineGrid>
      {reversed ? <InlineError fieldID={`${label}-range`} message={reversedRangeMessage(written, type)} /> : null}
      {help ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/**
 * The directory. Its whole view lives in the URL (search, tab, filters, sort, after/before; `view` names a saved view),
 * so reload, back and forward and a shared link all show the same page, and a saved view is a URL to go back to.
 * Changing the view drops the cursor: a cursor only means something in its view.
 */
export function CustomerDirectory({
  data,
  installReconnecting,
  unanswered = false,
}: {
  data: CustomerDirectoryData;
  /** The directory's polls while the install sync brings customers in do not reach Tally (usePoll). */
  installReconnecting: boolean;
  /** The search, page or view the merchant asked for did not reach Tally: the directory shows what it showed. */
  unanswered?: boolean;
}) {
  const format = useFormat();
  const [searchParams, setSearchParams] = useSearchParams();
  // Loaded with a search or a filter (a link, a bookmark, Home's figures), the search field and the filters' pills show
  // them, as in Shopify admin; a saved view's own terms stay behind its tab.
  const { mode, setMode } = useFilteringModeKeptOnPopoverEscape(
    isFiltered(data.query) && !data.selectedView ? IndexFiltersMode.Filtering : IndexFiltersMode.Default,
  );
  /** Shows a saved view: its query's URL, with its id (a click on its tab, or the view just saved). */
  const showView = (view: SavedCustomerView) => {
    const params = customerQueryToParams(view.query, (minor) => formatMinor(minor, data.currency));
    params.set("view", String(view.id));
    setSearchParams(params);
  };
  const viewFetcher = useFetcher<
    { ok: true; view?: SavedCustomerView } | { error: string; fieldErrors?: Record<string, string[]> }
  >();
  // A view's name sent to be saved or renamed; a refusal (or a name of only spaces) asks again with the reason.
  const sentViewName = useRef<Record<string, string> | null>(null);
  const lastViewForm = useRef<Record<string, string> | null>(null);
  const [refusedViewName, setRefusedViewName] = useState<RefusedViewName | null>(null);
  const submitViewName = (form: Record<string, string>) => {
    lastViewForm.current = form;
    if ((form.name ?? "").trim() === "") {
      setRefusedViewName({
        name: form.name ?? "",
        reason: "Name the view",
        renaming: form.intent === "rename-view",
        viewId: form.id,
      });
      return;
    }
    sentViewName.current = form;
    viewFetcher.submit(form, { method: "post" });
  };
  const viewAnswer = viewFetcher.state === "idle" ? viewFetcher.data : undefined;
  useEffect(() => {
    const sent = sentViewName.current;
    if (!viewAnswer || !sent) return;
    sentViewName.current = null;
    if ("error" in viewAnswer) {
      const reason = viewAnswer.fieldErrors?.name?.[0] ?? viewAnswer.error;
      setRefusedViewName({ name: sent.name ?? "", reason, renaming: sent.intent === "rename-view", viewId: sent.id });
      return;
    }
    setRefusedViewName(null);
    // The view just saved is the one shown, as in Shopify admin: "All" stayed selected over the view's filters
    // (newcomer round 21). Its URL is the one a click on its tab makes.
    if (sent.intent === "save-view" && viewAnswer.view) showView(viewAnswer.view);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new answer selects; `showView` is rebuilt each render.
  }, [viewAnswer]);
  const { query, page, facets } = data;
  // The count arrives after the page (it is deferred); once known, "Select all" names it instead of "50+".
  const count = useSettled(data.count);
  const knownCount = count.state === "resolved" ? count.value : null;
  const sort = directorySortSchema.catch(defaultDirectorySort).parse(searchParams.get("sort") ?? undefined);
  const { key: sortKey, direction } = parseDirectorySort(sort);
  // The view the loader found holding the list: a view id the shop no longer has (deleted in another window), or whose
  // terms are not the list's, selects the query's tab, so no view names a list it does not hold.
  const selectedViewId = data.selectedView?.id;
  const selectedViewIndex = data.views.findIndex((view) => view.id === selectedViewId);

  const setView = (
    changes: Record<string, string | string[] | undefined>,
    keepView = false,
    drop: readonly string[] = [],
  ) => {
    const next = new URLSearchParams(searchParams);
    for (const key of drop) next.delete(key);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      for (const each of Array.isArray(value) ? value : value ? [value] : []) next.append(key, each);
    }
    next.delete("after");
    next.delete("before");
    if (!keepView) next.delete("view");
    setSearchParams(next, { replace: "q" in changes });
  };
  const param = (key: string) => searchParams.get(key) ?? "";

  const [queryText, setQueryText] = useTypedParam(param("q"), (next) => setView({ q: next || undefined }, true));

  // Tabs: the built-in customer types with their counts, then the shop's saved views.
  // A saved view's count is the list's own ("N customers"), on its tab while the list shows the view as saved (a search
  // typed over it keeps the tab and narrows the list): counting every view on each load is a filtered count per view,
  // each up to the 100 ms budget at 1,000,000 customers (decision 019, amended in round 21).
  const shownViewCount =
    knownCount && knownCount.precision !== "estimate" && data.selectedView?.fit === "same"
      ? `${format.number(knownCount.count)}${knownCount.precision === "at_least" ? "+" : ""}`
      : undefined;
  const selectedViewBadge = selectedViewIndex >= 0 && knownCount ? shownViewCount : undefined;
  // The list keeps its identity while what it shows is the same: Polaris measures every tab again whenever `tabs` is a
  // new array, and the directory renders again at each poll with equal counts.
  const shownCounts = useSameWhileEqual(customerTabs.map((tab) => format.number(data.tabCounts[tab])));
  const shownViews = useSameWhileEqual(
    data.views.map((view) => ({
      id: view.id,
      name: view.name,
      badge: view.id === selectedViewId ? selectedViewBadge : undefined,
    })),
  );
  // The saved views' menu actions run the latest render's handlers: the memoized tabs keep the first ones.
  const viewActions = {
    rename: (id: number, name: string) => submitViewName({ intent: "rename-view", id: String(id), name }),
    remove: (id: number) => {
      viewFetcher.submit({ intent: "delete-view", id: String(id) }, { method: "post" });
      if (Number(searchParams.get("view")) === id) setView({}, false);
    },
  };
  const latestViewActions = useRef(viewActions);
  useEffect(() => {
    latestViewActions.current = viewActions;
  });
  const tabs = useMemo<TabProps[]>(
    () => [
      ...customerTabs.map((tab, index) => ({
        id: tab,
        content: customerTabLabels[tab],
        badge: shownCounts[index],
        // No aria-label: a tab is named by its text, name and count, as a speech-input user says it (WCAG 2.5.3; axe
        // found "Members, 1,234 customers" against "Members 1,234"); its badge's hidden "New" is dropped
        // (customer-directory.module.css).
        isLocked: true,
      })),
      ...shownViews.map((view) => ({
        id: `view-${view.id}`,
        content: view.name,
        // Named by its text ("VIPs 3"), as the built-in tabs are.
        ...(view.badge ? { badge: view.badge } : {}),
        actions: [
          {
            type: "rename" as const,
            onPrimaryAction: async (name: string) => {
              latestViewActions.current.rename(view.id, name);
              return true;
            },
          },
          {
            type: "delete" as const,
            onPrimaryAction: async () => {
              latestViewActions.current.remove(view.id);
              return true;
            },
          },
        ],
      })),
    ],
    [shownCounts, shownViews],
  );
  // A tab folded into "More views" lists its name only (Polaris' list renders a tab's content, not its badge): its
  // count is drawn beside it from a custom property on the body, which the popover's portal sits under
  // (customer-directory.module.css).
  const tabCountsText = customerTabs.map((tab) => JSON.stringify(format.number(data.tabCounts[tab]))).join("\n");
  useEffect(() => {
    const texts = tabCountsText.split("\n");
    customerTabs.forEach((tab, index) => document.body.style.setProperty(`--tab-count-${tab}`, texts[index]!));
    return () => customerTabs.forEach((tab) => document.body.style.removeProperty(`--tab-count-${tab}`));
  }, [tabCountsText]);
  // A tab is shown from IndexFilters' onSelect, the one callback Polaris calls both for a tab in the row and for one
  // folded into "More views" (whose list calls no tab's onAction): given both, a row click would run it twice.
  const selectTab = (index: number) => {
    const tab = customerTabs[index];
    if (tab) return setView({ tab: tab === "all" ? undefined : tab });
    const view = data.views[index - customerTabs.length];
    if (view) showView(view);
  };
  const selectedTab =
    selectedViewIndex >= 0 ? customerTabs.length + selectedViewIndex : customerTabs.indexOf(query.tab);
  /** Saves the directory as it is shown as a new view named `name`, or over the view `id` ("Save"). */
  const saveView = async (name: string, id?: number) => {
    const search = new URLSearchParams(searchParams);
    for (const key of ["after", "before", "view"]) search.delete(key);
    submitViewName({ intent: "save-view", name, search: search.toString(), ...(id ? { id: String(id) } : {}) });
    return true;
  };

  const tagChoices = facets.tags.map((tag) => ({
    label: `${tag.value} (${format.number(tag.customers)})`,
    // A link's "VIP" is the choice "vip": Shopify's tags are one whatever their case, so it shows as chosen.
    value: query.tags.find((chosen) => tagKey(chosen) === tagKey(tag.value)) ?? tag.value,
  }));
  for (const tag of query.tags)
    if (!facets.tags.some((each) => tagKey(each.value) === tagKey(tag))) tagChoices.push({ label: tag, value: tag });
  const countryChoices = facets.countries.map((country) => ({
    label: `${countryName(country.value)} (${format.number(country.customers)})`,
    value: country.value,
  }));
  const choiceFilter = (
    key: string,
    label: string,
    choices: Array<{ label: string; value: string; helpText?: string }>,
    allowMultiple = false,
    pinned = false,
  ) => ({
    key,
    label,
    pinned,
    shortcut: pinned,
    filter: (
      <ChoiceList
        title={label}
        titleHidden
        allowMultiple={allowMultiple}
        choices={choices}
        selected={searchParams.getAll(key)}
        onChange={(selected) => setView({ [key]: selected })}
      />
    ),
  });
  // Each range filter: its URL parameters, its label (in the filter list and on its pill: a pill read "Orders" under a
  // filter named "Number of orders"), and the typed ends the directory keeps for it.
  // Their help says that thousands may be grouped as the list prints them ("1,000.50" was refused: newcomer round 21).
  const rangeFilterOf = (
    key: string,
    label: string,
    names: readonly [keyof CustomerQueryParams, keyof CustomerQueryParams],
    kind: RangeKind,
    help?: string,
    currency?: CurrencyCode,
  ) => ({ key, label, names, kind, help, currency });
  const [orders, spent, points, joined] = [
    rangeFilterOf(
      "orders",
      "Number of orders",
      ["orders_min", "orders_max"],
      "number",
      "A whole number, like 5 or 1,000",
    ),
    rangeFilterOf(
      "spent",
      "Total spent",
      ["spent_min", "spent_max"],
      "number",
      "An amount like 25, 25.50 or 1,000.50",
      data.currency,
    ),
    rangeFilterOf("points", "Points", ["points_min", "points_max"], "number", "Whole points, like 500 or 1,000"),
    rangeFilterOf("joined", "Date joined", ["joined_from", "joined_to"], "date"),
  ] as const;
  const rangeInput = (range: ReturnType<typeof rangeFilterOf>) => ({
    ...range,
    ends: [param(range.names[0]), param(range.names[1])] as const,
    apply: (from: string | undefined, to: string | undefined) =>
      setView({ [range.names[0]]: from, [range.names[1]]: to }),
  });
  const ranges = [
    { ...orders, state: useRangeFilter(rangeInput(orders)) },
    { ...spent, state: useRangeFilter(rangeInput(spent)) },
    { ...points, state: useRangeFilter(rangeInput(points)) },
    { ...joined, state: useRangeFilter(rangeInput(joined)) },
  ];
  // Points activity: Home's "enough for a reward and idle for 30 days" links here with it (idle_days).
  const idleDays = useDaysFilter({ value: param("idle_days"), apply: (days) => setView({ idle_days: days }) });
  const filters: IndexFiltersProps["filters"] = [
    choiceFilter(
      "status",
      "Status",
      [
        { label: "Member", value: "member" },
        { label: "Guest", value: "guest" },
      ],
      false,
      true,
    ),
    choiceFilter(
      "type",
      "Customer type",
      [
        // Seed 004's customer types, each with what it means (a newcomer read Non-converting as "no orders").
        { label: "Paying", value: "paying", helpText: "At least one paid order" },
        {
          label: "Non-converting",
          value: "non-converting",
          helpText: "Started a checkout and never ordered (an abandoned checkout)",
        },
      ],
      false,
      true,
    ),
    choiceFilter("tag", "Tags", tagChoices, true, true),
    choiceFilter(
      "consent",
      "Email marketing",
      emailConsentStates.map((state) => ({ label: emailConsentLabels[state], value: state })),
      true,
      true,
    ),
    choiceFilter("tax_exempt", "Tax exempt", yesNoChoices),
    ...ranges.map(({ key, label, kind, help, currency, state }) => ({
      key,
      label,
      filter: <RangeFilter label={label} range={state} type={kind} prefix={currency} help={help} />,
    })),
    { key: "idle_days", label: "Points activity", filter: <PointsActivityFilter days={idleDays} /> },
    choiceFilter("country", "Country", countryChoices, true),
    choiceFilter("blocked", "Blocked", yesNoChoices),
    choiceFilter("referral_joined", "Joined the referral program", yesNoChoices),
    choiceFilter("has_referrals", "Has successful referrals", yesNoChoices),
  ];
  const applied: IndexFiltersProps["appliedFilters"] = [];
  // What narrows the list, in its pills' words: a range typed and not applied narrows it by what was applied, if any.
  const narrowing: string[] = [];
  const addPill = (key: string, label: string, onRemove: () => void, narrows: string | undefined = label) => {
    applied.push({ key, label, onRemove });
    if (narrows) narrowing.push(narrows);
  };
  const chip = (key: string, label: string, clear: string[]) =>
    addPill(key, label, () => setView(Object.fromEntries(clear.map((each) => [each, undefined]))));
  if (query.status) chip("status", `Status: ${query.status === "member" ? "Member" : "Guest"}`, ["status"]);
  if (query.type) chip("type", `Type: ${query.type === "paying" ? "Paying" : "Non-converting"}`, ["type"]);
  if (query.tags.length > 0) chip("tag", `Tagged ${query.tags.join(" or ")}`, ["tag"]);
  if (query.consent.length > 0)
    chip("consent", `Email marketing: ${query.consent.map((state) => emailConsentLabels[state]).join(" or ")}`, [
      "consent",
    ]);
  if (query.taxExempt !== undefined)
    chip("tax_exempt", query.taxExempt ? "Tax exempt" : "Not tax exempt", ["tax_exempt"]);
  // A range's pill says what is typed, and that it is not applied when the list is not filtered by it (reversed, an end
  // the directory cannot use, or typed faster than the pause); its Clear empties the fields either way. An end the
  // loader left out is not one the list uses ("at most abc").
  const usedParam = (name: string) => (data.leftOutParams.includes(name) ? "" : param(name));
  // Ends are written as the list writes them ("Total spent: at least $5.00"; a newcomer read "at least 5").
  for (const { key, label, names, kind, state } of ranges) {
    const used = { from: usedParam(names[0]), to: usedParam(names[1]) };
    const status = typedRangeStatus({
      typed: state.typed,
      applied: used,
      usable: state.usable,
      kind,
      dayOrder: format.dayOrder,
    });
    if (status === "none") continue;
    const [applied, typed] = [state.write(used), state.written];
    const narrows = used.from !== "" || used.to !== "";
    addPill(
      key,
      rangePillLabel({ label, kind, applied, typed, status }),
      () => state.clear(),
      narrows ? rangePillLabel({ label, kind, applied, typed, status: "applied" }) : undefined,
    );
  }
  if (query.countries.length > 0)
    chip("country", `Country: ${query.countries.map(countryName).join(" or ")}`, ["country"]);
  if (query.blocked !== undefined) chip("blocked", query.blocked ? "Blocked" : "Not blocked", ["blocked"]);
  if (query.referralJoined !== undefined)
    chip("referral_joined", query.referralJoined ? "In the referral program" : "Not in the referral program", [
      "referral_joined",
    ]);
  if (query.hasReferrals !== undefined)
    chip("has_referrals", query.hasReferrals ? "Has successful referrals" : "No successful referrals", [
      "has_referrals",
    ]);
  // Its pill opens its field (the pill's key is the filter's), and says what is typed and not applied, as a range's does.
  const usedDays = usedParam("idle_days");
  const daysStatus = typedRangeStatus({
    typed: { from: idleDays.typed, to: "" },
    applied: { from: usedDays, to: "" },
    usable: idleDays.problem === null,
    kind: "number",
  });
  if (daysStatus !== "none") {
    const applied = idleDays.write(usedDays);
    addPill(
      "idle_days",
      pointsActivityPillLabel({ applied, typed: idleDays.written, status: daysStatus }),
      () => idleDays.clear(),
      usedDays ? pointsActivityPillLabel({ applied, typed: "", status: "applied" }) : undefined,
    );
  }

  // Columns: the staff member's choice, kept server-side; shown at once while it saves, the latest tick saved last.
  const { shown: columns, choose: chooseColumns } = useLatestSave<DirectoryColumn[]>({
    saved: data.columns,
    form: (chosen) => ({ intent: "save-columns", columns: chosen.join(",") }),
  });
  const [columnsOpen, setColumnsOpen] = useState(false);
  // The active jobs banner's last answer: the bulk panel's warning reads its figures (how far a running job is).
  const [polledJobs, setPolledJobs] = useState<ActiveJobsPayload>();
  const [savingGroup, setSavingGroup] = useState(false);

  const headings = [
    { title: "Name", key: "name" as const },
    ...columns.map((column) => ({ title: columnLabels[column], key: column })),
  ];
  const sortable = headings.map(
    (heading) => heading.key === "name" || columnSorts[heading.key as DirectoryColumn] !== undefined,
  );
  const sortColumnIndex = headings.findIndex(
    (heading) => (heading.key === "name" ? "name" : columnSorts[heading.key as DirectoryColumn]) === sortKey,
  );
  const onHeadingSort: IndexTableProps["onSort"] = (index, next) => {
    const heading = headings[index];
    if (!heading) return;
    const key = heading.key === "name" ? "name" : columnSorts[heading.key as DirectoryColumn];
    if (key) setView({ sort: `${key}-${next === "ascending" ? "asc" : "desc"}` }, true);
  };

  const pageUrl = (cursor: { after?: string; before?: string }) => {
    const next = new URLSearchParams(searchParams);
    next.delete("after");
    next.delete("before");
    for (const [key, value] of Object.entries(cursor)) if (value) next.set(key, value);
    return `?${next.toString()}`;
  };
  const filtered = isFiltered(query) || query.tab !== "all";

  // Bulk actions act on the ticked rows, or on every customer matching the search and filters ("Select all").
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(
    page.customers.map((customer) => ({ id: String(customer.id) })),
  );
  const [panel, setPanel] = useState<BulkPanel | undefined>();
  const sync = useSyncCustomers();
  const selectingAll = allResourcesSelected && (page.nextCursor !== undefined || page.previousCursor !== undefined);
  const selection: CustomerSelection =
    selectingAll || selectedResources.length === 0
      ? { query }
      : // The sort the rows were ticked in: an export of them writes them in it (decision 043).
        { ids: selectedResources.map(Number), sort: query.sort };
  const selectionText =
    "ids" in selection
      ? `${format.number(selection.ids.length)} selected ${selection.ids.length === 1 ? "customer" : "customers"}`
      : selectionReachWords(query, customerTabLabels[query.tab]);
  const openPanel = (next: BulkPanel) => () => setPanel(next);
  // A bulk action's form takes focus as it opens above the list (its first field, else its heading), and gives it back
  // to the bulk actions when it closes: from a menu, Polaris left focus on the body (newcomer round 21, F19).
  const panelBox = useRef<HTMLDivElement>(null);
  const bulkActionsBox = useRef<HTMLDivElement>(null);
  // The bulk action button to focus once the form has closed: the form's own, or "More actions" that holds it.
  const focusAfterPanel = useRef<string | null>(null);
  useEffect(() => {
    if (panel && panel !== "delete") {
      const box = panelBox.current;
      const field = box?.querySelector<HTMLElement>("input:not([disabled]), textarea, select");
      (field ?? box?.querySelector<HTMLElement>("[data-bulk-panel-heading]"))?.focus();
    } else if (!panel && focusAfterPanel.current) {
      const opener = focusAfterPanel.current;
      focusAfterPanel.current = null;
      // IndexTable draws its bulk actions twice (in place, and in its sticky header): the one that can take focus does.
      for (const button of bulkActionsBox.current?.querySelectorAll("button") ?? []) {
        if ((button.getAttribute("aria-label") ?? button.textContent?.trim()) !== opener) continue;
        button.focus();
        if (document.activeElement === button) break;
      }
    }
  }, [panel]);
  const closePanel = () => {
    focusAfterPanel.current = panel && promotedPanels.has(panel) ? bulkActionLabels[panel] : "More actions";
    setPanel(undefined);
  };
  // A new search, filter or page is a new selection (state adjusted while rendering, React's way for derived resets).
  const viewKey = searchParams.toString();
  const [selectionView, setSelectionView] = useState(viewKey);
  if (selectionView !== viewKey) {
    setSelectionView(viewKey);
    clearSelection();
    setPanel(undefined);
  }

  return (
    <Page fullWidth>
      <TitleBar title="Customers">
        <button onClick={openPanel("export")}>Export</button>
        <button onClick={sync.start} disabled={sync.starting}>
          Sync customers
        </button>
      </TitleBar>
      {unanswered ? (
        <Box paddingBlockEnd="300">
          <NotAnsweringNote />
        </Box>
      ) : null}
      <CustomerSyncStatus status={data.sync} installReconnecting={installReconnecting} />
      {data.activeJobs.jobs.some((job) => !bannerLeavesOut.includes(job.kind)) ? (
        <Box paddingBlockEnd="400">
          <ActiveJobsBanner
            jobs={data.activeJobs.jobs}
            now={data.activeJobs.now}
            leaveOut={bannerLeavesOut}
            onAnswer={setPolledJobs}
          />
        </Box>
      ) : null}
      {data.viewNotice ? (
        <Box paddingBlockEnd="400">
          <ViewNotice
            notice={data.viewNotice}
            everyone={!filtered}
            onShowView={(id) => {
              const view = data.views.find((each) => each.id === id);
              if (view) showView(view);
            }}
            onDismiss={() => setView({}, true, ["view"])}
          />
        </Box>
      ) : null}
      {data.leftOutParams.length > 0 ? (
        <Box paddingBlockEnd="400">
          <Banner tone="warning" title="Some filters could not be used and were left out">
            <BlockStack gap="100">
              {data.leftOutWords.map((line) => (
                <Text as="p" key={line}>
                  {line}
                </Text>
              ))}
              <Text as="p">The list shows every customer the rest of the filters ask for.</Text>
            </BlockStack>
          </Banner>
        </Box>
      ) : null}
      {panel ? (
        <Box paddingBlockEnd="400" id="bulk-action-panel">
          {/* Escape is the form's Cancel, wherever focus is in it. */}
          {/* eslint-disable-next-line jsx-a11y/no-static-element-interactions */}
          <div
            ref={panelBox}
            onKeyDown={(event) => {
              if (event.key === "Escape" && !event.defaultPrevented) closePanel();
            }}
          >
            <CustomerBulkActionPanel
              key={`${panel}:${JSON.stringify(selection)}`}
              panel={panel}
              selection={selection}
              selectionText={selectionText}
              nobodyText={noSelectionWords(query, customerTabLabels[query.tab])}
              shownColumns={columns}
              lastExportColumns={data.exportColumns}
              selectedNames={
                "ids" in selection
                  ? page.customers
                      .filter((customer) => selectedResources.includes(String(customer.id)))
                      .map((customer) => customer.name)
                  : []
              }
              filterText={[
                query.tab !== "all" ? customerTabLabels[query.tab] : "",
                query.search ? `“${query.search}”` : "",
                ...narrowing,
              ]
                .filter(Boolean)
                .join(" · ")}
              matches={data.count}
              running={withPolledProgress(data.runningBulkActions, data.activeJobs.now, polledJobs)}
              onClose={closePanel}
            />
          </div>
        </Box>
      ) : null}
      <NameViewModal
        refused={refusedViewName}
        viewNames={data.views.filter((view) => String(view.id) !== refusedViewName?.viewId).map((view) => view.name)}
        saving={viewFetcher.state !== "idle"}
        onSave={(name) => lastViewForm.current && submitViewName({ ...lastViewForm.current, name })}
        onClose={() => setRefusedViewName(null)}
      />
      <SaveAsGroupModal
        key={viewKey}
        open={savingGroup}
        query={query}
        currency={data.currency}
        search={viewKey}
        onClose={() => setSavingGroup(false)}
      />
      {/* The tabs' counts, the selected view's too, for the tabs' measuring copies (customer-directory.module.css). */}
      <div
        className={styles.views}
        style={
          Object.fromEntries([
            ...customerTabs.map((tab) => [`--tab-count-${tab}`, JSON.stringify(format.number(data.tabCounts[tab]))]),
            ...(selectedViewBadge ? [["--tab-count-view", JSON.stringify(selectedViewBadge)]] : []),
          ]) as CSSProperties
        }
      >
        <Card padding="0">
          <IndexFilters
            tabs={tabs}
            selected={selectedTab}
            onSelect={selectTab}
            canCreateNewView
            onCreateNewView={saveView}
            primaryAction={
              selectedViewId
                ? {
                    type: "save",
                    onAction: async () =>
                      saveView(data.views.find((view) => view.id === selectedViewId)?.name ?? "View", selectedViewId),
                  }
                : { type: "save-as", onAction: saveView }
            }
            cancelAction={{ onAction: () => {} }}
            queryValue={queryText}
            queryPlaceholder="Search by name, email or phone"
            onQueryChange={(text) => setQueryText(text.slice(0, SEARCH_MAX_LENGTH))}
            onQueryClear={() => {
              setQueryText("");
              setView({ q: undefined }, true);
            }}
            sortOptions={sortOptions}
            sortSelected={[sort.replace(/-(asc|desc)$/, " $1")]}
            onSort={([value]) => setView({ sort: value?.replace(" ", "-") }, true)}
            filters={filters}
            appliedFilters={applied}
            onClearAll={() => {
              setQueryText("");
              for (const range of ranges) range.state.clear(true);
              idleDays.clear(true);
              setView({
                q: undefined,
                status: undefined,
                type: undefined,
                tag: undefined,
                consent: undefined,
                tax_exempt: undefined,
                orders_min: undefined,
                orders_max: undefined,
                spent_min: undefined,
                spent_max: undefined,
                points_min: undefined,
                points_max: undefined,
                joined_from: undefined,
                joined_to: undefined,
                country: undefined,
                blocked: undefined,
                referral_joined: undefined,
                has_referrals: undefined,
                idle_days: undefined,
              });
            }}
            mode={mode}
            setMode={setMode}
          />
          <Box paddingInline="400" paddingBlock="200">
            <InlineStack align="space-between" blockAlign="center">
              <CountLine
                count={count}
                narrowing={
                  // Led by the tab when it is not All: "Repeat buyers" read "704 customers · Number of orders: at
                  // least 2", its Members left out.
                  mode !== IndexFiltersMode.Filtering && (query.search || narrowing.length > 0 || selectedViewId)
                    ? [
                        query.tab !== "all" ? customerTabLabels[query.tab] : "",
                        query.search ? `matching “${query.search}”` : "",
                        ...narrowing,
                      ]
                        .filter(Boolean)
                        .join(" · ")
                    : ""
                }
              />
              <InlineStack gap="200">
                <Button onClick={() => setSavingGroup(true)} disabled={!filtered}>
                  Save as group
                </Button>
                <Popover
                  active={columnsOpen}
                  onClose={() => setColumnsOpen(false)}
                  activator={
                    <Button disclosure onClick={() => setColumnsOpen((open) => !open)}>
                      Columns
                    </Button>
                  }
                >
                  <Box padding="400">
                    <ChoiceList
                      title="Columns shown"
                      allowMultiple
                      choices={directoryColumns.map((column) => ({
                        label: columnLabels[column],
                        value: column,
                        ...(columnHelp[column] ? { helpText: columnHelp[column] } : {}),
                      }))}
                      selected={columns}
                      onChange={(selected) =>
                        chooseColumns(directoryColumns.filter((column) => selected.includes(column)))
                      }
                    />
                  </Box>
                </Popover>
              </InlineStack>
            </InlineStack>
          </Box>
          {tabHelp[query.tab] ? (
            <Box paddingInline="400" paddingBlockEnd="200">
              <Text as="p" tone="subdued">
                <span data-testid="tab-help">{tabHelp[query.tab]}</span>
              </Text>
            </Box>
          ) : null}
          {page.customers.length === 0 ? (
            filtered ? (
              <EmptyState heading="No customers found" image="">
                <p>{noCustomersFoundHint(query)}</p>
              </EmptyState>
            ) : (
              <EmptyState heading="No customers yet" image="">
                <p>Customers appear here as Shopify tells Tally about them.</p>
              </EmptyState>
            )
          ) : (
            <div className={styles.table} ref={bulkActionsBox}>
              <IndexTable
                resourceName={{ singular: "customer", plural: "customers" }}
                itemCount={page.customers.length}
                selectedItemsCount={selectingAll ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                hasMoreItems={page.nextCursor !== undefined || page.previousCursor !== undefined}
                paginatedSelectAllActionText={
                  knownCount && knownCount.precision !== "estimate"
                    ? `Select all ${countLabel(knownCount, format)}`
                    : undefined
                }
                paginatedSelectAllText={
                  knownCount && knownCount.precision !== "estimate"
                    ? `All ${countLabel(knownCount, format)} are selected`
                    : undefined
                }
                promotedBulkActions={bulkPanels
                  .filter((each) => promotedPanels.has(each))
                  .map((each) => ({ content: bulkActionLabels[each], onAction: openPanel(each) }))}
                bulkActions={bulkPanels
                  .filter((each) => !promotedPanels.has(each))
                  .map((each) => ({ content: bulkActionLabels[each], onAction: openPanel(each) }))}
                headings={
                  headings.map((heading) => ({
                    title: heading.title,
                    id: heading.key,
                    // Names read A to Z on the first click; figures and dates start with the largest and newest.
                    ...(heading.key === "name" ? { defaultSortDirection: "ascending" as const } : {}),
                    ...(numericColumns.has(heading.key as DirectoryColumn) ? { alignment: "end" as const } : {}),
                  })) as IndexTableProps["headings"]
                }
                sortable={sortable}
                // Polaris shows a heading's tooltip (the whole name of a short heading) only beside these labels.
                sortToggleLabels={Object.fromEntries(
                  headings.map((heading, index) => {
                    const key = heading.key === "name" ? "name" : columnSorts[heading.key as DirectoryColumn];
                    const [, descending, ascending] = key ? sortLabels[key] : ["", "", ""];
                    return [index, { ascending: `Sort: ${ascending}`, descending: `Sort: ${descending}` }];
                  }),
                )}
                sortColumnIndex={sortColumnIndex >= 0 ? sortColumnIndex : undefined}
                sortDirection={direction === "asc" ? "ascending" : "descending"}
                onSort={onHeadingSort}
                pagination={{
                  hasPrevious: page.previousCursor !== undefined,
                  previousURL: page.previousCursor ? pageUrl({ before: page.previousCursor }) : undefined,
                  hasNext: page.nextCursor !== undefined,
                  nextURL: page.nextCursor ? pageUrl({ after: page.nextCursor }) : undefined,
                }}
              >
                {page.customers.map((customer, index) => (
                  <CustomerRow
                    customer={customer}
                    columns={columns}
                    position={index}
                    key={customer.id}
                    selected={selectedResources.includes(String(customer.id))}
                    shopCurrency={data.currency}
                  />
                ))}
              </IndexTable>
            </div>
          )}
        </Card>
      </div>
    </Page>
  );
}

/**
 * Why the view a link names is not the one shown: deleted (the list shows every customer, or the link's own search and
 * filters), or its terms as saved now are not the link's (the list shows the link's; the view is a click away).
 */
function ViewNotice({
  notice,
  everyone,
  onShowView,
  onDismiss,
}: {
  notice: NonNullable<CustomerDirectoryData["viewNotice"]>;
  /** The list shows every customer (the link held no search, tab or filter). */
  everyone: boolean;
  onShowView: (id: number) => void;
  onDismiss: () => void;
}) {
  const shown = everyone
    ? "The list shows all customers."
    : "The list shows the tab, search and filters the link asks for.";
  if (notice.kind === "deleted") {
    return (
      <Banner tone="info" title="This view was deleted" onDismiss={onDismiss}>
        <Text as="p">{shown}</Text>
      </Banner>
    );
  }
  return (
    <Banner
      tone="info"
      title={`This list is not the view “${notice.view.name}” as it is saved`}
      action={{ content: `Show “${notice.view.name}”`, onAction: () => onShowView(notice.view.id) }}
      onDismiss={onDismiss}
    >
      <Text as="p">{shown}</Text>
    </Banner>
  );
}

/** The directory's bulk actions in the order they are offered; the first two are buttons, the rest "More actions". */
const bulkPanels: BulkPanel[] = [
  "tags_add",
  "export",
  "tags_remove",
  "points_adjust",
  "invite",
  "points_reminder",
  "block",
  "unblock",
  "delete",
];
const promotedPanels = new Set<BulkPanel>(["tags_add", "export"]);
const bulkActionLabels: Record<BulkPanel, string> = {
  tags_add: "Add tags",
  export: "Export",
  tags_remove: "Remove tags",
  points_adjust: "Adjust points",
  invite: "Send referral invitation",
  points_reminder: "Email points reminder",
  block: "Block",
  unblock: "Unblock",
  delete: "Delete customers",
};

/** `value` as first seen while it stays equal as JSON: a list rebuilt at each render keeps its identity until it changes. */
function useSameWhileEqual<T>(value: T): T {
  const key = JSON.stringify(value);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is `value`, compared by what it holds.
  return useMemo(() => value, [key]);
}

/**
 * IndexFilters' mode, except that Escape pressed in one of its popovers (a filter's, Sort's) closes only that popover,
 * focus back on its pill: Polaris leaves filtering on Escape's keydown anywhere in the window, before the popover
 * closes on keyup, so the pills went with focus on them to the body (newcomer round 21, F18). A second Escape, on
 * the pill, leaves filtering as Polaris does. `initial` is the mode the directory opens in.
 */
function useFilteringModeKeptOnPopoverEscape(initial: IndexFiltersMode) {
  const { mode, setMode } = useSetIndexFiltersMode(initial);
  const escapeInPopover = useRef(false);
  useEffect(() => {
    // Capture: heard before Polaris' own window listener; cleared once the key's dispatch is over.
    const note = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !(event.target instanceof Element)) return;
      if (!event.target.closest('[data-portal-id^="popover"]')) return;
      escapeInPopover.current = true;
      setTimeout(() => (escapeInPopover.current = false));
    };
    window.addEventListener("keydown", note, true);
    return () => window.removeEventListener("keydown", note, true);
  }, []);
  const keepOnPopoverEscape = (next: IndexFiltersMode) => {
    if (next === IndexFiltersMode.Default && escapeInPopover.current) return;
    setMode(next);
  };
  return { mode, setMode: keepOnPopoverEscape };
}

function DateCell({ iso }: { iso: string | null }) {
  const format = useFormat();
  if (!iso) return <>—</>;
  // The date in the cell, the time on hover (seed 000: "the exact timestamp"), as the cut cells' whole text is: a
  // title, not Polaris' Tooltip, which makes its activator a tab stop (two per row with both date columns).
  return (
    <time dateTime={iso} title={format.dateTime(iso)}>
      {format.date(iso)}
    </time>
  );
}

function CustomerRow({
  customer,
  columns,
  position,
  selected,
  shopCurrency,
}: {
  customer: CustomerDirectoryRow;
  columns: DirectoryColumn[];
  position: number;
  selected: boolean;
  /** The shop's currency: the referral revenue columns are in it. */
  shopCurrency: CurrencyCode;
}) {
  const format = useFormat();
  const number = (value: number, critical = false) => (
    <Text as="span" alignment="end" numeric tone={critical ? "critical" : undefined}>
      {format.number(value)}
    </Text>
  );
  const cells: Record<DirectoryColumn, ReactNode> = {
    email: customer.email ? truncated(customer.email) : "—",
    phone: customer.phone ? <span className={styles.nowrap}>{customer.phone}</span> : "—",
    status: (
      // Badges stack in the cell rather than widen the column: a blocked member's two would push the last one out.
      <InlineStack gap="100">
        <Badge tone={customer.status === "member" ? "success" : undefined}>
          {customer.status === "member" ? "Member" : "Guest"}
        </Badge>
        {customer.blocked ? <Badge tone="critical">Blocked</Badge> : null}
        {customer.merged ? <Badge tone="info">Merged</Badge> : null}
      </InlineStack>
    ),
    points: number(customer.pointsBalance, customer.pointsBalance < 0),
    joined: <DateCell iso={customer.joinedAt} />,
    last_order: <DateCell iso={customer.lastOrderAt} />,
    orders: number(customer.ordersCount),
    spent: (
      <Text as="span" alignment="end" numeric>
        {format.money(customer.amountSpentMinor, customer.currency ?? shopCurrency)}
      </Text>
    ),
    store_credit: (
      <Text as="span" alignment="end" numeric>
        {customer.storeCreditCurrency ? format.money(customer.storeCreditMinor, customer.storeCreditCurrency) : "—"}
      </Text>
    ),
    location: truncated(locationLabel(customer) ?? "—"),
    tags: customer.tags.join(", ") || "—",
    consent: customer.emailMarketingState ? emailConsentLabel(customer.emailMarketingState) : "—",
    tax_exempt: customer.taxExempt ? "Yes" : "No",
    referrals: number(customer.successfulReferrals),
    referrer: (
      <Text as="span" alignment="end" numeric>
        {format.money(customer.referrerRevenueMinor, shopCurrency)}
      </Text>
    ),
    referee: (
      <Text as="span" alignment="end" numeric>
        {format.money(customer.refereeRevenueMinor, shopCurrency)}
      </Text>
    ),
  };
  const anonymous = customer.name === "Guest (no email)";
  return (
    <IndexTable.Row id={String(customer.id)} position={position} selected={selected}>
      <IndexTable.Cell>
        {/* dataPrimaryLink makes the whole row open the profile, through Remix's client-side navigation. */}
        <Link dataPrimaryLink url={`/app/customers/${customer.id}`} monochrome removeUnderline>
          <Text as="span" fontWeight="semibold" tone={anonymous ? "subdued" : undefined}>
            {truncated(customer.name, styles.truncateName)}
          </Text>
        </Link>
      </IndexTable.Cell>
      {columns.map((column) => (
        <IndexTable.Cell key={column}>{cells[column]}</IndexTable.Cell>
      ))}
    </IndexTable.Row>
  );
}
