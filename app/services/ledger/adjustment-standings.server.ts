import { and, asc, eq, gt, inArray, min, sql } from "drizzle-orm";
import { bulkPointsRequestId } from "~/domain/background-jobs";
import { customerDisplayName } from "~/domain/customers/search";
import { hasSpentAdjustment, ledgerKeys, SPENDING_KINDS, type StoredMovement } from "~/domain/ledger";
import { aliasOf, forUpdate, isTrue } from "~/db/dialect";
import { customers, ledgerEntries } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

/** Customers read per query: each is a handful of index lookups. */
const BATCH = 500;

export interface AdjustmentStanding {
  /** As the directory names them (customerDisplayName), for a refusal that says who. */
  name: string;
  /** Points of the adjustment were spent: its undo would charge for them again (hasSpentAdjustment). */
  spent: boolean;
  /** The balance now. */
  balance: number;
  /** The balance just before the adjustment's entry. */
  before: number;
}

/**
 * Where each of `customerIds` stands towards their share of the bulk points adjustment job `taskId`, which gave each
 * `points` (its entry is keyed by the job and the customer: ledgerKeys.adjust with bulkPointsRequestId). The rule is
 * the domain's `hasSpentAdjustment` (decision 026): points are spent when a redemption or an expiry since the
 * adjustment's entry left the customer fewer points than it gave, so without it they would have spent points they did
 * not have; a balance below zero, or below the points given, is not by itself spending. Customers of another shop, or
 * gone, are left out.
 *
 * Reads, per 500 customers, their rows by primary key, the sum of their entries since the adjustment grouped by
 * customer (the adjustment found on the ledger's (shop, idempotency key) index, what followed on its (shop, customer,
 * id) index), and the rows since the adjustment of only those who redeemed or lost points to expiry since. Given
 * `tx`, the customers' rows are locked first (PostgreSQL), so no entry lands between the reads and the caller's undo.
 */
export async function listAdjustmentStandings({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { taskId: number; points: number; customerIds: readonly number[] };
}): Promise<Map<number, AdjustmentStanding>> {
  const standings = new Map<number, AdjustmentStanding>();
  for (let at = 0; at < input.customerIds.length; at += BATCH) {
    const ids = input.customerIds.slice(at, at + BATCH);
    const people = await readCustomers(ctx, tx, ids);
    if (people.length === 0) continue;
    const sums = await sumsSince(ctx, tx, keysOf(people, input.taskId));
    const spenders = people.filter((person) => (sums.get(person.id)?.spending ?? 0) > 0);
    const rows = new Map<number, StoredMovement[]>();
    if (input.points > 0 && spenders.length > 0) {
      for (const row of await rowsSince(ctx, tx, keysOf(spenders, input.taskId))) {
        const list = rows.get(row.customerId) ?? [];
        list.push(row);
        rows.set(row.customerId, list);
      }
    }
    for (const person of people) {
      const since = rows.get(person.id) ?? [];
      standings.set(person.id, {
        name: customerDisplayName(person),
        spent: hasSpentAdjustment({ points: input.points, balance: person.pointsBalance, since }),
        balance: person.pointsBalance,
        // Now, less what came since, less the adjustment itself.
        before: person.pointsBalance - (sums.get(person.id)?.effect ?? 0) - input.points,
      });
    }
  }
  return standings;
}

/**
 * The first ledger entry (the lowest id) of the bulk points adjustment job `taskId` among `customerIds` (its first
 * customers in the order it reached them), or undefined when none of them holds one (erased since). Reads their rows
 * by primary key and their entries on the (shop, idempotency key) unique index.
 */
export async function findFirstAdjustmentEntryId({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { taskId: number; customerIds: readonly number[] };
}): Promise<number | undefined> {
  if (input.customerIds.length === 0) return undefined;
  const people = await (tx ?? ctx.db)
    .select({ id: customers.id, customerGid: customers.customerGid })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, [...input.customerIds])));
  if (people.length === 0) return undefined;
  const [first] = await (tx ?? ctx.db)
    .select({ id: min(ledgerEntries.id) })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, ctx.shop), inArray(ledgerEntries.idempotencyKey, keysOf(people, input.taskId))));
  return first?.id ?? undefined;
}

/**
 * `kind in ('redeem', 'expire')` written with literals, as the partial index ledger_entries_spending_idx is: SQLite
 * uses a partial index only when the query's terms imply its condition, which bound parameters never do.
 */
const isSpending = sql`${ledgerEntries.kind} in (${sql.raw(SPENDING_KINDS.map((kind) => `'${kind}'`).join(", "))})`;

/**
 * The customers of the shop with a redemption or an expiry (SPENDING_KINDS) written after ledger entry `afterEntryId`,
 * by id: the only ones who can have spent points of an adjustment written after it (hasSpentAdjustment counts no other
 * entry). One query on the partial index ledger_entries_spending_idx (shop, id): it costs what the shop spent since,
 * however many customers the adjustment reached (decision 026).
 */
export async function listSpendersSince({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { afterEntryId: number };
}): Promise<number[]> {
  const rows = await (tx ?? ctx.db)
    .selectDistinct({ customerId: ledgerEntries.customerId })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, ctx.shop), isSpending, gt(ledgerEntries.id, input.afterEntryId)))
    .orderBy(asc(ledgerEntries.customerId));
  return rows.map((row) => row.customerId);
}

/** Each customer's adjustment entry's key. */
function keysOf(people: ReadonlyArray<{ id: number; customerGid: string }>, taskId: number) {
  return people.map((person) => ledgerKeys.adjust(person.customerGid, bulkPointsRequestId(taskId, person.id)));
}

async function readCustomers(ctx: ServiceContext, tx: Tx | undefined, ids: readonly number[]) {
  const query = (tx ?? ctx.db)
    .select({
      id: customers.id,
      customerGid: customers.customerGid,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      pointsBalance: customers.pointsBalance,
    })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, [...ids])))
    .orderBy(asc(customers.id));
  return tx ? await forUpdate(query) : await query;
}

/** The adjustment's entry as the left side of a join to the entries after it, by its (shop, idempotency key). */
const adjustment = aliasOf(ledgerEntries, "adjustment");
const afterAdjustment = and(
  eq(ledgerEntries.shop, adjustment.shop),
  eq(ledgerEntries.customerId, adjustment.customerId),
  gt(ledgerEntries.id, adjustment.id),
);

/** Per customer, the balance their entries since the adjustment moved, and how many of them spent points. */
async function sumsSince(ctx: ServiceContext, tx: Tx | undefined, keys: readonly string[]) {
  const sums = await (tx ?? ctx.db)
    .select({
      customerId: ledgerEntries.customerId,
      // balanceEffectOf, summed.
      effect: sql<number>`sum(case when ${isTrue(ledgerEntries.held)} then 0 else ${ledgerEntries.points} end)`.mapWith(
        Number,
      ),
      spending:
        sql<number>`sum(case when ${inArray(ledgerEntries.kind, [...SPENDING_KINDS])} then 1 else 0 end)`.mapWith(
          Number,
        ),
    })
    .from(adjustment)
    .innerJoin(ledgerEntries, afterAdjustment)
    .where(and(eq(adjustment.shop, ctx.shop), inArray(adjustment.idempotencyKey, [...keys])))
    .groupBy(ledgerEntries.customerId);
  return new Map(sums.map((row) => [row.customerId, row]));
}

/** The entries since the adjustment, oldest first. */
async function rowsSince(
  ctx: ServiceContext,
  tx: Tx | undefined,
  keys: readonly string[],
): Promise<Array<StoredMovement & { customerId: number }>> {
  return (tx ?? ctx.db)
    .select({
      customerId: ledgerEntries.customerId,
      kind: ledgerEntries.kind,
      points: ledgerEntries.points,
      held: ledgerEntries.held,
    })
    .from(adjustment)
    .innerJoin(ledgerEntries, afterAdjustment)
    .where(and(eq(adjustment.shop, ctx.shop), inArray(adjustment.idempotencyKey, [...keys])))
    .orderBy(asc(ledgerEntries.customerId), asc(ledgerEntries.id));
}
