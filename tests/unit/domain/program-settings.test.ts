import { describe, expect, it } from "vitest";
import {
  defaultProgram,
  describeRedeemOption,
  generatedTitleValue,
  parseProgramSettings,
  programSettingsSchema,
  reviseProgram,
  rewardTitleTerms,
  shopperRewardTitle,
  type ProgramSettings,
} from "~/domain/program";
import {
  guestsRedeemHelp,
  programSettingsFromForm,
  programSettingsLengthErrors,
  programSettingsToForm,
  redeemOptionFormChanged,
} from "~/domain/program/settings-form";
import { DomainError, formatShopMoney } from "~/domain/shared";

const settings = (patch: Record<string, unknown>) => ({ ...defaultProgram("USD").settings, ...patch });

function errorsFor(input: unknown): Record<string, string[]> {
  const parsed = parseProgramSettings(input);
  if (parsed.ok) throw new Error("expected the settings to be refused");
  return parsed.fieldErrors;
}

describe("defaultProgram", () => {
  it("starts a shop with the issue's defaults, all of which pass validation", () => {
    const program = defaultProgram("USD");
    expect(program).toEqual({
      version: 1,
      currency: "USD",
      settings: {
        enabled: true,
        pointsName: "points",
        pointName: "point",
        signupBonus: 100,
        pointsPerUnit: 1,
        unitMinor: 100,
        pendingDays: 0,
        guestsEarn: true,
        guestsRedeem: false,
        excludedTags: [],
        returnRedeemedPoints: true,
        redeemOptions: [
          {
            kind: "fixed_amount_off",
            id: "five-off",
            title: "$5.00 off",
            pointsCost: 500,
            amountMinor: 500,
            minimumSubtotalMinor: 0,
          },
        ],
      },
    });
    expect(programSettingsSchema.parse(program.settings)).toEqual(program.settings);
  });

  it("measures the spend unit in the shop's own currency", () => {
    expect(defaultProgram("JPY").settings.unitMinor).toBe(1);
    expect(defaultProgram("JPY").settings.redeemOptions[0]).toMatchObject({ amountMinor: 5, title: "¥5 off" });
    expect(defaultProgram("KWD").settings.unitMinor).toBe(1000);
  });
});

describe("the singular points name", () => {
  it("is derived for versions saved before it existed, so saving them unchanged makes no new version", () => {
    const { pointName: _, ...stored } = defaultProgram("USD").settings;
    expect(programSettingsSchema.parse(stored).pointName).toBe("point");
    expect(programSettingsSchema.parse({ ...stored, pointsName: "stars" }).pointName).toBe("stars");
    const program = { ...defaultProgram("USD"), version: 3, settings: stored as ProgramSettings };
    expect(reviseProgram(program, { ...stored, pointName: "point" }).version).toBe(3);
    expect(reviseProgram(program, { ...stored, pointName: "pt" }).version).toBe(4);
  });

  it("must not be blank", () => {
    expect(errorsFor(settings({ pointName: "  " }))).toEqual({
      pointName: ["Singular: say what one point is called, like point"],
    });
  });
});

describe("programSettingsSchema", () => {
  it("says points per unit must be a positive whole number", () => {
    expect(errorsFor(settings({ pointsPerUnit: 0 }))).toEqual({
      pointsPerUnit: ["Points earned must be a positive whole number"],
    });
    expect(errorsFor(settings({ pointsPerUnit: 1.5 })).pointsPerUnit).toEqual([
      "Points earned must be a positive whole number",
    ]);
    expect(errorsFor(settings({ pointsPerUnit: "2" })).pointsPerUnit).toHaveLength(1);
  });

  it("keeps percent off between 1 and 100", () => {
    const option = { kind: "percent_off", id: "ten", title: "10% off", pointsCost: 800 };
    expect(parseProgramSettings(settings({ redeemOptions: [{ ...option, percent: 10 }] })).ok).toBe(true);
    for (const percent of [0, 101, 12.5]) {
      expect(errorsFor(settings({ redeemOptions: [{ ...option, percent }] }))).toEqual({
        "redeemOptions.0.percent": ["Percent off must be a whole number from 1 to 100"],
      });
    }
  });

  it("refuses two options with the same id, naming the second", () => {
    const option = { kind: "free_shipping", id: "ship", title: "Free shipping", pointsCost: 300 };
    expect(errorsFor(settings({ redeemOptions: [option, { ...option, title: "Again" }] }))).toEqual({
      "redeemOptions.1.id": ['Option id "ship" is used twice; ids must be unique'],
    });
  });

  it("accepts every option kind and defaults the minimum subtotal to zero", () => {
    const parsed = programSettingsSchema.parse(
      settings({
        redeemOptions: [
          { kind: "fixed_amount_off", id: "a", title: "A", pointsCost: 500, amountMinor: 500 },
          { kind: "percent_off", id: "b", title: "B", pointsCost: 900, percent: 15, minimumSubtotalMinor: 5000 },
          { kind: "free_shipping", id: "c", title: "C", pointsCost: 300 },
          { kind: "store_credit", id: "d", title: "D", pointsCost: 1000, amountMinor: 1000 },
        ],
      }),
    );
    expect(parsed.redeemOptions.map((option) => describeRedeemOption(option, "USD"))).toEqual([
      "5.00 off",
      "15% off",
      "free shipping",
      "10.00 store credit",
    ]);
    expect(parsed.redeemOptions.map((option) => option.minimumSubtotalMinor)).toEqual([0, 5000, 0, 0]);
  });

  it("refuses unknown option kinds, blank names and a pending period past a year", () => {
    const errors = errorsFor(
      settings({
        pointsName: "  ",
        pendingDays: 400,
        redeemOptions: [{ kind: "gift", id: "g", title: "G", pointsCost: 1 }],
      }),
    );
    expect(errors).toEqual({
      pointsName: ["Points name is required"],
      pendingDays: ["Pending period must be a whole number of days from 0 to 365"],
      "redeemOptions.0.kind": ["Option kind must be fixed_amount_off, percent_off, free_shipping or store_credit"],
    });
  });

  it("treats excluded tags case-insensitively, keeping each as first typed", () => {
    expect(programSettingsSchema.parse(settings({ excludedTags: [" VIP ", "vip", "staff"] })).excludedTags).toEqual([
      "VIP",
      "staff",
    ]);
    expect(
      programSettingsSchema.parse(
        settings({ excludedTags: ["wholesale", "WHOLESALE", "staff🚫", "Staff🚫", "Wholesale"] }),
      ).excludedTags,
    ).toEqual(["wholesale", "staff🚫"]);
  });
});

describe("reviseProgram", () => {
  it("makes a new version for a change and keeps it for an identical save", () => {
    const program = defaultProgram("USD");
    const changed: ProgramSettings = { ...program.settings, pointsPerUnit: 2 };
    const revised = reviseProgram(program, changed);
    expect(revised.version).toBe(2);
    expect(revised.settings.pointsPerUnit).toBe(2);
    expect(reviseProgram(revised, changed)).toBe(revised);
  });

  it("throws invalid_input with field errors for a bad form", () => {
    const program = defaultProgram("USD");
    const attempt = () => reviseProgram(program, { ...program.settings, signupBonus: -1 });
    expect(attempt).toThrowError(DomainError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({
        code: "invalid_input",
        details: { fieldErrors: { signupBonus: ["Sign-up bonus can't be below 0"] } },
      });
    }
  });
});

describe("settings errors name each field as its label does", () => {
  // The labels of app/components/program-settings-form.tsx, each with a value that field refuses.
  const option = { kind: "fixed_amount_off", id: "five", title: "$5 off", pointsCost: 500, amountMinor: 500 };
  const cases: Array<[label: string, patch: Record<string, unknown>]> = [
    ["Program on", { enabled: "yes" }],
    ["Points name", { pointsName: " " }],
    ["Singular", { pointName: " " }],
    ["Singular", { pointName: "x".repeat(21) }],
    ["Sign-up bonus", { signupBonus: -1 }],
    ["Points earned", { pointsPerUnit: 0 }],
    ["Per amount spent", { unitMinor: 0 }],
    ["Pending period", { pendingDays: 400 }],
    ["Guests earn points", { guestsEarn: "no" }],
    ["Guests can redeem", { guestsRedeem: "no" }],
    ["Excluded customer tags", { excludedTags: [" "] }],
    ["Title", { redeemOptions: [{ ...option, title: " " }] }],
    ["Points cost", { redeemOptions: [{ ...option, pointsCost: 0 }] }],
    ["Value", { redeemOptions: [{ ...option, amountMinor: 0 }] }],
    ["Value", { redeemOptions: [{ ...option, kind: "store_credit", amountMinor: 0 }] }],
    ["Minimum order", { redeemOptions: [{ ...option, minimumSubtotalMinor: -1 }] }],
  ];
  for (const [label, patch] of cases) {
    it(`${label}: ${JSON.stringify(patch).slice(0, 60)}`, () => {
      const messages = Object.values(errorsFor(settings(patch))).flat();
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message.startsWith(label), message).toBe(true);
    });
  }
});

describe("the default reward's title (decision 052)", () => {
  it("reads as the admin writes money, and is still Tally's own title everywhere it is worded again", () => {
    const [option] = defaultProgram("CAD").settings.redeemOptions;
    expect(option!.title).toBe("$5.00 off");
    const shopMoney = (amountMinor: number) => formatShopMoney(amountMinor, "CAD", "${{amount}} CAD");
    // The storefront writes it in the shop's format and the shopper's language, as it did "5.00 off".
    for (const title of ["$5.00 off", "5.00 off"]) {
      expect(shopperRewardTitle(title, option!, "CAD", shopMoney)).toBe("$5.00 CAD off");
      expect(rewardTitleTerms(title, option!, "CAD")).toMatchObject({ kind: "fixed_amount_off", value: 500 });
    }
    expect(shopperRewardTitle("Five off", option!, "CAD", shopMoney)).toBe("Five off");
    expect(defaultProgram("EUR").settings.redeemOptions[0]!.title).toBe("€5.00 off");
  });
});

describe("a generated reward title follows the reward's value (decision 066)", () => {
  const shopMoney = (amountMinor: number) => formatShopMoney(amountMinor, "CAD", "${{amount}} CAD");
  const cad = defaultProgram("CAD");
  const five = cad.settings.redeemOptions[0]!;
  const saveWith = (patch: Record<string, unknown>) =>
    reviseProgram(cad, { ...cad.settings, redeemOptions: [{ ...five, ...patch }] }).settings.redeemOptions[0]!;

  it("saves the new value's title when the form posts the title generated for the old one, and keeps the merchant's", () => {
    expect(saveWith({ amountMinor: 1000 }).title).toBe("$10.00 off");
    expect(saveWith({ title: "5.00 off", amountMinor: 1250 }).title).toBe("$12.50 off");
    expect(saveWith({ kind: "percent_off", percent: 10, amountMinor: undefined }).title).toBe("10% off");
    expect(saveWith({ kind: "store_credit" }).title).toBe("$5.00 store credit");
    expect(saveWith({ kind: "free_shipping", amountMinor: undefined }).title).toBe("free shipping");
    expect(saveWith({ title: "Ten off", amountMinor: 1000 }).title).toBe("Ten off");
    expect(saveWith({ title: "$5 off", amountMinor: 1000 }).title).toBe("$5 off");
    // The same title and value again make no new version.
    expect(reviseProgram(cad, cad.settings)).toBe(cad);
  });

  it("shows a $10 reward titled as Tally generated it for $5 as $10 off to shoppers, and as the merchant's title otherwise", () => {
    const ten = { kind: "fixed_amount_off" as const, amountMinor: 1000 };
    expect(shopperRewardTitle("$5.00 off", ten, "CAD", shopMoney)).toBe("$10.00 CAD off");
    expect(rewardTitleTerms("$5.00 off", ten, "CAD")).toMatchObject({ value: 1000 });
    expect(shopperRewardTitle("15% off", { kind: "percent_off", percent: 20 }, "CAD", shopMoney)).toBe("20% off");
    // Another kind's wording may be the merchant's choice ("Free shipping" on an amount off): kept.
    expect(shopperRewardTitle("free shipping", ten, "CAD", shopMoney)).toBe("free shipping");
    expect(shopperRewardTitle("$5.00 off today", ten, "CAD", shopMoney)).toBe("$5.00 off today");
    expect(generatedTitleValue("¥1,500 off", "fixed_amount_off", "JPY")).toEqual({
      kind: "fixed_amount_off",
      amountMinor: 1500,
    });
  });

  it("the settings form retitles as the merchant types the value, and keeps a title they wrote", () => {
    const [row] = programSettingsToForm(cad.settings, "CAD").redeemOptions;
    const typed = (values: string[], start = row!) =>
      values.reduce((option, value) => redeemOptionFormChanged(option, { ...option, value }, "CAD"), start);
    expect(typed(["1", "10"]).title).toBe("$10.00 off");
    // An unfinished or cleared value leaves the title until the value is one again.
    expect(typed(["", "7"]).title).toBe("$7.00 off");
    expect(typed(["10"], { ...row!, title: "Ten off" }).title).toBe("Ten off");
    expect(typed(["2.5"], { ...row!, title: "" }).title).toBe("$2.50 off");
    const percent = redeemOptionFormChanged(row!, { ...row!, kind: "percent_off", value: "15" }, "CAD");
    expect(percent.title).toBe("15% off");
    // A saved title generated for another value shows as the value's.
    const stale = { ...cad.settings, redeemOptions: [{ ...five, amountMinor: 1000 }] };
    expect(programSettingsToForm(stale, "CAD").redeemOptions[0]!.title).toBe("$10.00 off");
  });
});

describe("the settings form's texts past their limits, as the merchant types", () => {
  const form = programSettingsToForm(defaultProgram("CAD").settings, "CAD");
  const typed = {
    ...form,
    pointsName: "p".repeat(21),
    pointName: "s".repeat(21),
    excludedTags: `vip, ${"w".repeat(300)}`,
    redeemOptions: [{ ...form.redeemOptions[0]!, title: "t".repeat(75) }],
  };

  it("says each under its field, in the words the server refuses the same text with", () => {
    const tag = `Tag \u201c${"w".repeat(20)}\u2026\u201d: keep it to 255 characters or fewer (this is 300)`;
    expect(programSettingsLengthErrors(typed)).toEqual({
      pointsName: "Points name: keep it to 20 characters or fewer (this is 21)",
      pointName: "Singular: keep it to 20 characters or fewer (this is 21)",
      excludedTags: tag,
      "redeemOptions.0.title": "Title: keep it to 60 characters or fewer (this is 75)",
    });
    const refused = errorsFor(programSettingsFromForm(typed, "CAD"));
    for (const path of ["pointsName", "pointName", "redeemOptions.0.title"])
      expect(refused[path]).toEqual([programSettingsLengthErrors(typed)[path]]);
    expect(refused["excludedTags.1"]).toEqual([tag]);
  });

  it("says nothing while each fits, its limit included, counted once trimmed as the server counts", () => {
    expect(programSettingsLengthErrors(form)).toEqual({});
    expect(
      programSettingsLengthErrors({
        ...typed,
        pointsName: ` ${"p".repeat(20)} `,
        pointName: "s".repeat(20),
        excludedTags: `vip, ${"w".repeat(255)}`,
        redeemOptions: [{ ...form.redeemOptions[0]!, title: "t".repeat(60) }],
      }),
    ).toEqual({});
  });
});

describe("the Guests can redeem checkbox's help text", () => {
  it("says what Guests may do with their points, ticked and unticked, as Guests earn points' does", () => {
    expect(guestsRedeemHelp(true)).toBe(
      "Customers without an account can spend their points on rewards, as Members do.",
    );
    // The storefront's signed-out join box: "Create an account with that email to see and redeem them" (decision 074).
    expect(guestsRedeemHelp(false)).toBe(
      "Customers without an account keep their points but can't spend them: the storefront asks them to create an account to redeem.",
    );
  });
});
