import { useLoaderData, useLocation } from "@remix-run/react";
import { useState } from "react";
import { PROGRESS_POLL_PARAM } from "~/domain/background-jobs";
import { isUnreachable, usePoll } from "./use-poll";

/**
 * A page's loader data, asked for again as a poll (`?poll=1`, decision 030's sixth round) while `active(data)`: a page
 * that follows work running in the background (the install sync filling the directory, an import being checked, the
 * Jobs list) asks on its own, nobody clicked, so the server does not count the ask as a merchant waiting and a running
 * sync keeps its pace. Remix's `revalidate()` cannot carry the parameter, hence a fetcher of the page's own URL (the
 * route exports `pollClientLoader` as its `clientLoader`, so that Tally restarting shows `reconnecting`, not the
 * ErrorBoundary). A poll's answer is shown only over the loader data it was asked from: once the page is loaded again
 * (the merchant moved to another search, an action revalidated it), that data shows. `first` and `every` are in ms
 * (usePoll). `unanswered`: a load of this page the merchant made did not reach Tally, and no poll has answered since
 * (the last figures show). `index`: the page is an index route (app.jobs._index), whose URL a fetcher asks with `?index`, else Remix
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
}): { data: LoaderData<Loader>; reconnecting: boolean; unanswered: boolean } {
  const loaded: unknown = useLoaderData<Loader>();
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  if (index) params.set("index", "");
  params.set(PROGRESS_POLL_PARAM, "1");
  // What shows while a load of this page (another page of the list, a search) did not reach Tally: the last figures it
  // gave, from the loader or a poll, so that none goes back.
  const [last, setLast] = useState(loaded as LoaderData<Loader>);
  const poll = usePoll<LoaderData<Loader>>({
    path: `${pathname}?${params.toString()}`,
    every,
    first,
    over: loaded,
    // Asked of what shows, so that the asks stop once an answer says the work is done.
    active: (polled) => active(polled ?? (isUnreachable(loaded) ? last : (loaded as LoaderData<Loader>))),
  });
  const answered = poll.data ?? (isUnreachable(loaded) ? undefined : (loaded as LoaderData<Loader>));
  if (answered !== undefined && answered !== last) setLast(answered);
  // Polls ask for the page the merchant asked for (the URL) meanwhile: the first one answered shows it.
  return { data: answered ?? last, reconnecting: poll.reconnecting, unanswered: answered === undefined };
}

/**
 * The route's loader data as Tally last answered it: when a load of this page (a revalidation, a navigation to the
 * same page) did not reach Tally (pollClientLoader), the data shown before stays and `unanswered` is true until a load
 * is answered. For a route that exports `pollClientLoader` and reads its loader data without polling it.
 */
export function useAnsweredLoaderData<Loader>(): { data: LoaderData<Loader>; unanswered: boolean } {
  const loaded: unknown = useLoaderData<Loader>();
  const [answered, setAnswered] = useState(loaded);
  if (!isUnreachable(loaded) && loaded !== answered) setAnswered(loaded);
  // A page's first data is always Tally's: a navigation from another page is not caught (pollClientLoader).
  return { data: (isUnreachable(loaded) ? answered : loaded) as LoaderData<Loader>, unanswered: isUnreachable(loaded) };
}

type LoaderData<Loader> = ReturnType<typeof useLoaderData<Loader>>;
