import { normalizeShop, type ShopDirectory } from "../shops";
import type { OnlineStore } from "./online-store";
import { readCart } from "./online-store-routes";

/** What the app proxy needs of the online store: the locale a path prefix names, and Liquid answers rendered. */
export interface AppProxyLiquid {
  /** The shopper's locale for a proxied path: its published prefix (`fr`), the primary locale without one, else null. */
  localeOf(shop: string, prefix: string | undefined): string | null;
  /**
   * An `application/liquid` answer rendered as Shopify does (shopify.dev, "App proxies": "Handle proxy requests"):
   * Liquid with the storefront's objects, `customer` the signed-in shopper, inside the theme's layout unless the
   * body says `{% layout none %}`.
   */
  render(input: {
    shop: string;
    customerId: string;
    locale: string;
    path: string;
    body: string;
    cookies: Record<string, string>;
  }): string;
}

export function appProxyLiquid(store: OnlineStore, shops: ShopDirectory): AppProxyLiquid {
  const shopRecord = (domain: string) => shops.find(normalizeShop(domain)) ?? shops.create({ shop: domain });
  return {
    localeOf: (shop, prefix) => {
      const record = shopRecord(shop);
      return prefix ? store.publishedLocale(record, prefix) : store.stateOf(record).locales.primary;
    },
    render: ({ shop, customerId, locale, path, body, cookies }) => {
      const record = shopRecord(shop);
      const id = customerId.replace(/^gid:\/\/shopify\/Customer\//, "");
      return store.renderPage({
        shop: record,
        customer: id ? (record.store.customers.findById(id) ?? null) : null,
        locale,
        path,
        template: "",
        body,
        cart: readCart(cookies),
      });
    },
  };
}
