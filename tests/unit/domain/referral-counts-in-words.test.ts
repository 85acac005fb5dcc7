import { describe, expect, it } from "vitest";
import { referralCountsInWords, type ReferralStatus } from "~/domain/referrals";

const counts = (some: Partial<Record<ReferralStatus, number>>) => ({
  pending: 0,
  completed: 0,
  blocked: 0,
  cancelled: 0,
  own_link: 0,
  not_new: 0,
  ...some,
});
const number = (n: number) => new Intl.NumberFormat("en-CA").format(n);

describe("the Referrals figure's breakdown", () => {
  it("names the pending referral beside the completed one, so 2 reads as 1 + 1 (a newcomer's P9)", () => {
    expect(referralCountsInWords(counts({ pending: 1, completed: 1, own_link: 1 }), number)).toBe(
      "1 pending, 1 completed; 1 own-link claim refused, not counted",
    );
  });

  it("adds up to the figure for any counts: every status named, own-link claims apart", () => {
    const figures = counts({ pending: 1200, completed: 3, blocked: 2, cancelled: 1, own_link: 4 });
    const words = referralCountsInWords(figures, number);
    expect(words).toBe("1,200 pending, 3 completed, 2 blocked, 1 cancelled; 4 own-link claims refused, not counted");
    const [referrals] = words.split(";");
    const sum = [...referrals!.matchAll(/(\d[\d,]*) [a-z]+/g)].reduce(
      (total, [, n]) => total + Number(n!.replace(/,/g, "")),
      0,
    );
    expect(sum).toBe(1200 + 3 + 2 + 1);
  });

  it("says none yet, or only the refused claims, when there is no referral", () => {
    expect(referralCountsInWords(counts({}), number)).toBe("None yet");
    expect(referralCountsInWords(counts({ own_link: 2 }), number)).toBe("2 own-link claims refused, not counted");
    expect(referralCountsInWords(counts({ not_new: 1 }), number)).toBe(
      "1 existing customer's try refused, not counted",
    );
  });

  it("keeps an existing customer's refused try out of the referrals, beside the real friend's (a tester's P2)", () => {
    expect(referralCountsInWords(counts({ pending: 1, not_new: 1 }), number)).toBe(
      "1 pending; 1 existing customer's try refused, not counted",
    );
    expect(referralCountsInWords(counts({ completed: 2, own_link: 1, not_new: 3 }), number)).toBe(
      "2 completed; 1 own-link claim refused, 3 existing customers' tries refused, not counted",
    );
  });
});
