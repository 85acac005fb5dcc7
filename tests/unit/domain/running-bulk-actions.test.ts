import { describe, expect, it } from "vitest";
import {
  directoryActionOf,
  runningActionWarning,
  runningOfPanel,
  sameWorkKeyOf,
  sameWorkRefusal,
  withPolledProgress,
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

  it("says how far a job is as the banner's last answer does, not as the page loaded, and never goes back", () => {
    const loadedAt = "2026-12-03T10:00:00.000Z";
    const running = [job("points_add", 250), { ...job("tags_add", 0), id: 8, status: "queued" as const }];
    const polled = (now: string) => ({
      now,
      jobs: [
        { id: 7, status: "running" as const, progress: { done: 900, total: 1_000 } },
        { id: 8, status: "running" as const, progress: { done: 40, total: 1_000 } },
      ],
    });
    const warnings = (answer?: ReturnType<typeof polled>) =>
      withPolledProgress(running, loadedAt, answer).map((each) => runningActionWarning(each, number));
    expect(warnings(polled("2026-12-03T10:00:03.000Z"))).toEqual([
      "Adding points to 1,000 customers is still running (900 done). Starting another adds them again.",
      "Adding tags to 1,000 customers is still running (40 done). Starting another runs beside it.",
    ]);
    // An answer from before the page loaded again, or none yet: the page's own figures.
    const asLoaded = [
      "Adding points to 1,000 customers is still running (250 done). Starting another adds them again.",
      "Adding tags to 1,000 customers is waiting to start. Starting another runs beside it.",
    ];
    expect(warnings(polled("2026-12-03T09:59:58.000Z"))).toEqual(asLoaded);
    expect(warnings()).toEqual(asLoaded);
    // A job the answer does not list keeps the page's figure.
    expect(
      withPolledProgress(running, loadedAt, { now: "2026-12-03T10:00:03.000Z", jobs: [] }).map((each) => each.progress),
    ).toEqual([
      { done: 250, total: 1_000 },
      { done: 0, total: 1_000 },
    ]);
  });
});

describe("the same work, refused at submit", () => {
  const adjust = (points: number, reason: string, whom: unknown = selection, allowDebt?: boolean) => ({
    kind: "customers.bulk-edit",
    input: { selection: whom, edit: { action: "points_adjust", points, reason, ...(allowDebt ? { allowDebt } : {}) } },
  });

  it("is the same kind, terms and customers: ids in any order, tags in any case, a query sorted any way", () => {
    expect(sameWorkKeyOf(adjust(2, "twice", { ids: [3, 1, 2] }))).toBe(
      sameWorkKeyOf(adjust(2, "twice", { ids: [1, 2, 3] })),
    );
    expect(sameWorkKeyOf(adjust(-2, "twice", undefined, true))).toBe(sameWorkKeyOf(adjust(-2, "twice")));
    expect(sameWorkKeyOf(adjust(2, "twice", { query: { ...emptyCustomerQuery, sort: "points-asc" } }))).toBe(
      sameWorkKeyOf(adjust(2, "twice")),
    );
    const tags = (list: string[]) => ({
      kind: "customers.bulk-edit",
      input: { selection, edit: { action: "tags_add", tags: list } },
    });
    expect(sameWorkKeyOf(tags(["VIP", "gold"]))).toBe(sameWorkKeyOf(tags(["gold", "vip"])));
    // Other points, reason, direction, customers or tags are other work.
    const keys = [
      adjust(2, "twice"),
      adjust(3, "twice"),
      adjust(2, "again"),
      adjust(-2, "twice"),
      adjust(2, "twice", { ids: [1] }),
      adjust(2, "twice", { query: { ...emptyCustomerQuery, tab: "members" } }),
      tags(["vip"]),
      tags(["gold"]),
    ].map(sameWorkKeyOf);
    expect(new Set(keys).size).toBe(keys.length);
    // No directory bulk action, or an input it cannot read: never refused as a repeat.
    expect(sameWorkKeyOf({ kind: "points.recalculate", input: {} })).toBeUndefined();
    expect(sameWorkKeyOf({ kind: "customers.bulk-edit", input: { edit: "garbled" } })).toBeUndefined();
  });

  it("names the job, its terms, how far it is and how long ago it was started", () => {
    const same = { id: 7, status: "running" as const, total: 1_000, ageSeconds: 12 };
    expect(sameWorkRefusal({ ...same, action: "points_add", terms: { points: 2, reason: "twice" } }, number)).toBe(
      "Add 2 points ('twice') to 1,000 customers is already running (started 12 s ago). Start it again anyway?",
    );
    expect(
      sameWorkRefusal(
        {
          ...same,
          action: "points_remove",
          status: "queued",
          total: null,
          ageSeconds: 200,
          terms: { points: -1, reason: "oops" },
        },
        number,
      ),
    ).toBe(
      "Remove 1 point ('oops') from the selected customers is already waiting to start (started 3 min ago). Start it again anyway?",
    );
    expect(
      sameWorkRefusal(
        { ...same, action: "tags_add", total: 1, ageSeconds: 7_300, terms: { tags: ["vip", "gold"] } },
        number,
      ),
    ).toBe("Add tags vip, gold to 1 customer is already running (started 2 h ago). Start it again anyway?");
    expect(sameWorkRefusal({ ...same, action: "points_reminder", ageSeconds: 90_000, terms: {} }, number)).toBe(
      "Email points reminder to 1,000 customers is already running (started 1 day ago). Start it again anyway?",
    );
  });
});
