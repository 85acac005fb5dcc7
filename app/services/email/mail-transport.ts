export { EmailNotConfiguredError, MailSendError } from "~/domain/email";

/*
 * The port the email services send through. Its one adapter today is app/email/smtp-transport.server.ts (nodemailer
 * over SMTP_URL); services never import nodemailer, so the transport can change (an API-based provider, a test sink)
 * without touching them. The scheduled job that drains the outbox hands a transport to sendQueuedEmails.
 */

export interface OutgoingEmail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers: Record<string, string>;
  /** `<…@…>`: lets a resend be recognised as the same message by the receiving side. */
  messageId: string;
}

export interface MailTransport {
  /**
   * Hands one email to the SMTP server. Resolves with the server's answer once it accepted the message for the
   * recipient; throws MailSendError when it refused or could not be reached (the failure says whether to retry).
   */
  send(email: OutgoingEmail): Promise<{ messageId: string; response: string }>;
}
