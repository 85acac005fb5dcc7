// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { ignoreAbortedRequest, listenForAbortedRequests } from "~/components/ignore-aborted-requests";

/** An unhandled rejection as the browser dispatches it, cancelable, with `reason`. */
function rejection(reason: unknown): PromiseRejectionEvent {
  const event = new Event("unhandledrejection", { cancelable: true }) as PromiseRejectionEvent;
  Object.defineProperty(event, "reason", { value: reason });
  return event;
}

describe("a request the page cancelled", () => {
  it("is not reported as an unhandled rejection; anything else still is", () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = rejection(controller.signal.reason);
    ignoreAbortedRequest(aborted);
    expect(aborted.defaultPrevented).toBe(true);

    for (const reason of [new Error("Unexpected Server Error"), "AbortError", null, { name: "TypeError" }]) {
      const other = rejection(reason);
      ignoreAbortedRequest(other);
      expect(other.defaultPrevented).toBe(false);
    }
  });

  it("is ignored by the window's one listener, however often the module loads", () => {
    listenForAbortedRequests(window);
    listenForAbortedRequests(window);
    const controller = new AbortController();
    controller.abort();
    const aborted = rejection(controller.signal.reason);
    window.dispatchEvent(aborted);
    expect(aborted.defaultPrevented).toBe(true);
    const other = rejection(new Error("boom"));
    window.dispatchEvent(other);
    expect(other.defaultPrevented).toBe(false);
  });
});
