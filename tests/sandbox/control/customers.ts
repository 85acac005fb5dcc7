import type { ShopRecord } from "../shops";
import type { AddressRecord } from "../store/index";
import { type ControlDeps, customerId, customerIndex, shopOf } from "./deps";

/** A default address as a merchant or shopper types it; what they leave out is blank. */
export function defaultAddress(
  shop: ShopRecord,
  typed: Partial<AddressRecord>,
  names: { firstName?: string | null; lastName?: string | null },
): AddressRecord {
  return {
    id: shop.store.nextId("MailingAddress"),
    firstName: names.firstName ?? "",
    lastName: names.lastName ?? "",
    address1: "",
    address2: null,
    city: "",
    province: "",
    provinceCode: "",
    country: "Canada",
    countryCode: "CA",
    zip: "",
    phone: null,
    company: null,
    ...typed,
  };
}

/** Customers as the shopper or the merchant changes them in Shopify, each firing Shopify's webhooks. */
export function customerControl({ shops, ops }: ControlDeps) {
  return {
    createCustomerAccount: (input: {
      shop: string;
      email: string;
      firstName?: string;
      lastName?: string;
      acceptsMarketing?: boolean;
      /** The default address (address1, city, zip, countryCode...). */
      address?: Partial<AddressRecord>;
      /** The customer's language ("fr"), as a sign-up on the French storefront leaves it; the primary one unset. */
      locale?: string;
    }) => ops.customers.createAccount(shopOf(shops, input.shop), input),
    /** A sign-in to new customer accounts by email: a first one makes the account or enables the customer. */
    signInToCustomerAccounts: (input: { shop: string; email: string; locale?: string }) =>
      ops.customers.signInToCustomerAccounts(shopOf(shops, input.shop), input),
    createCustomer: (input: {
      shop: string;
      email?: string;
      /** E.164; a customer may have only a phone (a point-of-sale guest). */
      phone?: string;
      firstName?: string;
      lastName?: string;
      state?: "DISABLED" | "ENABLED" | "INVITED";
      tags?: string[];
      /** The default address (address1, city, zip, countryCode...). */
      address?: Partial<AddressRecord>;
      /** The customer's language ("fr"); the shop's primary one unset. */
      locale?: string;
    }) => {
      const { shop, address, ...fields } = input;
      const record = shopOf(shops, shop);
      return ops.customers.create(record, {
        ...fields,
        ...(address ? { address: defaultAddress(record, address, fields) } : {}),
      });
    },
    setTags: ({ shop, customerId: id, tags }: { shop: string; customerId: string; tags: string[] }) => {
      const record = shopOf(shops, shop);
      return ops.customers.update(record, customerIndex(record, id), (c) => {
        c.tags = [...new Set(tags)].sort();
      });
    },
    setMarketingConsent: ({
      shop,
      customerId: id,
      subscribed,
    }: {
      shop: string;
      customerId: string;
      subscribed: boolean;
    }) => {
      const record = shopOf(shops, shop);
      return ops.customers.update(record, customerIndex(record, id), (c) => {
        c.marketing = {
          state: subscribed ? "SUBSCRIBED" : "UNSUBSCRIBED",
          optInLevel: "SINGLE_OPT_IN",
          updatedAt: new Date().toISOString(),
        };
      });
    },
    disableCustomer: ({ shop, customerId: id }: { shop: string; customerId: string }) => {
      const record = shopOf(shops, shop);
      return ops.customers.update(record, customerIndex(record, id), (c) => {
        c.state = "DISABLED";
      });
    },
    /** Merges `mergedId` into `keptId` as Shopify's customer merge does (see CustomerOperations.merge). */
    mergeCustomers: ({ shop, keptId, mergedId }: { shop: string; keptId: string; mergedId: string }) => {
      const record = shopOf(shops, shop);
      return ops.customers.merge(record, customerIndex(record, keptId), customerIndex(record, mergedId));
    },
    deleteCustomer: ({ shop, customerId: id }: { shop: string; customerId: string }) => {
      const record = shopOf(shops, shop);
      ops.customers.delete(record, customerIndex(record, id));
      return { deleted: id };
    },
    customer: ({ shop, customerId: id }: { shop: string; customerId: string }) => {
      const record = shopOf(shops, shop);
      const c = record.store.customers.find(customerIndex(record, id));
      return c ? { ...c, ...record.store.orders.statsOf(c.index) } : null;
    },
    /** The customer with this email (as Shopify matches it, ignoring case), or null. */
    customerByEmail: ({ shop, email }: { shop: string; email: string }) =>
      shopOf(shops, shop).store.customers.findByEmail(email) ?? null,
    /** Emails Shopify sent for the app (account invitations), newest last; by customer when `customerId` is given. */
    sentEmails: ({ shop, customerId: id }: { shop: string; customerId?: string }) =>
      shopOf(shops, shop).store.sentEmails.filter((e) => !id || e.customerId === customerId(id)),
    /** Data erasures requested with customerRequestDataErasure and not yet carried out or cancelled. */
    erasureRequests: ({ shop }: { shop: string }) => [...shopOf(shops, shop).store.erasureRequests.values()],
    /** Carries out the pending erasures now (Shopify waits days): customers/redact, and the customer is gone. */
    processDataErasures: ({ shop }: { shop: string }) => ({
      erased: ops.customers.eraseRequested(shopOf(shops, shop)),
    }),
    requestCustomerData: ({ shop, customerId: id }: { shop: string; customerId: string }) =>
      ops.shops.compliance(shopOf(shops, shop), "customers/data_request", customerId(id)).length,
    redactCustomer: ({ shop, customerId: id }: { shop: string; customerId: string }) =>
      ops.shops.compliance(shopOf(shops, shop), "customers/redact", customerId(id)).length,
  };
}
