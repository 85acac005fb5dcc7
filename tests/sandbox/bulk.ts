import { createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, validate, Kind, type OperationDefinitionNode } from "graphql";
import { gid } from "./ids";
import { type AdminRequestContext, type BulkRunner, runAdminGraphql } from "./graphql/admin-api";
import { adminSchema } from "./graphql/schema";
import type { Operations } from "./operations/index";
import { bulkFinishPayload } from "./payloads";
import type { ShopRecord } from "./shops";

interface BulkRecord {
  id: string;
  shop: string;
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

const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * bulkOperationRunQuery: pages through the root connection in the background and writes Shopify's JSONL, where
 * each nested connection's nodes are lines of their own carrying `__parentId`.
 */
export class BulkOperations implements BulkRunner {
  private readonly records = new Map<string, BulkRecord>();
  private readonly dir = mkdtempSync(path.join(tmpdir(), "sandbox-bulk-"));
  private counter = 0;
  readonly running = new Set<Promise<void>>();

  constructor(
    private readonly ops: () => Operations,
    private readonly origin: () => string,
    private readonly pageSize = 250,
  ) {}

  file(id: string) {
    return this.records.get(id)?.file ?? null;
  }

  start(shop: ShopRecord, query: string): { id: string; error?: string } {
    const active = [...this.records.values()].find(
      (r) => r.shop === shop.domain && (r.status === "RUNNING" || r.status === "CREATED"),
    );
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
    const id = shop.store.id("BulkOperation", ++this.counter);
    const record: BulkRecord = {
      id,
      shop: shop.domain,
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
    const run = this.run(shop, record, root.alias?.value ?? root.name.value).finally(() => this.running.delete(run));
    this.running.add(run);
    return { id };
  }

  private async run(shop: ShopRecord, record: BulkRecord, rootKey: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    record.status = "RUNNING";
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
      for (;;) {
        const ctx: AdminRequestContext = {
          shop,
          ops: this.ops(),
          bulk: this,
          bulkWindow: { after, size: this.pageSize },
        };
        // Bulk operations are not charged against the app's rate limit, so the throttle is bypassed.
        const saved = { ...shop.bucket };
        shop.bucket.available = Number.MAX_SAFE_INTEGER;
        const result = (await runAdminGraphql({ query: record.query }, ctx)) as {
          data?: Record<string, { edges?: { node: Record<string, unknown> }[]; nodes?: Record<string, unknown>[] }>;
          errors?: unknown[];
        };
        Object.assign(shop.bucket, saved);
        if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
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
      record.errorCode = "INTERNAL_SERVER_ERROR";
    }
    record.completedAt = iso();
    this.ops().emit(
      shop,
      "bulk_operations/finish",
      bulkFinishPayload(record.id, record.status, record.completedAt, record.errorCode),
    );
  }

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
      type: "QUERY",
    };
  }

  current(shop: ShopRecord) {
    const mine = [...this.records.values()].filter((r) => r.shop === shop.domain);
    const last = mine.at(-1);
    return last ? this.view(last) : null;
  }

  find(shop: ShopRecord, id: string) {
    const record = this.records.get(id.replace(/^gid:\/\/shopify\/BulkOperation\//, ""));
    return record && record.shop === shop.domain ? this.view(record) : null;
  }
}

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
