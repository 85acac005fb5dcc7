import { describe, expect, it } from "vitest";
import { automaticJoinedAt, automaticJoiningSince, isAutomaticJoiner, type JoiningVersion } from "~/domain/referrals";

const version = (createdAt: string, enabled: boolean, joining: JoiningVersion["joining"]): JoiningVersion => ({
  createdAt,
  enabled,
  joining,
});

describe("automaticJoiningSince", () => {
  it("is the oldest of the newest unbroken run of versions joining automatically", () => {
    const versions = [
      version("2026-10-01T00:00:00.000Z", true, "automatic"),
      version("2026-09-01T00:00:00.000Z", true, "automatic"),
      version("2026-08-01T00:00:00.000Z", false, "automatic"),
      version("2026-03-01T00:00:00.000Z", true, "automatic"),
    ];
    expect(automaticJoiningSince(versions)).toBe("2026-09-01T00:00:00.000Z");
  });

  it("is null when the newest version asks Members to request it, or the program is off", () => {
    expect(automaticJoiningSince([version("2026-10-01T00:00:00.000Z", true, "on_request")])).toBeNull();
    expect(automaticJoiningSince([version("2026-10-01T00:00:00.000Z", false, "automatic")])).toBeNull();
    expect(automaticJoiningSince([])).toBeNull();
  });
});

describe("automaticJoinedAt", () => {
  const now = new Date("2026-11-30T10:00:00.000Z");
  it("is the later of becoming a Member and the program joining automatically", () => {
    const since = "2026-03-01T09:00:00.000Z";
    expect(automaticJoinedAt({ memberSince: "2026-05-10T14:30:00Z", automaticSince: since, now })).toBe(
      "2026-05-10T14:30:00.000Z",
    );
    expect(automaticJoinedAt({ memberSince: "2025-01-01T00:00:00.000Z", automaticSince: since, now })).toBe(since);
  });

  it("is now when either is unknown, or both lie ahead of the clock", () => {
    expect(automaticJoinedAt({ memberSince: null, automaticSince: "2026-03-01T09:00:00.000Z", now })).toBe(
      now.toISOString(),
    );
    expect(automaticJoinedAt({ memberSince: "2026-05-10T14:30:00.000Z", automaticSince: null, now })).toBe(
      now.toISOString(),
    );
    expect(
      automaticJoinedAt({ memberSince: "2027-01-01T00:00:00.000Z", automaticSince: "2026-03-01T09:00:00.000Z", now }),
    ).toBe(now.toISOString());
  });
});

describe("isAutomaticJoiner", () => {
  const member = { status: "member" as const, blocked: false, mergedIntoId: null, deletedAt: null };
  it("is a Member staff have not blocked, not merged into another, not deleted; never a Guest", () => {
    expect(isAutomaticJoiner(member)).toBe(true);
    expect(isAutomaticJoiner({ ...member, status: "guest" })).toBe(false);
    expect(isAutomaticJoiner({ ...member, blocked: true })).toBe(false);
    expect(isAutomaticJoiner({ ...member, mergedIntoId: 7 })).toBe(false);
    expect(isAutomaticJoiner({ ...member, deletedAt: "2026-10-01T00:00:00.000Z" })).toBe(false);
  });
});
