import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

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
