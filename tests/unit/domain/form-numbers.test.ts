import { describe, expect, it } from "vitest";
import { bulkEditSchema } from "~/domain/background-jobs";
import { defaultSettings, programSettingsSchema } from "~/domain/program";
import { defaultReferralSettings, referralSettingsSchema } from "~/domain/referrals";
import { pointsChangeTextSchema } from "~/domain/shared";
import { storeCreditFormSchema } from "~/domain/store-credit";

const range = "Enter at most 10,000,000 points, or at least -10,000,000";
const messagesOf = (result: {
  success: boolean;
  error?: { issues: Array<{ message: string; path: PropertyKey[] }> };
}) => result.error?.issues.map((issue) => [issue.path.join("."), issue.message]) ?? [];

describe("a points adjustment as staff type it (the profile's and the bulk action's field)", () => {
  it.each([
    ["99999999999999999999", range],
    ["10000001", range],
    ["-10000001", range],
    // A decimal and a word are one mistake, in one sentence (a tester read "Enter whole points" for the first).
    ["12.5", "Enter a whole number of points, like 50 or -20"],
    ["-0,5", "Enter a whole number of points, like 50 or -20"],
    ["1e3", "Enter the points in digits, like 1000"],
    ["fifty", "Enter a whole number of points, like 50 or -20"],
    ["0", "Enter points other than 0"],
    ["", "Enter points, like 50 or -20"],
  ])("refuses %j with one sentence: %s", (text, message) => {
    expect(messagesOf(pointsChangeTextSchema.safeParse(text))).toEqual([["", message]]);
  });

  it("takes whole points within the range either way", () => {
    expect(pointsChangeTextSchema.parse(" +50 ")).toBe(50);
    expect(pointsChangeTextSchema.parse("-10000000")).toBe(-10_000_000);
    // The minus a debt is written with ("−20"), and a dash pasted for it, are the "-" they look like.
    expect(pointsChangeTextSchema.parse("\u221220")).toBe(-20);
    expect(pointsChangeTextSchema.parse(" \u20135 ")).toBe(-5);
    expect(messagesOf(pointsChangeTextSchema.safeParse("\u221212.5"))).toEqual([
      ["", "Enter a whole number of points, like 50 or -20"],
    ]);
  });

  it("bounds the bulk job's input as the profile does, in the same words", () => {
    const edit = (points: number) => bulkEditSchema.safeParse({ action: "points_adjust", points, reason: "r" });
    expect(edit(10_000_000).success).toBe(true);
    expect(messagesOf(edit(1e20))).toEqual([["points", range]]);
    expect(messagesOf(edit(-10_000_001))).toEqual([["points", range]]);
    expect(messagesOf(edit(12.5))).toEqual([["points", "Enter a whole number of points, like 50 or -20"]]);
  });
});

describe("settings numbers", () => {
  const program = defaultSettings("CAD");
  const referral = defaultReferralSettings("CAD");
  // Every number a merchant types in Settings, with what a number too large to be exact must say.
  const programFields = {
    signupBonus: "Sign-up bonus can be at most 10,000,000 points",
    pointsPerUnit: "Points earned can be at most 1,000",
    unitMinor: "Per amount spent can be at most 100,000,000.00 (10,000,000,000 in the currency's smallest unit)",
    pendingDays: "Pending period must be a whole number of days from 0 to 365",
  } as const;

  it.each(Object.entries(programFields))(
    "refuses 99999999999999999999 in %s with exactly one sentence, the range",
    (field, message) => {
      const result = programSettingsSchema.safeParse({ ...program, [field]: Number("99999999999999999999") });
      expect(messagesOf(result)).toEqual([[field, message]]);
    },
  );

  it("refuses a redeem option's cost, value and minimum too large with one sentence each", () => {
    const option = program.redeemOptions[0]!;
    const result = programSettingsSchema.safeParse({
      ...program,
      redeemOptions: [{ ...option, pointsCost: 1e20, minimumSubtotalMinor: 1e20 }],
    });
    expect(messagesOf(result)).toEqual([
      ["redeemOptions.0.pointsCost", "Points cost can be at most 10,000,000 points"],
      [
        "redeemOptions.0.minimumSubtotalMinor",
        "Minimum order can be at most 100,000,000.00 (10,000,000,000 in the currency's smallest unit)",
      ],
    ]);
  });

  it("refuses the referral program's numbers too large with one sentence each", () => {
    expect(messagesOf(referralSettingsSchema.safeParse({ ...referral, pendingDays: 1e20 }))).toEqual([
      ["pendingDays", "Pending period must be a whole number of days from 0 to 365"],
    ]);
    expect(
      messagesOf(referralSettingsSchema.safeParse({ ...referral, advocateReward: { kind: "points", points: 1e20 } })),
    ).toEqual([["advocateReward.points", "Points can be at most 10,000,000"]]);
  });

  it("still says 'positive whole number' for what is not one", () => {
    expect(messagesOf(programSettingsSchema.safeParse({ ...program, pointsPerUnit: 1.5 }))).toEqual([
      ["pointsPerUnit", "Points earned must be a positive whole number"],
    ]);
    expect(messagesOf(programSettingsSchema.safeParse({ ...program, pointsPerUnit: 0 }))).toEqual([
      ["pointsPerUnit", "Points earned must be a positive whole number"],
    ]);
  });
});

describe("Issue store credit's amount", () => {
  const form = (amount: string) => ({
    direction: "issue",
    amount,
    currency: "CAD",
    reason: "Late parcel",
    requestId: "r",
  });
  it.each([
    ["99999999999", "Enter at most 100,000,000.00 CAD"],
    ["100000000.01", "Enter at most 100,000,000.00 CAD"],
    ["99999999999999999999", "Enter at most 100,000,000.00"],
    ["0", "Enter an amount above zero"],
    // A comma, as a decimal comma or a thousands separator, is named, in one sentence.
    ["12,50", "Write the amount with a point for cents and no commas, like 12.50 or 1000.00"],
    ["1,000.00", "Write the amount with a point for cents and no commas, like 12.50 or 1000.00"],
    ["12.5.0", "Enter an amount like 10.00"],
    // Taking credit away is Deduct's: the form names it rather than "like 10.00".
    ["-5", "Enter the amount without a minus sign: Issue store credit adds it, Deduct store credit takes it away"],
    [
      "\u22125.00",
      "Enter the amount without a minus sign: Issue store credit adds it, Deduct store credit takes it away",
    ],
  ])("refuses %s: %s", (amount, message) => {
    expect(messagesOf(storeCreditFormSchema.safeParse(form(amount)))).toEqual([["amount", message]]);
  });

  it("takes the largest amount, once staff tick that they mean it", () => {
    expect(storeCreditFormSchema.parse({ ...form("100000000.00"), confirmLarge: "true" }).amountMinor).toBe(
      10_000_000_000,
    );
  });

  it("asks for a tick above 1,000 of a currency with cents, 100,000 of one without, and never for a deduction", () => {
    const tick = (amount: string, currency: string) => [
      "confirmLarge",
      `Tick this to issue ${amount} ${currency} of store credit, or correct the amount`,
    ];
    expect(messagesOf(storeCreditFormSchema.safeParse(form("99999999")))).toEqual([tick("99,999,999.00", "CAD")]);
    expect(messagesOf(storeCreditFormSchema.safeParse(form("1000.01")))).toEqual([tick("1,000.01", "CAD")]);
    expect(storeCreditFormSchema.parse(form("1000.00")).amountMinor).toBe(100_000);
    expect(storeCreditFormSchema.parse({ ...form("100000"), currency: "JPY" }).amountMinor).toBe(100_000);
    expect(messagesOf(storeCreditFormSchema.safeParse({ ...form("100001"), currency: "JPY" }))).toEqual([
      tick("100,001", "JPY"),
    ]);
    expect(storeCreditFormSchema.parse({ ...form("5000"), direction: "deduct" }).amountMinor).toBe(500_000);
  });
});
