import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False on the server and while the page hydrates, true once it is live in the browser (and on every render after).
 * For what must not be server-rendered: a chart that measures its container, a Suspense boundary over streamed data
 * (`Deferred`).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
