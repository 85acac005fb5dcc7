import { describe, expect, it } from "vitest";
import { auditActionLabel, auditActionSchema } from "~/domain/audit";
import {
  bulkEditCustomersKind,
  elapsedMs,
  estimateRemainingMs,
  isFinished,
  resumesAt,
  resumingText,
  taskRetryDelayMs,
  waitingText,
} from "~/domain/background-jobs";
import { describeDrift } from "~/domain/ledger/drift";

const totals = { balance: 120, pending: 0, lifetimeEarned: 200, lifetimeRedeemed: 80 };

describe("a task's time left", () => {
  it("is the remaining count at the pace between the start and the last committed chunk", () => {
    // 1,000 of 4,000 in 10 s: 3,000 more take 30 s, whatever the clock reads now.
    expect(
      estimateRemainingMs({
        done: 1000,
        total: 4000,
        startedAt: "2026-11-30T10:00:00.000Z",
        progressAt: "2026-11-30T10:00:10.000Z",
      }),
    ).toBe(30_000);
  });

  it("is unknown without a total or before anything is done, and nothing once all is done", () => {
    const base = { startedAt: "2026-11-30T10:00:00.000Z", progressAt: "2026-11-30T10:00:05.000Z" };
    expect(estimateRemainingMs({ ...base, done: 10, total: null })).toBeNull();
    expect(estimateRemainingMs({ ...base, done: 0, total: 100 })).toBeNull();
    expect(estimateRemainingMs({ ...base, done: 120, total: 100 })).toBe(0);
    expect(estimateRemainingMs({ done: 5, total: 100, startedAt: null, progressAt: null })).toBeNull();
  });

  it("counts elapsed time to the end once finished, to now while running", () => {
    const now = new Date("2026-11-30T10:01:00.000Z");
    expect(elapsedMs("2026-11-30T10:00:00.000Z", null, now)).toBe(60_000);
    expect(elapsedMs("2026-11-30T10:00:00.000Z", "2026-11-30T10:00:20.000Z", now)).toBe(20_000);
    expect(elapsedMs(null, null, now)).toBeNull();
  });
});

describe("task life", () => {
  it("finishes as succeeded, failed or cancelled, and backs off 30 s, 2 min, 8 min, up to an hour", () => {
    expect(["queued", "running"].map((s) => isFinished(s as "queued"))).toEqual([false, false]);
    expect(["succeeded", "failed", "cancelled"].map((s) => isFinished(s as "failed"))).toEqual([true, true, true]);
    expect([1, 2, 3, 4, 5, 6].map(taskRetryDelayMs)).toEqual([
      30_000, 120_000, 480_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });
});

describe("a running task Tally's restart left without a runner", () => {
  const LEASE = 30_000;
  const claimed = new Date("2026-11-30T10:00:00.000Z");
  const lease = { status: "running" as const, lockedUntil: "2026-11-30T10:00:30.000Z", retryAt: null };
  const at = (seconds: number) => new Date(claimed.getTime() + seconds * 1000);

  it("is held while its runner renews the lease (every third of it), and orphaned once a renewal is missed", () => {
    // Renewed at 0 s: a live runner renews again at 10 s, so up to then (and a grace) the lease is its runner's.
    expect(resumesAt(lease, at(0), LEASE)).toBeNull();
    expect(resumesAt(lease, at(14), LEASE)).toBeNull();
    // Not renewed for more than half its length: its runner is gone; the lease stands until 30 s, when a runner claims.
    expect(resumesAt(lease, at(16), LEASE)).toEqual(at(30));
    expect(resumesAt(lease, at(29), LEASE)).toEqual(at(30));
    // Run out: taken up at the next claim.
    expect(resumesAt(lease, at(31), LEASE)).toEqual(at(31));
  });

  it("is taken up at once when a deploy handed it back; a queued task, a finished one and a retry's wait are not", () => {
    expect(resumesAt({ ...lease, lockedUntil: null }, at(3), LEASE)).toEqual(at(3));
    expect(resumesAt({ ...lease, status: "queued", lockedUntil: null }, at(60), LEASE)).toBeNull();
    expect(resumesAt({ ...lease, status: "succeeded", lockedUntil: null }, at(60), LEASE)).toBeNull();
    expect(resumesAt({ ...lease, lockedUntil: null, retryAt: at(90).toISOString() }, at(60), LEASE)).toBeNull();
  });

  it("says so in one sentence on every page that follows it, with the seconds left rounded up, then 'in a moment'", () => {
    const resuming = { status: "running" as const, resumesAt: at(30).toISOString() };
    expect(resumingText(resuming, at(6))).toBe(
      "Tally restarted: this job picks up where it left off within about 24 seconds.",
    );
    expect(resumingText(resuming, at(27.5))).toBe(
      "Tally restarted: this job picks up where it left off within about 3 seconds.",
    );
    // A second or less to go, due, or overdue (the next claim takes it): no countdown to one or to zero.
    for (const seconds of [29, 29.5, 30, 31])
      expect(resumingText(resuming, at(seconds))).toBe(
        "Tally restarted: this job picks up where it left off in a moment.",
      );
  });

  it("says nothing of a job a runner holds, nor of one that is not running: the page shows its progress as usual", () => {
    expect(resumingText({ status: "running" }, at(6))).toBeUndefined();
    for (const status of ["queued", "succeeded", "failed", "cancelled"] as const)
      expect(resumingText({ status, resumesAt: at(30).toISOString() }, at(6))).toBeUndefined();
  });
});

describe("a queued task behind another of its lane", () => {
  it("says which one it waits for, in the one sentence every page that follows it uses", () => {
    expect(waitingText({ status: "queued", waitsFor: "Sync customers" })).toBe("Waits for Sync customers to finish");
  });

  it("words it after a colon for Home's banner, the job's title as it is", () => {
    expect(waitingText({ status: "queued", waitsFor: "Sync customers" }, { midSentence: true })).toBe(
      "waits for Sync customers to finish",
    );
    expect(waitingText({ status: "running", waitsFor: "Sync customers" }, { midSentence: true })).toBeUndefined();
  });

  it("says nothing once it runs or finishes, nor while it waits for no job (an import's check gives null)", () => {
    for (const status of ["running", "succeeded", "failed", "cancelled"] as const)
      expect(waitingText({ status, waitsFor: "Sync customers" })).toBeUndefined();
    expect(waitingText({ status: "queued" })).toBeUndefined();
    expect(waitingText({ status: "queued", waitsFor: null })).toBeUndefined();
  });
});

describe("describeDrift", () => {
  it("names only the figures that differ, stored first, with the minus sign the admin uses", () => {
    expect(describeDrift({ ...totals, balance: 140 }, totals)).toBe("Balance 140 → 120 points");
    expect(describeDrift({ ...totals, balance: -5, pending: 10 }, { ...totals, balance: 15 })).toBe(
      "Balance −5 → 15 points; Pending 10 → 0 points",
    );
    expect(describeDrift(totals, totals)).toBe("");
  });
});

describe("audit actions", () => {
  it("are dotted names with words for the page; an unknown one reads as its name", () => {
    expect(auditActionSchema.parse("points.adjust")).toBe("points.adjust");
    expect(auditActionSchema.safeParse("points.delete").success).toBe(false);
    expect(auditActionLabel("task.cancel")).toBe("Cancelled a job");
    expect(auditActionLabel("referral.approve")).toBe("Approved a referral");
    expect(auditActionLabel("points.delete")).toBe("points.delete");
  });
});

describe("a bulk points adjustment's title", () => {
  const title = (points: number) =>
    bulkEditCustomersKind.title({
      edit: { action: "points_adjust", points, reason: "" },
      selection: { kind: "ids", ids: [1] },
    } as Parameters<typeof bulkEditCustomersKind.title>[0]);

  it("says one point in the singular and groups thousands, as the Jobs list and Home read it", () => {
    expect(title(1)).toBe("Add 1 point");
    expect(title(-1)).toBe("Remove 1 point");
    expect(title(1500)).toBe("Add 1,500 points");
    expect(title(-250)).toBe("Remove 250 points");
  });
});
