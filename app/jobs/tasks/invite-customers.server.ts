import { z } from "zod";
import { inviteCustomersKind } from "~/domain/background-jobs";
import { countSelectedCustomers, listSelectedCustomers } from "~/services/customers/bulk-customers.server";
import { describeSkipReason, listBatchOutcomes } from "~/services/email/batch-outcomes.server";
import { getEmailBatch, MAX_INVITATIONS_PER_CALL, queueInvitations } from "~/services/email/queue-invitations.server";
import { listInvitationRecipients, prepareInvitation } from "~/services/referrals/invitations.server";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof inviteCustomersKind.input>;

/** The outbox batch of a task: one per press of Send invitation, so a resumed chunk queues nobody twice. */
export function invitationBatchOf(taskId: number): string {
  return `task-${taskId}`;
}

/**
 * "Send referral invitation" from the directory (decisions 018, 021, 026): queues one invitation per selected customer
 * through `queueInvitations`, up to 1,000 a call, all under the task's batch id; the `send emails` job sends them,
 * rate-limited. Each customer's result is what the outbox recorded: queued, or not sent and why (not subscribed,
 * unsubscribed, blocked, no email, …). The summary holds the batch's counts.
 */
export const inviteCustomersTask: TaskRun<Input, { afterId: number }> = {
  definition: inviteCustomersKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx, input }) => ({
    total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
  }),
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    const batch = invitationBatchOf(task.id);
    const { rows, lastId } = await listSelectedCustomers({
      ctx,
      input: { selection: input.selection, afterId: checkpoint.afterId, limit: MAX_INVITATIONS_PER_CALL },
    });
    if (lastId === undefined) {
      const counts = await getEmailBatch({ ctx, input: { batch } });
      return { done: true, summary: { ...counts } };
    }
    const customerIds = rows.map((row) => row.id);
    if (customerIds.length > 0) {
      await queueInvitations({
        ctx,
        input: { customerIds, batch },
        recipients: (ids) => listInvitationRecipients({ ctx, input: { customerIds: ids } }),
        prepare: (customerId) => prepareInvitation({ ctx, input: { customerId } }),
      });
    }
    const outcomes = new Map(
      (await listBatchOutcomes({ ctx, input: { batch, customerIds } })).map((row) => [row.customerId, row]),
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
        message: skipped ? describeSkipReason(outcome?.reason ?? null) : `Invitation to ${customer.email} queued`,
      });
    }
    report.progress({ advance: rows.length });
    return { next: { afterId: lastId } };
  },
};
