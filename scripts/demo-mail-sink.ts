// `npm run demo`'s mail sink: a real SMTP server (smtp-server) on loopback that keeps each message Tally sends as an
// .eml file (open it in any mail app, or read it as text), and says so on the terminal.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

export async function startDemoMailSink(options: { port: number; dir: string; say: (line: string) => void }) {
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        count += 1;
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(",");
        const file = path.join(options.dir, `${String(count).padStart(4, "0")}-${to.replace(/[^\w.@+-]/g, "_")}.eml`);
        writeFileSync(file, Buffer.concat(chunks), { mode: 0o600 });
        options.say(`[mail] to ${to}: ${file}`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  return { url: `smtp://127.0.0.1:${options.port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
