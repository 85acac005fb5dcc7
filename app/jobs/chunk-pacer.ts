import { msSinceRequestActivity } from "~/lib/request-activity.server";

/**
 * How many records the next chunk of a long apply (a sync's JSONL) takes, and how it yields between chunks, so that
 * pages and webhooks are answered while it runs (decision 030). A chunk holds the whole process, pages and webhooks
 * included, until it commits and yields; the size follows the last chunks' time per record (a moving average), because
 * a new customer with its orders costs a hundred times what a record Tally already holds does.
 *
 * While requests are being served (one began or was answered in the last `busyMemoryMs`: server.js notes each,
 * app/lib/request-activity.server.ts), chunks aim at `busyTargetMs`, so a request that arrives while one runs waits
 * about that long, and between chunks the apply yields until a turn of the event loop comes back with nothing else
 * having run (`yieldTurn`): a page that awaits between its queries finishes all its turns before the next chunk
 * starts, instead of waiting behind a chunk at each of them. With no request for a while, chunks aim at `targetMs` and
 * yield one turn, so a merchant clicking every few seconds waits at most that long behind a chunk. Once no request has
 * come for `unattendedAfterMs` (nobody is using the app: a sync left to run, the night's reconciliation), chunks aim at
 * `unattendedTargetMs`: each commit writes every index page its new rows touched, and the directory's sort indexes take
 * new customers at scattered places, so a commit of a few hundred customers writes about a page per customer per index
 * where one of a few thousand shares most pages (decision 030, fifth round: 100,000 new customers with their 250,000
 * orders applied in 25 s instead of 32, the same run's figures). The first request after such a pause waits behind at
 * most one of those chunks, and the next chunks are the busy ones. (Decision 030 first read "requests ran" from the gap between two chunks, which also holds the
 * task's own commit and, on a loaded machine, the time the process was not scheduled: a sync running alone was held
 * to the busy target, hundreds of chunks of a hundred lines.)
 */
export class ChunkPacer {
  private msPerRecord: number;
  private began = 0;
  private readonly options: Required<Omit<ChunkPacerOptions, "msSinceRequest">>;
  private readonly msSinceRequest: (now: number) => number;

  constructor(options: ChunkPacerOptions = {}) {
    const { msSinceRequest = msSinceRequestActivity, ...rest } = options;
    this.options = { ...defaults, ...rest };
    this.msSinceRequest = msSinceRequest;
    this.msPerRecord = this.options.firstMsPerRecord;
  }

  /** Whether requests are being served: one began or was answered in the last `busyMemoryMs` before `now`. */
  isBusy(now: number = performance.now()): boolean {
    return this.msSinceRequest(now) < this.options.busyMemoryMs;
  }

  /** A chunk begins at `now` (ms, performance.now()): how many records it should take. */
  begin(now: number = performance.now()): number {
    this.began = now;
    if (this.options.fixed) return this.options.maxRecords;
    const since = this.msSinceRequest(now);
    const target =
      since < this.options.busyMemoryMs
        ? this.options.busyTargetMs
        : since < this.options.unattendedAfterMs
          ? this.options.targetMs
          : this.options.unattendedTargetMs;
    const size = Math.round(target / Math.max(this.msPerRecord, 0.001));
    return Math.min(this.options.maxRecords, Math.max(this.options.minRecords, size));
  }

  /** The chunk begun last handled `records` and finished its write at `now`. */
  end(records: number, now: number = performance.now()) {
    if (records > 0) this.msPerRecord = 0.5 * this.msPerRecord + (0.5 * (now - this.began)) / records;
  }

  /**
   * Yields to the event loop between two chunks. While requests are being served, again and again while other work
   * runs in each turn (pages, webhooks, the webhook queue's drain), for up to `maxYieldMs`: what was waiting behind the
   * last chunk runs to its end, every turn of it, before the next chunk begins. Resolves once a turn comes back quiet,
   * or the wait is used up; when no request is being served, after one turn.
   */
  async yieldTurn(): Promise<void> {
    const started = performance.now();
    for (;;) {
      const before = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve));
      const after = performance.now();
      if (this.options.fixed || !this.isBusy(after) || after - before <= this.options.quietTurnMs) return;
      if (after - started >= this.options.maxYieldMs) return;
    }
  }
}

export interface ChunkPacerOptions {
  /** How long a chunk may hold the process when no request came in the last `busyMemoryMs`, ms. */
  targetMs?: number;
  /** How long once no request has come for `unattendedAfterMs` (nobody is using the app), ms. */
  unattendedTargetMs?: number;
  /** How long without a request before chunks grow to `unattendedTargetMs`, ms. */
  unattendedAfterMs?: number;
  /** How long while requests are being served (one began or was answered in the last `busyMemoryMs`), ms. */
  busyTargetMs?: number;
  /** How long a request keeps chunks at the busy target, ms: requests come in bursts, a page in several turns. */
  busyMemoryMs?: number;
  /** Milliseconds since a request began or was answered, at `now` (tests play requests; app/lib/request-activity). */
  msSinceRequest?: (now: number) => number;
  /** A turn of the event loop that takes longer than this ran other work, ms. */
  quietTurnMs?: number;
  /** The longest `yieldTurn` waits for the event loop to come back quiet before the next chunk anyway, ms. */
  maxYieldMs?: number;
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

const defaults: Required<Omit<ChunkPacerOptions, "msSinceRequest">> = {
  targetMs: 40,
  unattendedTargetMs: 250,
  unattendedAfterMs: 10_000,
  busyTargetMs: 5,
  busyMemoryMs: 1_000,
  quietTurnMs: 1,
  maxYieldMs: 50,
  minRecords: 5,
  maxRecords: 500,
  firstMsPerRecord: 2,
  fixed: false,
};
