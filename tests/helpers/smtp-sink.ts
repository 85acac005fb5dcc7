import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll } from "vitest";
import { closeSmtpTransports, smtpTransport } from "~/email/smtp-transport.server";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { contextFor } from "~/shopify.server";

export interface ReceivedMail {
  /** RCPT TO addresses, as the server was told. */
  to: string[];
  from: string;
  parsed: ParsedMail;
  raw: string;
}

/**
 * A real SMTP server (smtp-server, the library nodemailer's authors keep) on loopback, in-process: what Tally sends
 * arrives over a real SMTP conversation and is parsed by mailparser. `refuse` answers RCPT TO with a reply code, to
 * play a server that says "later" (4xx) or "never" (5xx).
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, { code: number; message: string }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address.toLowerCase());
      if (!refusal) return callback();
      const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              parsed,
              raw,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse(address: string, code: number, message: string) {
      refusals.set(address.toLowerCase(), { code, message });
    },
    accept(address: string) {
      refusals.delete(address.toLowerCase());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A shop's postal address as sendQueuedEmails reads it, for tests that do not ask the sandbox for it. */
export const fixedShopAddress = async (): Promise<readonly string[]> => [
  "220 King St W",
  "Toronto ON M5H 1K4",
  "Canada",
];

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

/**
 * One SMTP sink for a test file: started before its tests, closed after them with Tally's pooled transports to it.
 * `sink()` is the running sink; `sendAll(shop)` sends the shop's outbox as the send-emails job does (to the sink,
 * `senderAddress` the shop's postal address, fixedShopAddress unless told) and answers what this send delivered, as
 * the sink is shared by the file's tests.
 */
export function useSmtpSink(): {
  sink: () => SmtpSink;
  sendAll: (shop: string, senderAddress?: () => Promise<readonly string[]>) => Promise<ReceivedMail[]>;
} {
  let running: SmtpSink | undefined;
  beforeAll(async () => {
    running = await startSmtpSink();
  });
  afterAll(async () => {
    closeSmtpTransports();
    await running?.close();
  });
  const sink = () => {
    if (!running) throw new Error("useSmtpSink: the sink starts in beforeAll");
    return running;
  };
  return {
    sink,
    async sendAll(shop, senderAddress = fixedShopAddress) {
      const before = sink().received.length;
      await sendQueuedEmails({
        ctx: contextFor(shop, "tally-jobs"),
        transport: () => smtpTransport(sink().url),
        senderAddress,
      });
      return sink().received.slice(before);
    },
  };
}
