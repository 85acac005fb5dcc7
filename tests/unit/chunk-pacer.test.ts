import { describe, expect, it } from "vitest";
import { ChunkPacer } from "~/jobs/chunk-pacer";
import { withRequestId } from "~/lib/log.server";
import { jobPollPath } from "~/domain/background-jobs";
import { isProgressPoll, isSomeoneWaiting, msSinceRequestActivity } from "~/lib/request-activity.server";

/**
 * A request clock the tests move: `at` is when a request last began or was answered (ms); by default two seconds
 * before the tests' time 0, as when a merchant clicks now and then.
 */
function requests(at = -2_000) {
  const clock = { at };
  return { clock, msSinceRequest: (now: number) => now - clock.at };
}

/** Plays chunks that each cost `msPerRecord` per record, with `gapMs` between them (the commit); returns their sizes. */
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
  it("settles on about 40 ms of new customers a chunk when no request is being served", () => {
    const { sizes } = play(new ChunkPacer(requests()), 12, 4, 0.2);
    expect(sizes.at(-1)).toBe(10);
  });

  it("takes the most records a chunk allows once records cost microseconds (a sync of an unchanged shop)", () => {
    const { sizes } = play(new ChunkPacer({ maxRecords: 500, ...requests() }), 12, 0.01, 0.2);
    expect(sizes.at(-1)).toBe(500);
  });

  it("shrinks to about 5 ms a chunk while requests are served, and grows back a second after the last one", () => {
    const { clock, msSinceRequest } = requests();
    const pacer = new ChunkPacer({ msSinceRequest });
    const quiet = play(pacer, 12, 1, 0.2);
    expect(quiet.sizes.at(-1)).toBe(40);
    clock.at = quiet.now;
    const busy = play(pacer, 3, 1, 25, quiet.now);
    expect(busy.sizes).toEqual([5, 5, 5]);
    const after = play(pacer, 3, 1, 0.2, clock.at + 1_000);
    expect(after.sizes).toEqual([40, 40, 40]);
  });

  it("grows to about 250 ms a chunk once nobody has used the app for ten seconds, and shrinks at the next request", () => {
    const { clock, msSinceRequest } = requests();
    const pacer = new ChunkPacer({ maxRecords: 10_000, msSinceRequest });
    const used = play(pacer, 24, 0.1, 0.2);
    expect(used.sizes.at(-1)).toBe(400);
    const unattended = play(pacer, 4, 0.1, 0.2, clock.at + 10_000);
    expect(unattended.sizes).toEqual([2_500, 2_500, 2_500, 2_500]);
    clock.at = unattended.now;
    expect(play(pacer, 2, 0.1, 25, unattended.now).sizes).toEqual([50, 50]);
    // A process that has served no request since it started (a sync left to run) is unattended from its first chunk.
    const fresh = play(new ChunkPacer({ maxRecords: 10_000, ...requests(-Infinity) }), 24, 0.1, 0.2);
    expect(fresh.sizes.at(-1)).toBe(2_500);
  });

  it("keeps the quiet target however long the caller's own work between chunks takes (a task's commit, a loaded machine)", () => {
    // Decision 030 first read requests from these gaps: 15 ms of commit, or a process not scheduled for a while.
    const pacer = new ChunkPacer(requests());
    const committing = play(pacer, 12, 1, 15);
    expect(committing.sizes.at(-1)).toBe(40);
    const stalled = play(pacer, 4, 1, 120, committing.now);
    expect(stalled.sizes).toEqual([40, 40, 40, 40]);
  });

  it("follows a change of cost: orders after customers, a record a hundred times dearer", () => {
    const pacer = new ChunkPacer({ maxRecords: 500, ...requests() });
    const cheap = play(pacer, 16, 0.1, 0.2);
    expect(cheap.sizes.at(-1)).toBe(400);
    const dear = play(pacer, 10, 10, 0.2, cheap.now);
    expect(dear.sizes.at(-1)).toBe(5);
    // The first dear chunk holds the process long, and the next is cut at once.
    expect(dear.sizes[1]).toBeLessThan(dear.sizes[0]! / 10);
  });
});

/** Work that holds the event loop for `ms`, as a page's query does. */
const hold = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("yielding between chunks", () => {
  it("lets a page that is being served finish every turn of it before the next chunk", async () => {
    const { clock, msSinceRequest } = requests();
    const pacer = new ChunkPacer({ msSinceRequest });
    const turns: string[] = [];
    // A page of three turns (it awaits between its queries), each holding the loop 3 ms; it began just now.
    clock.at = performance.now();
    const page = (async () => {
      for (const turn of ["page 1", "page 2", "page 3"]) {
        hold(3);
        turns.push(turn);
        await immediate();
      }
    })();
    await pacer.yieldTurn();
    turns.push("next chunk");
    await page;
    expect(turns).toEqual(["page 1", "page 2", "page 3", "next chunk"]);
  });

  it("yields one turn only when no request is being served, so a sync alone is not slowed by other background work", async () => {
    const pacer = new ChunkPacer(requests());
    const turns: string[] = [];
    const other = (async () => {
      for (const turn of ["other 1", "other 2", "other 3"]) {
        hold(3);
        turns.push(turn);
        await immediate();
      }
    })();
    await pacer.yieldTurn();
    turns.push("next chunk");
    await other;
    expect(turns.indexOf("next chunk")).toBeLessThan(3);
  });

  it("waits at most maxYieldMs for requests that keep the loop busy, then applies a chunk anyway", async () => {
    const { clock, msSinceRequest } = requests();
    const pacer = new ChunkPacer({ msSinceRequest, maxYieldMs: 20 });
    let stop = false;
    const flood = (async () => {
      while (!stop) {
        clock.at = performance.now();
        hold(2);
        await immediate();
      }
    })();
    const started = performance.now();
    await pacer.yieldTurn();
    const waited = performance.now() - started;
    stop = true;
    await flood;
    expect(waited).toBeGreaterThanOrEqual(20);
    expect(waited).toBeLessThan(200);
  });
});

describe("requests as a sync's apply sees them", () => {
  it("counts every request server.js serves (it runs each inside withRequestId) as one being served", async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(msSinceRequestActivity()).toBeGreaterThanOrEqual(25);
    withRequestId("req-1", () => undefined);
    expect(msSinceRequestActivity()).toBeLessThan(25);
    expect(new ChunkPacer().isBusy()).toBe(true);
  });

  it("does not count a progress bar's poll: a sync whose progress is watched keeps its pace (decision 030)", async () => {
    const poll = jobPollPath(42, new URLSearchParams({ outcome: "failed" }));
    expect(poll).toBe("/app/jobs/42?outcome=failed&poll=1");
    expect(isProgressPoll(poll)).toBe(true);
    expect(isProgressPoll(`${poll}&_data=routes%2Fapp.jobs.%24id`)).toBe(true);
    // The same page opened or its results' tab picked by the merchant is a click.
    expect(isProgressPoll("/app/jobs/42?outcome=failed")).toBe(false);
    expect(isProgressPoll("/app/jobs/42")).toBe(false);
    expect(isProgressPoll("/app/customers?poll=0")).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 30));
    withRequestId("poll-1", () => undefined, { activity: !isProgressPoll(poll) });
    expect(msSinceRequestActivity()).toBeGreaterThanOrEqual(25);
    expect(new ChunkPacer({ busyMemoryMs: 20 }).isBusy()).toBe(false);
    withRequestId("click-1", () => undefined, { activity: !isProgressPoll("/app/jobs/42") });
    expect(msSinceRequestActivity()).toBeLessThan(25);
  });

  it("does not count a webhook, nor a poll, but counts a click and a shopper's page (decision 030, seventh round)", () => {
    const asked = (method: string, url: string, webhook = false) => isSomeoneWaiting({ method, url, webhook });
    expect(asked("POST", "/webhooks/orders/paid", true)).toBe(false);
    expect(asked("GET", "/app/jobs/42?poll=1")).toBe(false);
    expect(asked("GET", "/app/jobs/42")).toBe(true);
    expect(asked("POST", "/app/customers")).toBe(true);
    // A POST that calls itself a poll is a form being sent: someone waits on it.
    expect(asked("POST", "/app/jobs/42?poll=1")).toBe(true);
    expect(asked("GET", "/apps/tally/?shop=x.myshopify.com")).toBe(true);
  });
});
