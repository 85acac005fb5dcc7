import { createReadStream } from "node:fs";
import { appendFile, mkdir, open, rename, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

/*
 * The files of one bulk mutation step on disk, beside the upload they come from: `vars.jsonl` (one line of variables
 * per mutation, what Shopify runs), `rows.jsonl` (what Tally needs to know of each line: the file's row, its email),
 * `rows.idx` (8 bytes per line: where each row sits in rows.jsonl and its length) and `result.jsonl` (Shopify's
 * answer). Shopify answers each line with its `__lineNumber` in no particular order, so a result line finds its row
 * through the index in one read, whatever the file's size, and nothing is held in memory.
 */

/** How far each file of a step had been written when a checkpoint was committed: a resumed task truncates to it. */
export interface StepSizes {
  lines: number;
  varsBytes: number;
  rowsBytes: number;
}

export const emptyStepSizes: StepSizes = { lines: 0, varsBytes: 0, rowsBytes: 0 };

export class BulkStepFiles {
  readonly vars: string;
  readonly rows: string;
  readonly index: string;
  readonly result: string;

  constructor(
    readonly dir: string,
    step: string,
  ) {
    this.vars = join(dir, `${step}.vars.jsonl`);
    this.rows = join(dir, `${step}.rows.jsonl`);
    this.index = join(dir, `${step}.rows.idx`);
    this.result = join(dir, `${step}.result.jsonl`);
  }

  /**
   * Cuts the files back to what a committed checkpoint recorded (a chunk that died after appending and before its
   * commit leaves lines no checkpoint knows), creating them when missing.
   */
  async resumeAt(sizes: StepSizes): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const [file, size] of [
      [this.vars, sizes.varsBytes],
      [this.rows, sizes.rowsBytes],
      [this.index, sizes.lines * 8],
    ] as const) {
      const current = await stat(file).catch(() => null);
      if (!current) await appendFile(file, "");
      else if (current.size !== size) await truncate(file, size);
    }
  }

  /** Appends lines of variables with their rows; answers the sizes to record in the chunk's checkpoint. */
  async append(sizes: StepSizes, lines: readonly { vars: unknown; row: unknown }[]): Promise<StepSizes> {
    if (lines.length === 0) return sizes;
    const vars: string[] = [];
    const rows: string[] = [];
    const index = Buffer.alloc(lines.length * 8);
    let rowsBytes = sizes.rowsBytes;
    let varsBytes = sizes.varsBytes;
    lines.forEach((line, i) => {
      const varsText = `${JSON.stringify(line.vars)}\n`;
      const rowText = `${JSON.stringify(line.row)}\n`;
      index.writeUInt32LE(rowsBytes, i * 8);
      index.writeUInt32LE(Buffer.byteLength(rowText) - 1, i * 8 + 4);
      vars.push(varsText);
      rows.push(rowText);
      varsBytes += Buffer.byteLength(varsText);
      rowsBytes += Buffer.byteLength(rowText);
    });
    await appendFile(this.vars, vars.join(""));
    await appendFile(this.rows, rows.join(""));
    await appendFile(this.index, index);
    return { lines: sizes.lines + lines.length, varsBytes, rowsBytes };
  }

  /** The rows of these line numbers (0-based), read through the index. */
  async rowsOf<Row>(lineNumbers: readonly number[]): Promise<Map<number, Row>> {
    const found = new Map<number, Row>();
    if (lineNumbers.length === 0) return found;
    const index = await open(this.index, "r");
    const rows = await open(this.rows, "r");
    try {
      const entry = Buffer.alloc(8);
      for (const lineNumber of lineNumbers) {
        const { bytesRead } = await index.read(entry, 0, 8, lineNumber * 8);
        if (bytesRead < 8) continue;
        const text = Buffer.alloc(entry.readUInt32LE(4));
        await rows.read(text, 0, text.length, entry.readUInt32LE(0));
        found.set(lineNumber, JSON.parse(text.toString("utf8")) as Row);
      }
    } finally {
      await index.close();
      await rows.close();
    }
    return found;
  }

  /**
   * Rewrites the downloaded result in `__lineNumber` order (the file's row order, as staged), so the results it is read
   * into are listed as the merchant's file runs. Holds 16 bytes per line in memory (where each answer sits), never the
   * answers; a line without a readable `__lineNumber` keeps its place after the numbered ones. Ends with a rename: a run
   * that dies midway leaves Shopify's own order, which reads the same.
   */
  async putResultInLineOrder(): Promise<void> {
    const lines = ((await stat(this.index).catch(() => null))?.size ?? 0) / 8;
    const starts = new Float64Array(lines).fill(-1);
    const lengths = new Float64Array(lines);
    const unnumbered: { start: number; length: number }[] = [];
    const stream = createReadStream(this.result);
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    let at = 0;
    for await (const text of reader) {
      const length = Buffer.byteLength(text);
      const numbered = /"__lineNumber"\s*:\s*(\d+)/.exec(text);
      const lineNumber = numbered ? Number(numbered[1]) : -1;
      if (!text.trim()) {
        // Blank lines carry nothing.
      } else if (lineNumber >= 0 && lineNumber < lines && starts[lineNumber] === -1) {
        starts[lineNumber] = at;
        lengths[lineNumber] = length;
      } else unnumbered.push({ start: at, length });
      at += length + 1;
    }
    const sorted = `${this.result}.sorted`;
    const source = await open(this.result, "r");
    const target = await open(sorted, "w");
    try {
      const write = async (start: number, length: number) => {
        const text = Buffer.alloc(length + 1, "\n");
        await source.read(text, 0, length, start);
        await target.write(text);
      };
      for (let i = 0; i < lines; i++) if (starts[i]! >= 0) await write(starts[i]!, lengths[i]!);
      for (const line of unnumbered) await write(line.start, line.length);
    } finally {
      await source.close();
      await target.close();
    }
    await rename(sorted, this.result);
  }

  /** Up to `limit` lines of the result from a byte offset, each with the offset just past it. */
  async resultLines(fromByte: number, limit: number): Promise<{ text: string; endByte: number }[]> {
    const lines: { text: string; endByte: number }[] = [];
    const stream = createReadStream(this.result, { start: fromByte });
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    let at = fromByte;
    try {
      for await (const text of reader) {
        at += Buffer.byteLength(text) + 1;
        if (text.trim()) lines.push({ text, endByte: at });
        if (lines.length >= limit) break;
      }
    } finally {
      reader.close();
      stream.destroy();
    }
    return lines;
  }
}

/** Removes the bulk files of an upload (pruning, shop erasure). */
export const removeBulkFiles = (dir: string) => rm(dir, { recursive: true, force: true });
