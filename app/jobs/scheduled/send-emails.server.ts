import { smtpTransport } from "~/email/smtp-transport.server";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { fetchShopPostalAddress } from "~/shopify/admin/shop-address.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/**
 * Drains the shop's email outbox (invitations, points reminders) over SMTP, on every tick and at once when emails are
 * queued (announceShopWorkWaiting): due emails, at most EMAILS_PER_MINUTE a minute, retried with backoff
 * (sendQueuedEmails), each with the footer naming the shop's postal address, read from Shopify once a run and only
 * when an email is due. Without SMTP_URL, or without a shop address, it fails with a message naming it; the emails
 * wait.
 */
export const sendEmailsJob: EveryTickShopJob = {
  name: "send emails",
  scope: "each shop",
  every: "tick",
  perform: ({ shop, graphql }) =>
    sendQueuedEmails({
      ctx: contextFor(shop, "tally-jobs"),
      transport: () => smtpTransport(),
      senderAddress: () => fetchShopPostalAddress(graphql),
    }),
};
