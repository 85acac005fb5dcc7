import { describe, expect, it } from "vitest";
import { ChunkPacer } from "~/jobs/chunk-pacer";

/** Plays chunks that each cost `msPerRecord` per record, with `gapMs` of other work between them; returns their sizes. */
function play(pacer: ChunkPacer, chunks: number, msPerRecord: number, gapMs: number, start = 0) {
  const sizes: number[] = [];
  let now = start;
  for (let i = 0; i < chunks; i++) {
    const size = pacer.begin(now);
    sizes.push(size);
    now += size * msPerRecord;
    pacer.end(size, now);
    now += gapMs;
  }
  return { sizes, now };
}

describe("a long apply's chunks sized by time", () => {
  it("settles on about 40 ms of new customers a chunk when nothing else runs", () => {
    const { sizes } = play(new ChunkPacer(), 12, 4, 0.2);
    expect(sizes.at(-1)).toBe(10);
  });

  it("takes the most records a chunk allows once records cost microseconds (a sync of an unchanged shop)", () => {
    const { sizes } = play(new ChunkPacer({ maxRecords: 500 }), 12, 0.01, 0.2);
    expect(sizes.at(-1)).toBe(500);
  });

  it("shrinks to about 10 ms a chunk while requests run between chunks, and grows back when they stop", () => {
    const pacer = new ChunkPacer();
    const quiet = play(pacer, 12, 1, 0.2);
    expect(quiet.sizes.at(-1)).toBe(40);
    const busy = play(pacer, 3, 1, 25, quiet.now);
    expect(busy.sizes.slice(1)).toEqual([10, 10]);
    const after = play(pacer, 3, 1, 0.2, busy.now);
    expect(after.sizes.slice(1)).toEqual([40, 40]);
  });

  it("follows a change of cost: orders after customers, a record a hundred times dearer", () => {
    const pacer = new ChunkPacer({ maxRecords: 500 });
    const cheap = play(pacer, 16, 0.1, 0.2);
    expect(cheap.sizes.at(-1)).toBe(400);
    const dear = play(pacer, 10, 10, 0.2, cheap.now);
    expect(dear.sizes.at(-1)).toBe(5);
    // The first dear chunk holds the process long, and the next is cut at once.
    expect(dear.sizes[1]).toBeLessThan(dear.sizes[0]! / 10);
  });

  it("does not take the caller's own work between chunks (a task's commit) for requests waiting", () => {
    const pacer = new ChunkPacer();
    // Every gap holds 15 ms of the task's own commit: still the quiet target.
    const committing = play(pacer, 12, 1, 15);
    expect(committing.sizes.at(-1)).toBe(40);
    // Requests in the gaps on top of the commit: the busy target.
    const busy = play(pacer, 3, 1, 40, committing.now);
    expect(busy.sizes.slice(1)).toEqual([10, 10]);
  });
});
