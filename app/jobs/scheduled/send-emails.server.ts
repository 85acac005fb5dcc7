import { smtpTransport } from "~/email/smtp-transport.server";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/**
 * Drains the shop's email outbox (referral invitations) over SMTP: due emails, at most EMAILS_PER_MINUTE a minute,
 * retried with backoff (sendQueuedEmails). Without SMTP_URL it fails with a message naming it, and only when an email
 * is due; the emails wait.
 */
export const sendEmailsJob: EveryTickShopJob = {
  name: "send emails",
  scope: "each shop",
  every: "tick",
  perform: ({ shop }) => sendQueuedEmails({ ctx: contextFor(shop, "tally-jobs"), transport: () => smtpTransport() }),
};
