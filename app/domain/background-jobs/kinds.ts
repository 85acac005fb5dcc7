import { z } from "zod";
import {
  bulkEditCustomersKind,
  deleteCustomersKind,
  exportCustomersKind,
  inviteCustomersKind,
  remindPointsKind,
  undoBulkPointsKind,
} from "./customer-bulk";
import { syncCustomersKind } from "./customer-sync";
import { defineTaskKind, type PhaseFacts, type TaskKindDefinition, type TaskPhase } from "./define";
import { countOf, finishedPerItem, restOf, type FinishedFacts, type FinishedWords } from "./finished";
import type { ItemOutcome, TaskStatus } from "./progress";

export { defineTaskKind, type PhaseFacts, type TaskKindDefinition, type TaskPhase };

/*
 * The kinds of background task staff can start (decision 017): what each is called, what its progress counts, the
 * words for its outcomes and the input it takes. Pure, so the Jobs pages and the service that queues a task read the
 * same catalogue as the runner. How a kind runs is its file in app/jobs/tasks/, listed in app/jobs/tasks.server.ts.
 */

/**
 * Recalculate points: recomputes every customer's balance, pending, lifetime earned and lifetime redeemed from their
 * ledger rows and repairs any drift (app/jobs/tasks/recalculate-points.server.ts).
 */
export const recalculatePointsKind = defineTaskKind({
  kind: "points.recalculate",
  title: () => "Recalculate points",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Repaired", skipped: "Not repaired", failed: "Failed" },
  // Its results list only the customers whose figures were off; its progress counts every customer checked.
  finished: ({ items, progress }, words) => {
    const found = [
      ...(items.done > 0 ? [`${words.number(items.done)} repaired`] : []),
      ...(items.skipped > 0 ? [`${words.number(items.skipped)} found off and not repaired`] : []),
      ...(items.failed > 0 ? [`${words.number(items.failed)} failed`] : []),
    ];
    return `Finished: ${countOf(progress.done, progress.unit, words)} checked, ${found.length ? found.join(", ") : "none needed repairing"}`;
  },
  input: z.object({
    /** False reports the drifts without repairing them (outcome "skipped"). */
    repair: z.boolean().default(true),
  }),
  oneAtATime: true,
});

/**
 * Import customers: creates or updates in Shopify the customers of a CSV whose dry run the merchant confirmed, and
 * brings their points in (app/jobs/tasks/import-customers.server.ts, decision 023).
 */
export const importCustomersKind = defineTaskKind({
  kind: "customers.import",
  title: () => "Import customers",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Imported", skipped: "Skipped", failed: "Refused by Shopify" },
  finished: (facts, words) => {
    const { done, skipped, failed } = facts.items;
    if (done + skipped + failed === 0) return undefined;
    // The rows that already matched (the preview's words) apart from those skipped as the merchant chose.
    const counted = Number(facts.summary?.matching ?? 0);
    const matching = Number.isInteger(counted) ? Math.min(Math.max(counted, 0), skipped) : 0;
    const rest = restOf({ done, skipped: skipped - matching, failed }, words, ["skipped", "failed"]);
    return `Finished: ${words.number(done)} of ${countOf(done + skipped + failed, facts.progress.unit, words)} imported${matching ? `, ${words.number(matching)} already matching` : ""}${rest}`;
  },
  phase: importPhase,
  input: z.object({ importId: z.number().int().positive() }),
  oneAtATime: true,
});

/** What the phase line reads of a bulk import's checkpoint (app/jobs/tasks/import-customers-bulk.server.ts). */
const bulkImportCheckpoint = z.object({
  mode: z.literal("bulk"),
  phase: z.enum(["stage", "run", "poll", "results"]),
  step: z.enum(["customerSet", "defaultAddress", "emailConsent", "accountInvite"]).optional(),
  seen: z.number().int().nonnegative().optional(),
  since: z.string().optional(),
});

/**
 * A bulk customer import's steps (decision 033): Shopify saves every customer first, then Tally records each with
 * their points, and only that moves the bar (newcomer round 19: a bar at 5,000 of 5,000 while 750 were applied). The
 * row-by-row path applies each row as Shopify answers it, and says nothing more.
 */
function importPhase({ checkpoint }: PhaseFacts, number: (value: number) => string): TaskPhase | undefined {
  const parsed = bulkImportCheckpoint.safeParse(checkpoint);
  if (!parsed.success) return undefined;
  const { phase, step = "customerSet", seen = 0, since } = parsed.data;
  if (phase === "stage") return { text: "Reading your file and preparing its rows for Shopify", counting: true };
  if (step === "defaultAddress")
    return { text: "Adding the file's addresses to customers Shopify already had", counting: false };
  if (step === "emailConsent") return { text: "Setting email marketing consent in Shopify", counting: false };
  if (step === "accountInvite") return { text: "Asking Shopify to email the account invitations", counting: false };
  if (phase === "results")
    return {
      text: "Shopify saved the customers; Tally is recording each one with their points",
      counting: true,
      ...(since ? { countingSince: since } : {}),
    };
  const saved = phase === "poll" && seen > 0 ? `: ${number(seen)} saved so far` : "";
  return {
    text: `Shopify is saving the customers${saved}. Tally then records each one with their points.`,
    counting: false,
  };
}

/**
 * Move points in: one `import` ledger entry per customer of a loyalty app's points export whose dry run the merchant
 * confirmed (app/jobs/tasks/import-points.server.ts, decision 023).
 */
export const importPointsKind = defineTaskKind({
  kind: "points.import",
  title: () => "Move points in",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Moved", skipped: "Skipped", failed: "Failed" },
  finished: (facts, words) => {
    const { done, skipped, failed } = facts.items;
    if (done + skipped + failed === 0) return undefined;
    return `Finished: points moved in for ${words.number(done)} of ${countOf(done + skipped + failed, facts.progress.unit, words)}${restOf(facts.items, words, ["skipped", "failed"])}`;
  },
  input: z.object({ importId: z.number().int().positive() }),
  oneAtATime: true,
});

/**
 * Points for past orders: orders paid before install, since a date the merchant chose, earn under today's program
 * (app/jobs/tasks/backfill-orders.server.ts, decision 023).
 */
export const backfillOrdersKind = defineTaskKind({
  kind: "orders.backfill",
  title: () => "Points for past orders",
  unit: { one: "order", other: "orders" },
  outcomes: { done: "Points given", skipped: "Skipped", failed: "Failed" },
  // Its results list the orders that earned; the orders that earn nothing are not listed.
  finished: ({ items }, words) =>
    items.done > 0
      ? `Finished: ${countOf(items.done, { one: "order", other: "orders" }, words)} earned points${restOf(items, words, ["failed"])}`
      : `Finished: no order earned points${restOf(items, words, ["failed"])}`,
  input: z.object({ importId: z.number().int().positive() }),
  oneAtATime: true,
});

/**
 * The preview of points for past orders: counts what each order since the date would earn, reading from Shopify the
 * refunds of orders refunded before install (app/jobs/tasks/preview-backfill.server.ts, decision 033).
 */
export const previewBackfillKind = defineTaskKind({
  kind: "orders.backfill.preview",
  title: () => "Count points for past orders",
  unit: { one: "order", other: "orders" },
  outcomes: { done: "Would earn", skipped: "Earns nothing", failed: "Failed" },
  // Its results list the orders that would earn; its progress counts every order read.
  finished: ({ items, progress }, words) =>
    `Finished: ${words.number(items.done)} of ${countOf(progress.done, progress.unit, words)} would earn points${restOf(items, words, ["failed"])}`,
  input: z.object({ importId: z.number().int().positive() }),
  oneAtATime: true,
  // A preview, but it records on the orders the refunds Shopify made before install: a writer.
  lane: "write",
});

/**
 * Check a file to import: the dry run of an uploaded customer CSV or points export, a chunk of rows at a time, before
 * its preview (app/jobs/tasks/check-import.server.ts, decision 048).
 */
export const checkImportKind = defineTaskKind({
  kind: "imports.check",
  title: () => "Check a file to import",
  unit: { one: "row", other: "rows" },
  // It lists nothing: the import's preview shows what the check found.
  finished: ({ progress }, words) => `Finished: ${countOf(progress.done, progress.unit, words)} checked`,
  input: z.object({ importId: z.number().int().positive() }),
  // It reads customers and writes only its import's check (problems, changes, emails met): it runs beside a sync.
  lane: "read",
});

/** Undo an import's points batch in chunks, once nothing of it is spent (app/jobs/tasks/undo-import.server.ts). */
export const undoImportKind = defineTaskKind({
  kind: "imports.undo",
  title: () => "Undo an import",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Taken back", skipped: "Nothing to take back", failed: "Failed" },
  finished: (facts, words) => {
    const { done, skipped, failed } = facts.items;
    if (done + skipped + failed === 0) return "Finished: no points to take back";
    // Points for past orders count orders: "taken back for 4,572 orders"; a points move, "from 1,621 customers".
    const byOrder = facts.progress.unit.one === "order";
    return `Finished: points taken back ${byOrder ? "for" : "from"} ${countOf(done, facts.progress.unit, words)}${restOf(facts.items, words, ["skipped", "failed"])}`;
  },
  input: z.object({ importId: z.number().int().positive() }),
  oneAtATime: true,
});

/**
 * Referral program: with joining automatic every Member is an advocate (decision 019), so when the program begins
 * joining Members automatically (or a shop that does was never swept) every current Member's "joined the referral
 * program" is stamped, a range of customers per chunk (app/jobs/tasks/join-referral-members.server.ts). `since` is when
 * the program began joining automatically (automaticJoiningSince): the task stops when the settings moved on.
 */
export const joinReferralMembersKind = defineTaskKind({
  kind: "referrals.join-members",
  title: () => "Add Members to the referral program",
  unit: { one: "customer", other: "customers" },
  // It lists no customer: a million Members would be a million result lines saying the same thing.
  finished: ({ progress, summary }, words) => {
    const joined = Number(summary?.joined ?? 0);
    return `Finished: ${countOf(progress.done, progress.unit, words)} checked, ${words.number(Number.isInteger(joined) ? joined : 0)} Members added to the referral program`;
  },
  input: z.object({ since: z.iso.datetime({ offset: true }) }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind keeps its own input type
export type AnyTaskKind = TaskKindDefinition<any>;

/** Every kind staff can start. A new kind: its definition here, its run in app/jobs/tasks/ (docs/ARCHITECTURE.md). */
export const taskKinds: readonly AnyTaskKind[] = [
  recalculatePointsKind,
  importCustomersKind,
  importPointsKind,
  backfillOrdersKind,
  previewBackfillKind,
  checkImportKind,
  undoImportKind,
  bulkEditCustomersKind,
  undoBulkPointsKind,
  inviteCustomersKind,
  remindPointsKind,
  exportCustomersKind,
  deleteCustomersKind,
  syncCustomersKind,
  joinReferralMembersKind,
];

/**
 * The kinds whose result lines are a staff member's action on each customer they list (tags, block, points and their
 * undo, an invitation or a reminder emailed or not, a deletion): a customer's profile shows these lines in its audit
 * trail beside the audit's own. Syncs, recalculations and imports list customers too, but as Tally's upkeep or a
 * file's rows, which the customer's activity and the import's page tell.
 */
export const staffActionOnCustomerKinds: readonly AnyTaskKind[] = [
  bulkEditCustomersKind,
  undoBulkPointsKind,
  inviteCustomersKind,
  remindPointsKind,
  deleteCustomersKind,
];

/** The kind of that name, among `kinds` (tests add their own). */
export function findTaskKind(name: string, kinds: readonly AnyTaskKind[] = taskKinds): AnyTaskKind | undefined {
  return kinds.find((kind) => kind.kind === name);
}

const defaultOutcomes: Record<ItemOutcome, string> = { done: "Done", skipped: "Skipped", failed: "Failed" };

/**
 * The line under a finished task's progress bar, in what the merchant counts: "Finished: 2 of 3 customers changed, 1
 * not changed", "Finished: the CSV file holds 2,004 customers: download it above", "Finished: 2,004 customers checked,
 * none needed repairing". Undefined while it runs, when it stopped (its banner says why) and when there is nothing to
 * say. `number` writes a count in the staff member's locale.
 */
export function describeFinished(
  task: FinishedFacts & { kind: string; status: TaskStatus },
  number: (value: number) => string,
): string | undefined {
  if (task.status !== "succeeded") return undefined;
  const words: FinishedWords = { number, outcomes: outcomeLabelsOf(task.kind) };
  return (findTaskKind(task.kind)?.finished ?? finishedPerItem)(task, words);
}

/**
 * The sentence under a finished task's line, when its kind has one (TaskKindDefinition.finishedNote): what its counts
 * leave out. Undefined whenever describeFinished is.
 */
export function describeFinishedNote(task: { kind: string; status: TaskStatus }): string | undefined {
  if (task.status !== "succeeded") return undefined;
  return findTaskKind(task.kind)?.finishedNote;
}

/**
 * Where a running task stands, when its kind says (TaskKindDefinition.phase): "Shopify is saving the customers: 3,200
 * so far. Tally then records each one with their points." Undefined when it is not running or its kind says nothing.
 */
export function describePhase(
  task: PhaseFacts & { kind: string; status: TaskStatus },
  number: (value: number) => string,
): TaskPhase | undefined {
  if (task.status !== "running") return undefined;
  return findTaskKind(task.kind)?.phase?.(task, number);
}

/** The words a page shows for a task's outcomes (a kind no longer known gets the defaults). */
export function outcomeLabelsOf(name: string): Record<ItemOutcome, string> {
  return { ...defaultOutcomes, ...findTaskKind(name)?.outcomes };
}

/** The badge of a finished task of kind `name` that did nothing, all its items skipped ("Nothing changed"), if any. */
export function nothingDoneLabelOf(name: string): string | undefined {
  return findTaskKind(name)?.nothingDone;
}

/** The badge of a refused task of kind `name`: the kind's own words ("Not undone"), else "Not done". */
export function refusedLabelOf(name: string): string {
  return findTaskKind(name)?.refused ?? "Not done";
}
