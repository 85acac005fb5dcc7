import { addressRecordOf, type MailingAddressInput } from "../../addresses";
import { gid, parseGid } from "../../ids";
import { majorValue } from "../../money";
import type { ShopRecord } from "../../shops";
import type { ConsentInput } from "../../operations/customers";
import type { CustomerRecord } from "../../store/index";
import { connection, countOf, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import type { SearchFields } from "../search";
import { dt, money, userErrors } from "../values";
import { shopView } from "./shop";
import { metafieldsOf } from "./metafields";
import { orderSearch, orderView, scanOrders } from "./orders";
import { storeCreditAccountsOf } from "./store-credit";

export function customerSearch(shop: ShopRecord): SearchFields<CustomerRecord> {
  return {
    text: (c) => [c.firstName, c.lastName, c.email, c.phone, `${c.firstName ?? ""} ${c.lastName ?? ""}`],
    fields: {
      id: (c) => c.id,
      email: (c) => c.email,
      phone: (c) => c.phone,
      first_name: (c) => c.firstName,
      last_name: (c) => c.lastName,
      state: (c) => c.state,
      customer_account_status: (c) => c.state,
      tag: (c) => c.tags,
      tag_not: (c) => c.tags.map((t) => `!${t}`),
      updated_at: (c) => c.updatedAt,
      created_at: (c) => c.createdAt,
      customer_date: (c) => c.createdAt,
      tax_exempt: (c) => c.taxExempt,
      accepts_marketing: (c) => c.marketing.state === "SUBSCRIBED",
      email_marketing_state: (c) => c.marketing.state,
      orders_count: (c) => shop.store.orders.statsOf(c.index).count,
      number_of_orders: (c) => shop.store.orders.statsOf(c.index).count,
      total_spent: (c) => majorValue(shop.store.orders.statsOf(c.index).spentCents, shop.currency),
      amount_spent: (c) => majorValue(shop.store.orders.statsOf(c.index).spentCents, shop.currency),
      country: (c) => c.address?.country ?? null,
    },
    dates: ["updated_at", "created_at", "customer_date"],
    numbers: ["id", "orders_count", "number_of_orders", "total_spent", "amount_spent"],
  };
}

export function scanCustomers(shop: ShopRecord) {
  return function* (fromId: string | null, reverse: boolean): Generator<CustomerRecord> {
    const store = shop.store;
    let start = reverse ? store.customers.slots - 1 : 0;
    if (fromId !== null) {
      const idx = store.indexOf("Customer", fromId);
      const base = BigInt(store.id("Customer", 0));
      start =
        idx ??
        (BigInt(fromId) < base ? (reverse ? -1 : 0) : reverse ? store.customers.slots - 1 : store.customers.slots);
    }
    yield* store.customers.scan(start, reverse);
  };
}

export function addressView(c: CustomerRecord) {
  const a = c.address!;
  return {
    __typename: "MailingAddress",
    id: `${gid("MailingAddress", a.id)}?model_name=CustomerAddress`,
    firstName: a.firstName,
    lastName: a.lastName,
    name: `${a.firstName} ${a.lastName}`,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    country: a.country,
    countryCodeV2: a.countryCode,
    countryCode: a.countryCode,
    zip: a.zip,
    phone: a.phone,
    company: a.company,
    formatted: () => [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, a.country],
  };
}

export function customerView(shop: ShopRecord, c: CustomerRecord) {
  const store = shop.store;
  const ownerGid = gid("Customer", c.id);
  const stats = () => store.orders.statsOf(c.index);
  return {
    __typename: "Customer",
    id: ownerGid,
    legacyResourceId: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "",
    email: c.email,
    phone: c.phone,
    state: c.state,
    note: c.note,
    verifiedEmail: c.verifiedEmail,
    validEmailAddress: Boolean(c.email),
    taxExempt: c.taxExempt,
    taxExemptions: [],
    tags: c.tags,
    locale: c.locale ?? "en",
    createdAt: dt(c.createdAt),
    updatedAt: dt(c.updatedAt),
    canDelete: () => stats().count === 0,
    numberOfOrders: () => String(stats().count),
    amountSpent: () => money(stats().spentCents, shop.currency),
    lifetimeDuration: "about 1 year",
    defaultAddress: c.address ? addressView(c) : null,
    addresses: () => (c.address ? [addressView(c)] : []),
    defaultEmailAddress: c.email
      ? {
          emailAddress: c.email,
          marketingState: c.marketing.state,
          marketingOptInLevel: c.marketing.optInLevel,
          marketingUpdatedAt: dt(c.marketing.updatedAt),
          validFormat: true,
        }
      : null,
    defaultPhoneNumber: c.phone
      ? {
          phoneNumber: c.phone,
          marketingState: c.sms?.state ?? "NOT_SUBSCRIBED",
          marketingOptInLevel: c.sms?.optInLevel ?? null,
          marketingUpdatedAt: dt(c.sms?.updatedAt ?? null),
          marketingCollectedFrom: "OTHER",
        }
      : null,
    emailMarketingConsent: c.email
      ? {
          marketingState: c.marketing.state,
          marketingOptInLevel: c.marketing.optInLevel,
          consentUpdatedAt: dt(c.marketing.updatedAt),
          sourceLocation: null,
        }
      : null,
    smsMarketingConsent:
      c.phone && c.sms
        ? {
            marketingState: c.sms.state,
            marketingOptInLevel: c.sms.optInLevel ?? "SINGLE_OPT_IN",
            consentUpdatedAt: dt(c.sms.updatedAt),
            consentCollectedFrom: "OTHER",
            sourceLocation: null,
          }
        : null,
    image: {
      url: "https://cdn.shopify.com/s/images/admin/customers/customer.png",
      altText: null,
      id: null,
      width: 100,
      height: 100,
    },
    orders: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: scanOrders(shop, store.orders.indexesOf(c.index)),
        view: (o) => orderView(shop, o),
        search: orderSearch(shop),
      }),
    lastOrder: () => {
      const list = store.orders.indexesOf(c.index);
      const last = list.length ? store.orders.find(Math.max(...list)) : undefined;
      return last ? orderView(shop, last) : null;
    },
    storeCreditAccounts: storeCreditAccountsOf(shop, c.id),
    ...metafieldsOf(shop, ownerGid),
  };
}

export function customerIndexFromGid(shop: ShopRecord, id: string | undefined | null): number | undefined {
  const parsed = id ? parseGid(id) : undefined;
  if (!parsed || parsed.type !== "Customer") return undefined;
  const index = shop.store.indexOf("Customer", parsed.id);
  return index !== undefined && shop.store.customers.find(index) ? index : undefined;
}

export interface CustomerInput {
  id?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  taxExempt?: boolean;
  locale?: string | null;
  emailMarketingConsent?: ConsentInput | null;
  smsMarketingConsent?: ConsentInput | null;
  metafields?: { namespace?: string; key: string; type?: string; value: string }[];
  /**
   * The customer's whole address list: entries without an id are created, and the ones not listed deleted
   * (customerSet's description). The sandbox keeps the first as the customer's one, default, address.
   */
  addresses?: MailingAddressInput[];
}

/** The input's fields on a customer draft; consent only at creation (updates go through the consent mutations). */
function applyCustomerInput(shop: ShopRecord, c: CustomerRecord, input: CustomerInput) {
  if (input.email !== undefined) c.email = input.email;
  if (input.firstName !== undefined) c.firstName = input.firstName;
  if (input.lastName !== undefined) c.lastName = input.lastName;
  if (input.phone !== undefined) c.phone = input.phone;
  if (input.note !== undefined) c.note = input.note;
  if (input.taxExempt !== undefined) c.taxExempt = input.taxExempt;
  if (input.locale) c.locale = input.locale;
  if (input.tags !== undefined) c.tags = normalizeTags(input.tags);
  if (input.addresses !== undefined) {
    const first = input.addresses[0];
    c.address = first
      ? addressRecordOf(first, c.address?.id ?? shop.store.nextId("MailingAddress"), shop.country)
      : null;
  }
  const now = new Date().toISOString();
  if (input.emailMarketingConsent)
    c.marketing = {
      state: input.emailMarketingConsent.marketingState as CustomerRecord["marketing"]["state"],
      optInLevel: optIn(input.emailMarketingConsent.marketingOptInLevel),
      updatedAt: input.emailMarketingConsent.consentUpdatedAt ?? now,
    };
  if (input.smsMarketingConsent)
    c.sms = {
      state: input.smsMarketingConsent.marketingState as CustomerRecord["marketing"]["state"],
      optInLevel: optIn(input.smsMarketingConsent.marketingOptInLevel),
      updatedAt: input.smsMarketingConsent.consentUpdatedAt ?? now,
    };
}

const optIn = (level: ConsentInput["marketingOptInLevel"]) =>
  level && level !== "UNKNOWN" ? level : ("SINGLE_OPT_IN" as const);

/**
 * A tag list as Shopify keeps it: split on commas, trimmed, each tag once whatever its case (the first spelling
 * stays: tagsAdd of "vip" leaves a customer's "VIP" as it is). Shopify: "Tags are not case sensitive"
 * (help.shopify.com/en/manual/shopify-flow/reference/actions/add-customer-tags).
 */
export const normalizeTags = (tags: string[]) =>
  [
    ...new Map(
      tags
        .flatMap((t) => t.split(","))
        .map((t) => t.trim())
        .filter(Boolean)
        .reverse()
        .map((t) => [t.toLowerCase(), t]),
    ).values(),
  ].sort((a, b) => a.localeCompare(b));

export const customerNodes: NodeFinders = {
  Customer: (shop, id) => {
    const c = shop.store.customers.findById(id);
    return c ? customerView(shop, c) : null;
  },
};

export const customerQueries = (ctx: AdminContext) => {
  const { shop } = ctx;
  return {
    customer: ({ id }: { id: string }) => ctx.views.node(shop, id.startsWith("gid://shopify/Customer/") ? id : "x"),
    customers: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: scanCustomers(shop),
        view: (c) => customerView(shop, c),
        search: customerSearch(shop),
        sort: {
          UPDATED_AT: (c) => c.updatedAt,
          CREATED_AT: (c) => c.createdAt,
          NAME: (c) => `${c.firstName ?? ""} ${c.lastName ?? ""}`,
        },
      }),
    customersCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      countOf(shop.store.customers.scan(), customerSearch(shop), query, limit),
  };
};

export const customerMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  const setCustomerMetafields = (c: CustomerRecord, metafields: CustomerInput["metafields"]) => {
    if (metafields?.length)
      ops.metafields.set(
        shop,
        metafields.map((m) => ({
          ownerGid: gid("Customer", c.id),
          namespace: m.namespace ?? "custom",
          key: m.key,
          type: m.type ?? "single_line_text_field",
          value: m.value,
        })),
      );
  };
  return {
    customerCreate: ({ input }: { input: CustomerInput }) => {
      try {
        const fields = {
          tags: [],
          marketing: { state: "NOT_SUBSCRIBED", optInLevel: null, updatedAt: null },
        } as unknown as CustomerRecord;
        applyCustomerInput(shop, fields, input);
        const c = ops.customers.create(shop, fields);
        setCustomerMetafields(c, input.metafields);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: userErrors(error) };
      }
    },
    customerUpdate: ({ input }: { input: CustomerInput }) => {
      const index = customerIndexFromGid(shop, input.id);
      if (index === undefined)
        return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
      // Consent has its own mutations once a customer exists; Shopify refuses it here and changes nothing.
      const consent = (["emailMarketingConsent", "smsMarketingConsent"] as const).filter((f) => input[f]);
      if (consent.length)
        return {
          customer: null,
          userErrors: consent.map((f) => ({
            field: [f],
            message: `To update ${f}, please use the customer${f === "emailMarketingConsent" ? "Email" : "Sms"}MarketingConsentUpdate Mutation instead.`,
          })),
        };
      try {
        const c = ops.customers.update(shop, index, (draft) => applyCustomerInput(shop, draft, input));
        setCustomerMetafields(c, input.metafields);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: userErrors(error) };
      }
    },
    /**
     * customerSet: creates, updates by id, or upserts by a unique key (email or phone): a customer with that key is
     * updated, else one is created with it. The input has no consent fields (they have their own mutations).
     * https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerSet
     */
    customerSet: ({
      identifier,
      input,
    }: {
      identifier?: { id?: string; email?: string; phone?: string; customId?: unknown } | null;
      input: Omit<CustomerInput, "emailMarketingConsent" | "smsMarketingConsent" | "metafields">;
    }) => {
      if (identifier?.customId)
        return {
          customer: null,
          userErrors: [{ field: ["identifier", "customId"], message: "SANDBOX_NOT_IMPLEMENTED" }],
        };
      const keys = identifier ? (["id", "email", "phone"] as const).filter((k) => identifier[k]) : [];
      if (keys.length > 1)
        return {
          customer: null,
          userErrors: [{ field: ["identifier"], message: "Only one identifier may be provided", code: "INVALID" }],
        };
      const key = keys[0];
      // The key names the customer and must agree with the input's own value.
      if (key === "email" || key === "phone") {
        const value = identifier![key]!;
        if (input[key] !== undefined && input[key]?.toLowerCase() !== value.toLowerCase())
          return {
            customer: null,
            userErrors: [
              { field: ["input", key], message: `The input ${key} must match the identifier ${key}`, code: "INVALID" },
            ],
          };
      }
      const existing =
        key === "id"
          ? shop.store.customers.findById(identifier!.id!)
          : key === "email"
            ? shop.store.customers.findByEmail(identifier!.email!)
            : key === "phone"
              ? shop.store.customers.findByPhone(identifier!.phone!)
              : undefined;
      if (key === "id" && !existing)
        return { customer: null, userErrors: [{ field: ["identifier", "id"], message: "Customer does not exist" }] };
      try {
        if (existing) {
          const c = ops.customers.update(shop, existing.index, (draft) => applyCustomerInput(shop, draft, input));
          return { customer: customerView(shop, c), userErrors: [] };
        }
        const fields = {
          tags: [],
          marketing: { state: "NOT_SUBSCRIBED", optInLevel: null, updatedAt: null },
        } as unknown as CustomerRecord;
        applyCustomerInput(shop, fields, {
          ...input,
          ...(key === "email" ? { email: identifier!.email } : key === "phone" ? { phone: identifier!.phone } : {}),
        });
        const c = ops.customers.create(shop, fields);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: userErrors(error) };
      }
    },
    /**
     * customerAddressCreate: a new address for a customer Shopify has, their default one when `setAsDefault` (or
     * when they had none). The sandbox keeps only the default address, so a non-default one beside it is not modeled.
     * https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerAddressCreate
     */
    customerAddressCreate: ({
      customerId,
      address,
      setAsDefault,
    }: {
      customerId: string;
      address: MailingAddressInput;
      setAsDefault?: boolean | null;
    }) => {
      const index = customerIndexFromGid(shop, customerId);
      if (index === undefined)
        return { address: null, userErrors: [{ field: ["customerId"], message: "Customer does not exist" }] };
      if (!setAsDefault && shop.store.customers.find(index)?.address)
        return { address: null, userErrors: [{ field: ["setAsDefault"], message: "SANDBOX_NOT_IMPLEMENTED" }] };
      try {
        const c = ops.customers.update(shop, index, (draft) => {
          draft.address = addressRecordOf(address, shop.store.nextId("MailingAddress"), shop.country);
        });
        return { address: addressView(c), userErrors: [] };
      } catch (error) {
        return { address: null, userErrors: userErrors(error).map(({ field, message }) => ({ field, message })) };
      }
    },
    customerDelete: ({ input }: { input: { id: string } }) => {
      const index = customerIndexFromGid(shop, input.id);
      if (index === undefined)
        return {
          deletedCustomerId: null,
          shop: shopView(shop),
          userErrors: [{ field: ["id"], message: "Customer can't be found" }],
        };
      try {
        ops.customers.delete(shop, index);
        return { deletedCustomerId: input.id, shop: shopView(shop), userErrors: [] };
      } catch (error) {
        return { deletedCustomerId: null, shop: shopView(shop), userErrors: userErrors(error) };
      }
    },
    customerEmailMarketingConsentUpdate: ({
      input,
    }: {
      input: { customerId: string; emailMarketingConsent: ConsentInput };
    }) => {
      const index = customerIndexFromGid(shop, input.customerId);
      if (index === undefined)
        return {
          customer: null,
          userErrors: [{ field: ["input", "customerId"], message: "Customer not found", code: "INVALID" }],
        };
      try {
        const c = ops.customers.updateEmailConsent(shop, index, input.emailMarketingConsent);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: userErrors(error) };
      }
    },
    customerSmsMarketingConsentUpdate: ({
      input,
    }: {
      input: { customerId: string; smsMarketingConsent: ConsentInput };
    }) => {
      const index = customerIndexFromGid(shop, input.customerId);
      if (index === undefined)
        return {
          customer: null,
          userErrors: [{ field: ["input", "customerId"], message: "Customer not found", code: "INVALID" }],
        };
      try {
        const c = ops.customers.updateSmsConsent(shop, index, input.smsMarketingConsent);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: userErrors(error) };
      }
    },
    customerSendAccountInviteEmail: ({
      customerId,
      email,
    }: {
      customerId: string;
      email?: { to?: string; from?: string; subject?: string; customMessage?: string; bcc?: string[] } | null;
    }) => {
      const index = customerIndexFromGid(shop, customerId);
      if (index === undefined)
        return {
          customer: null,
          userErrors: [{ field: ["customerId"], message: "Customer does not exist", code: "INVALID" }],
        };
      try {
        const sent = ops.customers.sendAccountInvite(shop, index, email ?? {});
        return { customer: customerView(shop, sent.customer), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: userErrors(error) };
      }
    },
    customerRequestDataErasure: ({ customerId }: { customerId: string }) => {
      try {
        const c = ops.customers.requestErasure(shop, customerIndexFromGid(shop, customerId));
        return { customerId: gid("Customer", c.id), userErrors: [] };
      } catch (error) {
        return { customerId: null, userErrors: userErrors(error) };
      }
    },
    customerCancelDataErasure: ({ customerId }: { customerId: string }) => {
      try {
        const c = ops.customers.cancelErasure(shop, customerIndexFromGid(shop, customerId));
        return { customerId: gid("Customer", c.id), userErrors: [] };
      } catch (error) {
        return { customerId: null, userErrors: userErrors(error) };
      }
    },
    tagsAdd: ({ id, tags }: { id: string; tags: string[] }) => tagChange(id, tags, "add"),
    tagsRemove: ({ id, tags }: { id: string; tags: string[] }) => tagChange(id, tags, "remove"),
  };

  function tagChange(id: string, tags: string[], mode: "add" | "remove") {
    const index = customerIndexFromGid(shop, id);
    if (index === undefined) return { node: null, userErrors: [{ field: ["id"], message: "Resource does not exist" }] };
    const wanted = normalizeTags(tags);
    const c = ops.customers.update(shop, index, (draft) => {
      draft.tags = normalizeTags(
        // Removing "vip" removes "VIP" ("Tags are not case sensitive": remove-customer-tags, as above).
        mode === "add"
          ? [...draft.tags, ...wanted]
          : draft.tags.filter((t) => !wanted.some((w) => w.toLowerCase() === t.toLowerCase())),
      );
    });
    return { node: customerView(shop, c), userErrors: [] };
  }
};
