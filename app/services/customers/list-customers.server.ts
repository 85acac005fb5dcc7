import {
  customerDisplayName,
  encodeDirectoryCursor,
  type CustomerDirectoryPage,
  type CustomerQuery,
  type DirectoryCursor,
} from "~/domain/customers";
import { writePhone, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext } from "../context";
import { getShopCountry, getShopCurrency } from "../shops/get-shop.server";
import { selectCustomerPage } from "./customer-query.server";

export interface ListCustomersInput {
  query: CustomerQuery;
  /** Keyset position: the page after `after`, or the page before `before`. */
  after?: DirectoryCursor;
  before?: DirectoryCursor;
  limit: number;
}

/**
 * A page of the shop's directory for a customer query (app/services/customers/customer-query.server.ts plans it),
 * keyset-paginated on (sort key, id) so page 10,000 costs what page 1 does. Total spent is in the customer's currency,
 * or the shop's for a customer Shopify has not yet given an amount spent (a new or imported customer: 0 in the shop's
 * currency, as Shopify's `amountSpent` reads), so every row shows money the same way.
 * Phones are written as the shop's staff write them (decision 053): one primary-key read of the shop's country, only
 * for a page that holds a phone.
 */
export async function listCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ListCustomersInput;
}): Promise<CustomerDirectoryPage> {
  const { rows } = await selectCustomerPage({ ctx, input });
  const shopCurrency = await getShopCurrency({ ctx });
  const shopCountry = rows.some((row) => row.phone) ? await getShopCountry({ ctx }) : null;
  const backwards = input.before !== undefined;
  const cursor = input.after ?? input.before;
  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  if (backwards) page.reverse();
  const cursorOf = (row: (typeof page)[number]) => encodeDirectoryCursor({ value: row.sortValue ?? "", id: row.id });
  const first = page.at(0);
  const last = page.at(-1);
  return {
    customers: page.map(
      ({ firstName, lastName, sortValue: _sortValue, mergedIntoId, currency, storeCreditCurrency, ...row }) => ({
        ...row,
        phone: row.phone && writePhone(row.phone, shopCountry),
        merged: mergedIntoId !== null,
        currency: (currency as CurrencyCode | null) ?? shopCurrency,
        storeCreditCurrency: storeCreditCurrency as CurrencyCode | null,
        name: customerDisplayName({ firstName, lastName, email: row.email }),
      }),
    ),
    nextCursor: last && (backwards || hasMore) ? cursorOf(last) : undefined,
    previousCursor: first && (backwards ? hasMore : cursor !== undefined) ? cursorOf(first) : undefined,
  };
}
