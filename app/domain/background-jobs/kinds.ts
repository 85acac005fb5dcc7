import { z } from "zod";
import { bulkEditCustomersKind, exportCustomersKind, inviteCustomersKind, undoBulkPointsKind } from "./customer-bulk";
import { defineTaskKind, type TaskKindDefinition } from "./define";
import type { ItemOutcome } from "./progress";

export { defineTaskKind, type TaskKindDefinition };

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
  input: z.object({
    /** False reports the drifts without repairing them (outcome "skipped"). */
    repair: z.boolean().default(true),
  }),
  oneAtATime: true,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind keeps its own input type
export type AnyTaskKind = TaskKindDefinition<any>;

/** Every kind staff can start. A new kind: its definition here, its run in app/jobs/tasks/ (docs/ARCHITECTURE.md). */
export const taskKinds: readonly AnyTaskKind[] = [
  recalculatePointsKind,
  bulkEditCustomersKind,
  undoBulkPointsKind,
  inviteCustomersKind,
  exportCustomersKind,
];

/** The kind of that name, among `kinds` (tests add their own). */
export function findTaskKind(name: string, kinds: readonly AnyTaskKind[] = taskKinds): AnyTaskKind | undefined {
  return kinds.find((kind) => kind.kind === name);
}

const defaultOutcomes: Record<ItemOutcome, string> = { done: "Done", skipped: "Skipped", failed: "Failed" };

/** The words a page shows for a task's outcomes (a kind no longer known gets the defaults). */
export function outcomeLabelsOf(name: string): Record<ItemOutcome, string> {
  return { ...defaultOutcomes, ...findTaskKind(name)?.outcomes };
}
