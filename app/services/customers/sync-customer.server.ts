import { and, eq, sql } from "drizzle-orm";
import { contactVersionChanges, type CustomerContact, type EmailConsent } from "~/domain/customers";
import type { PostalAddress } from "~/domain/referrals";
import type { ShopifyCustomerState } from "~/domain/shared";
import { customers } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import {
  applyTagSnapshot,
  recordCustomerFacts,
  updateEmailConsent,
  updatePurchasingSummary,
} from "./customer-facts.server";
import { ensureCustomer } from "./customer-rows.server";
import { recordAddressFingerprints } from "../referrals/apply-referral-order.server";

export { ensureCustomer, findCustomerByGid, recordSkip } from "./customer-rows.server";

/** What a customer webhook (or a reconciliation page) says about one customer: its contact details and the rest. */
export interface CustomerSnapshot extends CustomerContact {
  customerGid: string;
  shopifyState: ShopifyCustomerState;
  /**
   * Shopify's updated_at for this version of the customer; null when the payload carries none, and then nothing in it
   * overrides what a dated version said.
   */
  updatedAt: string | null;
  /** The whole tag list; undefined when the payload carries no `tags` (which is not the same as no tags). */
  tags?: string[];
  createdAt: string | null;
  /** Shopify's tax exemption; undefined when the source does not say. */
  taxExempt?: boolean;
  /** The customer's language (Admin API `Customer.locale`); undefined when the source does not say (webhooks). */
  locale?: string;
  /**
   * The email marketing consent on the customer record (defaultEmailAddress), with Shopify's date for it, null when
   * undated; undefined when the source does not say (customer webhooks carry no consent since 2025-01).
   */
  emailConsent?: EmailConsent;
  /** The default address, kept only as the referral program's fingerprint of it (never stored as text). */
  defaultAddress?: PostalAddress | null;
  /**
   * Seen by the first sync after install: a customer who already had an account then was a Member before Tally, so
   * installing is not a sign-up and earns no bonus.
   */
  existedBeforeInstall?: boolean;
  /**
   * Read from the Admin API at this moment (Sync customer, an edit's answer): Shopify's times are whole seconds, so a
   * read of the same second as what Tally holds is still the newer one, and is applied.
   */
  readNow?: boolean;
}

/**
 * Applies a customer webhook in the caller's transaction: contact details follow the newest dated version only (an
 * undated one only fills blanks; contactVersionChanges), and the state and tags are recorded as facts of their
 * moment, from which Member/Guest status, the sign-up bonus and every earning that depends on who the customer was
 * follow (recordCustomerFacts).
 */
export async function syncCustomer({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: CustomerSnapshot }) {
  const row = await ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  const { applied, changes } = contactVersionChanges(row, {
    contact: {
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      phone: input.phone,
      city: input.city,
      province: input.province,
      countryCode: input.countryCode,
    },
    updatedAt: input.updatedAt,
    createdAt: input.createdAt,
    ...(input.taxExempt !== undefined ? { taxExempt: input.taxExempt } : {}),
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.readNow ? { readNow: true } : {}),
  });
  await tx
    .update(customers)
    .set({ ...changes, updatedAt: ctx.now.toISOString() })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
  if (input.emailConsent) {
    await updateEmailConsent({ ctx, tx, input: { customerGid: input.customerGid, ...input.emailConsent }, row });
  }
  if (input.defaultAddress && !row.redactedAt) {
    await recordAddressFingerprints({ ctx, tx, input: { customerId: row.id, addresses: [input.defaultAddress] } });
  }
  await recordCustomerFacts({
    ctx,
    tx,
    input: {
      customerGid: input.customerGid,
      facts: [{ kind: "snapshot", at: input.updatedAt, state: input.shopifyState, tags: input.tags ?? null }],
      ...(input.existedBeforeInstall ? { existedBeforeInstall: true } : {}),
    },
  });
  return { customerId: row.id, applied };
}

/**
 * One customer as reconciliation or the install sync read it from the Admin API, in a transaction of its own: the
 * snapshot (syncCustomer), its whole tag list as of `updatedAt`, and its orders count and amount spent when Shopify
 * gave them. Returns whether the snapshot was newer than what Tally held.
 */
export async function reconcileCustomer({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    snapshot: CustomerSnapshot & { updatedAt: string };
    tags: string[];
    purchasing: { ordersCount: number; amountSpentMinor: number; currency: string } | null;
    /** When Shopify says the customer last ordered (`lastOrder.processedAt`), for the directory's column. */
    lastOrderAt?: string | null;
  };
}): Promise<{ applied: boolean }> {
  const { snapshot } = input;
  return inTransaction(ctx, async (tx) => {
    const synced = await syncCustomer({ ctx, tx, input: snapshot });
    await applyTagSnapshot({
      ctx,
      tx,
      input: { customerGid: snapshot.customerGid, tags: input.tags, at: snapshot.updatedAt },
    });
    if (input.purchasing) {
      await updatePurchasingSummary({
        ctx,
        tx,
        input: { customerGid: snapshot.customerGid, ...input.purchasing, occurredAt: snapshot.updatedAt },
      });
    }
    const placedAt = input.lastOrderAt ? Date.parse(input.lastOrderAt) : NaN;
    if (!Number.isNaN(placedAt)) {
      const at = new Date(placedAt).toISOString();
      await tx
        .update(customers)
        .set({ lastOrderAt: at })
        .where(
          and(
            eq(customers.shop, ctx.shop),
            eq(customers.id, synced.customerId),
            sql`(${customers.lastOrderAt} is null or ${customers.lastOrderAt} < ${at})`,
          ),
        );
    }
    return { applied: synced.applied };
  });
}
