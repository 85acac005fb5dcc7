import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { z } from "zod";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

// Shopify's bulk queries (shopify.dev, "Perform bulk operations with the GraphQL Admin API"): started once, polled by
// id, read as a JSONL file streamed line by line. A reader that restarts (a deploy, a crash) picks the same operation up
// again by its id and skips the lines it already applied, instead of starting a second one: Shopify runs one bulk
// query per shop at a time, and a large shop's takes tens of minutes.

const BULK_RUN = `#graphql
  mutation TallyBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }
`;

const BULK_STATUS = `#graphql
  query TallyBulkStatus($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount url }
  }
`;

// The shop's latest bulk query, with its text: the one a process that died before recording its id had started.
const BULK_CURRENT = `#graphql
  query TallyBulkCurrent {
    currentBulkOperation(type: QUERY) { id status query }
  }
`;

const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELED", "EXPIRED"]);
const UNFINISHED = new Set(["CREATED", "RUNNING"]);

/** A bulk operation that ended without a result: `errorCode` is Shopify's (ACCESS_DENIED, TIMEOUT, ...). */
export class BulkOperationFailed extends Error {
  constructor(
    readonly status: string,
    readonly errorCode: string | null,
  ) {
    super(`bulk operation ended ${status} (${errorCode ?? "no error code"})`);
    this.name = "BulkOperationFailed";
  }
}

/** Another bulk query (not this one) is running for the shop: Shopify runs one at a time. */
export class BulkQueryBusy extends Error {
  constructor(readonly runningId: string | null) {
    super(`another bulk query is running for this shop (${runningId ?? "unknown"})`);
    this.name = "BulkQueryBusy";
  }
}

/** A bulk operation as Tally reads it: `objectCount` is how many objects Shopify has read so far (or in all). */
export interface BulkOperationView {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: number;
  /** The JSONL's address once COMPLETED; null for an empty result (Shopify writes no file). */
  url: string | null;
}

const sameQuery = (a: string, b: string) => a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim();

/**
 * Starts a bulk query and answers its id. When Shopify refuses because a bulk query is already in progress and that
 * one runs this very query (a process died between starting it and recording its id), it is adopted instead: its id is
 * answered. Throws BulkQueryBusy when the running one is another query, ShopifyUserErrors for any other refusal.
 */
export async function startBulkQuery(graphql: AdminGraphql, query: string): Promise<string> {
  const run = await adminRequest(graphql, BULK_RUN, { variables: { query } });
  const started = run.bulkOperationRunQuery?.bulkOperation;
  if (started) return started.id;
  const userErrors = run.bulkOperationRunQuery?.userErrors ?? [];
  if (userErrors.some((error) => /already in progress/i.test(error.message))) {
    const { currentBulkOperation: current } = await adminRequest(graphql, BULK_CURRENT);
    if (current && UNFINISHED.has(current.status) && sameQuery(current.query, query)) return current.id;
    throw new BulkQueryBusy(current && UNFINISHED.has(current.status) ? current.id : null);
  }
  throw new ShopifyUserErrors("bulkOperationRunQuery", userErrors);
}

/** The bulk operation of that id as Shopify reports it now; null when Shopify has no such operation. */
export async function getBulkOperation(graphql: AdminGraphql, id: string): Promise<BulkOperationView | null> {
  const { bulkOperation: found } = await adminRequest(graphql, BULK_STATUS, { variables: { id } });
  if (!found) return null;
  return {
    id: found.id,
    status: found.status,
    errorCode: found.errorCode ?? null,
    objectCount: Number(found.objectCount),
    url: found.url ?? null,
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Polls the operation until it finishes, or `maxWaitMs` has passed (then answers it unfinished), or `signal` aborts.
 * Throws BulkOperationFailed when it ended without a result (or Shopify no longer knows it).
 */
export async function waitForBulkOperation(
  graphql: AdminGraphql,
  id: string,
  { pollMs = 500, maxWaitMs = Infinity, signal }: { pollMs?: number; maxWaitMs?: number; signal?: AbortSignal } = {},
): Promise<BulkOperationView> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const status = await getBulkOperation(graphql, id);
    if (!status) throw new BulkOperationFailed("missing", null);
    if (FINISHED.has(status.status)) {
      if (status.status !== "COMPLETED") throw new BulkOperationFailed(status.status, status.errorCode);
      return status;
    }
    if (Date.now() + pollMs > deadline || signal?.aborted) return status;
    await sleep(pollMs, signal);
  }
}

/**
 * The raw lines of a completed operation's JSONL, streamed from `url` (never held whole), each with its 1-based line
 * number; lines up to `after` are skipped unread (a resumed reader's applied lines), blank ones too. Stopping the
 * iteration early closes the download.
 */
export async function* bulkLines(url: string, { after = 0 }: { after?: number } = {}) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: ${response.status}`);
  const input = Readable.fromWeb(response.body as NodeReadableStream);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of lines) {
      number += 1;
      if (number <= after || !text.trim()) continue;
      yield { number, text };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** One JSONL line: the record as its schema reads it, or why it was set aside (its line number and the reasons). */
export type BulkLine<Record> = { record: Record } | { rejected: string };

/** Reads one JSONL line through `schema`: never throws; a line that is not JSON or does not fit is `{rejected}`. */
export function readBulkLine<Schema extends z.ZodType>(
  number: number,
  text: string,
  schema: Schema,
): BulkLine<z.infer<Schema>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { rejected: `line ${number}: not JSON` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { record: parsed.data };
  const reasons = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`);
  return { rejected: `line ${number}: ${reasons.join("; ")}` };
}

/** Where a bulk read resumes: the operation Shopify already ran for it and the JSONL lines already applied. */
export interface BulkResume {
  bulkOperationId: string;
  line: number;
}

/**
 * Runs one bulk query (or, with `resume`, picks up the one already started, by id) and yields its JSONL lines, each
 * read through `schema` as it arrives, with its line number: a line that is not JSON or does not fit is yielded as
 * `{rejected}` with its reason, never applied and never fatal. `onStarted` hears the operation's id once Shopify
 * started it (record it: a restart resumes from it). A resumed operation that failed, expired or is unknown to Shopify
 * is started again. Shopify can take tens of minutes for a large shop, so it is polled for up to six hours. Throws
 * BulkOperationFailed when the operation ends without a result, BulkQueryBusy / ShopifyUserErrors when Shopify
 * refuses to start it.
 */
export async function* bulkQuery<Schema extends z.ZodType>(
  graphql: AdminGraphql,
  query: string,
  schema: Schema,
  {
    pollMs = 500,
    timeoutMs = 6 * 3600_000,
    resume,
    onStarted,
  }: {
    pollMs?: number;
    timeoutMs?: number;
    resume?: BulkResume | null;
    onStarted?: (bulkOperationId: string) => Promise<void>;
  } = {},
): AsyncGenerator<BulkLine<z.infer<Schema>> & { line: number }> {
  let id = resume?.bulkOperationId ?? null;
  let after = resume?.line ?? 0;
  if (id) {
    const found = await getBulkOperation(graphql, id);
    if (!found || (FINISHED.has(found.status) && found.status !== "COMPLETED")) id = null;
  }
  if (!id) {
    id = await startBulkQuery(graphql, query);
    after = 0;
    await onStarted?.(id);
  }
  const done = await waitForBulkOperation(graphql, id, { pollMs, maxWaitMs: timeoutMs });
  if (done.status !== "COMPLETED") throw new Error(`bulk operation ${id} did not finish in time`);
  // An empty result has no file at all.
  if (!done.url) return;
  for await (const { number, text } of bulkLines(done.url, { after })) {
    yield { ...readBulkLine(number, text, schema), line: number };
  }
}
