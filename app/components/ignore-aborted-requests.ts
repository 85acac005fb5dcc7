/**
 * Keeps a request the page itself cancelled from reading as an error. Remix aborts the fetches of a navigation or a
 * fetcher the merchant moved on from (a click on Jobs while the directory was being loaded again), and a deferred
 * value of that answer (the directory's count, streamed after the page: single fetch) then rejects with the abort,
 * an `AbortError`, with nothing left on the page to handle it: the browser reports it as an unhandled rejection
 * ("signal is aborted without reason", seen once by the e2e suite's page-error check under CI's load). Only aborts
 * are ignored; any other unhandled rejection is still reported.
 */
export function ignoreAbortedRequest(event: PromiseRejectionEvent): void {
  const reason: unknown = event.reason;
  if (typeof reason === "object" && reason !== null && (reason as { name?: unknown }).name === "AbortError") {
    event.preventDefault();
  }
}

/** Listens once per window (a module reloaded in development does not add a second listener). */
export function listenForAbortedRequests(target: Window & { tallyIgnoresAborts?: boolean }): void {
  if (target.tallyIgnoresAborts) return;
  target.tallyIgnoresAborts = true;
  target.addEventListener("unhandledrejection", ignoreAbortedRequest);
}
