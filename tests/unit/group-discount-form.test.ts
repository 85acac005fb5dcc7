import { describe, expect, it } from "vitest";
import { groupDiscountEndRefusal, groupDiscountFormSchema } from "~/domain/groups";

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

describe("a group discount's end date", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  it("must be after today", () => {
    expect(groupDiscountEndRefusal("2026-11-29", now)).toBe("The end date must be after today");
    expect(groupDiscountEndRefusal("2026-11-30", now)).toBe("The end date must be after today");
    expect(groupDiscountEndRefusal("2026-12-01", now)).toBeNull();
    expect(groupDiscountEndRefusal(null, now)).toBeNull();
  });
});
