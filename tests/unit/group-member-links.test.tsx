import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CustomerGroups, type GroupMembersView, type GroupView } from "~/components/customer-groups";
import { FormatProvider } from "~/components/format-context";

const group: GroupView = {
  id: 3,
  name: "VIPs",
  segmentQuery: "customer_tags CONTAINS 'vip'",
  discountGid: null,
  discountCode: null,
  discountKind: null,
  discountValue: null,
  discountCurrency: null,
  discountEndsAt: null,
};

/** The open group's member table as the Groups page draws it: each row's HTML. */
function memberRowsOf(members: GroupMembersView["members"]) {
  const selected: GroupMembersView = {
    group,
    segmentDeleted: false,
    discountDeleted: false,
    totalCount: members.length,
    members,
    nextCursor: null,
  };
  const html = renderToStaticMarkup(
    <AppProvider i18n={en}>
      <FormatProvider locale="en" pointsNames={{ singular: "point", plural: "points" }} timeZone="UTC">
        <CustomerGroups
          groups={[group]}
          counts={new Promise(() => undefined)}
          selected={selected}
          currency="CAD"
          fieldErrors={{}}
          doubt={null}
          busy={null}
          doneKey=""
          onSelect={() => undefined}
          onNextMembers={() => undefined}
          onSubmit={() => undefined}
        />
      </FormatProvider>
    </AppProvider>,
  );
  return [...html.matchAll(/<tr[^>]*Polaris-IndexTable__TableRow[^>]*>(.*?)<\/tr>/g)]
    .map((row) => row[1]!)
    .filter((row) => row.includes("@example.com"));
}

describe("a group's member list", () => {
  it("links each member's name to their profile in Tally, as the directory does", () => {
    const rows = memberRowsOf([
      {
        customerGid: "gid://shopify/Customer/101",
        customerId: 7,
        name: "Vera Vip",
        email: "vera@example.com",
        ordersCount: 2,
      },
      {
        customerGid: "gid://shopify/Customer/102",
        customerId: 9,
        name: "Vic Vip",
        email: "vic@example.com",
        ordersCount: 0,
      },
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/<a [^>]*href="\/app\/customers\/7"[^>]*>.*Vera Vip.*<\/a>/);
    expect(rows[1]).toMatch(/<a [^>]*href="\/app\/customers\/9"[^>]*>.*Vic Vip.*<\/a>/);
  });

  it("shows a member Tally has not synced yet by name, linking nowhere", () => {
    const [row] = memberRowsOf([
      {
        customerGid: "gid://shopify/Customer/103",
        customerId: null,
        name: "New Nia",
        email: "nia@example.com",
        ordersCount: 0,
      },
    ]);
    expect(row).toContain("New Nia");
    expect(row).not.toContain("/app/customers/");
  });
});
