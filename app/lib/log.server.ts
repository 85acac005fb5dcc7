import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino from "pino";
import { noteRequestActivity } from "./request-activity.server";

/*
 * Tally's structured log: one JSON line per event on stdout (pino), for whatever collects the container's output.
 * Every line written while a request is served carries its `requestId` (server.js runs each request inside
 * `withRequestId`), so an operator can follow one request, and the id a caller sent, through the app's lines.
 * LOG_LEVEL (default "info") sets how much: accepted webhooks log at "debug" so the hot path writes nothing.
 */

const requests = new AsyncLocalStorage<{ requestId: string }>();

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  mixin: () => {
    const request = requests.getStore();
    return request ? { requestId: request.requestId } : {};
  },
});

/** A caller's id is kept when it is short and plain (no spaces, quotes or control characters to forge log lines). */
const acceptableRequestId = /^[\w.:@/+=-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when acceptable (a proxy's or load balancer's), else a new UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === "string" && acceptableRequestId.test(header) ? header : randomUUID();
}

/**
 * Runs `work` with `requestId` on every log line it (and what it awaits) writes, and notes that a request is being
 * served (request-activity.server.ts: a sync's apply gives way meanwhile), unless `activity` is false (a progress
 * bar's poll: `isProgressPoll`).
 */
export function withRequestId<T>(
  requestId: string,
  work: () => T,
  { activity = true }: { activity?: boolean } = {},
): T {
  if (activity) noteRequestActivity();
  return requests.run({ requestId }, work);
}
