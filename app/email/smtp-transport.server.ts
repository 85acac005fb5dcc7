import type { Transporter } from "nodemailer";
import { classifySmtpFailure, EmailNotConfiguredError, MailSendError } from "~/domain/email";
import { env } from "~/lib/env.server";
import type { MailTransport, OutgoingEmail } from "~/services/email/mail-transport";

/*
 * The email room's adapter: the MailTransport port (app/services/email/mail-transport.ts) over SMTP with nodemailer,
 * to the server SMTP_URL names. One pooled connection per URL for the process, so a batch reuses it. nodemailer loads
 * with the first email sent, not with the app: most of the time the process sends none (decision 047).
 */

const transports = new Map<string, Transporter>();

async function transporterFor(url: string): Promise<Transporter> {
  let transporter = transports.get(url);
  if (!transporter) {
    const { default: nodemailer } = await import("nodemailer");
    // A silent server must not hold the scheduler: fail, and let the outbox retry later.
    const timeouts = new URL(url);
    for (const [name, ms] of [
      ["connectionTimeout", 10_000],
      ["greetingTimeout", 10_000],
      ["socketTimeout", 30_000],
    ])
      if (!timeouts.searchParams.has(String(name))) timeouts.searchParams.set(String(name), String(ms));
    // Another send may have loaded it meanwhile: one transporter per URL.
    transporter = transports.get(url) ?? nodemailer.createTransport(timeouts.toString());
    transports.set(url, transporter);
  }
  return transporter;
}

/** nodemailer's error carries the SMTP reply (`responseCode`, `response`) when the server answered. */
function failureOf(error: unknown) {
  const smtp = error as { responseCode?: unknown; response?: unknown; message?: unknown };
  const code = typeof smtp.responseCode === "number" ? smtp.responseCode : undefined;
  const text =
    typeof smtp.response === "string" ? smtp.response : typeof smtp.message === "string" ? smtp.message : String(error);
  return classifySmtpFailure(code, text);
}

/**
 * The transport to `url` (default: SMTP_URL). Throws EmailNotConfiguredError when no URL is set, so the caller (the
 * send-emails job) fails loudly and leaves the outbox queued.
 */
export function smtpTransport(url: string | undefined = env().SMTP_URL): MailTransport {
  if (!url) throw new EmailNotConfiguredError();
  return {
    async send(email: OutgoingEmail) {
      const transporter = await transporterFor(url);
      try {
        const info = (await transporter.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: email.headers,
          messageId: email.messageId,
        })) as { messageId: string; response: string; rejected: unknown[] };
        if (info.rejected.length > 0) throw new MailSendError(classifySmtpFailure(550, info.response));
        return { messageId: info.messageId, response: info.response };
      } catch (error) {
        if (error instanceof MailSendError) throw error;
        throw new MailSendError(failureOf(error));
      }
    },
  };
}

/** Closes the pooled connections (tests, shutdown). */
export function closeSmtpTransports() {
  for (const transporter of transports.values()) transporter.close();
  transports.clear();
}
