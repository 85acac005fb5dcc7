import { describe, expect, it } from "vitest";
import { deletionNames } from "~/components/customer-bulk-actions";

describe("who a deletion of ticked customers names", () => {
  it("names up to five, joined as a sentence, then counts the others", () => {
    expect(deletionNames(["Ada Lovelace"])).toBe("Ada Lovelace");
    expect(deletionNames(["Ada Lovelace", "Guest (no email)"])).toBe("Ada Lovelace and Guest (no email)");
    const names = ["Ada", "bo@example.com", "Cy", "Di", "Ed"];
    expect(deletionNames(names)).toBe("Ada, bo@example.com, Cy, Di and Ed");
    expect(deletionNames([...names, "Flo"])).toBe("Ada, bo@example.com, Cy, Di, Ed and 1 other");
    const seventeen = Array.from({ length: 17 }, (_, n) => `Customer ${n + 1}`);
    expect(deletionNames(seventeen)).toBe("Customer 1, Customer 2, Customer 3, Customer 4, Customer 5 and 12 others");
  });
});
