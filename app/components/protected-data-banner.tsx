import { Banner, BlockStack, List, Text } from "@shopify/polaris";
import type { ProtectedField } from "~/domain/shared";

const labels: Record<ProtectedField, { field: string; dashboard: string; loses: string }> = {
  name: {
    field: "names",
    dashboard: "Name",
    loses: "Customers' names: the directory, profiles and search by name show none.",
  },
  email: {
    field: "emails",
    dashboard: "Email",
    loses: "Email addresses: the directory and profiles show none, and search by email finds no one.",
  },
  phone: { field: "phone numbers", dashboard: "Phone", loses: "Phone numbers on customer profiles." },
  address: {
    field: "addresses",
    dashboard: "Address",
    loses: "Locations (city, province, country) in the directory and on profiles.",
  },
};

function listed(words: string[]): string {
  return new Intl.ListFormat("en", { type: "conjunction" }).format(words);
}

/**
 * Names the protected customer fields Shopify has not approved Tally for in this store (decision 012): what the
 * merchant goes without, that points and rewards are not affected, and the Partner Dashboard step that asks for it.
 */
export function ProtectedDataBanner({ withheld }: { withheld: ProtectedField[] }) {
  if (withheld.length === 0) return null;
  const fields = withheld.map((field) => labels[field]);
  return (
    <Banner
      tone="warning"
      title={`Shopify has not approved Tally to see customers' ${listed(fields.map((f) => f.field))}`}
    >
      <BlockStack gap="200">
        <Text as="p">Until it does, Tally syncs your customers without them. You go without:</Text>
        <List>
          {fields.map((field) => (
            <List.Item key={field.field}>{field.loses}</List.Item>
          ))}
        </List>
        <Text as="p">Points, rewards and Member/Guest status work as usual.</Text>
        <Text as="p">
          To ask for it, Tally&apos;s developer opens the Partner Dashboard: Apps, Tally, API access, Protected customer
          data, selects {listed(fields.map((f) => f.dashboard))} with the reason Tally uses them, saves, and submits the
          request for review (a development store needs no review). Tally fills them in at its next sync after Shopify
          approves.
        </Text>
      </BlockStack>
    </Banner>
  );
}
