import { describe, expect, it } from "vitest";
import {
  customerQueryFromParams,
  customerQueryParamsSchema,
  noCustomersFoundHint,
  noSelectionWords,
  selectionReachWords,
} from "~/domain/customers";

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

describe("what the directory suggests when no customer is found", () => {
  it("says only what applies: a search typed, filters chosen, or both", () => {
    expect(noCustomersFoundHint(queryOf("q=ada"))).toBe("Try another name, email or phone.");
    // Home's "enough for a reward and idle for 30 days" link: filters and no search.
    expect(noCustomersFoundHint(queryOf("points_min=500&idle_days=30"))).toBe("Clear the filters.");
    expect(noCustomersFoundHint(queryOf("q=ada&tag=vip"))).toBe(
      "Try another name, email or phone, or clear the filters.",
    );
  });

  it("offers another tab when a tab narrows the list, since clearing the filters keeps it", () => {
    expect(noCustomersFoundHint(queryOf("tab=blocked"))).toBe("Choose another tab.");
    expect(noCustomersFoundHint(queryOf("tab=guests&q=ada&status=member"))).toBe(
      "Try another name, email or phone, clear the filters, or choose another tab.",
    );
  });
});

describe("what the directory says for a search of punctuation alone", () => {
  it("says the search has no letters or digits, whatever else narrows the list, and a bulk action that it reaches no one", () => {
    for (const typed of ["'", "-", '"', "'  .", "@", "\u2019"]) {
      const query = queryOf(`q=${encodeURIComponent(typed)}&tab=guests&tag=vip`);
      expect(noCustomersFoundHint(query), typed).toBe(
        `Search for a name, email or phone: “${typed.trim()}” has no letters or digits.`,
      );
    }
    expect(noSelectionWords(queryOf("q=%27"), "All")).toBe(
      "No customer matches the search: there is nothing to do. Search for a name, email or phone: “'” has no letters or digits.",
    );
    // A letter or digit beside the punctuation makes it a search like any other.
    expect(noCustomersFoundHint(queryOf("q=o%27"))).toBe("Try another name, email or phone.");
  });
});

describe("what a bulk action's form says when the whole list it reaches is empty", () => {
  it("names only what selects the list, never a search nobody typed nor filters nobody set", () => {
    expect(noSelectionWords(queryOf("tab=guests"), "Guests")).toBe(
      "No customer is in the Guests tab: there is nothing to do. Choose another tab.",
    );
    expect(noSelectionWords(queryOf("q=nobody"), "All")).toBe(
      "No customer matches the search: there is nothing to do. Try another name, email or phone.",
    );
    expect(noSelectionWords(queryOf("points_min=500&idle_days=30"), "All")).toBe(
      "No customer matches the filters: there is nothing to do. Clear the filters.",
    );
    expect(noSelectionWords(queryOf("tab=members&q=ada&tag=vip"), "Members")).toBe(
      "No customer in the Members tab matches the search and filters: there is nothing to do. Try another name, email or phone, clear the filters, or choose another tab.",
    );
    expect(noSelectionWords(queryOf(""), "All")).toBe("There are no customers yet: there is nothing to do.");
  });
});
