import { randomBytes } from "node:crypto";
import { isValidEmail, normalizePhone } from "../contact";
import * as payloads from "../payloads";
import type { ShopRecord } from "../shops";
import type { AddressRecord, CustomerRecord, MarketingState, SentEmailRecord } from "../store/index";
import { iso, type OperationsBase, SandboxError, SandboxErrors, type UserErrorSpec } from "./base";

type Consent = NonNullable<CustomerRecord["sms"]>;

/** What Shopify's marketing consent inputs carry (CustomerEmailMarketingConsentInput, ...SmsMarketingConsentInput). */
export interface ConsentInput {
  marketingState: MarketingState | "INVALID" | "REDACTED";
  marketingOptInLevel?: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN" | null;
  consentUpdatedAt?: string | null;
}

/**
 * Notified after any customer change (segment membership is re-evaluated there). `segmentsBefore` is the membership
 * taken before a change the customer record does not show (an order placed), when the caller took it.
 */
export type CustomerListener = (
  shop: ShopRecord,
  before: CustomerRecord | undefined,
  after: CustomerRecord,
  segmentsBefore?: Set<string>,
) => void;

const MAX_NAME = 255;

/**
 * Customer changes, each firing the customer webhooks Shopify fires for it, and each checked as Shopify checks the
 * fields it names (a taken or malformed email, a phone that is not a number, a customer left with no name, email or
 * phone), all invalid fields reported together.
 */
export class CustomerOperations {
  private readonly listeners: CustomerListener[] = [];

  constructor(private readonly base: OperationsBase) {}

  onChange(listener: CustomerListener) {
    this.listeners.push(listener);
  }

  /** customers/create or customers/update, and the enable/disable, tags and consent topics the change implies. */
  changed(shop: ShopRecord, before: CustomerRecord | undefined, after: CustomerRecord, segmentsBefore?: Set<string>) {
    const info = this.base.info(shop);
    const emit = (topic: string, body: string) => this.base.emit(shop, topic, body);
    if (!before) {
      emit("customers/create", payloads.customerPayload("customers/create", info, after));
      // Tags given at creation reach apps as customer.tags_added at the creation instant (2025-01 and later).
      if (after.tags.length)
        emit("customer.tags_added", payloads.customerTagsPayload("customer.tags_added", after, after.tags));
    } else {
      emit("customers/update", payloads.customerPayload("customers/update", info, after));
      if (before.state !== "ENABLED" && after.state === "ENABLED")
        emit("customers/enable", payloads.customerPayload("customers/enable", info, after));
      if (before.state === "ENABLED" && after.state === "DISABLED")
        emit("customers/disable", payloads.customerPayload("customers/disable", info, after));
      const added = after.tags.filter((t) => !before.tags.includes(t));
      const removed = before.tags.filter((t) => !after.tags.includes(t));
      if (added.length) emit("customer.tags_added", payloads.customerTagsPayload("customer.tags_added", after, added));
      if (removed.length)
        emit("customer.tags_removed", payloads.customerTagsPayload("customer.tags_removed", after, removed));
      if (before.marketing.state !== after.marketing.state)
        emit("customers_email_marketing_consent/update", payloads.marketingConsentPayload(after));
      if (after.sms && before.sms?.state !== after.sms.state)
        emit("customers_marketing_consent/update", payloads.smsConsentPayload(after));
    }
    for (const listener of this.listeners) listener(shop, before, after, segmentsBefore);
  }

  /** Normalizes the phone (E.164) and lists every field Shopify would refuse, for a customer as it would be stored. */
  private check(shop: ShopRecord, draft: CustomerRecord, before: CustomerRecord | undefined): UserErrorSpec[] {
    const errors: UserErrorSpec[] = [];
    const customers = shop.store.customers;
    if (draft.email === "") draft.email = null;
    if (draft.phone === "") draft.phone = null;
    if (draft.email !== null && draft.email !== before?.email) {
      draft.email = draft.email.trim();
      if (!isValidEmail(draft.email)) errors.push({ field: ["email"], message: "Email is invalid", code: "INVALID" });
      else {
        const other = customers.findByEmail(draft.email);
        if (other && other.index !== draft.index)
          errors.push({ field: ["email"], message: "Email has already been taken", code: "TAKEN" });
      }
    }
    if (draft.phone !== null && draft.phone !== before?.phone) {
      const phone = normalizePhone(draft.phone, shop.country);
      if (!phone) errors.push({ field: ["phone"], message: "Phone is invalid", code: "INVALID" });
      else {
        draft.phone = phone;
        const other = customers.findByPhone(phone);
        if (other && other.index !== draft.index)
          errors.push({ field: ["phone"], message: "Phone has already been taken", code: "TAKEN" });
      }
    }
    for (const [field, label] of [
      ["firstName", "First name"],
      ["lastName", "Last name"],
    ] as const) {
      if ((draft[field]?.length ?? 0) > MAX_NAME)
        errors.push({
          field: [field],
          message: `${label} is too long (maximum is ${MAX_NAME} characters)`,
          code: "TOO_LONG",
        });
    }
    if (!draft.email && !draft.phone && !draft.firstName && !draft.lastName)
      errors.push({ field: null, message: "A name, phone number, or email address must be present", code: "BLANK" });
    if (draft.phone && !draft.sms)
      draft.sms = { state: "NOT_SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", updatedAt: null };
    if (!draft.phone) delete draft.sms;
    return errors;
  }

  create(shop: ShopRecord, fields: Partial<CustomerRecord>): CustomerRecord {
    const { index: _i, id: _id, ...rest } = fields;
    const draft = {
      index: -1,
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      tags: [],
      ...rest,
    } as CustomerRecord;
    const errors = this.check(shop, draft, undefined);
    if (errors.length) throw new SandboxErrors(errors);
    const { index: _draftIndex, ...checked } = draft;
    const customer = shop.store.customers.add(checked, iso());
    this.changed(shop, undefined, customer);
    return customer;
  }

  update(shop: ShopRecord, index: number, change: (c: CustomerRecord) => void): CustomerRecord {
    const customers = shop.store.customers;
    const before = customers.find(index);
    if (!before) throw new SandboxError("Customer does not exist", ["id"], "NOT_FOUND");
    const draft = structuredClone(before);
    change(draft);
    const errors = this.check(shop, draft, before);
    if (errors.length) throw new SandboxErrors(errors);
    const after = customers.update(index, (c) => Object.assign(c, draft), iso());
    this.changed(shop, before, after);
    return after;
  }

  /** customerEmailMarketingConsentUpdate: needs an email address. */
  updateEmailConsent(shop: ShopRecord, index: number, consent: ConsentInput) {
    const customer = shop.store.customers.find(index);
    if (!customer?.email)
      throw new SandboxError(
        "An email address is required to set the email marketing consent state.",
        ["input", "emailMarketingConsent"],
        "INVALID",
      );
    return this.update(shop, index, (c) => {
      c.marketing = consentOf(consent) as CustomerRecord["marketing"];
    });
  }

  /** customerSmsMarketingConsentUpdate: needs a phone number; fires customers_marketing_consent/update. */
  updateSmsConsent(shop: ShopRecord, index: number, consent: ConsentInput) {
    const customer = shop.store.customers.find(index);
    if (!customer?.phone)
      throw new SandboxError(
        "A phone number is required to set the SMS consent state.",
        ["input", "smsMarketingConsent"],
        "INVALID",
      );
    return this.update(shop, index, (c) => {
      c.sms = consentOf(consent);
    });
  }

  delete(shop: ShopRecord, index: number) {
    const customer = shop.store.customers.find(index);
    if (!customer) throw new SandboxError("Customer can't be found", ["id"], "NOT_FOUND");
    if (shop.store.orders.statsOf(index).count > 0)
      throw new SandboxError("Customer can’t be deleted because they have associated orders", ["id"], "INVALID");
    shop.store.customers.delete(index);
    shop.store.erasureRequests.delete(customer.id);
    this.base.emit(shop, "customers/delete", payloads.customerDeletePayload(customer.id));
  }

  /**
   * customerSendAccountInviteEmail: Shopify emails the customer a link to activate a (legacy) account; the customer
   * becomes INVITED. The email is recorded in `store.sentEmails` instead of being sent.
   */
  sendAccountInvite(
    shop: ShopRecord,
    index: number,
    email: {
      to?: string | null;
      from?: string | null;
      subject?: string | null;
      customMessage?: string | null;
      bcc?: string[] | null;
    } = {},
  ) {
    const customer = shop.store.customers.find(index);
    if (!customer) throw new SandboxError("Customer does not exist", ["customerId"], "INVALID");
    if (!shop.legacyCustomerAccounts)
      throw new SandboxError(
        "Account invites can only be sent when legacy customer accounts are enabled",
        ["customerId"],
        "INVALID",
      );
    if (customer.state === "ENABLED")
      throw new SandboxError("Customer's account is already enabled", ["customerId"], "INVALID");
    const to = email.to?.trim() || customer.email;
    if (!to) throw new SandboxError("Customer must have an email address", ["email", "to"], "INVALID");
    if (!isValidEmail(to)) throw new SandboxError("Email is invalid", ["email", "to"], "INVALID");
    const sent: SentEmailRecord = {
      id: shop.store.nextId("SentEmail"),
      kind: "customer_account_invite",
      customerId: customer.id,
      to,
      from: email.from?.trim() || shop.email,
      bcc: email.bcc ?? [],
      subject: email.subject?.trim() || `Customer account activation`,
      customMessage: email.customMessage ?? null,
      sentAt: iso(),
    };
    shop.store.sentEmails.push(sent);
    const after =
      customer.state === "INVITED"
        ? customer
        : this.update(shop, index, (c) => {
            c.state = "INVITED";
          });
    return { customer: after, email: sent };
  }

  /** customerRequestDataErasure: queued until `eraseRequested` carries it out (Shopify waits days before it does). */
  requestErasure(shop: ShopRecord, index: number | undefined) {
    const customer = index === undefined ? undefined : shop.store.customers.find(index);
    if (!customer) throw new SandboxError("Customer does not exist", ["customerId"], "DOES_NOT_EXIST");
    if (shop.store.erasureRequests.has(customer.id))
      throw new SandboxError("Customer's data is already scheduled for erasure", ["customerId"], "FAILED_TO_REQUEST");
    shop.store.erasureRequests.set(customer.id, { customerId: customer.id, requestedAt: iso() });
    return customer;
  }

  cancelErasure(shop: ShopRecord, index: number | undefined) {
    const customer = index === undefined ? undefined : shop.store.customers.find(index);
    if (!customer) throw new SandboxError("Customer does not exist", ["customerId"], "DOES_NOT_EXIST");
    if (!shop.store.erasureRequests.delete(customer.id))
      throw new SandboxError("Customer's data is not scheduled for erasure", ["customerId"], "NOT_BEING_ERASED");
    return customer;
  }

  /**
   * Carries out every pending erasure: apps receive customers/redact (with the orders to redact), and the customer's
   * personal data is gone from the Admin API; the orders stay, with no customer.
   */
  eraseRequested(shop: ShopRecord) {
    const erased: string[] = [];
    for (const request of [...shop.store.erasureRequests.values()]) {
      const customer = shop.store.customers.findById(request.customerId);
      shop.store.erasureRequests.delete(request.customerId);
      if (!customer) continue;
      this.base.emit(
        shop,
        "customers/redact",
        payloads.compliancePayload("customers/redact", this.base.info(shop), customer),
      );
      shop.store.customers.delete(customer.index);
      erased.push(customer.id);
    }
    return erased;
  }

  /**
   * Shopify's customer merge, completed: the merged customer's orders move to the one kept, the kept one takes the
   * union of both tag lists (customers/update and customer.tags_added for what is new), then customers/merge names
   * both, then the merged customer is deleted (customers/delete).
   */
  merge(shop: ShopRecord, keptIndex: number, mergedIndex: number) {
    const kept = shop.store.customers.find(keptIndex);
    const merged = shop.store.customers.find(mergedIndex);
    if (!kept || !merged) throw new SandboxError("Customer does not exist", ["customerIds"], "NOT_FOUND");
    if (keptIndex === mergedIndex) throw new SandboxError("A customer cannot be merged into itself", ["customerIds"]);
    const now = iso();
    shop.store.orders.moveCustomerOrders(mergedIndex, keptIndex, now);
    const after = this.update(shop, keptIndex, (c) => {
      c.tags = [...new Set([...c.tags, ...merged.tags])].sort();
    });
    const jobId = randomBytes(8).toString("hex");
    this.base.emit(shop, "customers/merge", payloads.customerMergePayload(kept.id, merged.id, jobId));
    shop.store.customers.delete(mergedIndex);
    this.base.emit(shop, "customers/delete", payloads.customerDeletePayload(merged.id));
    return { kept: after, mergedId: merged.id, jobId };
  }

  /**
   * A shopper signs in to new customer accounts (by email code here; Shopify does the same for Shop, Google, Facebook,
   * Apple and third-party identity providers). An unknown email makes her account (createAccount). A customer's first
   * sign-in sets Customer.state to ENABLED and fires customers/update and customers/enable, as classic account
   * activation does; later sign-ins change nothing and fire nothing (shopify.dev changelog, 2026-10-28, "First sign-ins
   * to customer accounts now set Customer.state and send customers/enable webhooks").
   */
  signInToCustomerAccounts(shop: ShopRecord, input: { email: string; locale?: string }): CustomerRecord {
    const existing = shop.store.customers.findByEmail(input.email);
    if (!existing) return this.createAccount(shop, input);
    if (existing.state === "ENABLED") return existing;
    return this.update(shop, existing.index, (c) => {
      c.state = "ENABLED";
      // Signing in by email code proves the address.
      c.verifiedEmail = true;
    });
  }

  /** A shopper signs up for an account: a new ENABLED customer, or an existing guest becoming ENABLED. */
  createAccount(
    shop: ShopRecord,
    input: {
      email: string;
      firstName?: string;
      lastName?: string;
      acceptsMarketing?: boolean;
      address?: Partial<AddressRecord>;
      /** The storefront locale the shopper signed up in ("fr" under /fr/); Shopify keeps it as the customer's. */
      locale?: string;
    },
  ) {
    const existing = shop.store.customers.findByEmail(input.email);
    const marketing = input.acceptsMarketing
      ? { state: "SUBSCRIBED" as const, optInLevel: "SINGLE_OPT_IN" as const, updatedAt: iso() }
      : undefined;
    if (existing) {
      return this.update(shop, existing.index, (c) => {
        c.state = "ENABLED";
        c.verifiedEmail = true;
        if (input.firstName) c.firstName = input.firstName;
        if (input.lastName) c.lastName = input.lastName;
        if (marketing) c.marketing = marketing;
      });
    }
    return this.create(shop, {
      email: input.email,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      state: "ENABLED",
      verifiedEmail: true,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(marketing ? { marketing } : {}),
      ...(input.address
        ? {
            address: {
              id: shop.store.nextId("MailingAddress"),
              firstName: input.firstName ?? "",
              lastName: input.lastName ?? "",
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
              ...input.address,
            },
          }
        : {}),
    });
  }
}

/** A consent input as stored: UNKNOWN opt-in levels and missing dates filled as Shopify fills them. */
function consentOf(input: ConsentInput): Consent {
  return {
    state: input.marketingState as MarketingState,
    optInLevel:
      input.marketingOptInLevel && input.marketingOptInLevel !== "UNKNOWN"
        ? input.marketingOptInLevel
        : "SINGLE_OPT_IN",
    updatedAt: input.consentUpdatedAt ?? iso(),
  };
}
