import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultProgram,
  describeProgramChanges,
  diffProgramSettings,
  programSettingsSchema,
  type ProgramSettings,
  type RedeemOption,
} from "~/domain/program";
import { createFormatter } from "~/lib/format";

// The program's currency is the store's: its amounts are written without their code, as the admin shows them.
const wordingIn = (storeCurrency: string) =>
  createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" }, storeCurrency });
const defaults = defaultProgram("USD").settings;
const revised = (patch: Partial<ProgramSettings>): ProgramSettings =>
  programSettingsSchema.parse({ ...defaults, ...patch });
const describe_ = (before: ProgramSettings, after: ProgramSettings, currency = "USD", wording = wordingIn(currency)) =>
  describeProgramChanges(diffProgramSettings(before, after), currency, wording);

describe("what changed between two program versions", () => {
  it("says nothing changed for the same settings", () => {
    expect(diffProgramSettings(defaults, revised({}))).toEqual([]);
  });

  it("words the issue's example: a bonus change and an added excluded tag", () => {
    expect(describe_(defaults, revised({ signupBonus: 150, excludedTags: ["wholesale"] }))).toBe(
      "Sign-up bonus 100 → 150 points; excluded tags added: wholesale",
    );
  });

  it("words every kind of setting, amounts in the shop's currency and points with plural rules", () => {
    const before = revised({ excludedTags: ["VIP", "staff"] });
    const after = revised({
      enabled: false,
      pointsName: "stars",
      pointName: "star",
      signupBonus: 1,
      pointsPerUnit: 2,
      unitMinor: 250,
      pendingDays: 1,
      guestsEarn: false,
      guestsRedeem: true,
      returnRedeemedPoints: false,
      excludedTags: ["vip", "wholesale"],
    });
    expect(diffProgramSettings(before, after).map((change) => change.kind)).toEqual([
      "enabled",
      "name",
      "name",
      "signupBonus",
      "earningRate",
      "pendingDays",
      "toggle",
      "toggle",
      "toggle",
      "excludedTags",
    ]);
    expect(describe_(before, after).split("; ")).toEqual([
      "Program turned off",
      "points name points → stars",
      "singular points name point → star",
      "sign-up bonus 100 → 1 point",
      "earning rate 1 point per $1.00 → 2 points per $2.50",
      "pending period 0 days → 1 day",
      "guests no longer earn points",
      "guests can now redeem",
      "redeemed points no longer return on refunds and cancellations",
      // Tags compare as Shopify compares them: "VIP" and "vip" are one tag.
      "excluded tags added: wholesale",
      "excluded tags removed: staff",
    ]);
  });

  it("follows rewards by id: added, removed, edited and reordered", () => {
    const five = defaults.redeemOptions[0] as Extract<RedeemOption, { kind: "fixed_amount_off" }>;
    const before = revised({
      redeemOptions: [
        five,
        { kind: "free_shipping", id: "ship", title: "Free shipping", pointsCost: 300, minimumSubtotalMinor: 0 },
      ],
    });
    const after = revised({
      redeemOptions: [
        { kind: "percent_off", id: "ten", title: "10% off", pointsCost: 900, percent: 10, minimumSubtotalMinor: 2000 },
        { ...five, title: "$7.50 off", amountMinor: 750, pointsCost: 1000, minimumSubtotalMinor: 5000 },
      ],
    });
    expect(describe_(before, after)).toBe(
      "Reward removed: “Free shipping”; " +
        "reward added: “10% off” (10% off for 900 points); " +
        "reward “$5.00 off”: renamed “$7.50 off”, $5.00 off → $7.50 off, cost 500 → 1,000 points, minimum order none → $50.00",
    );
    const swapped = revised({ redeemOptions: [...before.redeemOptions].reverse() });
    expect(describe_(before, swapped)).toBe("Rewards reordered");
  });

  it("writes zero- and three-decimal currencies with their own exponent", () => {
    const jpy = defaultProgram("JPY").settings;
    expect(describe_(jpy, { ...jpy, unitMinor: 100 }, "JPY")).toBe("Earning rate 1 point per ¥1 → 1 point per ¥100");
    const kwd = defaultProgram("KWD").settings;
    expect(describe_(kwd, { ...kwd, unitMinor: 1500 }, "KWD")).toBe(
      "Earning rate 1 point per KWD\u00a01.000 → 1 point per KWD\u00a01.500",
    );
  });

  it("finds a change for any settings that differ, and none for equal ones", () => {
    const arbitrary = fc.record({
      enabled: fc.boolean(),
      signupBonus: fc.nat({ max: 1000 }),
      pointsPerUnit: fc.integer({ min: 1, max: 10 }),
      pendingDays: fc.nat({ max: 365 }),
      guestsEarn: fc.boolean(),
      excludedTags: fc.uniqueArray(fc.constantFrom("vip", "staff", "wholesale"), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(arbitrary, arbitrary, (a, b) => {
        const before = revised(a);
        const after = revised(b);
        const same = JSON.stringify(before) === JSON.stringify(after);
        const changes = diffProgramSettings(before, after);
        expect(changes.length === 0).toBe(same);
        if (!same) expect(describe_(before, after).length).toBeGreaterThan(0);
      }),
    );
  });
});
