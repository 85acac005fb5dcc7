import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CustomerGroups, type GroupView } from "~/components/customer-groups";
import { FormatProvider } from "~/components/format-context";
import { groupDiscountRetitleWarning } from "~/domain/groups";

const group: GroupView = {
  id: 3,
  name: "Gold",
  segmentQuery: "customer_tags CONTAINS 'vip'",
  discountGid: "gid://shopify/DiscountCodeNode/8",
  discountCode: "VIP15",
  discountKind: "percentage",
  discountValue: 15,
  discountCurrency: null,
  discountEndsAt: null,
};

/** The Groups page with `group` open, after an Edit that saved with `warning` for the group `groupId`. */
function pageAfterEdit(groupId: number, text: string) {
  return renderToStaticMarkup(
    <AppProvider i18n={en}>
      <FormatProvider locale="en" pointsNames={{ singular: "point", plural: "points" }} timeZone="UTC">
        <CustomerGroups
          groups={[group]}
          counts={new Promise(() => undefined)}
          selected={{
            group,
            segmentDeleted: false,
            discountDeleted: false,
            totalCount: 0,
            members: [],
            nextCursor: null,
          }}
          currency="CAD"
          fieldErrors={{}}
          doubt={null}
          warning={{ groupId, text }}
          busy={null}
          doneKey="edit:3:1"
          onSelect={() => undefined}
          onNextMembers={() => undefined}
          onSubmit={() => undefined}
        />
      </FormatProvider>
    </AppProvider>,
  );
}

describe("a renamed group whose discount kept its old title", () => {
  const text = groupDiscountRetitleWarning({
    state: "failed",
    title: "VIPs group discount",
    to: "Gold group discount",
    reason: "Shopify refused the change: Title is invalid",
  })!;

  it("says so on the open group, in words, until the next action", () => {
    expect(text).toBe(
      "The group is renamed, but its discount in Shopify is still titled \u201cVIPs group discount\u201d: Shopify refused the change: Title is invalid. Change its title to \u201cGold group discount\u201d in Shopify admin (Discounts) if it should follow.",
    );
    const html = pageAfterEdit(3, text);
    expect(html).toContain("Discount title not changed");
    expect(html).toContain(text.replaceAll("\u201c", "\u201c"));
  });

  it("says nothing on another group, and nothing when the title followed or was the merchant's", () => {
    expect(pageAfterEdit(4, text)).not.toContain("Discount title not changed");
    expect(
      groupDiscountRetitleWarning({ state: "retitled", from: "VIPs group discount", to: "Gold group discount" }),
    ).toBeNull();
    expect(groupDiscountRetitleWarning({ state: "kept", title: "Members' treat" })).toBeNull();
  });
});
