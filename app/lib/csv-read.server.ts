import { createReadStream, createWriteStream } from "node:fs";
import { open, rename } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";

/*
 * Reading an uploaded CSV from disk as a stream (csv-parse): memory holds one record at a time, never the file, so a
 * 100,000-row import costs what a 10-row one does. Merchants' files come from Excel, Numbers, Google Sheets and other
 * apps: comma or semicolon (Excel in much of Europe) or tab separated, quoted cells with line breaks, UTF-8 with or
 * without a byte order mark, UTF-16 ("Unicode text"), or Windows-1252 from older Excel. `sniffCsv` tells which (its
 * first letter outside ASCII, wherever it is); `readCsv` then reads records from any byte offset, so a task resumes where it stopped.
 */

export interface CsvShape {
  delimiter: "," | ";" | "\t";
  encoding: "utf8" | "utf16le" | "latin1";
  /** Bytes of the byte order mark, skipped before the header. */
  bomBytes: number;
}

export interface CsvRecord {
  record: string[];
  /**
   * The line the record ends on (the header is line 1): its only line, unless a quoted cell holds a line break. A
   * reader resumes on the line after it.
   */
  line: number;
  /** The line the record begins on, for per-row errors a merchant can find: a cell's line breaks come after it. */
  firstLine: number;
  /** Byte offset just past the record: where a reader resumes after it. */
  endByte: number;
}

const SAMPLE = 64 * 1024;

/**
 * The delimiter (from the header), encoding and byte order mark of a CSV file: a byte order mark says UTF-8 or UTF-16;
 * without one, the file's first letter outside ASCII tells UTF-8 from Windows-1252, however far in it is.
 */
export async function sniffCsv(path: string): Promise<CsvShape> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SAMPLE);
    const { bytesRead } = await file.read(buffer, 0, SAMPLE, 0);
    const sample = buffer.subarray(0, bytesRead);
    let encoding: CsvShape["encoding"] = "utf8";
    let bomBytes = 0;
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) bomBytes = 3;
    else if (sample[0] === 0xff && sample[1] === 0xfe) {
      encoding = "utf16le";
      bomBytes = 2;
    } else if (!(await firstLetterIsUtf8(file, sample))) encoding = "latin1";
    const text = sample.subarray(bomBytes).toString(encoding);
    const header = firstLine(text);
    const counts = ([",", ";", "\t"] as const).map((d) => [d, header.split(d).length - 1] as const);
    const [delimiter] = counts.reduce((best, next) => (next[1] > best[1] ? next : best));
    return { delimiter, encoding, bomBytes };
  } finally {
    await file.close();
  }
}

/**
 * Whether a file is not text at all (an image, a PDF, a spreadsheet workbook, random bytes) rather than a CSV, from
 * its first 8 KiB: a NUL byte outside UTF-16, or more than 1% of other control characters (tab, line breaks and form
 * feed aside). Text in any encoding `sniffCsv` reads passes.
 */
export async function isBinaryFile(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(8 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const sample = buffer.subarray(0, bytesRead);
    if (sample[0] === 0xff && sample[1] === 0xfe) return false;
    let controls = 0;
    for (const byte of sample) {
      if (byte === 0) return true;
      if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) controls += 1;
    }
    return controls > sample.length / 100;
  } finally {
    await file.close();
  }
}

/**
 * Whether the file's first byte outside ASCII begins a UTF-8 character, searched through the whole file (the sample
 * first, then on from its end): a file that is ASCII for its first 64 KiB and then has "Zoé" in Windows-1252 is
 * Windows-1252 (a newcomer's old-Excel file read its late accents as U+FFFD). All-ASCII answers true (either reads the
 * same). A UTF-8 file with a stray invalid byte further on stays UTF-8; the check names that row (`hasUnreadableText`).
 */
async function firstLetterIsUtf8(file: Awaited<ReturnType<typeof open>>, sample: Buffer): Promise<boolean> {
  const buffer = Buffer.alloc(SAMPLE);
  let chunk = sample;
  let at = 0;
  for (;;) {
    const index = chunk.findIndex((byte) => byte >= 0x80);
    if (index !== -1) {
      const lead = Buffer.alloc(4);
      const { bytesRead: got } = await file.read(lead, 0, 4, at + index);
      return startsWithUtf8(lead.subarray(0, got));
    }
    if (chunk.length < SAMPLE) return true;
    at += chunk.length;
    const { bytesRead: got } = await file.read(buffer, 0, SAMPLE, at);
    if (got === 0) return true;
    chunk = buffer.subarray(0, got);
  }
}

/** Whether `bytes` (1 to 4, from a byte at or above 0x80) begin with one well-formed UTF-8 character. */
function startsWithUtf8(bytes: Uint8Array): boolean {
  const first = new TextDecoder("utf-8").decode(bytes).codePointAt(0);
  return first !== undefined && first !== 0xfffd;
}

/**
 * Whether a cell read from a UTF-8 file (see `toUtf8`) holds bytes that were not UTF-8 (decoded as U+FFFD, the
 * replacement character): a file that mixes encodings, or a damaged one. The import check refuses such a row rather
 * than write "Zo� Fran�ois" into Shopify.
 */
export function hasUnreadableText(cells: readonly string[]): boolean {
  return cells.some((cell) => cell.includes("\uFFFD"));
}

/** The header line, outside quotes (a quoted header may hold a delimiter or a line break). */
function firstLine(text: string): string {
  let quoted = false;
  let out = "";
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted) out += char;
  }
  return out;
}

/**
 * Rewrites a UTF-16 or Windows-1252 upload as UTF-8 without a byte order mark, streaming, so every later read counts
 * bytes one way and can resume at any record's `endByte`. Answers the shape of the file now on disk.
 */
export async function toUtf8(path: string): Promise<CsvShape> {
  const shape = await sniffCsv(path);
  if (shape.encoding === "utf8") return shape;
  const temporary = `${path}.utf8`;
  const decoder = new TextDecoder(shape.encoding === "utf16le" ? "utf-16le" : "windows-1252");
  await pipeline(
    createReadStream(path, { start: shape.bomBytes }),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) yield Buffer.from(decoder.decode(chunk, { stream: true }), "utf8");
      yield Buffer.from(decoder.decode(), "utf8");
    },
    createWriteStream(temporary),
  );
  await rename(temporary, path);
  return { delimiter: shape.delimiter, encoding: "utf8", bomBytes: 0 };
}

/**
 * The records of a UTF-8 file (see `toUtf8`) from `fromByte` (0: the start, header included; else an `endByte` this
 * reader gave), their line numbers counted from `fromLine` (the line `fromByte` starts). Blank lines, and rows of
 * delimiters only, are skipped; a row with more or fewer cells than the header is given as it is (the caller reports
 * it). Throws an Error in words for a malformed file (an unclosed quote), naming its line (`cause`: csv-parse's error).
 */
export async function* readCsv(
  path: string,
  shape: CsvShape,
  from: { fromByte: number; fromLine: number } = { fromByte: 0, fromLine: 1 },
): AsyncGenerator<CsvRecord> {
  if (shape.encoding !== "utf8") throw new Error("readCsv reads UTF-8: convert the file with toUtf8 first");
  const start = Math.max(from.fromByte, shape.bomBytes);
  const stream = createReadStream(path, { start });
  // Where the last whole record ended (its line, counted from `fromLine`, and the bytes read through its line break):
  // a quote never closed opens the record after it. csv-parse calls on_record as it parses, before a later error.
  let ended = { lines: 0, bytes: 0, emptyLines: 0 };
  const parser = stream.pipe(
    parse({
      delimiter: shape.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      // A record begins on the line after the last one's end and the empty lines skipped since.
      on_record: (record, context) => {
        const firstLine = ended.lines + 1 + (context.empty_lines - ended.emptyLines);
        ended = { lines: context.lines, bytes: context.bytes, emptyLines: context.empty_lines };
        return { ...record, firstLine };
      },
    }),
  );
  try {
    for await (const { record, info, firstLine } of parser as AsyncIterable<{
      record: string[];
      info: { bytes: number; lines: number };
      firstLine: number;
    }>) {
      // A row of delimiters only (",,,,": what a spreadsheet leaves below the data; ";;;;" saved in another
      // separator) holds nothing: not a row, so not a problem ("Email is missing" was listed for each: newcomer round
      // 14). Its lines still count for the next one's.
      if (record.every((cell) => /^[\s,;]*$/.test(cell))) continue;
      yield {
        record,
        line: from.fromLine + info.lines - 1,
        firstLine: from.fromLine + firstLine - 1,
        endByte: start + info.bytes,
      };
    }
  } catch (error) {
    if ((error as { code?: string }).code === "CSV_QUOTE_NOT_CLOSED") {
      const line = from.fromLine + ended.lines + (await blankLinesAt(path, start + ended.bytes));
      throw new Error(unclosedQuoteWords(line), { cause: error });
    }
    throw new Error(csvErrorWords(error, from.fromLine), { cause: error });
  } finally {
    stream.destroy();
  }
}

/**
 * A quote never closed, in a merchant's words, with the line of the record it opens (csv-parse names the line where
 * it gave up looking for the closing quote: the end of the file).
 */
function unclosedQuoteWords(line: number): string {
  return `a quote (") opened by line ${line} is never closed, so everything after it reads as one cell: close the quote or remove it, and upload the file again`;
}

/**
 * csv-parse's error for a malformed file in a merchant's words, with the file's line (its `lines` count from where
 * this read began, `fromLine`): "Line N: " and its message.
 */
function csvErrorWords(error: unknown, fromLine: number): string {
  const { lines, message } = error as { lines?: number; message?: string };
  const line = typeof lines === "number" ? fromLine + lines - 1 : undefined;
  return line !== undefined ? `line ${line}: ${message ?? String(error)}` : (message ?? String(error));
}

/** How many empty lines ("\n", "\r\n" or "\r") a file has from byte `at` on: the ones csv-parse skips. */
async function blankLinesAt(path: string, at: number): Promise<number> {
  let blank = 0;
  let previous = 0;
  for await (const chunk of createReadStream(path, { start: at }) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (byte === 0x0a) {
        if (previous !== 0x0d) blank += 1;
      } else if (byte === 0x0d) blank += 1;
      else return blank;
      previous = byte;
    }
  }
  return blank;
}

/** The lines of a file (line breaks, plus a last line without one), counted by bytes as it streams: no parsing. */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return last === 0x0a ? lines : lines + 1;
}
