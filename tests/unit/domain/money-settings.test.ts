import { describe, expect, it } from "vitest";
import { defaultProgram, parseProgramSettings } from "~/domain/program";
import { programSettingsFromForm, programSettingsToForm } from "~/domain/program/settings-form";
import {
  defaultReferralSettings,
  parseReferralSettings,
  referralSettingsFromForm,
  referralSettingsToForm,
} from "~/domain/referrals";
import type { CurrencyCode } from "~/domain/shared";

/** The field errors Settings shows for a form typed in `currency`, or {} when it saves. */
function settingsErrors(currency: CurrencyCode, change: (form: ReturnType<typeof programSettingsToForm>) => void) {
  const form = programSettingsToForm(defaultProgram(currency).settings, currency);
  form.redeemOptions.push({
    id: "credit",
    kind: "store_credit",
    title: "Credit",
    pointsCost: "200",
    value: "2.00",
    minimumOrder: "",
  });
  change(form);
  const parsed = parseProgramSettings(programSettingsFromForm(form, currency));
  return parsed.ok ? {} : parsed.fieldErrors;
}

function referralErrors(currency: CurrencyCode, change: Partial<ReturnType<typeof referralSettingsToForm>>) {
  const form = { ...referralSettingsToForm(defaultReferralSettings(currency), currency), ...change };
  const parsed = parseReferralSettings(referralSettingsFromForm(form, currency));
  return parsed.ok ? {} : parsed.fieldErrors;
}

describe("a money setting typed with more decimals than the currency has, or below the least it can be", () => {
  it("says the currency's decimal places, not 'positive', for a positive amount of 0.001", () => {
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "0.001"))).toEqual({
      unitMinor: ["Per amount spent: CAD has 2 decimal places"],
    });
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[1]!.value = "2.005"))).toEqual({
      "redeemOptions.1.amountMinor": ["Value: CAD has 2 decimal places"],
    });
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[0]!.value = "4.999"))).toEqual({
      "redeemOptions.0.amountMinor": ["Value: CAD has 2 decimal places"],
    });
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[0]!.minimumOrder = "20.505"))).toEqual({
      "redeemOptions.0.minimumSubtotalMinor": ["Minimum order: CAD has 2 decimal places"],
    });
  });

  it("names the least amount in the shop's currency: 0.01, 1 yen, 0.001 dinar", () => {
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "0"))).toEqual({
      unitMinor: ["Per amount spent must be at least 0.01"],
    });
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[1]!.value = "-2"))).toEqual({
      "redeemOptions.1.amountMinor": ["Value can't be below 0.01"],
    });
    expect(settingsErrors("JPY", (form) => (form.unitAmount = "0.5"))).toEqual({
      unitMinor: ["Per amount spent: JPY has 0 decimal places"],
    });
    expect(settingsErrors("JPY", (form) => (form.unitAmount = "0"))).toEqual({
      unitMinor: ["Per amount spent must be at least 1"],
    });
    expect(settingsErrors("KWD", (form) => (form.unitAmount = "0.0005"))).toEqual({
      unitMinor: ["Per amount spent: KWD has 3 decimal places"],
    });
    expect(settingsErrors("KWD", (form) => (form.unitAmount = "0.000"))).toEqual({
      unitMinor: ["Per amount spent must be at least 0.001"],
    });
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[0]!.minimumOrder = "-1"))).toEqual({
      "redeemOptions.0.minimumSubtotalMinor": ["Minimum order can't be below 0"],
    });
  });

  it("asks for an amount like 10.00 for text, and gives the range for a huge one", () => {
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "1e3"))).toEqual({
      unitMinor: ["Per amount spent must be an amount like 10.00"],
    });
    expect(settingsErrors("JPY", (form) => (form.redeemOptions[1]!.value = "five"))).toEqual({
      "redeemOptions.1.amountMinor": ["Value must be an amount like 10"],
    });
    const most = "can be at most 100,000,000.00 (10,000,000,000 in the currency's smallest unit)";
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "99999999999999999999"))).toEqual({
      unitMinor: [`Per amount spent ${most}`],
    });
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "100000000.01"))).toEqual({
      unitMinor: [`Per amount spent ${most}`],
    });
  });

  it("takes trailing zeros and whole amounts as the same amount", () => {
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "2.500"))).toEqual({});
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[1]!.value = "2"))).toEqual({});
    expect(settingsErrors("JPY", (form) => (form.unitAmount = "100"))).toEqual({});
  });

  it("says the same on the referral program's amounts and minimums", () => {
    expect(referralErrors("CAD", { friendKind: "fixed_amount_off", friendValue: "2.005" })).toEqual({
      "friendReward.amountMinor": ["Amount off: CAD has 2 decimal places"],
    });
    expect(
      referralErrors("CAD", { advocateKind: "fixed_amount_off", advocateValue: "0", advocateMinimum: "" }),
    ).toEqual({
      "advocateReward.amountMinor": ["Amount off must be at least 0.01"],
    });
    expect(referralErrors("CAD", { friendMinimum: "19.999" })).toEqual({
      "friendReward.minimumSubtotalMinor": ["Minimum order: CAD has 2 decimal places"],
    });
    expect(referralErrors("CAD", { friendKind: "fixed_amount_off", friendValue: "5.00", friendMinimum: "20" })).toEqual(
      {},
    );
  });
});

describe("a minus typed in a money or points setting, as a hyphen or as the true minus a Mac types", () => {
  it("says the field's bound, never that it is not an amount or a number", () => {
    for (const minus of ["-", "\u2212", "\u2013", "\uFF0D"]) {
      expect(
        settingsErrors("CAD", (form) => (form.redeemOptions[0]!.minimumOrder = `${minus}5`)),
        minus,
      ).toEqual({
        "redeemOptions.0.minimumSubtotalMinor": ["Minimum order can't be below 0"],
      });
      expect(
        settingsErrors("CAD", (form) => (form.unitAmount = `${minus}5`)),
        minus,
      ).toEqual({
        unitMinor: ["Per amount spent can't be below 0.01"],
      });
      expect(
        settingsErrors("JPY", (form) => (form.redeemOptions[1]!.value = ` ${minus}500 `)),
        minus,
      ).toEqual({
        "redeemOptions.1.amountMinor": ["Value can't be below 1"],
      });
      expect(
        settingsErrors("CAD", (form) => (form.signupBonus = `${minus}5`)),
        minus,
      ).toEqual({
        signupBonus: ["Sign-up bonus can't be below 0"],
      });
      expect(
        settingsErrors("CAD", (form) => (form.redeemOptions[0]!.pointsCost = `${minus}500`)),
        minus,
      ).toEqual({
        "redeemOptions.0.pointsCost": ["Points cost can't be below 1"],
      });
      expect(
        settingsErrors("CAD", (form) => (form.pendingDays = `${minus}3`)),
        minus,
      ).toEqual({
        pendingDays: ["Pending period can't be below 0 days"],
      });
      expect(referralErrors("CAD", { friendMinimum: `${minus}5` }), minus).toEqual({
        "friendReward.minimumSubtotalMinor": ["Minimum order can't be below 0"],
      });
      expect(referralErrors("CAD", { pendingDays: `${minus}1` }), minus).toEqual({
        pendingDays: ["Pending period can't be below 0 days"],
      });
    }
  });

  it("keeps what it said for 0 where 0 is not taken, and takes 0 where it is", () => {
    expect(settingsErrors("CAD", (form) => (form.unitAmount = "0"))).toEqual({
      unitMinor: ["Per amount spent must be at least 0.01"],
    });
    expect(settingsErrors("CAD", (form) => (form.redeemOptions[0]!.minimumOrder = "\u22120"))).toEqual({});
  });
});
