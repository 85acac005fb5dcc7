import { describe, expect, it } from "vitest";
import { imports, tasks } from "~/db/schema";
import { eq } from "drizzle-orm";
import { action as importUpload } from "~/routes/app.import._index";
import { contextFor } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { postAsAdmin } from "../helpers/route-answers";

/*
 * Files that are not a list of customers, uploaded through the Import page as the admin posts them: each refused
 * before any preview or job, in words that say what is wrong with the file, for every kind of import that takes one.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const randomBytes = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256));
/** Rows for lines 1 to 10 of a file (index 0 unused): "c1@example.com,1" on line 1, and so on. */
const tenLines = Array.from({ length: 11 }, (_, line) => `c${line}@example.com,${line}`);

/** The Import page's form for each kind that takes a file. */
const forms = {
  customers: { intent: "customers", existing: "update" },
  points: { intent: "points", source: "generic" },
} as const;

async function upload(
  shop: string,
  kind: keyof typeof forms,
  name: string,
  content: string | Buffer,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [key, value] of Object.entries({ ...forms[kind], ...fields })) form.set(key, value);
  form.set(
    "file",
    new File([typeof content === "string" ? content : new Uint8Array(content)], name, {
      type: name.endsWith(".png") ? "image/png" : "text/csv",
    }),
  );
  return postAsAdmin(importUpload, shop, "/app/import", form);
}

const installedShop = () => installedSandboxShop(sandboxOf());

describe("a file that is not a list of customers", () => {
  it.each(Object.keys(forms) as Array<keyof typeof forms>)(
    "is refused in words for a %s import: empty, an image, random bytes",
    async (kind) => {
      const shop = await installedShop();
      for (const [name, content, words] of [
        ["empty.csv", "", "This file is empty"],
        ["blank.csv", "\n\n", "This file is empty"],
        ["photo.png", PNG, "This is not a CSV file"],
        ["noise.csv", randomBytes, "This is not a CSV file"],
        // The upload reads the header and the first row: a quote opened there (line 3 of 10, after a blank line) is
        // named by line 3, not by the end of the file where csv-parse gave up looking for its closing quote.
        [
          "unclosed.csv",
          `Email,Points\n\n"ben@example.com,5\n${tenLines.slice(4).join("\n")}\n`,
          'The file is not a CSV Tally can read: a quote \\("\\) opened by line 3 is never closed',
        ],
        [
          "unclosed-crlf.csv",
          `Email,Points\r\n"ben@example.com,5\r\n${tenLines.slice(3).join("\r\n")}\r\n`,
          'The file is not a CSV Tally can read: a quote \\("\\) opened by line 2 is never closed',
        ],
      ] as const) {
        const answer = await upload(shop, kind, name, content);
        expect(answer.status, name).toBe(400);
        const body = (await answer.json()) as { fieldErrors: { file: string[] } };
        expect(body.fieldErrors.file[0], name).toMatch(new RegExp(`^${words}`));
      }
      expect(await db.select().from(imports).where(eq(imports.shop, shop))).toEqual([]);
    },
  );

  it.each([
    ["customers", "First name,Last name,Email\n"],
    ["points", "email,points\n"],
  ] as const)("with a header and no rows, a %s import is refused at upload, saying so", async (kind, csv) => {
    const shop = await installedShop();
    for (const content of [csv, `${csv}\n\n`, `\uFEFF${csv.replace("\n", "\r\n")}`]) {
      const answer = await upload(shop, kind, "header-only.csv", content);
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as { fieldErrors: { file: string[] } };
      expect(body.fieldErrors.file[0]).toMatch(/^No customers in this file: it has a header row and nothing under it/);
    }
    expect(await db.select().from(imports).where(eq(imports.shop, shop))).toEqual([]);
    expect(await db.select().from(tasks).where(eq(tasks.shop, shop))).toEqual([]);
  });
});

describe("a file without the columns an import needs", () => {
  it("says which columns it needs, in the chosen app's own words, and which the file has", async () => {
    const shop = await installedShop();
    const wrong = "name,score\nAda,300\n";
    for (const [kind, fields, words] of [
      [
        "points",
        { source: "generic" },
        'The file needs an "Email" column and a "Points" column; its header row has: name, score',
      ],
      [
        "points",
        { source: "loyaltylion" },
        'The file needs an "email" column and an "approved points" column, as LoyaltyLion\'s export names them; its header row has: name, score',
      ],
      [
        "points",
        { source: "smile" },
        'The file needs an "Email" column and a "Points balance" column, as Smile\'s export names them; its header row has: name, score',
      ],
      ["customers", {}, 'The file needs an "Email" column; its header row has: name, score'],
    ] as const) {
      const answer = await upload(shop, kind, "wrong.csv", wrong, fields);
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as { fieldErrors: { file: string[] } };
      expect(body.fieldErrors.file).toEqual([words]);
    }
    // One column found, one missing: only the missing one is asked for.
    const answer = await upload(shop, "points", "half.csv", "Email,Total\na@example.com,3\n", { source: "yotpo" });
    const body = (await answer.json()) as { fieldErrors: { file: string[] } };
    expect(body.fieldErrors.file).toEqual([
      'The file needs a "Points Balance" column, as Yotpo\'s export names it; its header row has: Email, Total',
    ]);
    expect(await db.select().from(imports).where(eq(imports.shop, shop))).toEqual([]);
  });
});
