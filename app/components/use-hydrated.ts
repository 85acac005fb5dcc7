import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False on the server and while the page hydrates, true once it is live in the browser (and on every render after).
 * For what must not be server-rendered: Home's chart, which measures its container and loads as a module of its own.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
