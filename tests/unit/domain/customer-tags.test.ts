import { describe, expect, it } from "vitest";
import { bulkEditSchema } from "~/domain/background-jobs";
import { customerQueryParamsSchema, splitTags, tagChoices, tagKey, tagProblem } from "~/domain/customers";
import { checkCustomerRow, customerColumns, mapColumns } from "~/domain/imports";

const long = "z".repeat(256);
const sentence = `Tag \u201c${"z".repeat(20)}\u2026\u201d: keep it to 255 characters or fewer (this is 256)`;
const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("a customer tag, wherever staff type one", () => {
  it("fits at 255 characters and is refused at 256 with the same sentence", () => {
    expect(tagProblem("z".repeat(255))).toBeUndefined();
    expect(tagProblem(long)).toBe(sentence);
  });

  it("is checked by bulk Add tags and Remove tags", () => {
    for (const action of ["tags_add", "tags_remove"] as const) {
      expect(bulkEditSchema.safeParse({ action, tags: ["z".repeat(255)] }).success).toBe(true);
      expect(messages(bulkEditSchema.safeParse({ action, tags: ["vip", long] }))).toEqual([sentence]);
    }
  });

  it("is checked by the directory's tag filter, which Save as group turns into a segment", () => {
    expect(messages(customerQueryParamsSchema.safeParse({ tag: long }))).toEqual([sentence]);
    expect(customerQueryParamsSchema.safeParse({ tag: "z".repeat(255) }).success).toBe(true);
  });

  it("is checked on an imported row's Tags column", () => {
    const { columns } = mapColumns(["Email", "Tags"], customerColumns);
    expect(checkCustomerRow(["ada@example.com", `vip, ${long}`], columns, "CA")).toEqual({
      ok: false,
      errors: [sentence],
    });
    expect(checkCustomerRow(["ada@example.com", "z".repeat(255)], columns, "CA")).toMatchObject({ ok: true });
  });
});

describe("a tag whatever its case, as Shopify has it", () => {
  it("is one key for every case of its ASCII letters, as the databases' lower() writes it", () => {
    expect(new Set(["VIP", "vip", "Vip", "vIP"].map(tagKey))).toEqual(new Set(["vip"]));
    expect(tagKey("Black Friday 2026")).toBe("black friday 2026");
    // SQLite's lower() and PostgreSQL's in the "C" collation fold ASCII only: the key must be theirs, letter for letter.
    expect(tagKey("ÉLITE Ünï")).toBe("Élite Ünï");
    expect(tagKey("Élite")).not.toBe(tagKey("elite"));
    // Not a Turkish server's mapping either: "I" is "i".
    expect(tagKey("IŞIK")).toBe("iŞik");
  });

  it("is one filter choice, named as most of its customers spell it and counting them all", () => {
    expect(
      tagChoices([
        { value: "VIP", customers: 1 },
        { value: "Wholesale", customers: 4 },
        { value: "apple", customers: 2 },
        { value: "vip", customers: 190 },
        { value: "Vip", customers: 3 },
      ]),
    ).toEqual([
      { value: "apple", customers: 2 },
      { value: "vip", customers: 194 },
      { value: "Wholesale", customers: 4 },
    ]);
  });

  it("is typed once in a list staff type, as first spelled", () => {
    expect(splitTags("VIP, wholesale, vip ,Wholesale")).toEqual(["VIP", "wholesale"]);
  });
});
