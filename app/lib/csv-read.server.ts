import { isUtf8 } from "node:buffer";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";

/*
 * Reading an uploaded CSV from disk as a stream (csv-parse): memory holds one record at a time, never the file, so a
 * 100,000-row import costs what a 10-row one does. Merchants' files come from Excel, Numbers, Google Sheets and other
 * apps: comma or semicolon (Excel in much of Europe) or tab separated, quoted cells with line breaks, UTF-8 with or
 * without a byte order mark, UTF-16 ("Unicode text"), or Windows-1252 from older Excel, even mixed line by line in one
 * file. `toUtf8` makes it UTF-8; `readCsv` then reads records from any byte offset, so a task resumes where it stopped.
 */

export interface CsvShape {
  delimiter: "," | ";" | "\t";
  /** UTF-16 by its byte order mark; any other file is "utf8" here, its lines read one by one by `toUtf8`. */
  encoding: "utf8" | "utf16le";
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
 * The delimiter (from the header, ASCII in every encoding read here), encoding and byte order mark of a CSV file: a
 * byte order mark says UTF-8 or UTF-16; without one, `toUtf8` tells UTF-8 from Windows-1252 line by line.
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
    }
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
 * Whether a cell read by `toUtf8` holds U+FFFD, the replacement character: letters lost before the file reached
 * Tally (a sheet once opened in the wrong encoding and saved; `toUtf8` itself never writes one). The import check
 * refuses such a row rather than write "Zo� Fran�ois" into Shopify.
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
 * Rewrites an upload as UTF-8 without a byte order mark, streaming, so every later read counts bytes one way and can
 * resume at any record's `endByte`. Answers the shape of the file now on disk. UTF-16 is decoded whole. Any other file
 * is read line by line: a line whose bytes are UTF-8 as UTF-8, any other as Windows-1252 (`utf8Lines`), so a file
 * pasted together from a UTF-8 sheet and an old-Excel one keeps "Zoé" and "Émile" alike, in either order; a file that
 * is UTF-8 throughout is left as it is.
 */
export async function toUtf8(path: string): Promise<CsvShape> {
  const shape = await sniffCsv(path);
  if (shape.encoding !== "utf16le" && (await isUtf8Throughout(path, shape.bomBytes))) {
    return shape;
  }
  const temporary = `${path}.utf8`;
  await pipeline(
    createReadStream(path, { start: shape.bomBytes }),
    shape.encoding === "utf16le" ? decodeAll(new TextDecoder("utf-16le")) : utf8Lines,
    createWriteStream(temporary),
  );
  await rename(temporary, path);
  return { delimiter: shape.delimiter, encoding: "utf8", bomBytes: 0 };
}

function decodeAll(decoder: TextDecoder) {
  return async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) yield Buffer.from(decoder.decode(chunk, { stream: true }), "utf8");
    yield Buffer.from(decoder.decode(), "utf8");
  };
}

/** `chunks` cut after their last "\n": blocks of whole lines (the file's last line may have none), however read. */
async function* wholeLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const end = chunk.lastIndexOf(0x0a);
    if (end === -1) {
      rest = Buffer.concat([rest, chunk]);
      continue;
    }
    yield Buffer.concat([rest, chunk.subarray(0, end + 1)]);
    rest = Buffer.from(chunk.subarray(end + 1));
  }
  if (rest.length > 0) yield rest;
}

/**
 * Each line as UTF-8 where its bytes are (`isUtf8`), else decoded as Windows-1252, which reads every byte (WHATWG's
 * decoder maps its five unassigned bytes to control characters, never to U+FFFD). "\n" is one byte in both and never
 * inside a UTF-8 character, so a line's encoding is its own. A block that is UTF-8 throughout passes whole.
 */
async function* utf8Lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const windows1252 = new TextDecoder("windows-1252");
  for await (const block of wholeLines(chunks)) {
    if (isUtf8(block)) {
      yield block;
      continue;
    }
    for (let rest = block; rest.length > 0;) {
      const end = rest.indexOf(0x0a);
      const line = end === -1 ? rest : rest.subarray(0, end + 1);
      yield isUtf8(line) ? line : Buffer.from(windows1252.decode(line), "utf8");
      rest = rest.subarray(line.length);
    }
  }
}

/** Whether every line of the file after its byte order mark is UTF-8 (ASCII is). */
async function isUtf8Throughout(path: string, bomBytes: number): Promise<boolean> {
  for await (const block of wholeLines(createReadStream(path, { start: bomBytes }))) if (!isUtf8(block)) return false;
  return true;
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
