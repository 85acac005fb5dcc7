import { describe, expect, it } from "vitest";
import { discountCodeHint, groupDiscountEndRefusal, groupDiscountFormSchema } from "~/domain/groups";

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
    expect(codeError("x".repeat(256))).toBe("Keep the code to 255 characters or fewer");
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
