import { and, eq, isNull, sql } from "drizzle-orm";
import { forUpdate } from "~/db/dialect";
import { prepared } from "~/db/prepared";
import {
  earningContextAt,
  emptyOrderState,
  normalizeOrderState,
  orderReleaseAt,
  planOrderEvent,
  preInstallPaidState,
  type OrderEvent,
} from "~/domain/ledger";
import type { PostalAddress } from "~/domain/referrals";
import { customers, orders, rewards, shops } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { factsOf } from "../customers/customer-facts.server";
import { ensureEmbeddedCustomer, recordSkip, type EmbeddedCustomer } from "../customers/customer-rows.server";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { getProgram, storedShopCurrency } from "../program/get-program.server";
import { applyReferralOrder } from "../referrals/apply-referral-order.server";
import { forgetShop } from "~/db/shop-cache.server";

export interface OrderFacts {
  orderGid: string;
  name: string;
  currency: string;
  subtotalMinor: number;
  totalMinor: number | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  discountCodes: string[];
  cancelledAt: string | null;
  processedAt: string | null;
  updatedAt: string | null;
  /**
   * The customer the order names, with what the payload says of them: contact details (kept by the rule customer
   * webhooks follow, ensureEmbeddedCustomer), the state and tags as the order reports them (undated, so only used
   * until a dated fact says).
   */
  customer:
    | (EmbeddedCustomer & {
        /** The customer's default address, for the referral program's shared-address signal only. */
        defaultAddress?: PostalAddress | null;
      })
    | null;
  /** Where the order ships, for the referral program's shared-address signal only. */
  shippingAddress?: PostalAddress | null;
}

type OrderRow = typeof orders.$inferSelect;

/**
 * The order's points state and owner as applyOrderEvent's prepared updates set them; placeholders skip the columns'
 * mapping, so JSON columns are given their JSON text.
 */
const orderStateSet = {
  customerId: sql`${sql.placeholder("customerId")}`,
  pointsState: sql`${sql.placeholder("pointsState")}`,
  releaseAt: sql`${sql.placeholder("releaseAt")}`,
};
const orderById = and(eq(orders.shop, sql.placeholder("shop")), eq(orders.id, sql.placeholder("id")));

/** Financial statuses of an order that was paid (refunds come after payment). */
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded", "partially_paid"]);

function isNewer(incoming: string | null, stored: string | null): boolean {
  if (stored === null) return true;
  return incoming !== null && Date.parse(incoming) >= Date.parse(stored);
}

/**
 * Applies one order webhook (paid, refund, cancelled, fulfilled) to the order's points state and the customer's
 * ledger, in the caller's transaction. The planner makes any duplication or order of arrival end the same; the order
 * row keeps the newest figures Shopify sent.
 */
export async function applyOrderEvent({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    event: OrderEvent | null;
    facts: OrderFacts | null;
    /** With no event: the order was paid after install, so it is not marked as paid before install. */
    afterInstall?: boolean;
    /**
     * The webhook says the customer's store credit moved (paid with it, refunded to it): their directory figure is
     * marked to be read again from Shopify in the background (`storeCreditStaleAt`, refresh-store-credit job).
     */
    storeCreditMoved?: boolean;
  };
}): Promise<{ entries: number; customerId: number | null }> {
  const { facts } = input;
  const orderGid = input.event?.orderGid ?? facts?.orderGid;
  if (!orderGid) throw new Error("an order event needs an order");
  // No event: an order from before install, recorded for the profile but earning nothing.
  const event: OrderEvent | null = input.event;
  // Points are earned in the shop's currency; until Shopify told us at install, the first order tells us. Known (and
  // kept per shop, decision 039), it is not written again.
  if (facts && (await storedShopCurrency({ ctx, tx })) === null) {
    await prepared(tx, "shop-currency-first", (db) =>
      db
        .update(shops)
        .set({ currency: sql`${sql.placeholder("currency")}` })
        .where(and(eq(shops.shop, sql.placeholder("shop")), isNull(shops.currency)))
        .prepare(),
    ).execute({ currency: facts.currency, shop: ctx.shop });
    forgetShop(tx, ctx.shop);
  }
  const customer = facts?.customer ? await ensureEmbeddedCustomer({ ctx, tx }, facts.customer) : undefined;
  const now = ctx.now.toISOString();
  // The order's row is locked until the transaction ends (PostgreSQL; on SQLite the single writer is the lock): two
  // events of one order read its state, plan and write it back one after the other.
  const findOrder = async (): Promise<OrderRow | undefined> =>
    (
      await prepared(tx, "order-by-gid", (db) =>
        forUpdate(
          db
            .select()
            .from(orders)
            .where(and(eq(orders.shop, sql.placeholder("shop")), eq(orders.orderGid, sql.placeholder("gid")))),
        ).prepare(),
      ).execute({ shop: ctx.shop, gid: orderGid })
    )[0];
  let order = await findOrder();
  if (!order) {
    // An insert's placeholders go through the columns' mapping, so the state is given as it is. The new row comes
    // back from the insert itself; only when another transaction inserted it first is it read again.
    [order] = await prepared(tx, "order-insert", (db) =>
      db
        .insert(orders)
        .values({
          shop: sql.placeholder("shop"),
          orderGid: sql.placeholder("gid"),
          pointsState: sql.placeholder("state"),
        })
        .onConflictDoNothing()
        .returning()
        .prepare(),
    ).execute({ shop: ctx.shop, gid: orderGid, state: emptyOrderState(orderGid) });
    order ??= (await findOrder()) as OrderRow;
  }
  const customerId = order.customerId ?? customer?.id ?? null;
  // Refund payloads name no customer: the order's own customer owns the points, with their real balance.
  const owner =
    customer && customer.id === customerId
      ? customer
      : customerId === null
        ? undefined
        : (
            await prepared(tx, "customer-by-id", (db) =>
              db
                .select()
                .from(customers)
                .where(and(eq(customers.shop, sql.placeholder("shop")), eq(customers.id, sql.placeholder("id"))))
                .prepare(),
            ).execute({ shop: ctx.shop, id: customerId })
          )[0];

  const redemption =
    event?.kind === "paid" && facts ? await findRedemption(tx, ctx.shop, facts.discountCodes, customerId) : null;
  const plan = event
    ? planOrderEvent(order.pointsState, event.kind === "paid" ? { ...event, redemption } : event, {
        // The program that earns in the order's currency (decision 008), and who the customer was when it was paid,
        // not when the webhook arrived: a fact learned later corrects it (customer-events.ts).
        program: await getProgram({ ctx, tx, input: event.kind === "paid" ? { currency: event.currency } : {} }),
        customer: owner
          ? earningContextAt(factsOf(owner), facts?.processedAt ?? now, owner.blocked)
          : { customerTags: [], blocked: false, status: "guest" },
        totals: owner ? totalsOf(owner) : { balance: 0, pending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 },
      })
    : null;

  // An order with no customer at all (a checkout that never made one) has nobody to credit; its state is still kept.
  if (customerId !== null && plan) {
    await appendEntries({ ctx, tx, customerId, entries: plan.entries });
    if (plan.earning) await recordSkip({ ctx, tx }, { customerId, sourceGid: orderGid, earning: plan.earning });
  }
  if (redemption) {
    await tx
      .update(rewards)
      .set({ status: "used", usedOnOrderGid: orderGid, updatedAt: now })
      .where(and(eq(rewards.shop, ctx.shop), eq(rewards.rewardKey, redemption.rewardId)));
  }

  const paidBeforeInstall = !event && !input.afterInstall && facts && PAID_STATUSES.has(facts.financialStatus ?? "");
  const state =
    plan?.state ??
    (paidBeforeInstall
      ? preInstallPaidState(order.pointsState, {
          orderName: facts.name,
          subtotalMinor: facts.subtotalMinor,
          currency: facts.currency,
          programVersion: (await getProgram({ ctx, tx })).version,
        })
      : order.pointsState);
  const takeFacts = facts !== null && isNewer(facts.updatedAt, order.shopifyUpdatedAt);
  const stateColumns = {
    shop: ctx.shop,
    id: order.id,
    customerId,
    pointsState: JSON.stringify(state),
    releaseAt: orderReleaseAt(state)?.toISOString() ?? null,
  };
  if (takeFacts) {
    await prepared(tx, "order-update-state-and-facts", (db) =>
      db
        .update(orders)
        .set({
          ...orderStateSet,
          shopifyUpdatedAt: sql`${sql.placeholder("shopifyUpdatedAt")}`,
          name: sql`${sql.placeholder("name")}`,
          currency: sql`${sql.placeholder("currency")}`,
          subtotalMinor: sql`${sql.placeholder("subtotalMinor")}`,
          totalMinor: sql`${sql.placeholder("totalMinor")}`,
          financialStatus: sql`${sql.placeholder("financialStatus")}`,
          fulfillmentStatus: sql`${sql.placeholder("fulfillmentStatus")}`,
          discountCodes: sql`${sql.placeholder("discountCodes")}`,
          cancelledAt: sql`${sql.placeholder("cancelledAt")}`,
          processedAt: sql`${sql.placeholder("processedAt")}`,
        })
        .where(orderById)
        .prepare(),
    ).execute({
      ...stateColumns,
      shopifyUpdatedAt: facts.updatedAt,
      name: facts.name,
      currency: facts.currency,
      subtotalMinor: facts.subtotalMinor,
      totalMinor: facts.totalMinor,
      financialStatus: facts.financialStatus,
      fulfillmentStatus: facts.fulfillmentStatus,
      discountCodes: JSON.stringify(facts.discountCodes),
      cancelledAt: facts.cancelledAt,
      processedAt: facts.processedAt,
    });
  } else {
    await prepared(tx, "order-update-state", (db) =>
      db.update(orders).set(orderStateSet).where(orderById).prepare(),
    ).execute(stateColumns);
  }
  const placedAt = facts?.processedAt ? Date.parse(facts.processedAt) : NaN;
  if (customerId !== null && !Number.isNaN(placedAt)) {
    // The directory's "last order" column: the newest order's date, whichever order arrives last.
    await prepared(tx, "customer-last-order", (db) =>
      db
        .update(customers)
        .set({ lastOrderAt: sql`${sql.placeholder("at")}` })
        .where(
          and(
            eq(customers.shop, sql.placeholder("shop")),
            eq(customers.id, sql.placeholder("id")),
            sql`(${customers.lastOrderAt} is null or ${customers.lastOrderAt} < ${sql.placeholder("at")})`,
          ),
        )
        .prepare(),
    ).execute({ at: new Date(placedAt).toISOString(), shop: ctx.shop, id: customerId });
  }
  if (input.storeCreditMoved && customerId !== null) {
    // A new time each mark, so a background read already in flight does not clear a mark set after it began.
    await tx
      .update(customers)
      .set({ storeCreditStaleAt: now })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
  }
  // Referrals: the friend's order completes (or undoes) a referral; an advocate's order may spend a referral reward.
  await applyReferralOrder({
    ctx,
    tx,
    input: {
      orderGid,
      facts,
      state,
      customerId,
      redemption,
      payment: event?.kind === "paid" || Boolean(paidBeforeInstall),
    },
  });
  return { entries: plan?.entries.length ?? 0, customerId };
}

/**
 * Shopify's view of one order read back by reconciliation, as the events its webhooks would have delivered (adapter:
 * `orderEventsOf`), applied in one transaction of their own. Returns how many ledger entries were planned.
 */
export async function applyOrderEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { facts: OrderFacts; events: readonly OrderEvent[] };
}): Promise<{ entries: number }> {
  if (input.events.length === 0) return { entries: 0 };
  return inTransaction(ctx, async (tx) => {
    let entries = 0;
    for (const event of input.events) {
      entries += (await applyOrderEvent({ ctx, tx, input: { event, facts: input.facts } })).entries;
    }
    return { entries };
  });
}

/**
 * An order the install sync found: recorded for the profile. One paid before the shop installed Tally earns nothing,
 * ever. One paid after install (Shopify's bulk read runs while new orders keep coming) is left for its own orders/paid,
 * or the next reconciliation, to earn: marking it as before install would lose its points for good.
 */
export async function recordOrderBeforeInstall({ ctx, input }: { ctx: ServiceContext; input: { facts: OrderFacts } }) {
  await inTransaction(ctx, async (tx) => {
    const [shop] = await tx.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
    // Shopify's times are whole seconds: an order of the install's own second counts as after it, since Shopify may
    // have sent its webhooks (losing an order's points for good is the worse mistake).
    const paidAt = input.facts.processedAt ? Date.parse(input.facts.processedAt) : NaN;
    const afterInstall = shop !== undefined && paidAt >= Math.floor(Date.parse(shop.installedAt) / 1000) * 1000;
    await applyOrderEvent({ ctx, tx, input: { event: null, facts: input.facts, afterInstall } });
  });
}

/** A reward code of this customer's among the order's discount codes: the order spent those points. */
async function findRedemption(tx: Tx, shop: string, codes: string[], customerId: number | null) {
  if (codes.length === 0 || customerId === null) return null;
  for (const code of codes) {
    const [reward] = await tx
      .select()
      .from(rewards)
      .where(and(eq(rewards.shop, shop), eq(rewards.code, code), eq(rewards.customerId, customerId)));
    if (reward) return { rewardId: reward.rewardKey, points: reward.points };
  }
  return null;
}

/**
 * What reconciliation must read from Shopify to heal an order: the refunds Tally has seen (others are read), whether
 * it saw the payment (if not, the lines are read to replay it), and whether an edit waits for line prices.
 */
export async function orderSyncNeeds({ ctx, input }: { ctx: ServiceContext; input: { orderGid: string } }): Promise<{
  knownRefunds: Set<string>;
  paid: boolean;
  linesWanted: boolean;
}> {
  const [row] = await ctx.db
    .select({ pointsState: orders.pointsState })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, input.orderGid)));
  if (!row) return { knownRefunds: new Set(), paid: false, linesWanted: false };
  const state = normalizeOrderState(row.pointsState);
  return {
    knownRefunds: new Set(Object.keys(state.refunds)),
    paid: state.paid !== null,
    linesWanted: Object.values(state.edits).some((edit) => edit.status === "pending"),
  };
}
