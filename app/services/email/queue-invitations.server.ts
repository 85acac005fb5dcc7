import { renderInvitation } from "~/domain/email";
import type { ServiceContext } from "../context";
import {
  MAX_EMAILS_PER_CALL,
  queueEmails,
  type EmailBatchResult,
  type EmailRecipientLister,
} from "./queue-emails.server";

export { getEmailBatch, type EmailBatchResult } from "./queue-emails.server";

/*
 * The one call the referral program makes to invite customers by email (issue 9's "Invite"), on the outbox's one path
 * (queue-emails.server.ts). The referral side passes its two functions (app/services/referrals/invitations.server.ts)
 * as ports, so this room does not depend on it:
 *
 *   queueInvitations({
 *     ctx,
 *     input: { customerIds, batch },
 *     recipients: (ids) => listInvitationRecipients({ ctx, input: { customerIds: ids } }),
 *     prepare: (customerId, language) => prepareInvitation({ ctx, input: { customerId, language } }),
 *   })
 */

/** Who may be emailed, as listInvitationRecipients answers: `mayEmail`, or the reason they are skipped. */
export type InvitationRecipientLister = EmailRecipientLister;

/**
 * One customer's invitation content, as prepareInvitation answers (it joins the customer to the program), its rewards
 * worded in `language`, the language of the template it fills ("fr"; decision 059).
 */
export type InvitationPreparer = (
  customerId: number,
  language: string,
) => Promise<{
  email: string;
  firstName: string | null;
  shopName: string;
  url: string;
  rewardsUrl: string;
  friendOffer: string;
  advocateReward: string;
  pointsName: string;
}>;

export const MAX_INVITATIONS_PER_CALL = MAX_EMAILS_PER_CALL;

/**
 * Queues a referral invitation for each of `customerIds` (1 to 1,000 a call) under `batch`: queueEmails with kind
 * "invitation", each rendered from the shop's invitation template. Errors as queueEmails'.
 */
export async function queueInvitations({
  ctx,
  input,
  recipients,
  prepare,
}: {
  ctx: ServiceContext;
  input: { customerIds: readonly number[]; batch: string };
  recipients: InvitationRecipientLister;
  prepare: InvitationPreparer;
}): Promise<EmailBatchResult> {
  return queueEmails({
    ctx,
    input: { kind: "invitation", ...input },
    recipients,
    prepare: async (customerId, template, language) => {
      const details = await prepare(customerId, language);
      return {
        email: details.email,
        rendered: renderInvitation(template.template, {
          shopName: details.shopName,
          firstName: details.firstName,
          referralLink: details.url,
          storefrontLink: details.rewardsUrl,
          friendReward: details.friendOffer,
          advocateReward: details.advocateReward,
          pointsName: details.pointsName,
        }),
      };
    },
  });
}
