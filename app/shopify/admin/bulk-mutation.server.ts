import { createWriteStream } from "node:fs";
import { openAsBlob } from "node:fs";
import { rename } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

// Shopify's bulk import (https://shopify.dev/docs/api/usage/bulk-operations/imports): stage a JSONL of one mutation's
// variables (stagedUploadsCreate, resource BULK_MUTATION_VARIABLES), post it to the target, run the mutation once per
// line (bulkOperationRunMutation), poll the operation, then read the result JSONL, one line per input line carrying
// its `__lineNumber` (0-based, in no particular order: Shopify does not process the file serially). Bulk operations
// are not charged against the app's rate limit, so 100,000 lines cost a handful of requests.

const STAGE = `#graphql
  mutation TallyStageBulkVariables($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }
`;

const RUN = `#graphql
  mutation TallyBulkMutationRun($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
    bulkOperationRunMutation(
      mutation: $mutation
      stagedUploadPath: $stagedUploadPath
      clientIdentifier: $clientIdentifier
    ) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

const STATUS = `#graphql
  query TallyBulkMutationStatus($id: ID!) {
    bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }
  }
`;

/** A bulk mutation as Shopify reports it while it runs and once it ended. */
export interface BulkMutationStatus {
  id: string;
  /** CREATED, RUNNING, COMPLETED, FAILED, CANCELING, CANCELED, EXPIRED. */
  status: string;
  errorCode: string | null;
  /** Lines Shopify has run so far. */
  objectCount: number;
  /** The result JSONL once COMPLETED (null when the file had no lines); `partialDataUrl` when it FAILED part way. */
  url: string | null;
  partialDataUrl: string | null;
  finished: boolean;
}

const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELED", "EXPIRED"]);

/**
 * Stages a JSONL of variables on disk for a bulk mutation: asks for a target, then posts the file to it as the form
 * Shopify hands out (every parameter, then `file`), streamed from disk. Answers the `stagedUploadPath` to run with
 * (the `key` parameter). Throws ShopifyUserErrors when Shopify refuses the target, Error when the upload fails.
 */
export async function stageBulkVariables(graphql: AdminGraphql, filePath: string): Promise<string> {
  const data = await adminRequest(graphql, STAGE, {
    variables: {
      input: [
        {
          resource: "BULK_MUTATION_VARIABLES",
          filename: basename(filePath),
          mimeType: "text/jsonl",
          httpMethod: "POST",
        },
      ],
    },
  });
  const staged = data.stagedUploadsCreate;
  const target = staged?.stagedTargets?.[0];
  if (!target?.url || (staged?.userErrors.length ?? 0) > 0)
    throw new ShopifyUserErrors("stagedUploadsCreate", staged?.userErrors ?? [{ message: "No upload target" }]);
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", await openAsBlob(filePath, { type: "text/jsonl" }), basename(filePath));
  const posted = await fetch(target.url, { method: "POST", body: form });
  if (!posted.ok) throw new Error(`staged upload failed: ${posted.status} ${(await posted.text()).slice(0, 200)}`);
  const key = target.parameters.find((parameter) => parameter.name === "key")?.value;
  if (!key) throw new Error("the staged upload target has no key");
  return key;
}

/**
 * Starts `mutation` once per line of the staged file. `clientIdentifier` names the operation for anyone reading the
 * shop's bulk operations (10 to 255 characters). Answers the operation's id. Throws ShopifyUserErrors when Shopify
 * refuses it (a mutation the schema rejects, a file it cannot read, too many bulk mutations running).
 */
export async function runBulkMutation(
  graphql: AdminGraphql,
  input: { mutation: string; stagedUploadPath: string; clientIdentifier: string },
): Promise<string> {
  const data = await adminRequest(graphql, RUN, { variables: input });
  const run = data.bulkOperationRunMutation;
  if (!run?.bulkOperation || run.userErrors.length > 0)
    throw new ShopifyUserErrors("bulkOperationRunMutation", run?.userErrors ?? [{ message: "No bulk operation" }]);
  return run.bulkOperation.id;
}

/** Where the bulk operation is. Throws Error when Shopify does not know the id (it is another shop's, or gone). */
export async function bulkMutationStatus(graphql: AdminGraphql, id: string): Promise<BulkMutationStatus> {
  const { bulkOperation: op } = await adminRequest(graphql, STATUS, { variables: { id } });
  if (!op) throw new Error(`Shopify does not know the bulk operation ${id}`);
  return {
    id: op.id,
    status: op.status,
    errorCode: op.errorCode ?? null,
    objectCount: Number(op.objectCount),
    url: op.url ?? null,
    partialDataUrl: op.partialDataUrl ?? null,
    finished: FINISHED.has(op.status),
  };
}

/**
 * Downloads a bulk operation's result JSONL to `toPath`, streamed (never held in memory), through a temporary file
 * renamed into place, so `toPath` is either the whole file or absent. Throws Error when the download fails.
 */
export async function downloadBulkResult(url: string, toPath: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: ${response.status}`);
  const partial = `${toPath}.part`;
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream), createWriteStream(partial));
  await rename(partial, toPath);
}

const RECENT = `#graphql
  query TallyRecentBulkMutations($query: String!) {
    bulkOperations(first: 10, reverse: true, sortKey: CREATED_AT, query: $query) {
      nodes { id query }
    }
  }
`;

const numericId = (gid: string) => gid.replace(/^gid:\/\/shopify\/BulkOperation\//, "");

/** The newest bulk mutation of this app on the shop, or null: where to look from for one started later. */
export async function newestBulkMutation(graphql: AdminGraphql): Promise<string | null> {
  const data = await adminRequest(graphql, RECENT, { variables: { query: "operation_type:mutation" } });
  return data.bulkOperations.nodes[0]?.id ?? null;
}

/**
 * The newest bulk mutation running `mutation` that this app started after the operation `after` (null: any), or null.
 * How a task that died between starting an operation and recording its id finds it again: the bulkOperations search
 * has no client identifier filter, but ids grow, and a shop runs one import at a time.
 */
export async function findBulkMutationAfter(
  graphql: AdminGraphql,
  input: { mutation: string; after: string | null },
): Promise<string | null> {
  const query = `operation_type:mutation${input.after ? ` id:>${numericId(input.after)}` : ""}`;
  const data = await adminRequest(graphql, RECENT, { variables: { query } });
  return data.bulkOperations.nodes.find((op) => op.query.trim() === input.mutation.trim())?.id ?? null;
}
