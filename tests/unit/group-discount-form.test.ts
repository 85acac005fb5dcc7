import { describe, expect, it } from "vitest";
import {
  discountCodeHint,
  groupDiscountEndRefusal,
  groupDiscountEndsAt,
  groupDiscountFormSchema,
  parseGroupDiscountForm,
} from "~/domain/groups";

const valueError = (form: Record<string, string>) => {
  const parsed = groupDiscountFormSchema.safeParse({ method: "code", code: "VIP", currency: "CAD", ...form });
  return parsed.success ? null : parsed.error.issues.find((issue) => issue.path[0] === "value")?.message;
};

describe("a group discount's value", () => {
  it("asks for a number only when it is not one", () => {
    expect(valueError({ kind: "amount", value: "ten" })).toBe("Enter a number, like 10 or 5.00");
    expect(valueError({ kind: "percentage", value: "1,5" })).toBe("Enter a number, like 10 or 5.00");
  });

  it("says an amount must be more than 0 when it is a number at or below zero", () => {
    expect(valueError({ kind: "amount", value: "-5" })).toBe("Enter an amount more than 0");
    // The true minus (how Tally writes a negative, a Mac's Option-hyphen) and a fullwidth one read as "-".
    expect(valueError({ kind: "amount", value: "\u22125" })).toBe("Enter an amount more than 0");
    expect(valueError({ kind: "percentage", value: "\uFF0D10" })).toBe("Enter a whole percentage from 1 to 100");
    expect(valueError({ kind: "amount", value: "0.00" })).toBe("Enter an amount more than 0");
    expect(valueError({ kind: "amount", value: "5.00" })).toBeNull();
  });

  it("gives the percentage range for a negative or zero percentage", () => {
    expect(valueError({ kind: "percentage", value: "-10" })).toBe("Enter a whole percentage from 1 to 100");
    expect(valueError({ kind: "percentage", value: "0" })).toBe("Enter a whole percentage from 1 to 100");
  });

  it("names the largest amount instead of failing on one with twenty digits", () => {
    expect(valueError({ kind: "amount", value: "99999999999999999999" })).toBe(
      "Enter an amount of at most 100,000,000",
    );
    expect(valueError({ kind: "amount", value: "100000000.01" })).toBe("Enter an amount of at most 100,000,000");
  });
});

describe("a group discount's end date, a day of the shop's time zone", () => {
  const refused = "The end date must be today or later";
  it("takes the shop's today and refuses the day before", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    expect(groupDiscountEndRefusal("2026-11-29", now, "America/Toronto")).toBe(refused);
    expect(groupDiscountEndRefusal("2026-11-30", now, "America/Toronto")).toBeNull();
    expect(groupDiscountEndRefusal("2026-12-01", now, "America/Toronto")).toBeNull();
    expect(groupDiscountEndRefusal(null, now, "America/Toronto")).toBeNull();
  });

  it("reads today in the shop's zone, not UTC's, on either side of UTC midnight", () => {
    // 02:00 UTC on Dec 1 is still Nov 30 in Toronto: Nov 30 is today there, yesterday in UTC.
    const lateInToronto = new Date("2026-12-01T02:00:00Z");
    expect(groupDiscountEndRefusal("2026-11-30", lateInToronto, "America/Toronto")).toBeNull();
    expect(groupDiscountEndRefusal("2026-11-30", lateInToronto, null)).toBe(refused);
    // 20:00 UTC on Nov 30 is already Dec 1 in Kolkata and Auckland: Nov 30 has ended there.
    const earlyInTheEast = new Date("2026-11-30T20:00:00Z");
    expect(groupDiscountEndRefusal("2026-11-30", earlyInTheEast, "Asia/Kolkata")).toBe(refused);
    expect(groupDiscountEndRefusal("2026-11-30", earlyInTheEast, "Pacific/Auckland")).toBe(refused);
    expect(groupDiscountEndRefusal("2026-12-01", earlyInTheEast, "Pacific/Auckland")).toBeNull();
  });

  it("ends at the last second of that day in the shop's zone, as Shopify keeps a DateTime", () => {
    expect(groupDiscountEndsAt("2026-12-17", "America/Toronto")).toBe("2026-12-18T04:59:59Z");
    expect(groupDiscountEndsAt("2026-07-15", "America/Toronto")).toBe("2026-07-16T03:59:59Z");
    expect(groupDiscountEndsAt("2026-12-17", "Asia/Kolkata")).toBe("2026-12-17T18:29:59Z");
    expect(groupDiscountEndsAt("2026-12-17", "Pacific/Auckland")).toBe("2026-12-17T10:59:59Z");
    // The day the clocks go back in Toronto is 25 hours long; it still ends at its own midnight.
    expect(groupDiscountEndsAt("2026-11-01", "America/Toronto")).toBe("2026-11-02T04:59:59Z");
    expect(groupDiscountEndsAt("2026-12-17", null)).toBe("2026-12-17T23:59:59Z");
    expect(groupDiscountEndsAt(null, "America/Toronto")).toBeNull();
  });
});

describe("a group discount's code, by Shopify's rules", () => {
  const codeError = (code: string) => {
    const parsed = groupDiscountFormSchema.safeParse({
      method: "code",
      code,
      currency: "CAD",
      kind: "percentage",
      value: "10",
    });
    return parsed.success ? null : parsed.error.issues.find((issue) => issue.path[0] === "code")?.message;
  };

  it("takes any one-line code of up to 255 characters, as Shopify does", () => {
    expect(codeError("VIP 10 %")).toBeNull();
    expect(codeError("x".repeat(255))).toBeNull();
    expect(codeError("x".repeat(256))).toBe("Keep it to 255 characters or fewer (this is 256)");
    expect(codeError("VIP\n10")).toBe("A code is one line: take out the line break");
  });

  it("hints at a simpler code when it has spaces or characters a link escapes, and not otherwise", () => {
    expect(discountCodeHint("VIP 10 %")).toBe(
      'Shopify accepts spaces and "%" in a code, but shoppers type codes by hand and a shared discount link has to escape them: VIP10 is easier to get right.',
    );
    expect(discountCodeHint("summer#1&2")).toMatch(/^Shopify accepts "#" "&" in a code.*SUMMER12 is easier/);
    for (const plain of ["VIP10", "summer-sale_2026", "ÉTÉ2026", ""])
      expect(discountCodeHint(plain), plain).toBeUndefined();
  });
});

describe("a group discount form with several mistakes", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const errors = (form: Record<string, string>) => {
    const parsed = parseGroupDiscountForm({ currency: "CAD", ...form }, now, "America/Toronto");
    return parsed.ok ? {} : parsed.fieldErrors;
  };

  it("refuses each on its own field at once: percent 0, no code, a past end date", () => {
    expect(errors({ method: "code", kind: "percentage", value: "0", code: "", endsOn: "2020-01-01" })).toEqual({
      value: ["Enter a whole percentage from 1 to 100"],
      code: ["Enter the code members type at checkout"],
      endsOn: ["The end date must be today or later"],
    });
    expect(errors({ method: "code", kind: "amount", value: "ten", code: "A\nB", endsOn: "31/12/2026" })).toEqual({
      value: ["Enter a number, like 10 or 5.00"],
      code: ["A code is one line: take out the line break"],
      endsOn: ["Enter a date like 2026-12-31"],
    });
    expect(errors({ method: "automatic", kind: "amount", value: "5.005", endsOn: "2026-11-29" })).toEqual({
      value: ["CAD has 2 decimal places"],
      endsOn: ["The end date must be today or later"],
    });
  });

  it("takes a good form, today included, and needs no code for an automatic discount", () => {
    expect(errors({ method: "automatic", kind: "percentage", value: "15", endsOn: "2026-11-30" })).toEqual({});
    const parsed = parseGroupDiscountForm(
      { method: "code", kind: "amount", value: "5.50", code: "VIP", currency: "CAD", endsOn: "" },
      now,
      "America/Toronto",
    );
    expect(parsed).toEqual({
      ok: true,
      form: {
        method: "code",
        kind: "amount",
        value: 550,
        currency: "CAD",
        code: "VIP",
        endsOn: null,
        confirmed: false,
      },
    });
  });
});
