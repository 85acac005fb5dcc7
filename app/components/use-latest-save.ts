import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

/**
 * A choice saved as staff make it (the directory's column picker), shown at once, one save in flight at a time, the
 * latest choice winning.
 *
 * A fetcher's second submit cancels the first in the browser only: the server still gets both, and under load they
 * could be saved in either order, leaving the earlier choice (two columns ticked in a row, the second gone after a
 * reload: CI, referral-journey). Here a choice made while a save is in flight waits for that save's answer, and only
 * the latest waiting choice is sent then (decision 070).
 *
 * `saved` is the loader's value (shown whenever no choice is waiting or saving); `form` turns a choice into the fields
 * posted to the route's action. Returns the value to show and `choose(value)`. A save the server refuses shows
 * `saved` again once answered.
 */
export function useLatestSave<Value>({
  saved,
  form,
}: {
  saved: Value;
  form: (value: Value) => Record<string, string>;
}): { shown: Value; choose: (value: Value) => void } {
  const fetcher = useFetcher();
  // Boxed: a choice may itself be falsy (no optional column at all).
  const [waiting, setWaiting] = useState<{ value: Value } | null>(null);
  // The choice sent last, and whether the fetcher has been seen busy with it (its submit does not change
  // `fetcher.state` until the next render).
  const sent = useRef<{ choice: { value: Value }; seenBusy: boolean } | null>(null);
  useEffect(() => {
    const inFlight = sent.current;
    if (inFlight && fetcher.state !== "idle") {
      inFlight.seenBusy = true;
      return;
    }
    if (inFlight && !inFlight.seenBusy) return;
    sent.current = null;
    if (!waiting) return;
    if (inFlight?.choice === waiting) {
      // Answered, and nothing chosen since: the loader's revalidated value is the one shown.
      setWaiting(null);
      return;
    }
    sent.current = { choice: waiting, seenBusy: false };
    fetcher.submit(form(waiting.value), { method: "post" });
  }, [waiting, fetcher.state]); // `form` is rebuilt each render: the choice and the fetcher's state decide.
  return { shown: waiting ? waiting.value : saved, choose: (value) => setWaiting({ value }) };
}
