import { useLoaderData, useLocation } from "@remix-run/react";
import { PROGRESS_POLL_PARAM } from "~/domain/background-jobs";
import { usePoll } from "./use-poll";

/**
 * A page's loader data, asked for again as a poll (`?poll=1`, decision 030's sixth round) while `active(data)`: a page
 * that follows work running in the background (the install sync filling the directory, an import being checked, the
 * Jobs list) asks on its own, nobody clicked, so the server does not count the ask as a merchant waiting and a running
 * sync keeps its pace. Remix's `revalidate()` cannot carry the parameter, hence a fetcher of the page's own URL (the
 * route exports `pollClientLoader` as its `clientLoader`, so that Tally restarting shows `reconnecting`, not the
 * ErrorBoundary). A poll's answer is shown only over the loader data it was asked from: once the page is loaded again
 * (the merchant moved to another search, an action revalidated it), that data shows. `first` and `every` are in ms
 * (usePoll). `index`: the page is an index route (app.jobs._index), whose URL a fetcher asks with `?index`, else Remix
 * answers with its parent's loader.
 */
export function usePolledLoaderData<Loader>({
  index = false,
  every,
  first,
  active,
}: {
  index?: boolean;
  every: number;
  first?: number;
  active: (data: LoaderData<Loader>) => boolean;
}): { data: LoaderData<Loader>; reconnecting: boolean } {
  const loaded = useLoaderData<Loader>() as LoaderData<Loader>;
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  if (index) params.set("index", "");
  params.set(PROGRESS_POLL_PARAM, "1");
  const poll = usePoll<LoaderData<Loader>>({
    path: `${pathname}?${params.toString()}`,
    every,
    first,
    over: loaded,
    // Asked of what shows, so that the asks stop once an answer says the work is done.
    active: (polled) => active(polled ?? loaded),
  });
  return { data: poll.data ?? loaded, reconnecting: poll.reconnecting };
}

type LoaderData<Loader> = ReturnType<typeof useLoaderData<Loader>>;
