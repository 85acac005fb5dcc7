import { describe, expect, it } from "vitest";
import { defaultProgram, faceValueIn, pointsForOrder, rebaseProgram, type Program } from "~/domain/program";

const member = { customerTags: [], blocked: false, status: "member" as const };

describe("a program carried over to a new store currency (decision 008)", () => {
  it("keeps every amount at face value between currencies with the same decimals", () => {
    const usd: Program = {
      ...defaultProgram("USD"),
      version: 4,
      settings: {
        ...defaultProgram("USD").settings,
        unitMinor: 250,
        redeemOptions: [
          {
            kind: "fixed_amount_off",
            id: "five-off",
            title: "5.00 off",
            pointsCost: 500,
            amountMinor: 500,
            minimumSubtotalMinor: 2000,
          },
          {
            kind: "percent_off",
            id: "ten",
            title: "Ten percent",
            pointsCost: 900,
            percent: 10,
            minimumSubtotalMinor: 0,
          },
        ],
      },
    };
    const eur = rebaseProgram(usd, "EUR");
    expect(eur).toMatchObject({
      version: 5,
      currency: "EUR",
      settings: { unitMinor: 250, pointsPerUnit: 1, signupBonus: 100 },
    });
    // The title Tally generated ("5.00 off", before decision 052) is generated again, as the admin writes money.
    expect(eur.settings.redeemOptions).toEqual([
      { ...usd.settings.redeemOptions[0], title: "€5.00 off" },
      usd.settings.redeemOptions[1],
    ]);
    expect(pointsForOrder({ program: eur, subtotalMinor: 12000, currency: "EUR", ...member }).points).toBe(48);
  });

  it("follows the new currency's decimals: 1.00 USD is 1 JPY, 5.00 off is 5 off, and back", () => {
    const jpy = rebaseProgram(defaultProgram("USD"), "JPY");
    expect(jpy.settings.unitMinor).toBe(1);
    expect(jpy.settings.redeemOptions[0]).toMatchObject({ title: "¥5 off", amountMinor: 5 });
    expect(pointsForOrder({ program: jpy, subtotalMinor: 1500, currency: "JPY", ...member }).points).toBe(1500);
    expect(rebaseProgram(jpy, "KWD").settings.unitMinor).toBe(1000);
    expect(faceValueIn(1, "USD", "JPY")).toBe(1);
    expect(faceValueIn(149, "USD", "JPY")).toBe(1);
    expect(faceValueIn(150, "USD", "JPY")).toBe(2);
  });

  it("keeps a title the merchant wrote", () => {
    const usd = defaultProgram("USD");
    const custom = {
      ...usd,
      settings: { ...usd.settings, redeemOptions: [{ ...usd.settings.redeemOptions[0]!, title: "Five dollars off" }] },
    } as Program;
    expect(rebaseProgram(custom, "EUR").settings.redeemOptions[0]?.title).toBe("Five dollars off");
  });
});
