import { inviteCustomersKind } from "~/domain/background-jobs";
import { queueInvitations } from "~/services/email/queue-invitations.server";
import { listInvitationRecipients, prepareInvitation } from "~/services/referrals/invitations.server";
import { emailSelectionTask } from "./email-selection.server";

/**
 * "Send referral invitation" from the directory (decisions 018, 021, 026): an email to each selected customer
 * (emailSelectionTask) through `queueInvitations`, skipped with the reason for those it may not reach (not
 * subscribed, unsubscribed, blocked, no email, …).
 */
export const inviteCustomersTask = emailSelectionTask({
  definition: inviteCustomersKind,
  kind: "invitation",
  queue: ({ ctx, customerIds, batch }) =>
    queueInvitations({
      ctx,
      input: { customerIds, batch },
      recipients: (ids) => listInvitationRecipients({ ctx, input: { customerIds: ids } }),
      prepare: (customerId, language) => prepareInvitation({ ctx, input: { customerId, language } }),
    }),
  queuedMessage: (email) => `Invitation to ${email} queued`,
});
