import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServiceContext } from "~/services/context";
import type { ExportPartRequest, ExportPartResult, ExportWriterReply, ExportWriterRequest } from "./part.server";

/** How long the writer's process stays after its last part: a running export asks again within milliseconds. */
const IDLE_MS = 30_000;

/**
 * The writer's V8 young generation is kept to 2 MB semi-spaces (Node's default grows them to 16 MB): a part's rows and
 * CSV text die young, so a small young generation is collected often and cheaply, and the writer's RSS holds ~30 MB
 * less for the same speed (decision 040 has the figures).
 */
const WRITER_NODE_FLAGS = ["--max-semi-space-size=2"];

/**
 * Where the writer's entry is: app/export-writer.server.ts when the app runs from source (tests, `npm run dev`; run
 * through tsx), or the build's own bundle of it (`npm run build` writes build/export-writer/index.js beside
 * build/server/), found from whichever of the server build's files this module was bundled into (index.js, or a
 * chunk under assets/).
 */
function writerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    const file = path.resolve(path.dirname(here), "../../export-writer.server.ts");
    return { file, execArgv: [...WRITER_NODE_FLAGS, "--import", "tsx"] };
  }
  for (let dir = path.dirname(here); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "export-writer/index.js");
    if (existsSync(file)) return { file, execArgv: WRITER_NODE_FLAGS };
  }
  throw new Error(`The export writer's bundle is missing beside ${here}: run npm run build`);
}

let child: ChildProcess | undefined;
let idle: NodeJS.Timeout | undefined;
let nextId = 1;
/** Parts asked and not yet answered, with the process each was asked of. */
const waiting = new Map<
  number,
  { by: ChildProcess; resolve: (result: ExportPartResult) => void; reject: (error: Error) => void }
>();

/** Fails every part asked of `gone` (a writer that exited or could not start): each is written again on retry. */
function failPartsOf(gone: ChildProcess, reason: string) {
  for (const [id, wait] of waiting) {
    if (wait.by !== gone) continue;
    waiting.delete(id);
    wait.reject(new Error(reason));
  }
}

function writer(): ChildProcess {
  if (child?.connected) return child;
  const { file, execArgv } = writerEntry();
  // Two malloc arenas, not glibc's eight per core: the writer's native memory is SQLite's reads and libuv's file
  // writes, which gain nothing from more arenas and leave each one's freed pages resident.
  const env = { ...process.env, MALLOC_ARENA_MAX: "2" };
  const started = fork(file, [], { execArgv, env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  started.on("message", (reply: ExportWriterReply) => {
    const wait = waiting.get(reply.id);
    if (!wait) return;
    waiting.delete(reply.id);
    if (reply.ok) wait.resolve({ rows: reply.rows, last: reply.last, bytes: reply.bytes });
    else wait.reject(new Error(`The export writer failed: ${reply.error}`));
    if (waiting.size === 0) letGo(started);
  });
  started.on("exit", (code, signal) => {
    if (child === started) child = undefined;
    failPartsOf(started, `The export writer exited (${signal ?? `code ${code}`}) before it answered`);
  });
  started.on("error", (error) => {
    if (child === started) child = undefined;
    failPartsOf(started, `The export writer failed: ${error.message}`);
  });
  child = started;
  return started;
}

/** Nothing asked: the writer no longer keeps the app's process alive, and goes after IDLE_MS. */
function letGo(running: ChildProcess) {
  running.unref();
  (running.channel as { unref?: () => void } | undefined)?.unref?.();
  clearTimeout(idle);
  idle = setTimeout(() => {
    if (waiting.size === 0 && running.connected) running.disconnect();
  }, IDLE_MS);
  idle.unref();
}

/**
 * Writes one part of an export in the export writer's process (decision 040), which reads the customers from its own
 * database connection and appends them to the file: the app's process only waits for the answer, so an export's rows
 * and CSV text never take its memory or its event loop. One writer serves every export of the process.
 */
export function writeExportPartApart({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ExportPartRequest;
}): Promise<ExportPartResult> {
  const running = writer();
  clearTimeout(idle);
  running.ref();
  (running.channel as { ref?: () => void } | undefined)?.ref?.();
  const id = nextId++;
  const request: ExportWriterRequest = { id, shop: ctx.shop, actor: ctx.actor, part: input };
  return new Promise((resolve, reject) => {
    waiting.set(id, { by: running, resolve, reject });
    running.send(request, (error) => {
      if (!error) return;
      waiting.delete(id);
      reject(error);
    });
  });
}

/** The writer's process id while one runs (operators' logs, tests). */
export function exportWriterPid(): number | undefined {
  return child?.connected ? child.pid : undefined;
}
