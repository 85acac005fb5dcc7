import { z } from "zod";
import { customerDisplayName } from "~/domain/customers/search";
import { tagKey } from "~/domain/customers/tags";
import {
  adjustmentResultLine,
  BLOCKED_LEFT_OUT,
  blockedLeftOutLine,
  bulkEditCustomersKind,
  bulkPointsRequestId,
  NOT_ENOUGH_POINTS,
  notEnoughPointsLine,
  type BulkEdit,
} from "~/domain/background-jobs";
import { isDomainError } from "~/domain/shared";
import { countTaskItems } from "~/services/background-jobs/get-task.server";
import {
  applyBulkTagChanges,
  countSelectedCustomers,
  listSelectedCustomers,
  setBlockedInBulk,
  type BulkTagChange,
  type SelectedCustomer,
} from "~/services/customers/bulk-customers.server";
import { recordAudits, type AuditInput } from "~/services/audit/record-audit.server";
import { adjustPointsIn } from "~/services/ledger/adjust-points.server";
import { changeCustomerTags } from "~/shopify/admin/customer-tags.server";
import { getProgram } from "~/services/program/get-program.server";
import { bulkPointsPacer } from "../bulk-points-pacer";
import { bulkBlockPacer } from "../task-pacers";
import type { TaskChunkArgs, TaskRun } from "../task-kind";

type Input = z.infer<typeof bulkEditCustomersKind.input>;
type Checkpoint = { afterId: number };

/**
 * Customers per chunk for tags: Shopify is called once per customer. Block and unblock, set by set, and points, a few
 * statements per customer, take as many as fit their pacer's time (bulkBlockPacer, bulkPointsPacer).
 */
const SHOPIFY_CHUNK = 25;

const labelOf = (customer: SelectedCustomer): string => customerDisplayName(customer);

/**
 * Bulk edits from the directory (decision 026): tags through Shopify (`tagsAdd` / `tagsRemove`, then the customer's
 * tags as Shopify answered, applied like a tags webhook so the newer fact wins), block / unblock, and a points
 * adjustment with a reason, idempotent per customer by the task's id. Each customer gets a result: changed, not changed
 * (with why: "Already had VIP", "Shopify said: …", "Not enough points: …" for a removal staff did not let run into
 * debt, as the form promised, "Blocked: left out …" for a blocked customer, whom a bulk adjustment never reaches:
 * decision 065) or failed. Each customer changed also gets the line a single action on their profile
 * would write in their audit trail (`customer.tags_add`/`_remove`, `customer.block`/`unblock`, `points.adjust`),
 * naming the job, written with the chunk in multi-row inserts (decision 017, amended). A points job's summary counts
 * its not-enough-points and blocked results (`notEnoughPoints`, `blocked`), which its finished line names apart.
 */
export const bulkEditCustomersTask: TaskRun<Input, Checkpoint> = {
  definition: bulkEditCustomersKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx, input }) => ({
    total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
  }),
  chunk: async (args) => {
    const { ctx, input, checkpoint } = args;
    const tags = input.edit.action === "tags_add" || input.edit.action === "tags_remove";
    const pacer = tags
      ? undefined
      : input.edit.action === "points_adjust"
        ? bulkPointsPacer(args.task)
        : bulkBlockPacer(args.task);
    // What waited behind the last chunk (a page's next turn) runs first, to its end.
    await pacer?.yieldTurn();
    const { rows, lastId } = await listSelectedCustomers({
      ctx,
      input: {
        selection: input.selection,
        afterId: checkpoint.afterId,
        limit: pacer ? pacer.begin() : SHOPIFY_CHUNK,
      },
    });
    if (lastId === undefined) {
      if (input.edit.action !== "points_adjust") return { done: true };
      // Counted from what was recorded, once, at the end: a resumed chunk's results count once.
      const skippedWith = (messageStartsWith: string) =>
        countTaskItems({ ctx, input: { taskId: args.task.id, outcome: "skipped", messageStartsWith } });
      const short = await skippedWith(NOT_ENOUGH_POINTS);
      const blocked = await skippedWith(BLOCKED_LEFT_OUT);
      const { pointsName } = (await getProgram({ ctx })).settings;
      return { done: true, summary: { notEnoughPoints: short, blocked, pointsName } };
    }
    await applyEdit(args, input.edit, rows);
    args.report.progress({ advance: rows.length });
    return { next: { afterId: lastId } };
  },
};

async function applyEdit(
  { ctx, task, report, shopify }: TaskChunkArgs<Input, Checkpoint>,
  edit: BulkEdit,
  rows: readonly SelectedCustomer[],
) {
  const item = (customer: SelectedCustomer, outcome: "done" | "skipped" | "failed", message: string) =>
    report.item({ key: String(customer.id), customerId: customer.id, label: labelOf(customer), outcome, message });
  switch (edit.action) {
    case "tags_add":
    case "tags_remove": {
      const adding = edit.action === "tags_add";
      const graphql = await shopify();
      const applied: BulkTagChange[] = [];
      for (const customer of rows) {
        // Shopify's tags are one whatever their case: removing "vip" removes the customer's "VIP", adding "vip" to
        // it adds nothing. Each tag is named as the customer carries it, or as Shopify now holds it.
        const spelled = (tags: readonly string[]) => (tag: string) =>
          tags.find((held) => tagKey(held) === tagKey(tag)) ?? tag;
        const had = new Set(customer.tags.map(tagKey));
        const wanted = edit.tags.filter((tag) => had.has(tagKey(tag)) !== adding).map(spelled(customer.tags));
        const answer = await changeCustomerTags(graphql, {
          customerGid: customer.customerGid,
          tags: edit.tags,
          mode: adding ? "add" : "remove",
        });
        if (!answer.ok) {
          item(customer, "skipped", `Shopify said: ${answer.message}`);
          continue;
        }
        applied.push({ customer, tags: edit.tags.map(spelled(answer.tags)), changed: wanted, after: answer.tags });
        if (wanted.length === 0) {
          item(
            customer,
            "skipped",
            adding
              ? `Already had ${edit.tags.map(spelled(customer.tags)).join(", ")}`
              : `Had none of ${edit.tags.join(", ")}`,
          );
        } else {
          item(customer, "done", `${adding ? "Added" : "Removed"} ${wanted.join(", ")}`);
        }
      }
      report.write((tx) => applyBulkTagChanges({ ctx, tx, input: { adding, taskId: task.id, changes: applied } }));
      return;
    }
    case "block":
    case "unblock": {
      const blocked = edit.action === "block";
      report.write(async (tx) => {
        const { changed } = await setBlockedInBulk({
          ctx,
          tx,
          input: { customerIds: rows.map((row) => row.id), blocked, taskId: task.id },
        });
        for (const customer of rows) {
          if (changed.has(customer.id)) item(customer, "done", blocked ? "Blocked" : "Unblocked");
          else item(customer, "skipped", blocked ? "Already blocked" : "Was not blocked");
        }
        bulkBlockPacer(task).end(rows.length);
      });
      return;
    }
    case "points_adjust": {
      const naming = (await getProgram({ ctx })).settings;
      report.write(async (tx) => {
        const audits: AuditInput[] = [];
        for (const customer of rows) {
          try {
            const { applied, totals } = await adjustPointsIn({
              ctx,
              tx,
              input: {
                customerId: customer.id,
                points: edit.points,
                reason: edit.reason,
                requestId: bulkPointsRequestId(task.id, customer.id),
                allowDebt: edit.allowDebt === true,
                taskId: task.id,
                leaveOutBlocked: true,
              },
              audits,
            });
            if (applied) item(customer, "done", adjustmentResultLine(edit.points, totals.balance, naming));
            else item(customer, "skipped", "Already adjusted by this job");
          } catch (error) {
            if (!isDomainError(error)) throw error;
            // A debt staff did not allow is what they chose (the form: "left unchanged and listed"), not a failure.
            if (error.code === "conflict" && error.details.blocked === true)
              item(customer, "skipped", blockedLeftOutLine);
            else if (error.code === "conflict" && typeof error.details.balanceAfter === "number")
              item(customer, "skipped", notEnoughPointsLine(edit.points, error.details.balanceAfter, naming));
            else item(customer, "failed", error.message);
          }
        }
        await recordAudits({ ctx, tx, input: audits });
        bulkPointsPacer(task).end(rows.length);
      });
      return;
    }
  }
}
