import type { AppConfig } from "../app-config";
import type { TokenRegistry } from "../auth";
import type { BulkOperations } from "../bulk";
import { type Operations, SandboxError } from "../operations/index";
import { normalizeShop, type ShopDirectory, type ShopRecord } from "../shops";
import type { OnlineStore } from "../theme/online-store";
import type { WebhookDispatcher } from "../webhooks";

/** What the control API reaches: the sandbox's parts, as startSandbox builds them. */
export interface ControlDeps {
  shops: ShopDirectory;
  ops: Operations;
  tokens: TokenRegistry;
  webhooks: WebhookDispatcher;
  bulk: BulkOperations;
  credentials: { apiKey: string; apiSecret: string };
  appConfig: AppConfig;
  onlineStore: OnlineStore;
}

/** The shop a control call names (`x`, `x.myshopify.com`); throws when the sandbox has no such shop. */
export const shopOf = (shops: ShopDirectory, shop: string): ShopRecord => shops.get(normalizeShop(shop));

/** A customer's index from its id or gid; throws NOT_FOUND (422 over HTTP) when it does not exist. */
export function customerIndex(shop: ShopRecord, id: string) {
  const raw = id.replace(/^gid:\/\/shopify\/Customer\//, "");
  const index = shop.store.indexOf("Customer", raw);
  if (index === undefined || !shop.store.customers.find(index))
    throw new SandboxError(`No customer ${id}`, null, "NOT_FOUND");
  return index;
}

export const customerId = (id: string) => id.replace(/^gid:\/\/shopify\/Customer\//, "");
export const orderId = (id: string) => id.replace(/^gid:\/\/shopify\/Order\//, "");
