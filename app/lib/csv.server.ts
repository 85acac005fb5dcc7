import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat, truncate } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify, type Stringifier } from "csv-stringify";

/**
 * Tally's CSV writer: csv-stringify (quoting, line breaks inside cells, CRLF records); cells that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe
 * (OWASP's CSV injection advice), and a file starts with a UTF-8 byte order mark so Excel reads accents right. A
 * negative number is left alone, given as a number or as text ("-500", a points cell of an import's problems file):
 * a spreadsheet reads it as the number, and an apostrophe before it made the merchant's corrected row refused
 * (newcomer round 21). `first` false continues a file written in parts: no BOM, no header again.
 */
export function csvStringifier({ header, first = true }: { header: readonly string[]; first?: boolean }): Stringifier {
  return stringify({
    bom: first,
    header: first,
    columns: [...header],
    escape_formulas: true,
    cast: { string: (value) => (NEGATIVE_NUMBER.test(value) ? { value, escape_formulas: false } : value) },
    record_delimiter: "windows",
  });
}

/** Text that is only a negative decimal number ("-500", "-12.50"): no formula can hide in it. */
const NEGATIVE_NUMBER = /^-\d+(?:\.\d+)?$/;

function attachment(filename: string) {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]+/g, "-")}"`,
    "Cache-Control": "no-store",
  };
}

/** A CSV file streamed as its rows are read, for downloads of any size: memory holds a page of rows, never the file. */
export function csvResponse({
  filename,
  header,
  rows,
}: {
  filename: string;
  header: readonly string[];
  rows: AsyncIterable<readonly unknown[]>;
}): Response {
  const csv = Readable.from(rows).pipe(csvStringifier({ header }));
  return new Response(Readable.toWeb(csv) as ReadableStream, { headers: attachment(filename) });
}

/**
 * Appends `rows` to the CSV file at `path`, written in parts by a background task (an export): the file is first cut
 * back to `offset` bytes, where the last committed part ended, so a part a crash left half-written is written once.
 * Offset 0 starts the file with its BOM and header. Streams (memory holds one row at a time). Returns the file's new
 * size in bytes, the next part's offset.
 */
export async function appendCsvPart({
  path,
  offset,
  header,
  rows,
}: {
  path: string;
  offset: number;
  header: readonly string[];
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;
}): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  if (offset === 0) await truncate(path, 0).catch(() => undefined);
  else await truncate(path, offset);
  await pipeline(
    Readable.from(rows),
    csvStringifier({ header, first: offset === 0 }),
    createWriteStream(path, { flags: "a" }),
  );
  return (await stat(path)).size;
}

/** A CSV file already written (an export) as a download, streamed from disk. */
export function csvFileResponse({ path, filename }: { path: string; filename: string }): Response {
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream;
  return new Response(body, { headers: attachment(filename) });
}
