import type { TaskView } from "./views";

/*
 * What a merchant reads about undoing a bulk points adjustment (decision 026): who spent points since it, before Undo
 * is offered and when a run refuses it, and what became of an undo. Sentences come as parts, so that a page can link
 * each customer named to their profile while a job's error and a CSV keep the same words as plain text.
 */

/** A customer a sentence names, as the directory names them (customerDisplayName), with their id for a link. */
export interface NamedCustomer {
  customerId: number;
  name: string;
}

/** A piece of a sentence: words, or a customer named there. */
export type WordsPart = string | NamedCustomer;

/** The parts as plain text: each customer by their name. */
export function partsText(parts: readonly WordsPart[]): string {
  return parts.map((part) => (typeof part === "string" ? part : part.name)).join("");
}

/** Customers named in full, up to this many; past it the first two are named and the rest counted. */
export const NAMED_AT_MOST = 3;

/**
 * "Maya Chen", "Maya Chen and Ben Ode", "Maya Chen, Ben Ode and Cleo Park", "Maya Chen, Ben Ode and 5 others":
 * `named` are the first of them (NAMED_AT_MOST are read), `count` all of them.
 */
export function whoParts(named: readonly NamedCustomer[], count: number): WordsPart[] {
  const shown = count <= NAMED_AT_MOST ? named.slice(0, count) : named.slice(0, 2);
  const rest = count - shown.length;
  const parts: WordsPart[] = [];
  shown.forEach((customer, index) => {
    if (index > 0) parts.push(index === shown.length - 1 && rest === 0 ? " and " : ", ");
    parts.push(customer);
  });
  if (rest > 0)
    parts.push(`${shown.length > 0 ? " and " : ""}${rest.toLocaleString("en-US")} ${rest === 1 ? "other" : "others"}`);
  return parts;
}

/** What staff can do instead: nothing was reversed, so each profile's Adjust points is the way. */
const BY_HAND = "to take points back from the others, adjust them on each customer's profile.";

/**
 * Why a bulk points adjustment cannot be undone as a batch, naming who spent its points (`named`, the first of
 * `count`). `when`: "before" on the adjustment's page, where Undo is not offered; "refused" when an undo's run found it
 * so (someone spent between the page and the run), and says that nothing was taken back.
 */
export function spentSinceAdjustmentParts(
  named: readonly NamedCustomer[],
  count: number,
  when: "before" | "refused",
): WordsPart[] {
  const next =
    when === "refused"
      ? ` Nothing was taken back from anyone; ${BY_HAND}`
      : ` ${BY_HAND.charAt(0).toUpperCase()}${BY_HAND.slice(1)}`;
  return [
    ...whoParts(named, count),
    ` ${count === 1 ? "has" : "have"} spent points since this adjustment, so it cannot be undone as a batch.${next}`,
  ];
}

/** The refusal of an undo's run as plain text (the job's error): spentSinceAdjustmentParts, "refused". */
export function spentSinceAdjustmentRefusal(named: readonly NamedCustomer[], count: number): string {
  return partsText(spentSinceAdjustmentParts(named, count, "refused"));
}

/** The words the adjustment's page writes its undo with: the staff member's date and count formats. */
export interface UndoWords {
  dateTime: (iso: string) => string;
  number: (value: number) => string;
  count: (value: number, noun: { one: string; other: string }) => string;
}

/**
 * What the adjustment's page says of its undo, by the undo job's state: "Undone by Ana Ruiz on 3 May, 14:02: 2
 * customers reversed.", "The undo by Ana Ruiz was refused: Maya Chen has spent points …".
 */
export function undoStateText(
  undo: Pick<TaskView, "status" | "refused" | "actorName" | "finishedAt" | "items" | "progress" | "error">,
  words: UndoWords,
): string {
  const by = undo.actorName ? ` by ${undo.actorName}` : "";
  switch (undo.status) {
    case "succeeded":
      return `Undone${by}${undo.finishedAt ? ` on ${words.dateTime(undo.finishedAt)}` : ""}: ${words.count(undo.items.done, undo.progress.unit)} reversed${undo.items.skipped > 0 ? `, ${words.number(undo.items.skipped)} not reversed` : ""}.`;
    case "queued":
    case "running":
      return `Being undone${by}: the undo job is ${undo.status}.`;
    case "failed":
      // The refusal is sentences already ("… on each customer's profile."): no second full stop.
      return `The undo${by} ${undo.refused ? "was refused" : "stopped"}: ${(undo.error ?? "it failed").replace(/\.$/, "")}.`;
    case "cancelled":
      return `The undo${by} was cancelled before it finished.`;
  }
}

/**
 * What the Undo confirmation of a bulk points adjustment says, from what it did: `points` each customer got (negative
 * for a removal), `changed` customers it changed, `reason` as typed. Undoing a removal gives points back, so it has no
 * "spent since" clause (decision 026: a removal is never spent); one customer is "the 1 customer", more "each of the 3
 * customers" (newcomer round 19 read "Each of the 1 customer" and spending on a removal's undo).
 */
export function undoConfirmation(
  adjustment: { points: number; reason: string },
  changed: number,
  words: UndoWords & { delta: (value: number) => string; points: (value: number) => string },
  unit: { one: string; other: string } = { one: "customer", other: "customers" },
): { title: string; body: string; note: string } {
  const who = words.count(changed, unit);
  const back = words.delta(-adjustment.points);
  const whom = changed === 1 ? `The ${who} this job changed gets` : `Each of the ${who} this job changed gets`;
  const recorded = `${whom} the opposite adjustment (${back}), recorded as an undo of "${adjustment.reason}".`;
  if (adjustment.points < 0)
    return {
      title: `Give back ${words.points(-adjustment.points)} to ${who}?`,
      body: recorded,
      note: `Undo gives back the ${words.points(-adjustment.points)} this job removed from ${changed === 1 ? "the customer" : "each customer"} it changed.`,
    };
  return {
    title: `Take back ${words.points(adjustment.points)} from ${who}?`,
    body: `${recorded} Nothing changes for anyone if ${changed === 1 ? "they have" : "one of them has"} spent points of it since (a redemption paid from their own points does not count).`,
    note: `Undo gives ${changed === 1 ? "the customer" : "every customer"} this job changed the opposite adjustment, as long as ${changed === 1 ? "they have not" : "none of them has"} spent points since.`,
  };
}
