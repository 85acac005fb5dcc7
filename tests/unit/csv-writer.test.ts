import { describe, expect, it } from "vitest";
import { csvStringifier } from "~/lib/csv.server";

async function written(rows: unknown[][]): Promise<string> {
  const stringifier = csvStringifier({ header: ["Value"] });
  const chunks: string[] = [];
  stringifier.on("data", (chunk: Buffer | string) => chunks.push(chunk.toString()));
  const done = new Promise((resolve, reject) => stringifier.on("end", resolve).on("error", reject));
  for (const row of rows) stringifier.write(row);
  stringifier.end();
  await done;
  return chunks.join("");
}

describe("Tally's CSV writer", () => {
  it("neutralises every cell a spreadsheet would run as a formula, and leaves a negative number readable as one", async () => {
    const file = await written([
      ["-500"],
      [-500],
      ["-12.50"],
      ["-2+3"],
      ["-A1"],
      ["=1+1"],
      ["+16135550123"],
      ["@SUM(A1)"],
    ]);
    expect(file.replace(/^\uFEFF/, "").split("\r\n")).toEqual([
      "Value",
      "-500",
      "-500",
      "-12.50",
      "'-2+3",
      "'-A1",
      "'=1+1",
      "'+16135550123",
      "'@SUM(A1)",
      "",
    ]);
    expect(file.startsWith("\uFEFF")).toBe(true);
  });
});
