// Page latencies sampled while background work runs, shared by bench:tasks and bench:export.

/**
 * Calls `ask` every 25 ms until `until` resolves and returns each call's latency in ms. Each latency runs from when the
 * call was due (its timer's time), so work that holds the event loop counts against the page as it would against a
 * request arriving then.
 */
export async function sampleWhile(ask: () => Promise<unknown>, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.then(() => (done = true));
  let due = performance.now();
  while (!done) {
    await ask();
    latencies.push(performance.now() - due);
    due = performance.now() + 25;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return latencies;
}

/** Count, p50, p95 and max of latencies in ms. */
export function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const pause = (wait: number) => new Promise((resolve) => setTimeout(resolve, wait));
