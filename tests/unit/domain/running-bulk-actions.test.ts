import { describe, expect, it } from "vitest";
import {
  directoryActionOf,
  runningActionWarning,
  runningOfPanel,
  type RunningBulkAction,
} from "~/domain/background-jobs";
import { emptyCustomerQuery } from "~/domain/customers";

const number = (value: number) => value.toLocaleString("en-US");
const selection = { query: emptyCustomerQuery };
const points = (value: number) => ({
  kind: "customers.bulk-edit",
  input: { selection, edit: { action: "points_adjust", points: value, reason: "welcome" } },
});
const job = (action: RunningBulkAction["action"], done = 250, total: number | null = 1_000): RunningBulkAction => ({
  id: 7,
  action,
  status: "running",
  progress: { done, total },
});

describe("the bulk panel's warning of the same action already running", () => {
  it("tells points added from points removed, and knows every directory action by its job", () => {
    expect(directoryActionOf(points(10))).toBe("points_add");
    expect(directoryActionOf(points(-10))).toBe("points_remove");
    expect(directoryActionOf({ kind: "customers.bulk-edit", input: { selection, edit: { action: "block" } } })).toBe(
      "block",
    );
    expect(directoryActionOf({ kind: "customers.export", input: {} })).toBe("export");
    expect(directoryActionOf({ kind: "customers.sync", input: {} })).toBeUndefined();
    expect(directoryActionOf({ kind: "customers.bulk-edit", input: { edit: "garbled" } })).toBeUndefined();
  });

  it("says how far it is and what starting another does, in the merchant's number format", () => {
    expect(runningActionWarning(job("points_add"), number)).toBe(
      "Adding points to 1,000 customers is still running (250 done). Starting another adds them again.",
    );
    expect(runningActionWarning(job("points_remove", 1, 1), number)).toBe(
      "Removing points from 1 customer is still running (1 done). Starting another removes them again.",
    );
    expect(runningActionWarning({ ...job("export", 0, null), status: "queued" }, number)).toBe(
      "Exporting the selected customers is waiting to start. Starting another makes a second file.",
    );
  });

  it("warns a panel of its own action only, and Adjust points of the direction typed (both before one is)", () => {
    const running = [job("points_add"), job("points_remove"), job("tags_add")];
    const actions = (panel: string, typed?: number) => runningOfPanel(running, panel, typed).map((each) => each.action);
    expect(actions("points_adjust")).toEqual(["points_add", "points_remove"]);
    expect(actions("points_adjust", 5)).toEqual(["points_add"]);
    expect(actions("points_adjust", -5)).toEqual(["points_remove"]);
    expect(actions("tags_add")).toEqual(["tags_add"]);
    expect(actions("tags_remove")).toEqual([]);
  });
});
