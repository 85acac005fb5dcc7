import { Agent, request } from "node:http";

export interface LoadResult {
  requests: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<number, number>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * Sends `total` requests built by `make(i)` with `concurrency` in flight over keep-alive connections, and reports
 * throughput and latency percentiles in milliseconds. Bounded in count, so it always stops. Several `url`s share the
 * requests in turn, as a round-robin load balancer in front of several instances would.
 */
export async function runLoad(options: {
  url: string | string[];
  total: number;
  concurrency: number;
  make: (i: number) => { path: string; headers: Record<string, string>; body: string };
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const targets = [options.url].flat().map((url) => new URL(url));
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < options.total) {
      const i = next++;
      const { path, headers, body } = options.make(i);
      const target = targets[i % targets.length]!;
      const t0 = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: target.hostname, port: target.port, path, method: "POST", headers, agent },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: options.total,
    seconds,
    throughput: options.total / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    statuses,
  };
}
