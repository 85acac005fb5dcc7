import { remindPointsKind } from "~/domain/background-jobs";
import { queueEmails } from "~/services/email/queue-emails.server";
import { listPointsReminderRecipients, preparePointsReminder } from "~/services/rewards/points-reminders.server";
import { emailSelectionTask } from "./email-selection.server";

/**
 * "Email points reminder" from the directory (seed 000; decisions 021, 026, 031): an email to each selected customer
 * (emailSelectionTask) through the outbox's one path (`queueEmails`), skipped with the reason for those it may not
 * reach (no email, not subscribed, no points, unsubscribed, …).
 */
export const remindPointsTask = emailSelectionTask({
  definition: remindPointsKind,
  kind: "points_reminder",
  queue: ({ ctx, customerIds, batch }) =>
    queueEmails({
      ctx,
      input: { kind: "points_reminder", customerIds, batch },
      recipients: (ids) => listPointsReminderRecipients({ ctx, input: { customerIds: ids } }),
      prepare: (customerId, template) => preparePointsReminder({ ctx, input: { customerId, template } }),
    }),
  queuedMessage: (email) => `Reminder to ${email} queued`,
});
