import type { SendFailure } from "./outbox";

/* The two ways a send fails, thrown by a MailTransport (app/services/email/mail-transport.ts) and read by the outbox. */

/** An email the transport could not hand over; `failure.permanent` when the server refused it for good (5xx). */
export class MailSendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(failure.reason);
    this.name = "MailSendError";
  }
}

/** SMTP_URL is not set: nothing can be sent, and the outbox keeps every email queued until it is. */
export class EmailNotConfiguredError extends Error {
  constructor() {
    super(
      "Tally cannot send email: SMTP_URL is not set. Set it to your SMTP server (smtp://user:password@host:587 or " +
        "smtps://…; see the README's Configuration); queued emails wait in the outbox until then.",
    );
    this.name = "EmailNotConfiguredError";
  }
}

/**
 * The shop has no postal address in Shopify: CASL and CAN-SPAM ask for the sender's address in every marketing email,
 * so nothing is sent and the outbox keeps every email queued until the merchant fills it in.
 */
export class SenderAddressMissingError extends Error {
  constructor() {
    super(
      "Tally cannot send marketing email without the store's postal address: add it in Shopify's Settings › Store " +
        "details; queued emails wait in the outbox until then.",
    );
    this.name = "SenderAddressMissingError";
  }
}
