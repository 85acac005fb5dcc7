// The `shopify` global of each module, typed by its target (what `shopify app dev` generates for an extension).
import "@shopify/ui-extensions";
import type { Api as OrderStatusApi } from "@shopify/ui-extensions/customer-account.order-status.block.render";
import type { Api as ProfileApi } from "@shopify/ui-extensions/customer-account.profile.block.render";

//@ts-expect-error: a module declaration for a file path, as the CLI writes it
declare module "./src/ProfileBlock.tsx" {
  const shopify: ProfileApi;
  const globalThis: { shopify: typeof shopify };
}

//@ts-expect-error: as above
declare module "./src/OrderStatusBlock.tsx" {
  const shopify: OrderStatusApi;
  const globalThis: { shopify: typeof shopify };
}
