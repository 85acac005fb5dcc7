import { Banner, BlockStack } from "@shopify/polaris";
import { useFormat } from "./format-context";

export interface CustomerNoticesView {
  /** The customer Shopify merged this one into, with when. */
  mergedInto: { id: number; label: string; at: string | null } | null;
  /** How many customers Shopify merged into this one. */
  mergedFrom: number;
  redactedAt: string | null;
  deletedAt: string | null;
}

/**
 * What happened to the customer in Shopify that changes how the profile reads: a merge either way (decision 010), an
 * erasure of their personal data, or a deletion. Nothing when none did.
 */
export function CustomerNotices({ customer, balance }: { customer: CustomerNoticesView; balance: number }) {
  const format = useFormat();
  const { mergedInto, mergedFrom } = customer;
  if (!mergedInto && mergedFrom === 0 && !customer.redactedAt && !customer.deletedAt) return null;
  return (
    <BlockStack gap="500">
      {mergedInto ? (
        <Banner
          tone="info"
          title={`Merged into ${mergedInto.label}`}
          action={{ content: "Open that customer", url: `/app/customers/${mergedInto.id}` }}
        >
          <p>
            Shopify merged this customer into {mergedInto.label}
            {mergedInto.at ? ` on ${format.dateTime(mergedInto.at)}` : ""}. Their points, rewards and history moved
            there; each line below says so, and anything this customer&apos;s orders earn or give back later follows on
            its own.
          </p>
        </Banner>
      ) : null}
      {mergedFrom > 0 ? (
        <Banner tone="info" title="Merged customers">
          <p>
            Shopify merged {mergedFrom} {mergedFrom === 1 ? "customer" : "customers"} into this one: their points and
            history are here (&quot;Moved from a merged customer&quot;), and their orders are listed with this
            customer&apos;s.
          </p>
        </Banner>
      ) : null}
      {customer.redactedAt ? (
        <Banner tone="info" title="Personal data erased">
          <p>Shopify asked Tally to erase this customer&apos;s data; only the points history is kept.</p>
        </Banner>
      ) : customer.deletedAt ? (
        <Banner tone="info" title="Deleted in Shopify">
          <p>
            This customer was deleted in Shopify on {format.dateTime(customer.deletedAt)}. Their profile is kept as
            history: {balance !== 0 ? `their ${format.points(balance)} no longer count as outstanding, since ` : ""}
            they can no longer sign in{balance !== 0 ? " to spend them" : ""}, and nothing here can change their points
            or act on them in Shopify.
          </p>
        </Banner>
      ) : null}
    </BlockStack>
  );
}
