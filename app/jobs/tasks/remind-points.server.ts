import { z } from "zod";
import { remindPointsKind } from "~/domain/background-jobs";
import { countSelectedCustomers, listSelectedCustomers } from "~/services/customers/bulk-customers.server";
import { describeSkipReason, listBatchOutcomes } from "~/services/email/batch-outcomes.server";
import { getEmailBatch, MAX_EMAILS_PER_CALL, queueEmails } from "~/services/email/queue-emails.server";
import { listPointsReminderRecipients, preparePointsReminder } from "~/services/rewards/points-reminders.server";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof remindPointsKind.input>;

/** The outbox batch of a task: one per press of Email points reminder, so a resumed chunk queues nobody twice. */
export function pointsReminderBatchOf(taskId: number): string {
  return `task-${taskId}`;
}

/**
 * "Email points reminder" from the directory (seed 000; decisions 021, 026, 031): queues one reminder per selected
 * customer through the outbox's one path (`queueEmails`), up to 1,000 a call, all under the task's batch id; the
 * `send emails` job sends them, rate-limited, with the one-click unsubscribe. Each customer's result is what the
 * outbox recorded: queued, or not sent and why (no email, not subscribed, no points, unsubscribed, …). The summary
 * holds the batch's counts by reason.
 */
export const remindPointsTask: TaskRun<Input, { afterId: number }> = {
  definition: remindPointsKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx, input }) => ({
    total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
  }),
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    const batch = pointsReminderBatchOf(task.id);
    const { rows, lastId } = await listSelectedCustomers({
      ctx,
      input: { selection: input.selection, afterId: checkpoint.afterId, limit: MAX_EMAILS_PER_CALL },
    });
    if (lastId === undefined) {
      const counts = await getEmailBatch({ ctx, input: { batch } });
      return { done: true, summary: { ...counts } };
    }
    const customerIds = rows.map((row) => row.id);
    if (customerIds.length > 0) {
      await queueEmails({
        ctx,
        input: { kind: "points_reminder", customerIds, batch },
        recipients: (ids) => listPointsReminderRecipients({ ctx, input: { customerIds: ids } }),
        prepare: (customerId, template) => preparePointsReminder({ ctx, input: { customerId, template } }),
      });
    }
    const outcomes = new Map(
      (await listBatchOutcomes({ ctx, input: { batch, customerIds, kind: "points_reminder" } })).map((row) => [
        row.customerId,
        row,
      ]),
    );
    for (const customer of rows) {
      const outcome = outcomes.get(customer.id);
      const label =
        [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "Guest (no email)";
      const skipped = !outcome || outcome.status === "skipped";
      report.item({
        key: String(customer.id),
        customerId: customer.id,
        label,
        outcome: skipped ? "skipped" : "done",
        message: skipped
          ? describeSkipReason(outcome?.reason ?? null, "points_reminder")
          : `Reminder to ${customer.email} queued`,
      });
    }
    report.progress({ advance: rows.length });
    return { next: { afterId: lastId } };
  },
};
