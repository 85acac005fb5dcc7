import type { ItemOutcome } from "./progress";

/** What a finished task's line reads from: its result counts, what its progress counted, its summary and input. */
export interface FinishedFacts {
  items: Record<ItemOutcome, number>;
  progress: { done: number; total: number | null; unit: { one: string; other: string } };
  summary: Record<string, unknown> | null;
  input: unknown;
}

/** The words a finished line is written with: the staff member's number format and the kind's outcome words. */
export interface FinishedWords {
  number: (value: number) => string;
  outcomes: Record<ItemOutcome, string>;
}

/** A kind's own finished line, when its result lines are not what the merchant counts (an export's one file). */
export type FinishedLine = (facts: FinishedFacts, words: FinishedWords) => string | undefined;

/** "1 customer", "2,004 customers": a count with its noun in the form that goes with it. */
export function countOf(value: number, noun: { one: string; other: string }, words: Pick<FinishedWords, "number">) {
  return `${words.number(value)} ${value === 1 ? noun.one : noun.other}`;
}

/**
 * ", 1 not changed, 2 refused by Shopify": the skipped and failed results, in the kind's words (their first letter
 * lowered, a name in them kept), when there are any.
 */
export function restOf(items: Record<ItemOutcome, number>, words: FinishedWords, outcomes: ItemOutcome[]) {
  const lowered = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
  return outcomes
    .filter((outcome) => items[outcome] > 0)
    .map((outcome) => `, ${words.number(items[outcome])} ${lowered(words.outcomes[outcome])}`)
    .join("");
}

/**
 * The line of a kind whose result lines are the things its progress counts (a customer each): "Finished: 2 of 3
 * customers changed, 1 not changed". Undefined when it listed nothing.
 */
export const finishedPerItem: FinishedLine = (facts, words) => {
  const { done, skipped, failed } = facts.items;
  const total = done + skipped + failed;
  if (total === 0) return undefined;
  return `Finished: ${words.number(done)} of ${countOf(total, facts.progress.unit, words)} ${words.outcomes.done.toLowerCase()}${restOf(facts.items, words, ["skipped", "failed"])}`;
};
