import { z } from "zod";
import { customerDisplayName } from "~/domain/customers/search";
import type { CustomerSelection, TaskKindDefinition } from "~/domain/background-jobs";
import type { EmailKind } from "~/domain/email";
import type { ServiceContext } from "~/services/context";
import {
  countSelectedCustomers,
  listSelectedCustomers,
  type SelectedCustomer,
} from "~/services/customers/bulk-customers.server";
import { describeSkipReason, listBatchOutcomes } from "~/services/email/batch-outcomes.server";
import { getEmailBatch, MAX_EMAILS_PER_CALL } from "~/services/email/queue-emails.server";
import type { TaskRun } from "../task-kind";

/** The outbox batch of a task: one per press of the directory's action, so a resumed chunk queues nobody twice. */
function emailBatchOf(taskId: number): string {
  return `task-${taskId}`;
}

/** What differs between the directory's "email a selection" actions: the task kind, the email, how it is queued. */
export interface EmailSelection<Input extends { selection: CustomerSelection }> {
  definition: TaskKindDefinition<Input>;
  /** The outbox's kind of email (its template, its skip reasons' words). */
  kind: EmailKind;
  /** Queues this email for each of `customerIds` (at most MAX_EMAILS_PER_CALL) under `batch`, through the outbox. */
  queue: (args: { ctx: ServiceContext; input: Input; customerIds: number[]; batch: string }) => Promise<unknown>;
  /** A queued customer's result line: "Reminder to ana@example.com queued". */
  queuedMessage: (email: string | null) => string;
  /**
   * Words for a skipped customer that name their own figures (a chunk's worth at once), where the reason's general
   * words would say less: "120 points, the cheapest reward needs 500". Null for a reason it has no words of its own for.
   */
  skippedWords?: (args: {
    ctx: ServiceContext;
    input: Input;
  }) => Promise<(customer: SelectedCustomer, reason: string | null) => string | null>;
}

/**
 * A directory bulk action that emails the selected customers (decisions 021, 026): each chunk queues one email per
 * selected customer, up to 1,000 a call, all under the task's batch id; the `send emails` job sends them, rate-limited,
 * with the one-click unsubscribe. Each customer's result is what the outbox recorded: queued, or not sent and why (no
 * email, not subscribed, unsubscribed, blocked, …, in the words of that email's kind). The summary holds the batch's
 * counts by reason. The checkpoint is the last customer id done, so a resumed task goes on where it stopped.
 */
export function emailSelectionTask<Input extends { selection: CustomerSelection }>(
  email: EmailSelection<Input>,
): TaskRun<Input, { afterId: number }> {
  return {
    definition: email.definition,
    checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
    initialCheckpoint: { afterId: 0 },
    begin: async ({ ctx, input }) => ({
      total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
    }),
    chunk: async ({ ctx, task, input, checkpoint, report }) => {
      const batch = emailBatchOf(task.id);
      const { rows, lastId } = await listSelectedCustomers({
        ctx,
        input: { selection: input.selection, afterId: checkpoint.afterId, limit: MAX_EMAILS_PER_CALL },
      });
      if (lastId === undefined) {
        const counts = await getEmailBatch({ ctx, input: { batch } });
        return { done: true, summary: { ...counts } };
      }
      const customerIds = rows.map((row) => row.id);
      if (customerIds.length > 0) await email.queue({ ctx, input, customerIds, batch });
      const ownWords = email.skippedWords ? await email.skippedWords({ ctx, input }) : () => null;
      const outcomes = new Map(
        (await listBatchOutcomes({ ctx, input: { batch, customerIds, kind: email.kind } })).map((row) => [
          row.customerId,
          row,
        ]),
      );
      for (const customer of rows) {
        const outcome = outcomes.get(customer.id);
        const label = customerDisplayName(customer);
        const skipped = !outcome || outcome.status === "skipped";
        report.item({
          key: String(customer.id),
          customerId: customer.id,
          label,
          outcome: skipped ? "skipped" : "done",
          message: skipped
            ? (ownWords(customer, outcome?.reason ?? null) ?? describeSkipReason(outcome?.reason ?? null, email.kind))
            : email.queuedMessage(customer.email),
        });
      }
      report.progress({ advance: rows.length });
      return { next: { afterId: lastId } };
    },
  };
}
