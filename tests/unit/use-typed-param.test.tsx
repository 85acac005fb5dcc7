// @vitest-environment jsdom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TYPING_DELAY_MS, useTypedParam, useTypedRange } from "~/components/use-typed-param";

// What the directory's search box and range fields (app/components/customer-directory.tsx) do while the merchant types
// at a person's pace and the page loads each pause's URL late, as it does under load: a commit per pause, and the URL
// arriving at them one by one, after the next keys were typed.

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;

beforeEach(() => {
  vi.useFakeTimers();
  container = document.createElement("div");
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  vi.useRealTimers();
});

/** A search box whose URL is `url`: what it shows, what it committed, and a key typed then the pause. */
function searchBox() {
  const commits: string[] = [];
  let shown = "";
  let type: (next: string) => void = () => undefined;
  function Box({ url }: { url: string }) {
    const [typed, setTyped] = useTypedParam(url, (next) => commits.push(next));
    shown = typed;
    type = setTyped;
    return null;
  }
  const urlIs = (url: string) => act(() => root.render(<Box url={url} />));
  const typeAndPause = (text: string) => {
    act(() => type(text));
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS));
  };
  return { commits, shown: () => shown, urlIs, typeAndPause, type: (text: string) => type(text) };
}

describe("a search box typed into while the page loads each pause late", () => {
  it("keeps the keys typed since when the URL arrives at an earlier commit of its own, then commits them", () => {
    const box = searchBox();
    box.urlIs("");
    box.typeAndPause("1");
    box.typeAndPause("12");
    expect(box.commits).toEqual(["1", "12"]);
    // The page loads "1" (asked first) only once "12" is on its way and "123" typed.
    box.typeAndPause("123");
    expect(box.commits).toEqual(["1", "12", "123"]);
    box.urlIs("1");
    expect(box.shown()).toBe("123");
    box.urlIs("12");
    expect(box.shown()).toBe("123");
    box.urlIs("123");
    expect(box.shown()).toBe("123");
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS * 3));
    expect(box.commits).toEqual(["1", "12", "123"]);
  });

  it("commits what was typed after an earlier commit arrived, once", () => {
    const box = searchBox();
    box.urlIs("");
    box.typeAndPause("pe");
    const { commits } = box;
    // "pet" typed, and the URL arrives at "pe" before its pause ends.
    act(() => box.type("pet"));
    box.urlIs("pe");
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS));
    expect(box.shown()).toBe("pet");
    expect(commits).toEqual(["pe", "pet"]);
    box.urlIs("pet");
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS * 3));
    expect(commits).toEqual(["pe", "pet"]);
  });

  it("follows the URL anywhere else (Back, a saved view), and an own value reached again by Back", () => {
    const box = searchBox();
    box.urlIs("");
    box.typeAndPause("rossi");
    box.urlIs("rossi");
    // Back.
    box.urlIs("");
    expect(box.shown()).toBe("");
    // Forward to "rossi", once taken: followed.
    box.urlIs("rossi");
    expect(box.shown()).toBe("rossi");
    // A saved view's search.
    box.urlIs("petrova");
    expect(box.shown()).toBe("petrova");
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS * 3));
    expect(box.commits).toEqual(["rossi"]);
  });
});

describe("a range's fields typed into while the page loads each pause late", () => {
  function pointsRange() {
    const commits: Array<[string, string]> = [];
    let shown = { from: "", to: "" };
    let type: (next: { from: string; to: string }) => void = () => undefined;
    function Range({ low, high }: { low: string; high: string }) {
      const { typed, setTyped } = useTypedRange(low, high, "number", undefined, (from, to) => {
        commits.push([from, to]);
        return true;
      });
      shown = typed;
      type = setTyped;
      return null;
    }
    const urlIs = (low: string, high: string) => act(() => root.render(<Range low={low} high={high} />));
    const typeAndPause = (to: string) => {
      act(() => type({ from: "", to }));
      act(() => vi.advanceTimersByTime(TYPING_DELAY_MS));
    };
    return { commits, shown: () => shown, urlIs, typeAndPause };
  }

  it("keeps every key of 12345 typed a key a pause when the URL arrives at each earlier commit after the next", () => {
    const range = pointsRange();
    range.urlIs("", "");
    const keys = ["1", "12", "123", "1234", "12345"];
    keys.forEach((to, i) => {
      range.typeAndPause(to);
      // The page loads the commit before this one only now.
      if (i > 0) range.urlIs("", keys[i - 1]!);
      expect(range.shown().to).toBe(to);
    });
    range.urlIs("", "12345");
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS * 3));
    expect(range.shown().to).toBe("12345");
    expect(range.commits).toEqual(keys.map((to) => ["", to]));
  });

  it("follows the URL when it arrives where the range never committed (Clear all, Back)", () => {
    const range = pointsRange();
    range.urlIs("", "");
    range.typeAndPause("500");
    range.urlIs("", "500");
    range.urlIs("100", "");
    expect(range.shown()).toEqual({ from: "100", to: "" });
    act(() => vi.advanceTimersByTime(TYPING_DELAY_MS * 3));
    expect(range.commits).toEqual([["", "500"]]);
  });
});
