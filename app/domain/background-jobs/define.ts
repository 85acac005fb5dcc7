import type { z } from "zod";
import type { ItemOutcome } from "./progress";

export interface TaskKindDefinition<Input = unknown> {
  /** A dotted name, stored with each task: "points.recalculate", "customers.import". Never renamed once shipped. */
  kind: string;
  /** The title staff see on the Jobs page and the progress card. */
  title: (input: Input) => string;
  /** What the progress counts: { one: "customer", other: "customers" }. */
  unit: { one: string; other: string };
  /** The words for each outcome in the results (tabs and CSV): { done: "Repaired" }. Defaults: Done, Skipped, Failed. */
  outcomes?: Partial<Record<ItemOutcome, string>>;
  /** Validates the input when the task is queued and again each time a runner picks it up. */
  input: z.ZodType<Input>;
  /** A start while a task of this kind is queued or running for the shop answers with that task. */
  oneAtATime?: boolean;
}

/** Names a kind with its input type inferred from its schema. */
export function defineTaskKind<Input>(definition: TaskKindDefinition<Input>): TaskKindDefinition<Input> {
  return definition;
}
