import * as payloads from "../payloads";
import { addressIn, type ShopRecord } from "../shops";
import { iso, type OperationsBase, SandboxError } from "./base";

/** The store itself: its settings, the app's uninstall, and the privacy (compliance) webhooks. */
export class ShopOperations {
  constructor(private readonly base: OperationsBase) {}

  /** The merchant edits the store's details (currency, time zone, name, the address's country): shop/update. */
  update(shop: ShopRecord, change: { currency?: string; timezone?: string; name?: string; country?: string }) {
    if (change.country && !/^[A-Z]{2}$/.test(change.country))
      throw new SandboxError("Country must be an ISO 3166-1 alpha-2 code", ["country"]);
    if (change.currency && !/^[A-Z]{3}$/.test(change.currency))
      throw new SandboxError("Currency must be an ISO 4217 code", ["currency"]);
    if (change.currency) {
      shop.currency = change.currency;
      shop.presentmentCurrencies = [
        change.currency,
        ...shop.presentmentCurrencies.filter((c) => c !== change.currency),
      ];
    }
    if (change.timezone) shop.timezone = change.timezone;
    if (change.name) shop.name = change.name;
    if (change.country && change.country !== shop.country) {
      // A store moved abroad has a new address there; the sandbox keeps its country and leaves the street to the test.
      shop.country = change.country;
      shop.address = { ...addressIn(change.country) };
    }
    const updatedAt = iso();
    this.base.emit(shop, "shop/update", payloads.shopUpdatePayload({ ...this.base.info(shop), ...shop }, updatedAt));
    return {
      shop: shop.domain,
      currency: shop.currency,
      timezone: shop.timezone,
      name: shop.name,
      country: shop.country,
      updatedAt,
    };
  }

  uninstall(shop: ShopRecord) {
    shop.installed = false;
    this.base.emit(shop, "app/uninstalled", payloads.appUninstalledPayload(this.base.info(shop), shop.name));
  }

  compliance(
    shop: ShopRecord,
    topic: "customers/data_request" | "customers/redact" | "shop/redact",
    customerId?: string,
  ) {
    const customer = customerId ? shop.store.customers.findById(customerId) : undefined;
    return this.base.emit(shop, topic, payloads.compliancePayload(topic, this.base.info(shop), customer));
  }
}
