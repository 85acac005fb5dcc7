// @vitest-environment jsdom
import { Await } from "@remix-run/react";
import { Writable } from "node:stream";
import { createContext, startTransition, Suspense, useEffect, useState, type Context, type ReactNode } from "react";
import { hydrateRoot, type Root } from "react-dom/client";
import { renderToPipeableStream } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useSettled } from "~/components/use-settled";

// What the directory does with its count (app/components/customer-directory.tsx): the loader defers it, the server
// streams the page first, and the browser hydrates the page before the count arrives when the server is slow (under
// load in CI, on a large shop). Polaris then measures itself on mount, which changes a context above the count
// (`Measured`; the server and the browser each have their own, as they do in a real app).
type Shown = "useSettled" | "Suspense";

function CountBySettled({ count }: { count: Promise<number> }) {
  const settled = useSettled(count);
  if (settled.state === "resolved") return <p>{settled.value} customers</p>;
  if (settled.state === "rejected") return <p>Tally could not count these customers</p>;
  return <p>Counting…</p>;
}

function DirectoryPage(props: { tab: string; count: Promise<number>; shown: Shown; Measured: Context<number> }) {
  const { tab, count, shown, Measured } = props;
  const [width, setWidth] = useState(0);
  useEffect(() => setWidth(1440), []);
  let countLine: ReactNode;
  if (shown === "useSettled") countLine = <CountBySettled count={count} />;
  else {
    countLine = (
      <Suspense fallback={<p>Counting…</p>}>
        <Await resolve={count}>{(value) => <p>{value} customers</p>}</Await>
      </Suspense>
    );
  }
  return (
    <Measured.Provider value={width}>
      <h1>{tab}</h1>
      {countLine}
    </Measured.Provider>
  );
}

/**
 * The server's first flush of the page (its shell) while its count is still pending. The render is then stopped (what
 * it would stream later never reaches this browser), so that no server render is live while the page hydrates.
 */
function serverShell(page: ReactNode): Promise<string> {
  return new Promise((resolve, reject) => {
    let html = "";
    const stream = renderToPipeableStream(page, {
      onShellReady() {
        stream.pipe(
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              html += chunk.toString();
              done();
            },
          }),
        );
        setImmediate(() => {
          resolve(html);
          stream.abort();
        });
      },
      onShellError: reject,
      onError: () => {}, // the abort above
    });
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
function pending() {
  let arrive!: (count: number) => void;
  let fail!: (error: Error) => void;
  const count = new Promise<number>((resolve, reject) => {
    arrive = resolve;
    fail = reject;
  });
  return { count, arrive, fail };
}

let roots: Root[] = [];
afterEach(() => {
  for (const root of roots) root.unmount();
  roots = [];
  document.body.innerHTML = "";
});

/** The All tab's page served while its count is pending, hydrated in the browser, which then lets it settle. */
async function hydrateWhileCounting(shown: Shown) {
  const server = pending();
  const shell = await serverShell(
    <DirectoryPage tab="All" count={server.count} shown={shown} Measured={createContext(0)} />,
  );
  const container = document.createElement("div");
  container.innerHTML = shell;
  document.body.append(container);
  const serverText = container.textContent;
  const recoverableErrors: string[] = [];
  const browser = pending();
  const Measured = createContext(0);
  const root = hydrateRoot(
    container,
    <DirectoryPage tab="All" count={browser.count} shown={shown} Measured={Measured} />,
    {
      onRecoverableError: (error) => recoverableErrors.push(String(error)),
    },
  );
  roots.push(root);
  await settle();
  const whileCounting = container.textContent;
  browser.arrive(12);
  // React may hold a boundary's content back for up to 500 ms after showing its fallback.
  await vi.waitFor(() => expect(container.textContent).toContain("12"), { timeout: 2_000 });
  /** A click on another tab: Remix renders the next page in a transition, its count pending again. */
  const openTab = (tab: string, count: Promise<number>) =>
    startTransition(() => root.render(<DirectoryPage tab={tab} count={count} shown={shown} Measured={Measured} />));
  return { container, serverText, whileCounting, arrived: container.textContent, recoverableErrors, openTab };
}

describe("the directory's deferred count", () => {
  it("hydrates while it is still counting, without React giving up on the page, and shows the count once it arrives", async () => {
    const page = await hydrateWhileCounting("useSettled");
    expect(page.serverText).toBe("AllCounting…");
    expect(page.whileCounting).toBe("AllCounting…");
    expect(page.arrived).toBe("All12 customers");
    expect(page.recoverableErrors).toEqual([]);
  });

  it("lets the next tab's page show at once, counting, instead of holding the last page until its count arrives", async () => {
    const page = await hydrateWhileCounting("useSettled");
    const blocked = pending();
    page.openTab("Blocked", blocked.count);
    await settle();
    expect(page.container.textContent).toBe("BlockedCounting…");
    blocked.arrive(0);
    await vi.waitFor(() => expect(page.container.textContent).toBe("Blocked0 customers"));
  });

  it("says it could not count when the count fails, and keeps the page", async () => {
    const page = await hydrateWhileCounting("useSettled");
    const paying = pending();
    page.openTab("Paying", paying.count);
    await settle();
    paying.fail(new Error("database is locked"));
    await vi.waitFor(() => expect(page.container.textContent).toBe("PayingTally could not count these customers"));
  });

  it("is what a Suspense boundary around Remix's Await got wrong on both counts", async () => {
    // The faults useSettled exists for, kept as a check that this test's pages reproduce them.
    const page = await hydrateWhileCounting("Suspense");
    expect(page.recoverableErrors).toEqual([
      expect.stringContaining("received an update before it finished hydrating"),
    ]);
    const blocked = pending();
    page.openTab("Blocked", blocked.count);
    await settle();
    expect(page.container.textContent).toBe("All12 customers");
    blocked.arrive(0);
    await vi.waitFor(() => expect(page.container.textContent).toBe("Blocked0 customers"));
  });
});
