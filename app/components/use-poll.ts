import { isRouteErrorResponse, useFetcher, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useEffect, useState } from "react";
import { PROGRESS_POLL_PARAM } from "~/domain/background-jobs";

/**
 * Polls that outlive Tally restarting (a deploy, a crash, the demo's kill -9), as Shopify's admin does: the page stays
 * as it was, says it is reconnecting, asks again less and less often, and shows the true figures once Tally answers.
 *
 * A fetcher's failed load goes to the route's ErrorBoundary (react-router's `setFetcherError`), which replaced the page
 * with "Application Error: TypeError: Failed to fetch". A route whose page is polled exports `pollClientLoader` as its
 * `clientLoader`: for a poll (`?poll=1`, PROGRESS_POLL_PARAM), and for a load of the page the merchant is on (a results
 * tab, the next page of a list), it turns an outage into an answer the hooks understand (decision 054).
 */

const UNREACHABLE = "tallyUnreachable";
type Unreachable = { [UNREACHABLE]: true };

/** The longest wait between two asks while Tally does not answer. */
export const MAX_POLL_BACKOFF_MS = 10_000;

/**
 * The wait before the next ask: `every` while Tally answers, then doubling after each unanswered ask (1.5 s, 3 s,
 * 6 s, …), at most MAX_POLL_BACKOFF_MS.
 */
export function pollDelayMs(every: number, failures: number): number {
  return failures === 0 ? every : Math.min(every * 2 ** (failures - 1), MAX_POLL_BACKOFF_MS);
}

/**
 * Whether a poll's error means Tally could not be reached rather than that it refused: the network failed ("Failed to
 * fetch" while it restarts), a 5xx, or a body that is not Remix's (a proxy's error page). A thrown Response (a
 * redirect, the auth flow's 401) and a 4xx keep going to the ErrorBoundary, as every other load's do.
 */
function isOutage(error: unknown): boolean {
  if (error instanceof Response) return false;
  if (isRouteErrorResponse(error)) return error.status >= 500;
  return !(error instanceof DOMException && error.name === "AbortError");
}

/**
 * A polled route's `clientLoader` (`export const clientLoader = pollClientLoader`): the server's loader as before; for
 * a poll, or a load of the page the merchant is on (its pathname: a tab or a results page a fetcher loads, a navigation
 * to another page of the same list, a revalidation), that did not reach Tally, an answer saying so instead of an error
 * (a fresh object each time, so that each unanswered ask counts). The page keeps what it showed: usePoll and
 * useAnsweredLoaderData read that answer. A navigation from another page has nothing to keep and reaches the
 * ErrorBoundary as before.
 */
export async function pollClientLoader({ request, serverLoader }: ClientLoaderFunctionArgs): Promise<unknown> {
  const url = new URL(request.url);
  // Until its loaders answer, a navigation leaves the browser's location on the page it started from.
  const onThisPage = url.pathname === globalThis.location?.pathname;
  if (url.searchParams.get(PROGRESS_POLL_PARAM) !== "1" && !onThisPage) return serverLoader();
  try {
    return await serverLoader();
  } catch (error) {
    if (isOutage(error)) return { [UNREACHABLE]: true } satisfies Unreachable;
    throw error;
  }
}

/** Whether a polled route answered that Tally could not be reached (pollClientLoader). */
export function isUnreachable(answer: unknown): answer is Unreachable {
  return typeof answer === "object" && answer !== null && UNREACHABLE in answer;
}

/**
 * Asks `path` (a URL with `?poll=1`, on a route that exports `pollClientLoader`) `first` ms after it becomes active
 * (or `over` changes), then `every` ms after each answer while `active` (a boolean, or asked of `data` on each
 * render); never two asks at once, none while the tab is hidden.
 *
 * - `data`: Tally's last answer to an ask made under the current `over` (undefined before one): when `over` changes
 *   (the page was loaded again), older answers stop showing. An unanswered ask keeps the last answer.
 * - `reconnecting`: the last ask did not reach Tally; asks go on with backoff (pollDelayMs) until one is answered.
 * - `unanswered`: the merchant's last `load` did not reach Tally, and nothing has been answered since.
 * - `load(path)`: an ask now, on the same fetcher (a results tab the merchant clicked).
 */
export function usePoll<Data>({
  path,
  every,
  active,
  first = every,
  over = null,
}: {
  path: string;
  every: number;
  active: boolean | ((data: Data | undefined) => boolean);
  first?: number;
  over?: unknown;
}): { data: Data | undefined; reconnecting: boolean; unanswered: boolean; load: (path: string) => void } {
  const fetcher = useFetcher<Data>();
  const answer: unknown = fetcher.data;
  const [askedOver, setAskedOver] = useState<unknown>(null);
  const [seen, setSeen] = useState<unknown>(undefined);
  const [good, setGood] = useState<{ data: Data; over: unknown } | undefined>(undefined);
  const [failures, setFailures] = useState(0);
  const [seenOver, setSeenOver] = useState(over);
  // Whether the ask in flight, or last answered, is the merchant's (`load`) rather than a poll.
  const [merchantAsked, setMerchantAsked] = useState(false);
  const [unanswered, setUnanswered] = useState(false);
  // Each answer once, as it arrives (derived state, React's "storing information from previous renders").
  if (answer !== seen) {
    setSeen(answer);
    if (isUnreachable(answer)) {
      setFailures(failures + 1);
      if (merchantAsked) setUnanswered(true);
    } else if (answer !== undefined) {
      setFailures(0);
      setUnanswered(false);
      setGood({ data: answer as Data, over: askedOver });
    }
  }
  // The page loaded again: Tally answered it.
  if (over !== seenOver) {
    setSeenOver(over);
    setFailures(0);
  }

  const data = good && good.over === over ? good.data : undefined;
  const on = typeof active === "function" ? active(data) : active;
  const { load } = fetcher;
  const idle = fetcher.state === "idle";
  const wait = failures > 0 ? pollDelayMs(every, failures) : data === undefined ? first : every;
  useEffect(() => {
    if (!on || !idle) return;
    let timer = setTimeout(function ask() {
      if (document.visibilityState === "hidden") timer = setTimeout(ask, every);
      else {
        setAskedOver(over);
        setMerchantAsked(false);
        void load(path);
      }
    }, wait);
    return () => clearTimeout(timer);
  }, [on, idle, wait, every, over, path, load]);

  return {
    data,
    reconnecting: on && failures > 0,
    unanswered,
    load: (next: string) => {
      setAskedOver(over);
      setMerchantAsked(true);
      setUnanswered(false);
      void load(next);
    },
  };
}
