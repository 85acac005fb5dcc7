import { useEffect, useState } from "react";

const handled = new WeakSet<Promise<unknown>>();

/** What a promise has come to so far. */
export type Settled<T> = { state: "pending" } | { state: "resolved"; value: T } | { state: "rejected"; error: unknown };

/**
 * What `promise` (a loader's deferred value, which Remix streams after the page: single fetch) has come to: pending
 * on the server, while the page hydrates and until it settles; a new promise (the page loaded again) starts pending.
 *
 * State, not a Suspense boundary with Remix's `Await`, for two faults the directory's count had with one
 * (tests/unit/deferred-value.test.tsx shows both):
 * - A boundary server-rendered while its promise is still streaming stays dehydrated until the value arrives, and a
 *   context change above it meanwhile (Polaris measuring itself on mount, a poll changing the router's state) makes
 *   React drop its HTML and report error #421 (React 18's `updateDehydratedSuspenseComponent`); memoising the
 *   boundary's component does not stop it.
 * - A navigation is a transition, and a transition whose new tree suspends in a boundary already showing content
 *   keeps the old page on screen until the promise settles: the address said Blocked while the list, the tabs and the
 *   tab a click would select still showed All, for as long as the count took.
 */
export function useSettled<T>(promise: Promise<T>): Settled<T> {
  // Handled from the first render on: one that fails before the effect below has run is not an unhandled rejection.
  if (!handled.has(promise)) {
    handled.add(promise);
    promise.catch(() => undefined);
  }
  const [settled, setSettled] = useState<{ of: Promise<T>; result: Settled<T> } | null>(null);
  useEffect(() => {
    let current = true;
    promise.then(
      (value) => current && setSettled({ of: promise, result: { state: "resolved", value } }),
      (error: unknown) => current && setSettled({ of: promise, result: { state: "rejected", error } }),
    );
    return () => {
      current = false;
    };
  }, [promise]);
  return settled?.of === promise ? settled.result : { state: "pending" };
}
