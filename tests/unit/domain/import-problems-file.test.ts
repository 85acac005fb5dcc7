import { describe, expect, it } from "vitest";
import { problemRowWidth, problemsFileHeader, problemsFileRow } from "~/domain/imports";

describe("the rows with problems download", () => {
  const headers = ["First Name", "Last Name", "Email", "Tags", "Points"];
  // formulas.csv line 2: an unquoted comma split the first value, so the row has 6 values under 5 columns.
  const wide = [
    '=HYPERLINK("http://evil.example/x"',
    ' "click")',
    "@SUM(1+1)",
    "formula.one@example.com",
    "=cmd",
    "10",
  ];

  it("keeps every value of a row wider than the header, under extra columns before Problems", () => {
    const width = Math.max(headers.length, problemRowWidth(wide));
    expect(problemsFileHeader(headers, width)).toEqual([...headers, "Extra value 1", "Problems"]);
    expect(problemsFileRow(wide, "This row has 6 values", width)).toEqual([...wide, "This row has 6 values"]);
    // A row of the header's width, in the same file, keeps its reason in the Problems column.
    expect(problemsFileRow(["Ann", "Lee", "ann(at)x", "", "5"], "bad email", width)).toEqual([
      "Ann",
      "Lee",
      "ann(at)x",
      "",
      "5",
      "",
      "bad email",
    ]);
  });

  it("pads a short row and makes no extra column for trailing empty values", () => {
    expect(problemRowWidth(["Ann", "Lee", "a@x.com", "", "5", "", " "])).toBe(5);
    expect(problemsFileHeader(headers, 5)).toEqual([...headers, "Problems"]);
    expect(problemsFileRow(["Ann", "Lee", "a@x.com", "", "5", "", " "], "why", 5)).toEqual([
      "Ann",
      "Lee",
      "a@x.com",
      "",
      "5",
      "why",
    ]);
    expect(problemsFileRow(["Ann"], "why", 5)).toEqual(["Ann", "", "", "", "", "why"]);
  });
});
