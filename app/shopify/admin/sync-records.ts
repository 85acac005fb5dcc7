import { z } from "zod";
import type {
  TallyBulkCustomersQuery,
  TallyBulkCustomersWithOrdersQuery,
  TallyBulkOrdersQuery,
} from "~/types/admin.generated";

// The customer and order records reconciliation reads, as zod schemas. A bulk operation's JSONL is a file Shopify
// wrote, not a typed answer, so every line goes through these before anything is applied; the paged queries' typed
// answers fit them too. Each schema reads what its #graphql document selects (see the type checks at the end).

const gid = (type: string) => z.string().startsWith(`gid://shopify/${type}/`);
const dateTime = z.iso.datetime({ offset: true });
/** Shopify's Decimal: a string such as "12.5" or "1500.0". */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, { error: "is not a decimal amount" });
const money = z.object({ amount: decimal, currencyCode: z.string().regex(/^[A-Z]{3}$/) });
const moneyBag = z.object({ shopMoney: money });

export const customerRecordSchema = z.object({
  id: gid("Customer"),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  state: z.string(),
  tags: z.array(z.string()),
  createdAt: dateTime,
  updatedAt: dateTime,
  defaultEmailAddress: z
    .object({
      emailAddress: z.string().nullish(),
      // CustomerEmailAddressMarketingState; marketingUpdatedAt is null when Shopify never dated the consent.
      marketingState: z.string().nullish(),
      marketingUpdatedAt: dateTime.nullish(),
    })
    .nullish(),
  defaultPhoneNumber: z.object({ phoneNumber: z.string().nullish() }).nullish(),
  defaultAddress: z
    .object({ city: z.string().nullish(), province: z.string().nullish(), countryCodeV2: z.string().nullish() })
    .nullish(),
  // UnsignedInt64, which Shopify sends as a string.
  numberOfOrders: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
  amountSpent: money.nullish(),
  taxExempt: z.boolean().nullish(),
  // The customer's language ("fr", "pt-BR"); emails link to the storefront in it.
  locale: z.string().nullish(),
  lastOrder: z.object({ processedAt: dateTime }).nullish(),
});
export type CustomerRecord = z.infer<typeof customerRecordSchema>;

export const orderRecordSchema = z.object({
  id: gid("Order"),
  name: z.string(),
  currencyCode: z.string().regex(/^[A-Z]{3}$/),
  subtotalPriceSet: moneyBag.nullish(),
  currentTotalPriceSet: moneyBag.nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  cancelledAt: dateTime.nullish(),
  processedAt: dateTime,
  updatedAt: dateTime,
  discountCodes: z.array(z.string()),
  customer: z
    .object({
      id: gid("Customer"),
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      defaultEmailAddress: z.object({ emailAddress: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type OrderRecord = z.infer<typeof orderRecordSchema>;

/**
 * An order line of Sync customers' JSONL (customers with their orders): Shopify writes a nested connection's nodes
 * as lines of their own after their parent's, naming it in `__parentId`.
 */
export const nestedOrderRecordSchema = orderRecordSchema
  .omit({ customer: true })
  .extend({ __parentId: gid("Customer") });
export type NestedOrderRecord = z.infer<typeof nestedOrderRecordSchema>;

/** A line of Sync customers' JSONL read: a customer, one of their orders, or why it was set aside. */
export type CustomerSyncLine = { customer: CustomerRecord } | { order: NestedOrderRecord } | { rejected: string };

/** Reads one line of Sync customers' JSONL: an order when it names a parent, a customer otherwise. Never throws. */
export function readCustomerSyncLine(number: number, text: string): CustomerSyncLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { rejected: `line ${number}: not JSON` };
  }
  const isOrder = typeof json === "object" && json !== null && "__parentId" in json;
  const parsed = isOrder ? nestedOrderRecordSchema.safeParse(json) : customerRecordSchema.safeParse(json);
  if (parsed.success)
    return isOrder ? { order: parsed.data as NestedOrderRecord } : { customer: parsed.data as CustomerRecord };
  const reasons = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`);
  return { rejected: `line ${number}: ${reasons.join("; ")}` };
}

// What the bulk documents select must fit what these schemas read: a field dropped from a document, or renamed, and
// the generated type no longer fits, which fails to compile.
type Fits<Record, Selected extends Record> = Selected;
export type _BulkCustomerFits = Fits<CustomerRecord, TallyBulkCustomersQuery["customers"]["edges"][number]["node"]>;
export type _BulkOrderFits = Fits<OrderRecord, TallyBulkOrdersQuery["orders"]["edges"][number]["node"]>;
type NestedOrder = NonNullable<
  TallyBulkCustomersWithOrdersQuery["customers"]["edges"][number]["node"]["orders"]
>["edges"][number]["node"];
export type _BulkCustomerWithOrdersFits = Fits<
  CustomerRecord,
  Omit<TallyBulkCustomersWithOrdersQuery["customers"]["edges"][number]["node"], "orders">
>;
export type _BulkNestedOrderFits = Fits<Omit<OrderRecord, "customer">, NestedOrder>;
