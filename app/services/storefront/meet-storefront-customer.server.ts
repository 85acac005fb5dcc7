import { and, eq } from "drizzle-orm";
import { existedBeforeInstall } from "~/domain/customers";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";
import { reconcileCustomer } from "../customers/sync-customer.server";
import type { ShopifyCustomerReader } from "../customers/sync-customer-now.server";
import { findShop } from "../shops/get-shop.server";

/**
 * What happened when a signed-in shopper reached the storefront: `known` the customer was in Tally already,
 * `recorded` Tally had no record of them and read them from Shopify now, `absent` Shopify has no such customer either
 * (deleted since signing in), so nothing was recorded.
 */
export type StorefrontCustomerMeeting = "known" | "recorded" | "absent";

/**
 * Makes sure Tally knows a shopper Shopify says is signed in (the app proxy's signed `logged_in_customer_id`), so the
 * widget shows their points and referral link at once rather than "not ready yet". Tally can lack them while their
 * customers/create webhook is still on its way (Shopify delivers at least once, late and out of order) or before the
 * install sync reached them. The customer is read from the Admin API and applied exactly as reconciliation applies a
 * customer (`reconcileCustomer`): a customer Shopify created before Tally was installed is a Member from before Tally
 * and earns no sign-up bonus; one created since signed up under Tally and does, once, whichever of this read and the
 * webhook comes first (`signupDecision`). Reads Shopify only for a customer Tally has no row for: one read per new
 * customer, never per page view. Throws what the reader throws (Shopify unreachable); callers show the page without.
 */
export async function meetStorefrontCustomer({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerGid: string };
  shopify: Pick<ShopifyCustomerReader, "customer">;
}): Promise<StorefrontCustomerMeeting> {
  const [row] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  if (row) return "known";
  const read = await shopify.customer(input.customerGid);
  if (!read) return "absent";
  const before = existedBeforeInstall(read.snapshot.createdAt, (await findShop({ ctx }))?.installedAt);
  await reconcileCustomer({ ctx, input: { ...read, snapshot: { ...read.snapshot, existedBeforeInstall: before } } });
  return "recorded";
}
