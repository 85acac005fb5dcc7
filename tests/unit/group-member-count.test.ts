import { describe, expect, it } from "vitest";
import { groupMemberCountWords } from "~/components/customer-groups";
import { createFormatter } from "~/lib/format";

const pointsNames = { singular: "point", plural: "points" };

describe("a group's size in words", () => {
  it("is written in the admin's number format, with the noun that goes with it", () => {
    const format = createFormatter({ locale: "en-US", pointsNames });
    expect(groupMemberCountWords({ state: "counted", count: 1234 }, format)).toBe("1,234 customers");
    expect(groupMemberCountWords({ state: "counted", count: 1 }, format)).toBe("1 customer");
    expect(groupMemberCountWords({ state: "counted", count: 0 }, format)).toBe("No customers");
    expect(
      groupMemberCountWords({ state: "counted", count: 1234 }, createFormatter({ locale: "fr", pointsNames })),
    ).toBe("1\u202f234 customers");
  });

  it("says why Shopify gave no count, and that it is coming", () => {
    const format = createFormatter({ locale: "en-US", pointsNames });
    expect(groupMemberCountWords({ state: "deleted" }, format)).toBe("Segment deleted in Shopify");
    expect(groupMemberCountWords({ state: "unavailable" }, format)).toBe("Count unavailable");
    expect(groupMemberCountWords(null, format)).toBe("Counting…");
  });
});
