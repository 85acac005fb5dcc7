import { describe, expect, it } from "vitest";
import { customerQueryParamsSchema, directoryParamProblem, leftOutParamWords, rangeEnd } from "~/domain/customers";

describe("a value typed into a directory filter", () => {
  it("is refused on its field in words when the directory cannot use it, and passes when it can", () => {
    expect(directoryParamProblem("points_max", "99999999999999999999")).toBe(
      // A true minus sign, as the list writes "−332" (it read "-2,000,000,000" beside it).
      "Enter a whole number from \u22122,000,000,000 to 2,000,000,000",
    );
    expect(directoryParamProblem("points_min", "-5")).toBeNull();
    expect(directoryParamProblem("points_min", "12.5")).toBe("Enter a whole number, like 50");
    expect(directoryParamProblem("orders_min", "-1")).toBe("Can't be below 0");
    expect(directoryParamProblem("spent_min", "99999999999999")).toBe("Enter an amount below 1,000,000,000,000");
    expect(directoryParamProblem("spent_min", "25.50")).toBeNull();
    expect(directoryParamProblem("spent_max", "abc")).toBe("Enter an amount like 25 or 25.50");
    expect(directoryParamProblem("joined_from", "2026-13-45")).toBe("Enter a month from 1 to 12, like 2026-11-28");
    expect(directoryParamProblem("joined_from", "2026-02-30")).toBe("February 2026 has 28 days");
    expect(directoryParamProblem("joined_to", "Nov 28, 2026")).toBeNull();
    expect(directoryParamProblem("joined_to", "0001-01-01")).toBe("Enter a year from 1900 to 9999");
    expect(directoryParamProblem("points_max", "  ")).toBeNull();
  });

  it("a link's left-out value reads in the directory's words, never zod's", () => {
    expect(leftOutParamWords("sort", "Invalid option: expected one of …")).toBe("Sort: not one the directory knows");
    expect(leftOutParamWords("points_max", "Enter a whole number, like 50")).toBe(
      "Points, to: Enter a whole number, like 50",
    );
    expect(leftOutParamWords("before", undefined)).toBe("Page: the link's place in the list is out of date");
  });
});

describe("a minus typed into a directory range, as a hyphen or as the true minus the list writes", () => {
  it("says the field's bound where no negative is taken", () => {
    for (const minus of ["-", "\u2212", "\u2013"]) {
      expect(directoryParamProblem("spent_min", `${minus}5`), minus).toBe("Can't be below 0");
      expect(directoryParamProblem("spent_max", `${minus}25.50`), minus).toBe("Can't be below 0");
      expect(directoryParamProblem("orders_max", `${minus}1`), minus).toBe("Can't be below 0");
      expect(directoryParamProblem("idle_days", `${minus}3`), minus).toBe("Can't be below 1");
    }
  });

  it("takes a points bound typed with the true minus, as the list writes a debt", () => {
    expect(directoryParamProblem("points_min", "\u22125")).toBeNull();
    expect(customerQueryParamsSchema.parse({ points_min: "\u22125" })).toMatchObject({
      points_min: -5,
    });
    expect(directoryParamProblem("points_max", "\u22123000000000")).toBe(
      "Enter a whole number from \u22122,000,000,000 to 2,000,000,000",
    );
    expect(rangeEnd(" \u22125 ", "number")).toBe("-5");
  });
});

describe("a Date joined end typed in numbers with the year last", () => {
  it("is read in the staff member's order, and asked for with the year first when none is known", () => {
    expect(directoryParamProblem("joined_from", "11/28/2026", "month-first")).toBeNull();
    expect(directoryParamProblem("joined_to", "28/11/2026", "day-first")).toBeNull();
    expect(directoryParamProblem("joined_from", "13/28/2026", "month-first")).toBe(
      "Write it as month/day/year, e.g. 11/28/2026",
    );
    expect(directoryParamProblem("joined_from", "11/28/2026")).toBe(
      "Write the year first, like 2026-11-28: day and month come in either order in other countries",
    );
  });
});

describe("a figure typed with its thousands grouped, as the list prints it (newcomer round 21)", () => {
  it("is taken in Total spent, Number of orders and Points, and the link holds it without commas", () => {
    expect(directoryParamProblem("spent_min", "1,000.50")).toBeNull();
    expect(directoryParamProblem("spent_max", "2,295.37")).toBeNull();
    expect(directoryParamProblem("spent_max", "1,234,567")).toBeNull();
    expect(directoryParamProblem("orders_min", "1,000")).toBeNull();
    expect(directoryParamProblem("points_min", "1,000")).toBeNull();
    expect(directoryParamProblem("points_min", "\u22121,000")).toBeNull();
    expect(
      customerQueryParamsSchema.parse({ spent_min: "1,000.50", orders_max: "1,000", points_min: "\u22122,500" }),
    ).toMatchObject({ spent_min: "1000.50", orders_max: 1000, points_min: -2500 });
    expect(rangeEnd("1,000.50", "number")).toBe("1000.50");
    expect(rangeEnd(" \u22121,000 ", "number")).toBe("-1000");
  });

  it("refuses a comma out of place in words, never reading it as a decimal comma", () => {
    for (const typed of ["1,00", "10,00.50", "1,0000", "1,000,", ",500", "1,,000"]) {
      expect(directoryParamProblem("spent_min", typed), typed).toBe("Use commas for thousands only, like 1,000.50");
      expect(directoryParamProblem("points_max", typed.replace(/\.\d+$/, "")), typed).toBe(
        "Use commas for thousands only, like 1,000",
      );
    }
    expect(rangeEnd("1,00", "number")).toBe("1,00");
    expect(directoryParamProblem("orders_min", "a,b")).toBe("Enter a whole number, like 50");
    // Still past the bound once ungrouped.
    expect(directoryParamProblem("spent_min", "1,000,000,000,000")).toBe("Enter an amount below 1,000,000,000,000");
  });

  it("a link holding a comma out of place opens the directory without that value, saying why", async () => {
    const { parseQueryLeavingOut } = await import("~/lib/parse.server");
    const { leftOut, reasons } = parseQueryLeavingOut(customerQueryParamsSchema, { spent_min: "1,00" });
    expect(leftOut).toEqual(["spent_min"]);
    expect(leftOutParamWords("spent_min", reasons.spent_min)).toBe(
      "Total spent, from: Use commas for thousands only, like 1,000.50",
    );
  });
});
