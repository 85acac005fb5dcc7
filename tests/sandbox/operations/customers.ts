import { randomBytes } from "node:crypto";
import * as payloads from "../payloads";
import type { ShopRecord } from "../shops";
import type { CustomerRecord } from "../store/index";
import { iso, type OperationsBase, SandboxError } from "./base";

/** Customer changes, each firing the customer webhooks Shopify fires for it. */
export class CustomerOperations {
  constructor(private readonly base: OperationsBase) {}

  /** customers/create or customers/update, and the enable/disable, tags and consent topics the change implies. */
  changed(shop: ShopRecord, before: CustomerRecord | undefined, after: CustomerRecord) {
    const info = this.base.info(shop);
    const emit = (topic: string, body: string) => this.base.emit(shop, topic, body);
    if (!before) {
      emit("customers/create", payloads.customerPayload("customers/create", info, after));
      // Tags given at creation reach apps as customer.tags_added at the creation instant (2025-01 and later).
      if (after.tags.length)
        emit("customer.tags_added", payloads.customerTagsPayload("customer.tags_added", after, after.tags));
      return;
    }
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
  }

  create(shop: ShopRecord, fields: Partial<CustomerRecord>): CustomerRecord {
    if (!fields.email && !fields.phone && !fields.firstName && !fields.lastName)
      throw new SandboxError("A name, phone number, or email address must be present", null, "BLANK");
    if (fields.email && shop.store.customers.findByEmail(fields.email))
      throw new SandboxError("Email has already been taken", ["email"], "TAKEN");
    const now = iso();
    const { index: _i, id: _id, ...rest } = fields as CustomerRecord;
    const customer = shop.store.customers.add(rest, now);
    this.changed(shop, undefined, customer);
    return customer;
  }

  update(shop: ShopRecord, index: number, change: (c: CustomerRecord) => void): CustomerRecord {
    const customers = shop.store.customers;
    const before = customers.find(index);
    if (!before) throw new SandboxError("Customer does not exist", ["id"], "NOT_FOUND");
    const after = customers.update(index, change, iso());
    if (after.email && after.email !== before.email) {
      const other = customers.findByEmail(after.email);
      if (other && other.index !== index) {
        customers.restore(before);
        throw new SandboxError("Email has already been taken", ["email"], "TAKEN");
      }
    }
    this.changed(shop, before, after);
    return after;
  }

  delete(shop: ShopRecord, index: number) {
    const customer = shop.store.customers.find(index);
    if (!customer) throw new SandboxError("Customer can't be found", ["id"], "NOT_FOUND");
    if (shop.store.orders.statsOf(index).count > 0)
      throw new SandboxError("Customer can’t be deleted because they have associated orders", ["id"], "INVALID");
    shop.store.customers.delete(index);
    this.base.emit(shop, "customers/delete", payloads.customerDeletePayload(customer.id));
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

  /** A shopper signs up for an account: a new ENABLED customer, or an existing guest becoming ENABLED. */
  createAccount(
    shop: ShopRecord,
    input: { email: string; firstName?: string; lastName?: string; acceptsMarketing?: boolean },
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
      ...(marketing ? { marketing } : {}),
    });
  }
}
