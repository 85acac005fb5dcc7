/**
 * How many records the next chunk of a long apply (a sync's JSONL) takes, so that each chunk holds the process for
 * about `targetMs`: the size follows the last chunks' time per record (a moving average), because a new customer with
 * its orders costs a hundred times what a record Tally already holds does. A chunk holds the whole process, pages
 * and webhooks included, until it commits and yields; when other work ran while it yielded (the gap since the last
 * chunk ended was `busyGapMs` longer than the shortest of the last gaps, which is the caller's own work between
 * chunks, such as a task's commit), requests are being served, and the next chunk aims at `busyTargetMs`
 * instead, so a request waits on the sync for about that long at each of its turns (decision 030).
 */
export class ChunkPacer {
  private msPerRecord: number;
  private lastEnd: number | undefined;
  /** The gaps before the last chunks, ms: the smallest is the caller's own work between chunks (a task's commit). */
  private readonly gaps: number[] = [];
  private began = 0;
  private readonly options: Required<ChunkPacerOptions>;

  constructor(options: ChunkPacerOptions = {}) {
    this.options = { ...defaults, ...options };
    this.msPerRecord = this.options.firstMsPerRecord;
  }

  /** A chunk begins at `now` (ms, performance.now()): how many records it should take. */
  begin(now: number = performance.now()): number {
    this.began = now;
    if (this.options.fixed) return this.options.maxRecords;
    let othersRan = false;
    if (this.lastEnd !== undefined) {
      const gap = now - this.lastEnd;
      this.gaps.push(gap);
      if (this.gaps.length > 8) this.gaps.shift();
      othersRan = gap - Math.min(...this.gaps) > this.options.busyGapMs;
    }
    const target = othersRan ? this.options.busyTargetMs : this.options.targetMs;
    const size = Math.round(target / Math.max(this.msPerRecord, 0.001));
    return Math.min(this.options.maxRecords, Math.max(this.options.minRecords, size));
  }

  /** The chunk begun last handled `records` and finished its write at `now`. */
  end(records: number, now: number = performance.now()) {
    if (records > 0) this.msPerRecord = 0.5 * this.msPerRecord + (0.5 * (now - this.began)) / records;
    this.lastEnd = now;
  }
}

export interface ChunkPacerOptions {
  /** How long a chunk may hold the process when nothing else is asking for it, ms. */
  targetMs?: number;
  /** How long when requests ran between the last two chunks, ms. */
  busyTargetMs?: number;
  /** A gap between two chunks longer than this means other work ran in it, ms. */
  busyGapMs?: number;
  minRecords?: number;
  maxRecords?: number;
  /** The guess before any chunk was timed: a new customer with its orders costs a few ms. */
  firstMsPerRecord?: number;
  /**
   * Every chunk takes `maxRecords`: on PostgreSQL a chunk's queries wait on the network and leave the event loop to
   * requests meanwhile, so timing would only shrink chunks into many more transactions (decision 030).
   */
  fixed?: boolean;
}

const defaults: Required<ChunkPacerOptions> = {
  targetMs: 40,
  busyTargetMs: 10,
  busyGapMs: 3,
  minRecords: 5,
  maxRecords: 500,
  firstMsPerRecord: 2,
  fixed: false,
};
