import { describe, expect, it } from "vitest";
import { emailTemplateLimits, emailTemplateSchema } from "~/domain/email";
import { groupFormSchema } from "~/domain/groups";
import { tooLongWords } from "~/domain/shared";
import { storeCreditFormSchema } from "~/domain/store-credit";

/*
 * A text field's limit is taken: its refusal says "N characters or fewer", as the points reason's does, never "under N",
 * which told a merchant at exactly N to cut a character they did not have to.
 */

/** The field's messages for `value`, or [] when the form is taken. */
function refusalsOf(
  schema: { safeParse: (value: unknown) => { error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  form: Record<string, unknown>,
  field: string,
) {
  return (schema.safeParse(form).error?.issues ?? [])
    .filter((issue) => issue.path[0] === field)
    .map((issue) => issue.message);
}

describe("a text field's character limit", () => {
  const storeCredit = { direction: "issue", amount: "10", currency: "CAD", requestId: "r1" };
  it.each([
    [
      "a store credit reason",
      storeCreditFormSchema,
      storeCredit,
      "reason",
      500,
      "Keep it to 500 characters or fewer (this is 501)",
    ],
    [
      "an email's subject",
      emailTemplateSchema,
      { html: "<p>Hi</p>", text: "Hi" },
      "subject",
      emailTemplateLimits.subject,
      "Subject: keep it to 200 characters or fewer (this is 201)",
    ],
    [
      "an email's HTML",
      emailTemplateSchema,
      { subject: "Hi", text: "Hi" },
      "html",
      emailTemplateLimits.html,
      "HTML version: keep it to 100,000 characters or fewer (this is 100,001)",
    ],
    [
      "an email's plain text",
      emailTemplateSchema,
      { subject: "Hi", html: "<p>Hi</p>" },
      "text",
      emailTemplateLimits.text,
      "Plain-text version: keep it to 20,000 characters or fewer (this is 20,001)",
    ],
    [
      "a group's name",
      groupFormSchema,
      { query: "customer_tags CONTAINS 'vip'" },
      "name",
      255,
      "Keep it to 255 characters or fewer (this is 256)",
    ],
    [
      "a group's query",
      groupFormSchema,
      { name: "VIP" },
      "query",
      5000,
      "Keep it to 5,000 characters or fewer (this is 5,001)",
    ],
  ] as const)(
    "takes %s of exactly the limit and refuses one more character in words that allow the limit",
    (_, schema, rest, field, limit, words) => {
      expect(refusalsOf(schema, { ...rest, [field]: "x".repeat(limit) }, field)).toEqual([]);
      expect(refusalsOf(schema, { ...rest, [field]: "x".repeat(limit + 1) }, field)).toEqual([words]);
    },
  );
});

describe("a bounded field's own words, while the merchant types or pastes", () => {
  it("says nothing at the limit and, past it, the limit and how long the text is, so nothing is cut unsaid", () => {
    expect(tooLongWords("x".repeat(255), 255)).toBeUndefined();
    expect(tooLongWords("x".repeat(312), 255)).toBe("Keep it to 255 characters or fewer (this is 312)");
    expect(tooLongWords("x".repeat(20_001), 20_000)).toBe("Keep it to 20,000 characters or fewer (this is 20,001)");
  });

  it("counts the text as the server does, trimmed, so a pasted trailing space is not a fault the save would take", () => {
    expect(tooLongWords(` ${"x".repeat(500)}\n`, 500)).toBeUndefined();
  });
});
