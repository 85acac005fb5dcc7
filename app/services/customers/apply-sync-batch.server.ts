import { and, eq, inArray } from "drizzle-orm";
import type { OrderEvent } from "~/domain/ledger";
import { customers } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { applyOrderEvents, recordOrderBeforeInstall, type OrderFacts } from "../orders/apply-order-event.server";
import { reconcileCustomer } from "./sync-customer.server";

/** One record of a bulk read, as the services the webhooks use take it (adapters: reconcile-records.ts). */
export type SyncRecord =
  | { kind: "customer"; line: number; input: Parameters<typeof reconcileCustomer>[0]["input"] }
  /** An order recorded for the profile and the directory; one paid before install earns nothing. */
  | { kind: "order"; line: number; facts: OrderFacts }
  /** An order Tally never saw paid (its webhook was missed), replayed as the events its webhooks would have been. */
  | { kind: "order-events"; line: number; facts: OrderFacts; events: readonly OrderEvent[] };

export interface SyncRecordResult {
  line: number;
  kind: SyncRecord["kind"];
  gid: string;
  /** "added": a customer new to Tally; "changed": the record was newer than what Tally held; "unchanged"; "failed". */
  outcome: "added" | "changed" | "unchanged" | "failed";
  error?: string;
}

/**
 * Applies a batch of a bulk read's records in one short transaction, each in a savepoint of its own through the
 * services the webhooks and reconciliation use (`reconcileCustomer`, `recordOrderBeforeInstall`, `applyOrderEvents`):
 * contact details follow the newest dated version, so a customer a webhook told Tally about after Shopify's snapshot
 * keeps the newer facts, and applying the same batch twice changes nothing. A record a service refuses is rolled back
 * alone and answered "failed" with the reason; the rest commit. Called inside a task chunk's transaction, it nests.
 * Keep batches small (a few hundred records, well under 100 ms): other requests wait for the write lock meanwhile.
 */
export async function applySyncBatch({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { records: readonly SyncRecord[] };
}): Promise<SyncRecordResult[]> {
  const customerGids = input.records.flatMap((record) =>
    record.kind === "customer" ? [record.input.snapshot.customerGid] : [],
  );
  return inTransaction(ctx, async (tx) => {
    const known = new Set<string>();
    for (let start = 0; start < customerGids.length; start += 500) {
      const rows = await tx
        .select({ gid: customers.customerGid })
        .from(customers)
        .where(
          and(eq(customers.shop, ctx.shop), inArray(customers.customerGid, customerGids.slice(start, start + 500))),
        );
      for (const row of rows) known.add(row.gid);
    }
    const results: SyncRecordResult[] = [];
    for (const record of input.records) {
      const gid = record.kind === "customer" ? record.input.snapshot.customerGid : record.facts.orderGid;
      try {
        if (record.kind === "customer") {
          const { applied } = await reconcileCustomer({ ctx, input: record.input });
          const outcome = !known.has(gid) ? "added" : applied ? "changed" : "unchanged";
          known.add(gid);
          results.push({ line: record.line, kind: record.kind, gid, outcome });
        } else if (record.kind === "order") {
          await recordOrderBeforeInstall({ ctx, input: { facts: record.facts } });
          results.push({ line: record.line, kind: record.kind, gid, outcome: "unchanged" });
        } else {
          const { entries } = await applyOrderEvents({ ctx, input: { facts: record.facts, events: record.events } });
          results.push({ line: record.line, kind: record.kind, gid, outcome: entries > 0 ? "changed" : "unchanged" });
        }
      } catch (error) {
        results.push({
          line: record.line,
          kind: record.kind,
          gid,
          outcome: "failed",
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return results;
  });
}
