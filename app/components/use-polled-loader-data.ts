import { useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { PROGRESS_POLL_PARAM } from "~/domain/background-jobs";

/**
 * A page's loader data, and `poll`, which asks for the same page again as a poll (`?poll=1`, decision 030's sixth
 * round): a page that follows work running in the background (the install sync filling the directory, an import
 * being checked) asks on its own, nobody clicked, so the server does not count the ask as a merchant waiting and a
 * running sync keeps its pace. Remix's `revalidate()` cannot carry the parameter, hence a fetcher of the page's own
 * URL. A poll's answer is shown only over the loader data it was asked from: once the page is loaded again (the
 * merchant moved to another search, an action revalidated it), that data shows. `poll` does nothing while an ask is
 * still out, so a page polling on a timer never has two in flight. `index`: the page is an index route
 * (app.jobs._index), whose URL a fetcher asks with `?index`, else Remix answers with its parent's loader.
 */
export function usePolledLoaderData<Loader>({ index = false }: { index?: boolean } = {}): {
  data: LoaderData<Loader>;
  poll: () => void;
} {
  const loaded = useLoaderData<Loader>() as LoaderData<Loader>;
  const { pathname, search } = useLocation();
  const fetcher = useFetcher<Loader>();
  const [polledOver, setPolledOver] = useState<LoaderData<Loader> | null>(null);
  const { load } = fetcher;
  const asking = useRef(false);
  useEffect(() => {
    asking.current = fetcher.state !== "idle";
  }, [fetcher.state]);
  const poll = useCallback(() => {
    if (asking.current) return;
    asking.current = true;
    const params = new URLSearchParams(search);
    if (index) params.set("index", "");
    params.set(PROGRESS_POLL_PARAM, "1");
    setPolledOver(loaded);
    load(`${pathname}?${params.toString()}`);
  }, [pathname, search, index, loaded, load]);
  const polled = fetcher.data as LoaderData<Loader> | undefined;
  return { data: polled !== undefined && polledOver === loaded ? polled : loaded, poll };
}

type LoaderData<Loader> = ReturnType<typeof useLoaderData<Loader>>;
