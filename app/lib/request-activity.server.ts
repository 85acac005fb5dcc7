/*
 * When this process last began or finished serving a request (server.js runs each request, and its answer's log line,
 * inside `withRequestId`). Long background applies read it to give way while pages and webhooks are being served
 * (app/jobs/chunk-pacer.ts, decision 030); nothing else does.
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
