import { useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import {
  defaultDirectorySort,
  directoryPointsSchema,
  directorySortSchema,
  directoryStatusSchema,
  type CustomerDirectoryPage,
  type CustomerDirectoryRow,
} from "~/domain/customers";
import { useFormat } from "./format-context";

const sortOptions: IndexFiltersProps["sortOptions"] = [
  { label: "Date joined", value: "joined desc", directionLabel: "Newest first" },
  { label: "Date joined", value: "joined asc", directionLabel: "Oldest first" },
  { label: "Points", value: "points desc", directionLabel: "Highest first" },
  { label: "Points", value: "points asc", directionLabel: "Lowest first" },
  { label: "Name", value: "name asc", directionLabel: "A–Z" },
  { label: "Name", value: "name desc", directionLabel: "Z–A" },
  { label: "Orders", value: "orders desc", directionLabel: "Most first" },
  { label: "Orders", value: "orders asc", directionLabel: "Fewest first" },
  { label: "Total spent", value: "spent desc", directionLabel: "Highest first" },
  { label: "Total spent", value: "spent asc", directionLabel: "Lowest first" },
  { label: "Successful referrals", value: "referrals desc", directionLabel: "Most first" },
  { label: "Successful referrals", value: "referrals asc", directionLabel: "Fewest first" },
  { label: "Referrer revenue", value: "referrer desc", directionLabel: "Highest first" },
  { label: "Referrer revenue", value: "referrer asc", directionLabel: "Lowest first" },
  { label: "Referee revenue", value: "referee desc", directionLabel: "Highest first" },
  { label: "Referee revenue", value: "referee asc", directionLabel: "Lowest first" },
];

const statusChoices = [
  { label: "Members", value: "member" },
  { label: "Guests", value: "guest" },
  { label: "Blocked", value: "blocked" },
];
const pointsChoices = [
  { label: "Has points", value: "positive" },
  { label: "No points", value: "zero" },
  { label: "Owes points", value: "negative" },
];
const labelOf = (choices: { label: string; value: string }[], value: string) =>
  choices.find((choice) => choice.value === value)?.label ?? value;

/** Typing waits this long before the URL (and so the loader) follows; each keystroke would be a request otherwise. */
const SEARCH_DELAY_MS = 300;

/**
 * The directory's view lives in the URL (q, sort, status, points, after/before), so reload, back and forward and a
 * shared link all show the same page. Changing the view drops the cursor: a cursor only means something in its view.
 */
export function CustomerDirectory({ page }: { page: CustomerDirectoryPage }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { mode, setMode } = useSetIndexFiltersMode();
  const urlQuery = searchParams.get("q") ?? "";
  const [query, setQuery] = useState(urlQuery);
  const sort = directorySortSchema.catch(defaultDirectorySort).parse(searchParams.get("sort") ?? undefined);
  const status = directoryStatusSchema.safeParse(searchParams.get("status")).data;
  const points = directoryPointsSchema.safeParse(searchParams.get("points")).data;

  const setView = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete("after");
    next.delete("before");
    setSearchParams(next, { replace: "q" in changes });
  };

  // Back and forward change the URL under the field; the field follows (React's "adjust state on a prop change").
  const [followedQuery, setFollowedQuery] = useState(urlQuery);
  if (followedQuery !== urlQuery) {
    setFollowedQuery(urlQuery);
    setQuery(urlQuery);
  }
  useEffect(() => {
    if (query.trim() === urlQuery.trim()) return;
    const timer = setTimeout(() => setView({ q: query.trim() || undefined }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // setView reads the current URL; re-arming on every render would restart the delay.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, urlQuery]);

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: "Status",
      filter: (
        <ChoiceList
          title="Status"
          titleHidden
          choices={statusChoices}
          selected={status ? [status] : []}
          onChange={([value]) => setView({ status: value })}
        />
      ),
      shortcut: true,
    },
    {
      key: "points",
      label: "Points",
      filter: (
        <ChoiceList
          title="Points"
          titleHidden
          choices={pointsChoices}
          selected={points ? [points] : []}
          onChange={([value]) => setView({ points: value })}
        />
      ),
      shortcut: true,
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [
    ...(status
      ? [{ key: "status", label: labelOf(statusChoices, status), onRemove: () => setView({ status: undefined }) }]
      : []),
    ...(points
      ? [{ key: "points", label: labelOf(pointsChoices, points), onRemove: () => setView({ points: undefined }) }]
      : []),
  ];

  const pageUrl = (cursor: { after?: string; before?: string }) => {
    const next = new URLSearchParams(searchParams);
    next.delete("after");
    next.delete("before");
    for (const [key, value] of Object.entries(cursor)) if (value) next.set(key, value);
    return `?${next.toString()}`;
  };
  const isFiltered = Boolean(urlQuery || status || points);

  return (
    <Page>
      <TitleBar title="Customers" />
      <Card padding="0">
        <IndexFilters
          tabs={[{ id: "all", content: "All customers" }]}
          selected={0}
          canCreateNewView={false}
          queryValue={query}
          queryPlaceholder="Search by name or email"
          onQueryChange={setQuery}
          onQueryClear={() => {
            setQuery("");
            setView({ q: undefined });
          }}
          sortOptions={sortOptions}
          sortSelected={[sort.replace("-", " ")]}
          onSort={([value]) => setView({ sort: value?.replace(" ", "-") })}
          filters={filters}
          appliedFilters={appliedFilters}
          onClearAll={() => {
            setQuery("");
            setView({ q: undefined, status: undefined, points: undefined });
          }}
          mode={mode}
          setMode={setMode}
        />
        {page.customers.length === 0 ? (
          isFiltered ? (
            <EmptyState heading="No customers found" image="">
              <p>Try another name or email, or clear the filters.</p>
            </EmptyState>
          ) : (
            <EmptyState heading="No customers yet" image="">
              <p>Customers appear here as Shopify tells Tally about them.</p>
            </EmptyState>
          )
        ) : (
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={page.customers.length}
            selectable={false}
            headings={[
              { title: "Name" },
              { title: "Email" },
              { title: "Status" },
              { title: "Points", alignment: "end" },
              { title: "Joined" },
              { title: "Orders", alignment: "end" },
              { title: "Total spent", alignment: "end" },
              { title: "Location" },
              { title: "Successful referrals", alignment: "end" },
              { title: "Referrer revenue", alignment: "end" },
              { title: "Referee revenue", alignment: "end" },
            ]}
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
                position={index}
                key={customer.id}
                shopCurrency={page.shopCurrency ?? null}
              />
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}

function CustomerRow({
  customer,
  position,
  shopCurrency,
}: {
  customer: CustomerDirectoryRow;
  position: number;
  shopCurrency: string | null;
}) {
  const format = useFormat();
  return (
    <IndexTable.Row id={String(customer.id)} position={position}>
      <IndexTable.Cell>
        {/* dataPrimaryLink makes the whole row open the profile, through Remix's client-side navigation. */}
        <Link dataPrimaryLink url={`/app/customers/${customer.id}`} monochrome removeUnderline>
          <Text as="span" fontWeight="semibold">
            {customer.name}
          </Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>{customer.email ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="100" wrap={false}>
          <Badge tone={customer.status === "member" ? "success" : undefined}>
            {customer.status === "member" ? "Member" : "Guest"}
          </Badge>
          {customer.blocked ? <Badge tone="critical">Blocked</Badge> : null}
          {customer.merged ? <Badge tone="info">Merged</Badge> : null}
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={customer.pointsBalance < 0 ? "critical" : undefined}>
          {format.number(customer.pointsBalance)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{format.date(customer.joinedAt)}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {format.number(customer.ordersCount)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {customer.currency ? format.money(customer.amountSpentMinor, customer.currency) : "—"}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{[customer.city, customer.countryCode].filter(Boolean).join(", ") || "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {format.number(customer.successfulReferrals)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {format.money(customer.referrerRevenueMinor, shopCurrency)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {format.money(customer.refereeRevenueMinor, shopCurrency)}
        </Text>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
