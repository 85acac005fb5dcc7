import { PROGRESS_POLL_PARAM } from "~/domain/background-jobs";

/*
 * When this process last began or finished serving a request (server.js runs each request, and its answer's log line,
 * inside `withRequestId`). Long background applies read it to give way while pages and webhooks are being served
 * (app/jobs/chunk-pacer.ts, decision 030); nothing else does. A progress bar's poll is not noted (`isProgressPoll`).
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
