import { and, eq } from "drizzle-orm";
import { normalizeOrderState, orderPointsHeld, orderReleaseAt } from "~/domain/ledger";
import { customers, orders } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getProgram } from "../program/get-program.server";

/**
 * What one order earned, for the customer who placed it (the Order status page of new customer accounts).
 * - `earned`: points now spendable (or spent); `pending`: held until `releaseAt` (null while the order is not
 *   fulfilled: the period of `holdDays` starts at fulfilment); `not_earned`: the program did not pay this order
 *   (off, blocked, an excluded tag, a guest); `waiting`: Tally has not seen the order paid yet.
 * Points are what the order holds now: earned less what refunds, cancellations and edits took back.
 */
export type OrderPointsView = (
  | {
      status: "earned" | "pending";
      orderName: string | null;
      points: number;
      releaseAt: string | null;
      holdDays: number | null;
    }
  | { status: "not_earned" | "waiting"; orderName: string | null; points: 0; releaseAt: null; holdDays: null }
) & {
  /** The program's own names for points, plural and singular. */
  pointsName: string;
  pointName: string;
};

/**
 * The points of `orderGid` for `customerGid`, or undefined when Tally knows the order as another customer's (the
 * caller answers 404, so one customer learns nothing of another's orders). An order Tally has not recorded yet
 * (its orders/paid is on its way) is `waiting`. Reads two rows by unique index.
 */
export async function getOrderPoints({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string; orderGid: string };
}): Promise<OrderPointsView | undefined> {
  const { settings } = await getProgram({ ctx });
  const names = { pointsName: settings.pointsName, pointName: settings.pointName };
  const [row] = await ctx.db
    .select({ name: orders.name, state: orders.pointsState, ownerGid: customers.customerGid })
    .from(orders)
    .leftJoin(customers, and(eq(customers.shop, orders.shop), eq(customers.id, orders.customerId)))
    .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, input.orderGid)));
  const waiting = {
    status: "waiting",
    orderName: row?.name ?? null,
    points: 0,
    releaseAt: null,
    holdDays: null,
    ...names,
  } as const;
  if (!row) return waiting;
  if (row.ownerGid !== null && row.ownerGid !== input.customerGid) return undefined;
  const state = normalizeOrderState(row.state);
  if (!state.paid) return row.ownerGid === null ? undefined : waiting;
  if (row.ownerGid === null) return undefined;
  if (state.paid.skippedReason) return { ...waiting, status: "not_earned" };
  const held = state.paid.holdDays !== null && !state.released && !state.closed;
  return {
    status: held ? "pending" : "earned",
    orderName: row.name ?? state.orderName,
    points: orderPointsHeld(state),
    releaseAt: held ? (orderReleaseAt(state)?.toISOString() ?? null) : null,
    holdDays: state.paid.holdDays,
    ...names,
  };
}
