import { describe, expect, it } from "vitest";
import { checkFailedBadge, checkFailedWords } from "~/domain/imports";

// The reasons a check task stops with, as tests/integration/import-check-background.test.ts finds them.
const unclosedQuote =
  'The file stops being a CSV: a quote (") opened by line 3 is never closed, so everything after it reads as one cell: close the quote or remove it, and upload the file again';
const malformed = "The file stops being a CSV: line 7: Invalid Record Length: expect 3, got 4 on line 7";

/** How many times the words tell the merchant to upload the file again. */
const uploads = (words: string) => words.match(/upload (?:the file|it) again/gi)?.length ?? 0;

describe("a file whose check stopped says so once (newcomer round 11, finding 3)", () => {
  it("keeps a reason that already says what to do as one sentence, without saying it twice", () => {
    expect(checkFailedWords("customers", unclosedQuote)).toBe(`${unclosedQuote}.`);
    expect(checkFailedWords("points", `${unclosedQuote}.`)).toBe(`${unclosedQuote}.`);
  });

  it("adds what to do, once, to any other reason, and stands without one", () => {
    expect(checkFailedWords("customers", malformed)).toBe(`${malformed}. Fix the file and upload it again.`);
    expect(checkFailedWords("customers", "stopped after 5 tries without progress")).toBe(
      "Stopped after 5 tries without progress. Fix the file and upload it again.",
    );
    expect(checkFailedWords("customers", "")).toBe(
      "Tally could not check this file. Fix the file and upload it again.",
    );
    for (const reason of [unclosedQuote, malformed, "", "Upload it again."])
      expect(uploads(checkFailedWords("customers", reason)), reason).toBe(1);
  });

  it("a backfill of past orders has no file: its words send the merchant back to the Import page", () => {
    expect(checkFailedWords("orders", "Shopify did not answer")).toBe(
      "Shopify did not answer. Start \u201cPoints for past orders\u201d again from the Import page.",
    );
    expect(checkFailedWords("orders", "")).toMatch(/^Tally could not count these orders\. /);
  });

  it("the badge says the check failed, not that it is still checking", () => {
    expect(checkFailedBadge("customers")).toBe("Check failed");
    expect(checkFailedBadge("points")).toBe("Check failed");
    expect(checkFailedBadge("orders")).toBe("Count failed");
  });
});
