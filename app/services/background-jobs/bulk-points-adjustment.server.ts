import {
  bulkEditCustomersKind,
  isFinished,
  NAMED_AT_MOST,
  spentSinceAdjustmentRefusal,
  undoKeyOf,
  undoneAdjustmentName,
  type NamedCustomer,
  type TaskView,
} from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import type { ServiceContext, Tx } from "~/services/context";
import {
  findFirstAdjustmentEntryId,
  listAdjustmentStandings,
  listSpendersSince,
} from "~/services/ledger/adjustment-standings.server";
import { findTaskByKey, getTask, listTaskItems } from "./get-task.server";

/**
 * The finished bulk points adjustment job `taskId` of the shop: the job, its signed change in points and its reason.
 * Throws DomainError not_found (no such job of this shop), invalid_input (a job that is not a bulk points adjustment)
 * or conflict (still running). Decision 026.
 */
export async function getBulkPointsAdjustment({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number };
}): Promise<{ original: TaskView; points: number; reason: string }> {
  const original = await getTask({ ctx, input });
  const parsed = bulkEditCustomersKind.input.safeParse(original.input);
  if (original.kind !== bulkEditCustomersKind.kind || !parsed.success || parsed.data.edit.action !== "points_adjust")
    throw new DomainError("invalid_input", "Only a bulk points adjustment can be undone");
  if (!isFinished(original.status))
    throw new DomainError("conflict", "Wait for the adjustment to finish, then undo it");
  return { original, points: parsed.data.edit.points, reason: parsed.data.edit.reason };
}

/** Who has spent points of an adjustment: the first NAMED_AT_MOST of them by id, and how many in all. */
export interface SpentSinceAdjustment {
  named: NamedCustomer[];
  count: number;
}

/** The first customers an adjustment reached, read at a time to find where its entries begin. */
const FIRST_ITEMS = 50;

/**
 * Who of the customers the bulk points adjustment `taskId` changed has spent points of it since (the undo's rule:
 * `hasSpentAdjustment` through `listAdjustmentStandings`, decision 026), for the page before Undo is offered and for
 * the undo's run, which read it alike so they never disagree. `points` is the adjustment's signed change; one that
 * took points away is never spent.
 *
 * Sized for an adjustment of 1,000,000 customers: only a redemption or an expiry since a customer's adjustment entry
 * can have spent it, so the customers read are those with one written after the adjustment's first entry
 * (`listSpendersSince`: one query on the shop's redemptions and expiries, partial index (shop, id)), and the rule is
 * applied to those alone. The adjustment's first entry is its first customer's: a bulk adjustment writes its
 * customers' entries in the order it lists them, one chunk after the other. Given `tx`, the customers read are locked
 * (PostgreSQL).
 */
export async function findSpentSinceAdjustment({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { taskId: number; points: number };
}): Promise<SpentSinceAdjustment> {
  const none = { named: [], count: 0 };
  if (input.points <= 0) return none;
  let firstEntryId: number | undefined;
  let after: number | undefined;
  for (;;) {
    const { items, hasNext } = await listTaskItems({
      ctx,
      input: { taskId: input.taskId, outcome: "done", after, limit: FIRST_ITEMS },
    });
    const ids = items.flatMap((item) => (item.customerId ? [item.customerId] : []));
    firstEntryId = await findFirstAdjustmentEntryId({ ctx, tx, input: { taskId: input.taskId, customerIds: ids } });
    if (firstEntryId !== undefined || !hasNext || items.length === 0) break;
    after = items.at(-1)!.id;
  }
  if (firstEntryId === undefined) return none;
  const candidates = await listSpendersSince({ ctx, tx, input: { afterEntryId: firstEntryId } });
  const standings = await listAdjustmentStandings({
    ctx,
    tx,
    input: { taskId: input.taskId, points: input.points, customerIds: candidates },
  });
  const spent = [...standings].filter(([, standing]) => standing.spent).sort(([a], [b]) => a - b);
  return {
    named: spent.slice(0, NAMED_AT_MOST).map(([customerId, standing]) => ({ customerId, name: standing.name })),
    count: spent.length,
  };
}

/**
 * Whether the finished bulk points adjustment `taskId` can be undone as a batch now, for its page: `spent` names who
 * spent points of it since (findSpentSinceAdjustment), and is empty when Undo may be offered. Throws as
 * `getBulkPointsAdjustment`.
 */
export async function checkBulkPointsUndo({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number };
}): Promise<{ spent: SpentSinceAdjustment }> {
  const { points } = await getBulkPointsAdjustment({ ctx, input });
  return { spent: await findSpentSinceAdjustment({ ctx, input: { taskId: input.taskId, points } }) };
}

/**
 * The input of an undo of the bulk points adjustment `taskId`, named from the adjustment Tally holds ("Add 500 points
 * (Spring gift)"), whatever name the request carried: the undo's title, in the jobs list and the audit log, is never
 * the page's to say. Throws as `getBulkPointsAdjustment`, so an undo of anything else is refused before it is queued,
 * and DomainError conflict (the refusal naming who, spentSinceAdjustmentRefusal) while any customer has spent points
 * of it, so no undo job is made that could only be refused; an undo already started is found again, not checked.
 */
export async function undoBulkPointsInput({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number };
}): Promise<{ taskId: number; of: string }> {
  const { original, points, reason } = await getBulkPointsAdjustment({ ctx, input });
  if (!(await findTaskByKey({ ctx, input: { idempotencyKey: undoKeyOf(input.taskId) } }))) {
    const spent = await findSpentSinceAdjustment({ ctx, input: { taskId: input.taskId, points } });
    if (spent.count > 0)
      throw new DomainError("conflict", spentSinceAdjustmentRefusal(spent.named, spent.count), { spent });
  }
  return { taskId: input.taskId, of: undoneAdjustmentName(original.title, reason) };
}
