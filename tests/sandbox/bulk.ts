import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parse, validate, Kind, type OperationDefinitionNode } from "graphql";
import { gid } from "./ids";
import {
  type AdminRequestContext,
  type BulkRunner,
  executeAdminDocument,
  prepareAdminDocument,
  runAdminGraphql,
} from "./graphql/admin-api";
import type { SortedIds } from "./graphql/context";
import { adminSchema } from "./graphql/schema";
import type { Operations } from "./operations/index";
import { bulkFinishPayload } from "./payloads";
import type { ShopRecord } from "./shops";

type BulkType = "QUERY" | "MUTATION";

interface BulkRecord {
  id: string;
  shop: string;
  type: BulkType;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number;
  file: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** A staged upload target handed out by stagedUploadsCreate, and the file once the app has posted it. */
interface StagedUpload {
  key: string;
  shop: string;
  signature: string;
  file: string | null;
  size: number;
}

const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** Bulk mutations run at most this many at a time per shop (API 2026-01 and later, shopify.dev bulk imports guide). */
const MAX_RUNNING_MUTATIONS = 5;
/** The largest JSONL of mutation variables Shopify accepts, in bytes. */
export const MAX_STAGED_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Answers written together, in reverse: the result file's lines are in no particular order. */
const UNORDERED_BATCH = 64;
/** Lines run between two yields to the event loop, so a large import never stalls the sandbox's other requests. */
const LINES_PER_TURN = 200;

export type StagedUploadAnswer = { status: 201 | 204; xml: string } | { status: 400 | 403 | 413; xml: string };

/**
 * Bulk operations. bulkOperationRunQuery pages through the root connection in the background and writes Shopify's
 * JSONL, where each nested connection's nodes are lines of their own carrying `__parentId`. bulkOperationRunMutation
 * runs one mutation per line of a JSONL of variables the app staged with stagedUploadsCreate and posted to the
 * sandbox's loopback "bucket", and writes one result line per input line with its `__lineNumber`.
 */
export class BulkOperations implements BulkRunner {
  private readonly records = new Map<string, BulkRecord>();
  private readonly uploads = new Map<string, StagedUpload>();
  private readonly dir = mkdtempSync(path.join(tmpdir(), "sandbox-bulk-"));
  private readonly signingKey = randomBytes(32);
  private counter = 0;
  /** Shops whose bulk queries stay RUNNING until released (`holdBulkQueries`), each with its release. */
  private readonly held = new Map<string, { released: Promise<void>; release: () => void }>();
  readonly running = new Set<Promise<void>>();

  constructor(
    private readonly ops: () => Operations,
    private readonly origin: () => string,
    private readonly pageSize = 250,
  ) {}

  file(id: string) {
    return this.records.get(id)?.file ?? null;
  }

  close() {
    for (const shop of [...this.held.keys()]) this.release(shop);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Keeps the shop's bulk queries RUNNING, nothing read yet, until `release`: a large shop's read takes Shopify minutes
   * (decision 030 measured 7 for 1,000,000 customers), so a test can see what happens while one runs.
   */
  hold(shop: string) {
    if (this.held.has(shop)) return;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held.set(shop, { released, release });
  }

  /** Lets the shop's held bulk queries read and complete, and those started from now on run at once. */
  release(shop: string) {
    this.held.get(shop)?.release();
    this.held.delete(shop);
  }

  private record(shop: ShopRecord, type: BulkType, query: string): BulkRecord {
    const id = shop.store.id("BulkOperation", ++this.counter);
    const record: BulkRecord = {
      id,
      shop: shop.domain,
      type,
      query,
      status: "CREATED",
      errorCode: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: 0,
      file: null,
      createdAt: iso(),
      completedAt: null,
    };
    this.records.set(id, record);
    return record;
  }

  private track(work: Promise<void>) {
    const run = work.finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private active(shop: ShopRecord, type: BulkType) {
    return [...this.records.values()].filter(
      (r) => r.shop === shop.domain && r.type === type && (r.status === "RUNNING" || r.status === "CREATED"),
    );
  }

  private finish(shop: ShopRecord, record: BulkRecord) {
    record.completedAt = iso();
    this.ops().emit(
      shop,
      "bulk_operations/finish",
      bulkFinishPayload(record.id, record.status, record.completedAt, record.errorCode, record.type),
    );
  }

  start(shop: ShopRecord, query: string): { id: string; error?: string } {
    const active = this.active(shop, "QUERY")[0];
    if (active)
      return {
        id: "",
        error: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", active.id)}.`,
      };
    let document;
    try {
      document = parse(query);
    } catch (error) {
      return { id: "", error: `Invalid bulk query: ${(error as Error).message}` };
    }
    const errors = validate(adminSchema(), document);
    if (errors.length) return { id: "", error: `Invalid bulk query: ${errors[0]!.message}` };
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const root = op?.selectionSet.selections[0];
    if (!op || op.operation !== "query" || !root || root.kind !== Kind.FIELD || op.selectionSet.selections.length !== 1)
      return { id: "", error: "Bulk queries must contain exactly one top-level connection field." };
    const record = this.record(shop, "QUERY", query);
    this.track(this.runQuery(shop, record, root.alias?.value ?? root.name.value));
    return { id: record.id };
  }

  private async runQuery(shop: ShopRecord, record: BulkRecord, rootKey: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    record.status = "RUNNING";
    await this.held.get(shop.domain)?.released;
    const file = path.join(this.dir, `${record.id}.jsonl`);
    const out = createWriteStream(file);
    const write = (line: Record<string, unknown>) => {
      const text = `${JSON.stringify(line)}\n`;
      record.fileSize += Buffer.byteLength(text);
      record.objectCount += 1;
      out.write(text);
    };
    try {
      let after: string | null = null;
      // A sorted root connection (orders sort by PROCESSED_AT unless told otherwise) is ordered once per operation,
      // not on every page: sorting the whole shop per page made a 125,000-order read take minutes.
      const sorted = new Map<string, SortedIds>();
      for (;;) {
        const ctx: AdminRequestContext = {
          shop,
          ops: this.ops(),
          bulk: this,
          bulkWindow: { after, size: this.pageSize, sorted },
        };
        // Bulk operations are not charged against the app's rate limit, so the throttle is bypassed.
        const saved = { ...shop.bucket };
        shop.bucket.available = Number.MAX_SAFE_INTEGER;
        const result = (await runAdminGraphql({ query: record.query }, ctx)) as {
          data?: Record<string, { edges?: { node: Record<string, unknown> }[]; nodes?: Record<string, unknown>[] }>;
          errors?: unknown[];
        };
        Object.assign(shop.bucket, saved);
        if (result.errors?.length) {
          // Shopify fails a bulk operation whole when its query asks for data the app may not see.
          const denied = result.errors.every(
            (e) => (e as { extensions?: { code?: string } }).extensions?.code === "ACCESS_DENIED",
          );
          record.errorCode = denied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR";
          throw new Error(JSON.stringify(result.errors));
        }
        const connection = result.data?.[rootKey];
        const nodes = connection?.edges?.map((e) => e.node) ?? connection?.nodes ?? [];
        for (const node of nodes) {
          record.rootObjectCount += 1;
          flatten(node, null, write);
        }
        const cursor = ctx.bulkWindow?.next ?? null;
        if (!cursor) break;
        after = cursor;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise<void>((resolve) => out.end(resolve));
      record.file = file;
      record.status = "COMPLETED";
    } catch {
      out.end();
      record.status = "FAILED";
      record.errorCode ??= "INTERNAL_SERVER_ERROR";
    }
    this.finish(shop, record);
  }

  // Staged uploads ---------------------------------------------------------------------------------------------------

  private sign(key: string) {
    return createHmac("sha256", this.signingKey).update(key).digest("hex");
  }

  /**
   * A target for one JSONL of bulk mutation variables, shaped like Shopify's (a Google Cloud Storage form post):
   * POST a multipart form with every parameter, then `file`, to `url`; or PUT the body to `url` when asked for PUT.
   */
  stage(shop: ShopRecord, input: { filename: string; mimeType: string; httpMethod?: "POST" | "PUT" | null }) {
    const key = `tmp/${shop.numericId}/bulk/${randomUUID()}/${input.filename}`;
    const signature = this.sign(key);
    this.uploads.set(key, { key, shop: shop.domain, signature, file: null, size: 0 });
    const bucket = `${this.origin()}/_sandbox/staged-uploads`;
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
    if (input.httpMethod === "PUT")
      return {
        url: `${bucket}/${key}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=${date}&X-Goog-Signature=${signature}`,
        resourceUrl: null,
        parameters: [
          { name: "content_type", value: input.mimeType },
          { name: "acl", value: "private" },
        ],
      };
    return {
      url: `${bucket}/`,
      resourceUrl: null,
      parameters: [
        { name: "Content-Type", value: input.mimeType },
        { name: "success_action_status", value: "201" },
        { name: "acl", value: "private" },
        { name: "key", value: key },
        { name: "x-goog-date", value: date },
        { name: "x-goog-credential", value: `sandbox-staged-uploads/${date.slice(0, 8)}/auto/storage/goog4_request` },
        { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
        { name: "x-goog-signature", value: signature },
        {
          name: "policy",
          value: Buffer.from(JSON.stringify({ conditions: [{ key }], expiration: date })).toString("base64"),
        },
      ],
    };
  }

  /** The bucket's side: stores a staged file when its key was handed out and its signature matches. */
  receive(key: string, signature: string | null, content: Buffer): StagedUploadAnswer {
    const upload = this.uploads.get(key);
    if (!upload || signature !== upload.signature)
      return { status: 403, xml: storageError("AccessDenied", "Invalid or missing signature for this key.") };
    if (content.length > MAX_STAGED_UPLOAD_BYTES)
      return { status: 413, xml: storageError("EntityTooLarge", "Your proposed upload is larger than allowed.") };
    upload.file = path.join(this.dir, `upload-${randomUUID()}.jsonl`);
    upload.size = content.length;
    writeFileSync(upload.file, content);
    return {
      status: 201,
      xml: `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${this.origin()}/_sandbox/staged-uploads/${key}</Location><Bucket>sandbox-staged-uploads</Bucket><Key>${key}</Key><ETag>"${upload.signature.slice(0, 32)}"</ETag></PostResponse>`,
    };
  }

  // Bulk mutations ---------------------------------------------------------------------------------------------------

  /**
   * bulkOperationRunMutation: checks the mutation against the schema and the staged file line by line (each a JSON
   * object of variables), then runs it in the background with the token's scopes, unthrottled.
   */
  async startMutation(
    shop: ShopRecord,
    input: { mutation: string; stagedUploadPath: string; scopes?: readonly string[] },
  ): Promise<{ id: string } | { error: { field: string[]; message: string; code: string } }> {
    const refuse = (code: string, field: string, message: string) => ({ error: { field: [field], message, code } });
    const prepared = prepareAdminDocument(input.mutation);
    if ("errors" in prepared)
      return refuse("INVALID_MUTATION", "mutation", `Invalid mutation: ${String(prepared.errors[0]?.message)}`);
    const operations = prepared.document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (operations.length !== 1 || operations[0]!.operation !== "mutation")
      return refuse("INVALID_MUTATION", "mutation", "Bulk operations must contain exactly one mutation operation.");
    const fields = operations[0]!.selectionSet.selections;
    const field = fields[0];
    if (fields.length !== 1 || field?.kind !== Kind.FIELD)
      return refuse("INVALID_MUTATION", "mutation", "Bulk mutations must contain exactly one mutation field.");
    if (field.name.value.startsWith("bulkOperation"))
      return refuse("INVALID_MUTATION", "mutation", "A bulk operation cannot run another bulk operation.");
    const upload = this.uploads.get(input.stagedUploadPath);
    if (!upload?.file || upload.shop !== shop.domain)
      return refuse(
        "NO_SUCH_FILE",
        "stagedUploadPath",
        "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
      );
    let lineNumber = 0;
    for await (const line of createInterface({ input: createReadStream(upload.file) })) {
      if (line.trim() && !isJsonObject(line))
        return refuse(
          "INVALID_STAGED_UPLOAD_FILE",
          "stagedUploadPath",
          `The JSONL file submitted via the stagedUploadsCreate mutation is invalid: line ${lineNumber + 1} is not a JSON object.`,
        );
      lineNumber++;
    }
    if (this.active(shop, "MUTATION").length >= MAX_RUNNING_MUTATIONS)
      return refuse(
        "LIMIT_REACHED",
        "mutation",
        `A shop runs at most ${MAX_RUNNING_MUTATIONS} bulk mutation operations at a time; wait for one to finish.`,
      );
    const record = this.record(shop, "MUTATION", input.mutation);
    this.track(this.runMutation(shop, record, prepared, upload.file, input.scopes));
    return { id: record.id };
  }

  private async runMutation(
    shop: ShopRecord,
    record: BulkRecord,
    prepared: Exclude<ReturnType<typeof prepareAdminDocument>, { errors: unknown }>,
    source: string,
    scopes: readonly string[] | undefined,
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    record.status = "RUNNING";
    await this.held.get(shop.domain)?.released;
    const file = path.join(this.dir, `${record.id}.jsonl`);
    const out = createWriteStream(file);
    const ctx: AdminRequestContext = { shop, ops: this.ops(), bulk: this, ...(scopes ? { scopes } : {}) };
    // Shopify does not run the file serially, so its answers come in no particular order (bulk imports guide): the
    // sandbox writes each batch of lines' answers in reverse, so an app that assumes the input's order fails here too.
    const batch: string[] = [];
    const flush = async () => {
      for (const text of batch.reverse())
        if (!out.write(text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      batch.length = 0;
    };
    try {
      let lineNumber = 0;
      for await (const line of createInterface({ input: createReadStream(source) })) {
        if (!line.trim()) continue;
        const result = await executeAdminDocument(
          prepared,
          JSON.parse(line) as Record<string, unknown>,
          undefined,
          ctx,
        );
        const text = `${JSON.stringify({
          ...(result.data ? { data: result.data } : {}),
          ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
          __lineNumber: lineNumber,
        })}\n`;
        record.fileSize += Buffer.byteLength(text);
        record.objectCount += 1;
        record.rootObjectCount += 1;
        batch.push(text);
        if (batch.length >= UNORDERED_BATCH) await flush();
        lineNumber++;
        if (lineNumber % LINES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await flush();
      await new Promise<void>((resolve) => out.end(resolve));
      record.file = file;
      record.status = "COMPLETED";
    } catch {
      out.end();
      record.status = "FAILED";
      record.errorCode = "INTERNAL_SERVER_ERROR";
    }
    this.finish(shop, record);
  }

  // Reading ----------------------------------------------------------------------------------------------------------

  private view(record: BulkRecord) {
    return {
      __typename: "BulkOperation",
      id: gid("BulkOperation", record.id),
      status: record.status,
      errorCode: record.errorCode,
      createdAt: record.createdAt,
      completedAt: record.completedAt,
      objectCount: String(record.objectCount),
      rootObjectCount: String(record.rootObjectCount),
      fileSize: record.status === "COMPLETED" ? String(record.fileSize) : null,
      url:
        record.status === "COMPLETED" && record.objectCount > 0
          ? `${this.origin()}/_sandbox/bulk/${record.id}.jsonl`
          : null,
      partialDataUrl: null,
      query: record.query,
      type: record.type,
    };
  }

  current(shop: ShopRecord, type: BulkType = "QUERY") {
    const mine = [...this.records.values()].filter((r) => r.shop === shop.domain && r.type === type);
    const last = mine.at(-1);
    return last ? this.view(last) : null;
  }

  find(shop: ShopRecord, id: string) {
    const record = this.records.get(id.replace(/^gid:\/\/shopify\/BulkOperation\//, ""));
    return record && record.shop === shop.domain ? this.view(record) : null;
  }

  /** Every bulk operation of the shop, oldest first, for `bulkOperations`. */
  list(shop: ShopRecord) {
    return [...this.records.values()]
      .filter((r) => r.shop === shop.domain)
      .map((r) => ({ id: r.id, status: r.status, type: r.type, createdAt: r.createdAt, view: this.view(r) }));
  }
}

function isJsonObject(line: string) {
  try {
    const value = JSON.parse(line) as unknown;
    return Boolean(value) && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Google Cloud Storage's XML error body. */
const storageError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

function isConnection(
  value: unknown,
): value is { edges?: { node: Record<string, unknown> }[]; nodes?: Record<string, unknown>[] } {
  return Boolean(value && typeof value === "object" && ("edges" in value || "nodes" in value) && !Array.isArray(value));
}

function flatten(
  node: Record<string, unknown>,
  parentId: string | null,
  write: (line: Record<string, unknown>) => void,
) {
  const own: Record<string, unknown> = {};
  const children: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (isConnection(value)) children.push(...(value.edges?.map((e) => e.node) ?? value.nodes ?? []));
    else own[key] = value;
  }
  if (parentId) own.__parentId = parentId;
  write(own);
  const id = typeof node.id === "string" ? node.id : parentId;
  for (const child of children) flatten(child, id, write);
}
