import { and, eq } from "drizzle-orm";
import { storefrontRootFor } from "~/domain/shared";
import { customers, shops } from "~/db/schema";
import type { ServiceContext } from "../context";

/**
 * Where an email's links to the storefront start for this customer (decision 051): the online store's root in their
 * language ("https://example.com/fr", a Markets domain "https://example.fr"), from the shop's root URLs read with its
 * facts and the customer's locale read by sync, else the primary root; `https://{shop}` (the myshopify domain, which
 * Shopify sends on to the primary) while the shop's roots are unknown. Two indexed reads, no call to Shopify.
 */
export async function findCustomerStorefrontRoot({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
}): Promise<string> {
  const [shop] = await ctx.db.select({ roots: shops.storefrontRoots }).from(shops).where(eq(shops.shop, ctx.shop));
  if (!shop?.roots?.length) return `https://${ctx.shop}`;
  const [customer] = await ctx.db
    .select({ locale: customers.locale })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  return storefrontRootFor(shop.roots, customer?.locale) ?? `https://${ctx.shop}`;
}
