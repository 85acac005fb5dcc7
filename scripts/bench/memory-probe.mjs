// Preloaded into the processes a bench measures (NODE_OPTIONS="--import <this file>", so the processes they fork load
// it too): samples process.memoryUsage() every 25 ms and keeps, in the JSON file BENCH_MEMORY_OUT.<pid>.json, the sample with the largest RSS
// (its V8 heap and spaces, external memory and array buffers) and the largest of each figure, so a bench can say where a peak
// came from. Bench use only; production never loads it.
import { renameSync, writeFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";

const out = process.env.BENCH_MEMORY_OUT && `${process.env.BENCH_MEMORY_OUT}.${process.pid}.json`;
if (out) {
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const space = (name) => getHeapSpaceStatistics().find((each) => each.space_name === name)?.space_size ?? 0;
  const figures = (usage) => ({
    rss: mb(usage.rss),
    newSpace: mb(space("new_space")),
    oldSpace: mb(space("old_space")),
    codeSpace: mb(space("code_space")),
    largeObjects: mb(space("large_object_space")),
    heapTotal: mb(usage.heapTotal),
    heapUsed: mb(usage.heapUsed),
    external: mb(usage.external),
    arrayBuffers: mb(usage.arrayBuffers),
  });
  let atPeak = figures(process.memoryUsage());
  let largest = { ...atPeak };
  let samples = 0;
  // Written whole and renamed into place, so a reader never sees half a file.
  const write = () => {
    writeFileSync(`${out}.tmp`, JSON.stringify({ atPeak, largest, samples }));
    renameSync(`${out}.tmp`, out);
  };
  setInterval(() => {
    const now = figures(process.memoryUsage());
    samples++;
    if (now.rss > atPeak.rss) atPeak = now;
    for (const key of Object.keys(largest)) largest[key] = Math.max(largest[key], now[key]);
    if (samples % 10 === 0) write();
  }, 25).unref();
  process.on("exit", write);
}
