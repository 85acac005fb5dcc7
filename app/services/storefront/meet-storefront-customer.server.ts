import { and, eq } from "drizzle-orm";
import { existedBeforeInstall, stateAt } from "~/domain/customers";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";
import { factsOf } from "../customers/customer-facts.server";
import { reconcileCustomer } from "../customers/sync-customer.server";
import type { ShopifyCustomerReader } from "../customers/sync-customer-now.server";
import { findShop } from "../shops/get-shop.server";

/**
 * What happened when a signed-in shopper reached the storefront: `known` the customer was in Tally already (a
 * Member, or a Guest read lately), `recorded` Tally had no record of them and read them from Shopify now, `reread`
 * Tally held them as a Guest and read them again now (a first sign-in makes a Member), `absent` Shopify has no such
 * customer either (deleted since signing in), so nothing was recorded.
 */
export type StorefrontCustomerMeeting = "known" | "recorded" | "reread" | "absent";

/** A signed-in Guest whose read still said Guest is not read again for this long (decision 067). */
export const GUEST_REREAD_AFTER_MS = 5 * 60_000;
/** A bound on the Guests remembered per process, far above the signed-in Guests one process sees in five minutes. */
const MAX_GUESTS_REMEMBERED = 10_000;
/** Per shop and customer, when a read last left a signed-in shopper a Guest (ms since the epoch, `ctx.now`). */
const guestsReadAt = new Map<string, number>();

/**
 * Makes sure Tally knows a shopper Shopify says is signed in (the app proxy's signed `logged_in_customer_id`, or a
 * customer account session token), so the widget shows their points, their Member status and referral link at once
 * rather than "not ready yet" or "once your account is confirmed" (decision 075). The customer is read from the Admin
 * API and applied exactly as reconciliation applies a customer (`reconcileCustomer`, the newer fact wins), when:
 * - Tally has no row for them: their customers/create webhook is still on its way (Shopify delivers at least once,
 *   late and out of order) or the install sync has not reached them. One read per new customer.
 * - Tally holds them as a Guest: signing in proves an account, and a first sign-in to new customer accounts turns a
 *   Guest (DISABLED) into a Member (ENABLED) before its customers/update and customers/enable reach Tally (shopify.dev
 *   changelog, 2026-10-28, "First sign-ins to customer accounts now set Customer.state and send customers/enable
 *   webhooks"); so do customers Shopify enabled in its one-time update of 2026-10, which sent no webhook at all.
 * A Member is never read: no Shopify read per page view. What bounds the reads of a Guest whose read still says
 * DISABLED (a merchant disabled them while their session lasts, or Shopify had not committed the sign-in yet): such a
 * read is remembered in this process for GUEST_REREAD_AFTER_MS, so each process reads a signed-in Guest at most once
 * per five minutes; a restart or another instance may read once more (decision 067).
 *
 * The sign-up bonus (`signupDecision`) is decided once, whichever of this read and the webhooks comes first: a later
 * delivery repeats a known fact and changes nothing. Only a customer who was a Member before Tally was installed earns
 * none: one created before the install whose state Tally never saw (`existedBeforeInstall`, as the install sync
 * judges), one the install sync saw as a Member (already settled), or a Guest Tally saw whom Shopify dates as enabled
 * before the install (its one-time update kept some customers' updated_at). A Guest Tally saw who becomes a Member
 * since the install signed up under Tally and earns it, as her customers/enable would make her. Throws what the
 * reader throws (Shopify unreachable); callers show the page without.
 */
export async function meetStorefrontCustomer({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerGid: string };
  shopify: Pick<ShopifyCustomerReader, "customer">;
}): Promise<StorefrontCustomerMeeting> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  const key = `${ctx.shop} ${input.customerGid}`;
  if (row && row.status !== "guest") return "known";
  const now = ctx.now.getTime();
  const readAt = guestsReadAt.get(key);
  if (row && readAt !== undefined && now - readAt < GUEST_REREAD_AFTER_MS) return "known";

  const read = await shopify.customer(input.customerGid);
  if (!read) return "absent";
  const installedAt = (await findShop({ ctx }))?.installedAt;
  const { snapshot } = read;
  const before =
    row !== undefined && stateAt(factsOf(row)) !== null
      ? snapshot.shopifyState === "ENABLED" && existedBeforeInstall(snapshot.updatedAt, installedAt)
      : existedBeforeInstall(snapshot.createdAt, installedAt);
  await reconcileCustomer({ ctx, input: { ...read, snapshot: { ...snapshot, existedBeforeInstall: before } } });

  const [after] = await ctx.db
    .select({ status: customers.status })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  guestsReadAt.delete(key);
  if (after?.status === "guest") {
    if (guestsReadAt.size >= MAX_GUESTS_REMEMBERED) guestsReadAt.clear();
    guestsReadAt.set(key, now);
  }
  return row ? "reread" : "recorded";
}
