import { PROGRESS_POLL_PARAM } from "~/domain/background-jobs";

/*
 * When this process last began or finished serving a request (server.js runs each request, and its answer's log line,
 * inside `withRequestId`). Long background applies read it to give way while someone waits on a page (a merchant's
 * click, a shopper's rewards page: app/jobs/chunk-pacer.ts, decision 030); nothing else does. A progress bar's poll
 * and a webhook are answered as any request is but not noted (`isSomeoneWaiting`).
 */

let lastActivityAt = -Infinity;

/** A request began or was answered at `now` (ms, performance.now()). */
export function noteRequestActivity(now: number = performance.now()) {
  lastActivityAt = now;
}

/** Milliseconds since a request last began or was answered; Infinity when none ever was. */
export function msSinceRequestActivity(now: number = performance.now()): number {
  return now - lastActivityAt;
}

/**
 * Whether a request (its path and query, as the HTTP request line carries it) is a page's poll (`?poll=1`, as
 * `jobPollPath` makes it): the page asked on its own, nobody clicked, so a long apply does not give way to it (it is
 * answered between two chunks, as any request is). Decision 030, sixth round: while a sync's progress was watched, its
 * polls every 1.5 s held the apply to the busy chunks. Only the pace of background work reads it, so a request that
 * says it is a poll when it is not only waits a little longer.
 */
export function isProgressPoll(url: string): boolean {
  const at = url.indexOf("?");
  return at >= 0 && new URLSearchParams(url.slice(at + 1)).get(PROGRESS_POLL_PARAM) === "1";
}

/**
 * Whether a request is someone waiting on its answer, which a long apply gives way to (decision 030): a merchant's
 * click, a shopper's page. Not a page's own poll (`isProgressPoll`), nor a webhook (`webhook`: a POST to one of the
 * app's webhook routes, as server.js tells them apart): Shopify waits up to 5 s for a webhook's answer, and one
 * answered behind a 250 ms chunk is answered well inside it. Decision 030, seventh round: a shop whose webhooks came
 * every second held its sync to the busy chunks, at twice the cost (42.9 s against 19.8 s alone, bench:sync).
 * `method` and `url` are the HTTP request line's (`url` with its query).
 */
export function isSomeoneWaiting({ method, url, webhook }: { method: string; url: string; webhook: boolean }): boolean {
  return !webhook && !(method === "GET" && isProgressPoll(url));
}
