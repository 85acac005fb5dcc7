import { describe, expect, it } from "vitest";
import { directoryParamProblem, leftOutParamWords } from "~/domain/customers";

describe("a value typed into a directory filter", () => {
  it("is refused on its field in words when the directory cannot use it, and passes when it can", () => {
    expect(directoryParamProblem("points_max", "99999999999999999999")).toBe(
      // A true minus sign, as the list writes "−332" (it read "-2,000,000,000" beside it).
      "Enter a whole number from \u22122,000,000,000 to 2,000,000,000",
    );
    expect(directoryParamProblem("points_min", "-5")).toBeNull();
    expect(directoryParamProblem("points_min", "12.5")).toBe("Enter a whole number, like 50");
    expect(directoryParamProblem("orders_min", "-1")).toBe("Enter a whole number from 0 to 1,000,000,000");
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
