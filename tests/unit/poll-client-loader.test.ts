import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { UNSAFE_ErrorResponseImpl as ErrorResponse } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isUnreachable, pollClientLoader, pollDelayMs } from "~/components/use-poll";

/** The route's clientLoader asked for `url`, its server loader failing with `error` (or answering `data`). */
function ask(url: string, outcome: { error: unknown } | { data: unknown }) {
  return pollClientLoader({
    request: new Request(`http://tally.test${url}`),
    params: {},
    serverLoader: async () => {
      if ("error" in outcome) throw outcome.error;
      return outcome.data as never;
    },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a page's poll while Tally restarts", () => {
  it("answers that Tally could not be reached when the network fails, a proxy answers 502, or Tally a 5xx", async () => {
    const outages = [
      new TypeError("Failed to fetch"),
      new Error("Unable to decode turbo-stream response from URL: http://tally.test/app/jobs/4.data?poll=1"),
      new ErrorResponse(503, "Service Unavailable", null),
      new Error("Unexpected Server Error"),
    ];
    for (const error of outages) expect(isUnreachable(await ask("/app/jobs/4?poll=1", { error }))).toBe(true);
  });

  it("keeps today's way for the auth flow's 401 and redirects, a 4xx, and every load that is not a poll", async () => {
    const refusals = [
      new ErrorResponse(401, "Unauthorized", null),
      new ErrorResponse(404, "Not Found", { error: "Job not found" }),
      new Response(null, { status: 302, headers: { Location: "/auth/login" } }),
    ];
    for (const error of refusals) await expect(ask("/app/jobs/4?poll=1", { error })).rejects.toBe(error);
    // A navigation from another page has nothing to keep.
    vi.stubGlobal("location", new URL("http://tally.test/app/jobs?shop=a.myshopify.com"));
    const down = new TypeError("Failed to fetch");
    await expect(ask("/app/jobs/4", { error: down })).rejects.toBe(down);
  });

  it("answers that Tally could not be reached for a load of the page the merchant is on: a tab, another page", async () => {
    vi.stubGlobal("location", new URL("http://tally.test/app/jobs/4?shop=a.myshopify.com"));
    const down = new TypeError("Failed to fetch");
    expect(isUnreachable(await ask("/app/jobs/4?outcome=failed", { error: down }))).toBe(true);
    vi.stubGlobal("location", new URL("http://tally.test/app/jobs?shop=a.myshopify.com"));
    expect(isUnreachable(await ask("/app/jobs?index&before=40", { error: down }))).toBe(true);
    // Its refusals still reach the ErrorBoundary (a job of another shop, the auth flow).
    const notFound = new ErrorResponse(404, "Not Found", { error: "Job not found" });
    await expect(ask("/app/jobs?index&before=40", { error: notFound })).rejects.toBe(notFound);
  });

  it("answers Tally's own data when it answers", async () => {
    const data = { job: { id: 4 } };
    await expect(ask("/app/jobs/4?poll=1", { data })).resolves.toBe(data);
  });

  it("asks less and less often while Tally does not answer: 1.5 s, 3 s, 6 s, then every 10 s", () => {
    expect([0, 1, 2, 3, 4, 9].map((failures) => pollDelayMs(1500, failures))).toEqual([
      1500, 1500, 3000, 6000, 10_000, 10_000,
    ]);
  });

  it("is how every polled route loads on the client (a poll of a route without it would reach the ErrorBoundary)", () => {
    const routes = path.resolve("app/routes");
    // Polled: the pages that poll themselves, the job page that progress bars poll (jobPollPath), and the active jobs
    // Home's banner polls.
    const polled = readdirSync(routes, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .filter(
        (file) =>
          file === "app.jobs.$id.tsx" ||
          file === "app.jobs.active.ts" ||
          readFileSync(path.join(routes, file), "utf8").includes("usePolledLoaderData"),
      );
    expect(polled.length).toBeGreaterThanOrEqual(4);
    for (const file of polled) {
      expect(readFileSync(path.join(routes, file), "utf8"), file).toContain(
        "export const clientLoader = pollClientLoader;",
      );
    }
  });
});
