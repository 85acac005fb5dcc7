import { describe, expect, it } from "vitest";
import { createFormatter } from "~/lib/format";
import {
  partsText,
  spentSinceAdjustmentParts,
  spentSinceAdjustmentRefusal,
  undoConfirmation,
  undoStateText,
  whoParts,
  type TaskView,
} from "~/domain/background-jobs";

const maya = { customerId: 11, name: "Maya Chen" };
const ben = { customerId: 12, name: "Ben Ode" };
const cleo = { customerId: 13, name: "Cleo Park" };
const NEXT =
  "Nothing was taken back from anyone; to take points back from the others, adjust them on each customer's profile.";

describe("who spent points of a bulk adjustment, as its undo names them", () => {
  it("names up to three in full, then the first two and how many others, each a customer a page can link", () => {
    expect(partsText(whoParts([maya], 1))).toBe("Maya Chen");
    expect(partsText(whoParts([maya, ben], 2))).toBe("Maya Chen and Ben Ode");
    expect(partsText(whoParts([maya, ben, cleo], 3))).toBe("Maya Chen, Ben Ode and Cleo Park");
    expect(partsText(whoParts([maya, ben, cleo], 4))).toBe("Maya Chen, Ben Ode and 2 others");
    expect(partsText(whoParts([maya, ben, cleo], 1_203))).toBe("Maya Chen, Ben Ode and 1,201 others");
    expect(whoParts([maya, ben], 2)).toEqual([maya, " and ", ben]);
  });

  it("says before Undo is offered that it cannot be done, and what to do instead", () => {
    expect(partsText(spentSinceAdjustmentParts([maya], 1, "before"))).toBe(
      "Maya Chen has spent points since this adjustment, so it cannot be undone as a batch. To take points back from the others, adjust them on each customer's profile.",
    );
    expect(spentSinceAdjustmentParts([maya, ben], 2, "before").slice(0, 3)).toEqual([maya, " and ", ben]);
  });

  it("says, when a run refuses the undo, that nothing was taken back from anyone", () => {
    expect(spentSinceAdjustmentRefusal([maya], 1)).toBe(
      `Maya Chen has spent points since this adjustment, so it cannot be undone as a batch. ${NEXT}`,
    );
    expect(spentSinceAdjustmentRefusal([maya, { customerId: 14, name: "Guest (no email)" }], 2)).toBe(
      `Maya Chen and Guest (no email) have spent points since this adjustment, so it cannot be undone as a batch. ${NEXT}`,
    );
    expect(spentSinceAdjustmentRefusal([maya, ben, cleo], 5)).toBe(
      `Maya Chen, Ben Ode and 3 others have spent points since this adjustment, so it cannot be undone as a batch. ${NEXT}`,
    );
  });
});

describe("what an adjustment's page says of its undo", () => {
  const words = {
    dateTime: (iso: string) => `<${iso}>`,
    number: (value: number) => value.toLocaleString("en-US"),
    count: (value: number, noun: { one: string; other: string }) =>
      `${value.toLocaleString("en-US")} ${value === 1 ? noun.one : noun.other}`,
  };
  const undo = (over: Partial<TaskView>) =>
    ({
      status: "succeeded",
      refused: false,
      actorName: "Ana Ruiz",
      finishedAt: "2026-05-03T12:02:00.000Z",
      items: { done: 2, skipped: 0, failed: 0 },
      progress: { done: 2, total: 2, unit: { one: "customer", other: "customers" } },
      error: null,
      ...over,
    }) as TaskView;

  it("tells each state of the undo in a sentence", () => {
    expect(undoStateText(undo({}), words)).toBe(
      "Undone by Ana Ruiz on <2026-05-03T12:02:00.000Z>: 2 customers reversed.",
    );
    expect(undoStateText(undo({ items: { done: 1, skipped: 1, failed: 0 }, actorName: null }), words)).toBe(
      "Undone on <2026-05-03T12:02:00.000Z>: 1 customer reversed, 1 not reversed.",
    );
    expect(undoStateText(undo({ status: "running" }), words)).toBe(
      "Being undone by Ana Ruiz: the undo job is running.",
    );
    expect(undoStateText(undo({ status: "cancelled" }), words)).toBe(
      "The undo by Ana Ruiz was cancelled before it finished.",
    );
  });

  it("says a refused undo was refused, with its reason once, and an undo that broke that it stopped", () => {
    const reason = spentSinceAdjustmentRefusal([maya], 1);
    expect(undoStateText(undo({ status: "failed", refused: true, error: reason }), words)).toBe(
      `The undo by Ana Ruiz was refused: ${reason}`,
    );
    expect(undoStateText(undo({ status: "failed", error: "Stopped after 5 tries without progress" }), words)).toBe(
      "The undo by Ana Ruiz stopped: Stopped after 5 tries without progress.",
    );
  });
});

describe("the Undo confirmation of a bulk points adjustment", () => {
  const format = createFormatter({ locale: "en-US", pointsNames: { singular: "point", plural: "points" } });

  it("gives back a removal's points without a word about spending, to the 1 customer or each of several", () => {
    // Newcomer round 19: "Each of the 1 customer … if one of them has spent points of it since" on a −200.
    expect(undoConfirmation({ points: -200, reason: "Fraud" }, 1, format)).toEqual({
      title: "Give back 200 points to 1 customer?",
      body: 'The 1 customer this job changed gets the opposite adjustment (+200), recorded as an undo of "Fraud".',
      note: "Undo gives back the 200 points this job removed from the customer it changed.",
    });
    expect(undoConfirmation({ points: -1, reason: "Fraud" }, 3, format)).toEqual({
      title: "Give back 1 point to 3 customers?",
      body: 'Each of the 3 customers this job changed gets the opposite adjustment (+1), recorded as an undo of "Fraud".',
      note: "Undo gives back the 1 point this job removed from each customer it changed.",
    });
  });

  it("takes back a gift only while no one spent it, in the count's own number", () => {
    expect(undoConfirmation({ points: 50, reason: "Gift" }, 1_204, format)).toEqual({
      title: "Take back 50 points from 1,204 customers?",
      body: 'Each of the 1,204 customers this job changed gets the opposite adjustment (\u221250), recorded as an undo of "Gift". Nothing changes for anyone if one of them has spent points of it since (a redemption paid from their own points does not count).',
      note: "Undo gives every customer this job changed the opposite adjustment, as long as none of them has spent points since.",
    });
    expect(undoConfirmation({ points: 50, reason: "Gift" }, 1, format).body).toBe(
      'The 1 customer this job changed gets the opposite adjustment (\u221250), recorded as an undo of "Gift". Nothing changes for anyone if they have spent points of it since (a redemption paid from their own points does not count).',
    );
  });
});
