import { and, eq, inArray } from "drizzle-orm";
import { isNewerEmailConsent } from "~/domain/customers";
import type { OrderEvent } from "~/domain/ledger";
import { customers, orders } from "~/db/schema";
import { withStatementCache } from "~/db/statement-cache";
import { processOnPostgres } from "~/db/which-dialect";
import { inTransaction, type ServiceContext } from "../context";
import { applyOrderEvents, recordOrderBeforeInstall, type OrderFacts } from "../orders/apply-order-event.server";
import { applyNewRecordsAsSets } from "./apply-sync-sets.server";
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
  /** The customer's row id, when the set path wrote it (the task's result line links to it without reading it again). */
  customerId?: number;
}

const contactFields = ["email", "firstName", "lastName", "phone", "city", "province", "countryCode"] as const;
type HeldCustomer = {
  id: number;
  updatedAt: string | null;
  purchasingAt: string | null;
  lastOrderAt: string | null;
  consentState: string | null;
  consentAt: string | null;
} & Record<(typeof contactFields)[number], string | null>;

const sameTime = (a: string | null | undefined, b: string | null | undefined) =>
  a != null && b != null && Date.parse(a) === Date.parse(b);
const notBefore = (held: string | null | undefined, incoming: string | null | undefined) =>
  incoming == null || (held != null && Date.parse(held) >= Date.parse(incoming));

/**
 * Whether Tally already holds exactly this version of the record (the same Shopify updated_at, every contact field it
 * carries, its figures as of then and its last order): applying it again would change nothing, so a sync over an unchanged shop only reads. Anything
 * else, an older version included (it may still add a dated fact), goes through the services.
 */
function alreadyApplied(
  record: SyncRecord,
  held: Map<string, HeldCustomer>,
  heldOrders: Map<string, string | null>,
): boolean {
  if (record.kind === "order") return sameTime(heldOrders.get(record.facts.orderGid), record.facts.updatedAt);
  if (record.kind !== "customer") return false;
  const row = held.get(record.input.snapshot.customerGid);
  if (!row || !sameTime(row.updatedAt, record.input.snapshot.updatedAt)) return false;
  const { snapshot } = record.input;
  // A field Shopify withheld before and shows now fills a blank (syncCustomer), even in the same version.
  if (contactFields.some((field) => snapshot[field] !== null && row[field] === null)) return false;
  // Consent can change without a new version of the record (and rows synced before consent was read hold none).
  const consent = snapshot.emailConsent;
  const sameConsent =
    consent?.state === row.consentState &&
    (consent.updatedAt === row.consentAt || sameTime(consent.updatedAt, row.consentAt));
  const heldConsent = { state: row.consentState, updatedAt: row.consentAt };
  if (consent && !sameConsent && isNewerEmailConsent(heldConsent, consent)) return false;
  return (
    (record.input.purchasing === null || notBefore(row.purchasingAt, record.input.snapshot.updatedAt)) &&
    notBefore(row.lastOrderAt, record.input.lastOrderAt)
  );
}

/**
 * Applies a batch of a bulk read's records in one short transaction, each in a savepoint of its own through the
 * services the webhooks and reconciliation use (`reconcileCustomer`, `recordOrderBeforeInstall`, `applyOrderEvents`):
 * contact details follow the newest dated version, so a customer a webhook told Tally about after Shopify's snapshot
 * keeps the newer facts, and applying the same batch twice changes nothing. A record a service refuses is rolled back
 * alone and answered "failed" with the reason; the rest commit. A record Tally already holds in exactly this version
 * is only read (`alreadyApplied`), so a second sync writes nothing. Customers and orders new to Tally go first, as
 * sets planned by the same rules (`applyNewRecordsAsSets`, decision 030's third round), unless `asSets` is false.
 * Called inside a task chunk's transaction, it nests.
 * Keep batches small (a few hundred records, well under 100 ms): other requests wait for the write lock meanwhile.
 */
/**
 * Whether a sync's chunks are sized by time (SQLite: a chunk holds the one process until it commits) or fixed
 * (PostgreSQL: its queries wait on the network, so other requests run meanwhile). Decision 030.
 */
export function syncChunksArePaced(): boolean {
  return !processOnPostgres();
}

export async function applySyncBatch({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    records: readonly SyncRecord[];
    /**
     * Apply the records new to Tally as sets (applyNewRecordsAsSets; the default). False sends every record through
     * the per-record services, the reference the set path is tested against.
     */
    asSets?: boolean;
  };
}): Promise<SyncRecordResult[]> {
  const customerGids = input.records.flatMap((record) =>
    record.kind === "customer" ? [record.input.snapshot.customerGid] : [],
  );
  const orderGids = input.records.flatMap((record) => (record.kind === "order" ? [record.facts.orderGid] : []));
  // The same dozen queries per record, thousands of times: prepared once per SQL text (app/db/statement-cache.ts).
  return withStatementCache(ctx.db, () =>
    inTransaction(ctx, async (tx) => {
      const held = new Map<string, HeldCustomer>();
      for (let start = 0; start < customerGids.length; start += 500) {
        const rows = await tx
          .select({
            id: customers.id,
            gid: customers.customerGid,
            updatedAt: customers.shopifyUpdatedAt,
            purchasingAt: customers.purchasingUpdatedAt,
            lastOrderAt: customers.lastOrderAt,
            email: customers.email,
            firstName: customers.firstName,
            lastName: customers.lastName,
            phone: customers.phone,
            city: customers.city,
            province: customers.province,
            countryCode: customers.countryCode,
            consentState: customers.emailMarketingState,
            consentAt: customers.emailMarketingUpdatedAt,
          })
          .from(customers)
          .where(
            and(eq(customers.shop, ctx.shop), inArray(customers.customerGid, customerGids.slice(start, start + 500))),
          );
        for (const row of rows) held.set(row.gid, row);
      }
      const heldOrders = new Map<string, string | null>();
      for (let start = 0; start < orderGids.length; start += 500) {
        const rows = await tx
          .select({ gid: orders.orderGid, updatedAt: orders.shopifyUpdatedAt })
          .from(orders)
          .where(and(eq(orders.shop, ctx.shop), inArray(orders.orderGid, orderGids.slice(start, start + 500))));
        for (const row of rows) heldOrders.set(row.gid, row.updatedAt);
      }
      const known = new Set(held.keys());
      const asSets =
        input.asSets === false
          ? new Map<SyncRecord, SyncRecordResult>()
          : await applyNewRecordsAsSets({
              ctx,
              tx,
              records: input.records,
              heldCustomerIds: new Map([...held].map(([gid, row]) => [gid, row.id])),
              heldOrderGids: new Set(heldOrders.keys()),
            });
      const results: SyncRecordResult[] = [];
      for (const record of input.records) {
        const gid = record.kind === "customer" ? record.input.snapshot.customerGid : record.facts.orderGid;
        const set = asSets.get(record);
        try {
          if (set) {
            results.push(set);
          } else if (alreadyApplied(record, held, heldOrders)) {
            results.push({ line: record.line, kind: record.kind, gid, outcome: "unchanged" });
          } else if (record.kind === "customer") {
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
    }),
  );
}
