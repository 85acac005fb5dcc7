import type { z } from "zod";
import type { FinishedLine } from "./finished";
import type { ItemOutcome, TaskLane } from "./progress";

export interface TaskKindDefinition<Input = unknown> {
  /** A dotted name, stored with each task: "points.recalculate", "customers.import". Never renamed once shipped. */
  kind: string;
  /** The title staff see on the Jobs page and the progress card. */
  title: (input: Input) => string;
  /** What the progress counts: { one: "customer", other: "customers" }. */
  unit: { one: string; other: string };
  /** The words for each outcome in the results (tabs and CSV): { done: "Repaired" }. Defaults: Done, Skipped, Failed. */
  outcomes?: Partial<Record<ItemOutcome, string>>;
  /**
   * The line under a finished task's progress bar, when its result lines are not the things the merchant counts (an
   * export lists its one file, a recalculation only the customers it repaired). Default: finishedPerItem, "Finished:
   * 2 of 3 customers changed, 1 not changed".
   */
  finished?: FinishedLine;
  /**
   * One plain sentence under a finished task's line, when what it counted differs from what the merchant compares it
   * with elsewhere (Sync customers reads customers' orders, Home counts every order). Default: none.
   */
  finishedNote?: string;
  /**
   * Where a running task of this kind stands, when its work has steps the bar alone does not tell (a bulk operation
   * Shopify runs before Tally applies its rows): `text` beside the bar, and `counting` false while the bar cannot move
   * (no time left is guessed then). Read from the task's checkpoint and summary. Default: nothing said.
   */
  phase?: (task: PhaseFacts, number: (value: number) => string) => TaskPhase | undefined;
  /**
   * The badge of a task of this kind that a rule refused (TaskView.refused): what did not happen, "Not undone".
   * Default: "Not done". Never "Failed", which says something broke.
   */
  refused?: string;
  /**
   * The badge of a finished task of this kind that did its work for none of its items, all of them skipped ("Nothing
   * changed": -999,999 points to customers who hold fewer): a warning, where a green "Done" told the merchant it
   * worked. Default: none, for kinds whose skips are normal (an import's duplicate rows, a sync's older facts).
   */
  nothingDone?: string;
  /** Validates the input when the task is queued and again each time a runner picks it up. */
  input: z.ZodType<Input>;
  /** A start while a task of this kind is queued or running for the shop answers with that task. */
  oneAtATime?: boolean;
  /**
   * The shop's lane it runs in (decision 017, "Lanes"): "write" (the default) for a kind that writes customers' facts,
   * points, orders, referrals or anything else other work of the shop reads or writes, one at a time per shop; "read"
   * for a kind that only reads them and writes its own rows (its task, its file, its import's check), which runs
   * beside the shop's writer, one reader at a time. A kind is a reader only when it truly writes nothing shared:
   * tests/integration/task-lanes.test.ts runs every reader and compares the shop's shared tables before and after.
   */
  lane?: TaskLane;
}

/** What a kind's `phase` reads of a running task. */
export interface PhaseFacts {
  checkpoint: unknown;
  summary: Record<string, unknown> | null;
  progress: { done: number; total: number | null };
}

/** A running task's step in the merchant's words, and whether its bar moves during it. */
export interface TaskPhase {
  text: string;
  counting: boolean;
  /**
   * When the bar began to move in this phase (ISO 8601), if not at the task's start: the time left is reckoned from the
   * pace since then (a bulk import's Shopify part takes minutes with the bar at 0, and counting them in the pace said
   * "about 4 minutes left" of rows Tally applies in seconds).
   */
  countingSince?: string;
}

/** Names a kind with its input type inferred from its schema. */
export function defineTaskKind<Input>(definition: TaskKindDefinition<Input>): TaskKindDefinition<Input> {
  return definition;
}
