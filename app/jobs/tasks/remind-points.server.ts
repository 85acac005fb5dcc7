import { remindPointsKind } from "~/domain/background-jobs";
import { cheapestRewardCost } from "~/domain/customers";
import { describeSkipReason } from "~/domain/email";
import { pointsInWords } from "~/domain/program";
import { queueEmails } from "~/services/email/queue-emails.server";
import { getProgram } from "~/services/program/get-program.server";
import { listPointsReminderRecipients, preparePointsReminder } from "~/services/rewards/points-reminders.server";
import { emailSelectionTask } from "./email-selection.server";

/**
 * "Email points reminder" from the directory (seed 000; decisions 021, 026, 031): an email to each selected customer
 * (emailSelectionTask) through the outbox's one path (`queueEmails`), skipped with the reason for those it may not
 * reach (no email, not subscribed, no points, unsubscribed, …) and, when staff keep "Only customers with enough points
 * for a reward" ticked, for those below the cheapest reward, whose line names their balance and that reward's cost:
 * after the reason that left them out first, when another did, as the panel's count of them promises.
 */
export const remindPointsTask = emailSelectionTask({
  definition: remindPointsKind,
  kind: "points_reminder",
  queue: ({ ctx, input, customerIds, batch }) =>
    queueEmails({
      ctx,
      input: { kind: "points_reminder", customerIds, batch },
      recipients: (ids) =>
        listPointsReminderRecipients({
          ctx,
          input: { customerIds: ids, onlyRedeemable: input.onlyRedeemable, batch },
        }),
      prepare: (customerId, template, language) =>
        preparePointsReminder({ ctx, input: { customerId, template, language } }),
    }),
  queuedMessage: (email) => `Reminder to ${email} queued`,
  skippedWords: async ({ ctx, input }) => {
    const program = await getProgram({ ctx });
    const cost = cheapestRewardCost(program.settings.redeemOptions);
    return (customer, reason) => {
      if (cost === undefined || customer.pointsBalance >= cost) return null;
      const balance = `${pointsInWords(program.settings, customer.pointsBalance)}, the cheapest reward needs ${cost.toLocaleString("en-US")}`;
      if (reason === "below_reward") return balance;
      // The panel promised every customer under the cheapest reward listed with their balance (newcomer round 11):
      // one left out for another reason first (not subscribed, blocked…) is listed with both. No points says its own.
      if (!input.onlyRedeemable || reason === null || reason === "no_points" || reason === "program_off") return null;
      return `${describeSkipReason(reason, "points_reminder")}; ${balance}`;
    };
  },
});
