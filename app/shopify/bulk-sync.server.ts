import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./admin-graphql.server";

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

export const bulkOperations = [BULK_RUN, BULK_STATUS];

interface BulkStatus {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";
  errorCode: string | null;
  objectCount: string;
  url: string | null;
}

/**
 * Runs one bulk query and yields its JSONL lines, parsed, as Shopify writes them (children of nested connections are
 * lines of their own with `__parentId`). Used for the install sync: a bulk query costs one request whatever the shop's
 * size, where paging 1,000,000 customers would spend hours of the rate limit. Shopify can take tens of minutes for a
 * large shop, so it is polled for up to six hours rather than abandoned and restarted.
 */
export async function* bulkQuery(
  graphql: AdminGraphql,
  query: string,
  { pollMs = 500, timeoutMs = 6 * 3600_000 }: { pollMs?: number; timeoutMs?: number } = {},
): AsyncGenerator<Record<string, unknown>> {
  const run = await adminRequest<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: ShopifyUserErrors["userErrors"] };
  }>(graphql, BULK_RUN, { variables: { query } });
  const started = run.bulkOperationRunQuery;
  if (!started.bulkOperation) throw new ShopifyUserErrors("bulkOperationRunQuery", started.userErrors);

  const deadline = Date.now() + timeoutMs;
  let status: BulkStatus | null = null;
  for (;;) {
    const data = await adminRequest<{ bulkOperation: BulkStatus | null }>(graphql, BULK_STATUS, {
      variables: { id: started.bulkOperation.id },
    });
    status = data.bulkOperation;
    if (!status || ["COMPLETED", "FAILED", "CANCELED", "EXPIRED"].includes(status.status)) break;
    if (Date.now() > deadline) throw new Error(`bulk operation ${started.bulkOperation.id} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  if (status?.status !== "COMPLETED") {
    throw new Error(`bulk operation ended ${status?.status ?? "missing"} (${status?.errorCode ?? "no error code"})`);
  }
  // An empty result has no file at all.
  if (!status.url) return;
  const response = await fetch(status.url);
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: ${response.status}`);
  const lines = createInterface({ input: Readable.fromWeb(response.body as NodeReadableStream) });
  for await (const line of lines) {
    if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
  }
}
