import { describe, expect, it } from "vitest";
import { customerQueryFromParams, customerQueryParamsSchema, selectionReachWords } from "~/domain/customers";

/** The query of a directory link ("?tab=guests&points_min=500"), as the directory reads it. */
const queryOf = (link: string) =>
  customerQueryFromParams(customerQueryParamsSchema.parse(Object.fromEntries(new URLSearchParams(link))), (amount) =>
    Math.round(Number(amount) * 100),
  );

describe("whom a bulk action over the whole list reaches", () => {
  it("names the tab alone when only a tab is chosen, with no search nobody typed", () => {
    expect(selectionReachWords(queryOf("tab=guests"), "Guests")).toBe("every customer in the Guests tab");
  });

  it("names the search and the filters only when each narrows the list", () => {
    expect(selectionReachWords(queryOf(""), "All")).toBe("every customer");
    expect(selectionReachWords(queryOf("q=ada"), "All")).toBe("every customer that matches the search");
    expect(selectionReachWords(queryOf("points_min=500&idle_days=30"), "All")).toBe(
      "every customer that matches the filters",
    );
    expect(selectionReachWords(queryOf("q=ada&tag=vip"), "All")).toBe(
      "every customer that matches the search and filters",
    );
    expect(selectionReachWords(queryOf("tab=members&q=ada&tag=vip"), "Members")).toBe(
      "every customer in the Members tab that matches the search and filters",
    );
  });
});
