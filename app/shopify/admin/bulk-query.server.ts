import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { z } from "zod";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

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

const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELED", "EXPIRED"]);

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

/** One JSONL line: the record as its schema reads it, or why it was set aside (its line number and the reasons). */
export type BulkLine<Record> = { record: Record } | { rejected: string };

function readLine<Schema extends z.ZodType>(number: number, text: string, schema: Schema): BulkLine<z.infer<Schema>> {
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

/**
 * Runs one bulk query and yields its JSONL lines, each read through `schema` as it arrives: a line that is not JSON or
 * does not fit is yielded as `{rejected}` with its reason, never applied and never fatal. Used for the install sync:
 * a bulk query costs one request whatever the shop's size, where paging 1,000,000 customers would spend hours of the
 * rate limit. Shopify can take tens of minutes for a large shop, so it is polled for up to six hours rather than
 * abandoned and restarted. Throws BulkOperationFailed when the operation ends without a result, ShopifyUserErrors
 * when Shopify refuses to start it.
 */
export async function* bulkQuery<Schema extends z.ZodType>(
  graphql: AdminGraphql,
  query: string,
  schema: Schema,
  { pollMs = 500, timeoutMs = 6 * 3600_000 }: { pollMs?: number; timeoutMs?: number } = {},
): AsyncGenerator<BulkLine<z.infer<Schema>>> {
  const run = await adminRequest(graphql, BULK_RUN, { variables: { query } });
  const started = run.bulkOperationRunQuery?.bulkOperation;
  if (!started) throw new ShopifyUserErrors("bulkOperationRunQuery", run.bulkOperationRunQuery?.userErrors ?? []);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { bulkOperation: status } = await adminRequest(graphql, BULK_STATUS, { variables: { id: started.id } });
    if (!status || FINISHED.has(status.status)) {
      if (status?.status !== "COMPLETED") {
        throw new BulkOperationFailed(status?.status ?? "missing", status?.errorCode ?? null);
      }
      // An empty result has no file at all.
      if (!status.url) return;
      const response = await fetch(status.url);
      if (!response.ok || !response.body) throw new Error(`bulk result download failed: ${response.status}`);
      const lines = createInterface({ input: Readable.fromWeb(response.body as NodeReadableStream) });
      let number = 0;
      for await (const text of lines) {
        number += 1;
        if (!text.trim()) continue;
        yield readLine(number, text, schema);
      }
      return;
    }
    if (Date.now() > deadline) throw new Error(`bulk operation ${started.id} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
