import { getHeapStatistics } from "node:v8";
const mb = (b) => (b / 2 ** 20).toFixed(1);
const rssAnon = () => { const t = (await_read()); return t; };
import { readFileSync } from "node:fs";
function await_read() { const s = readFileSync("/proc/self/status", "utf8"); return Number(/RssAnon:\s+(\d+)/.exec(s)[1]) / 1024; }
gc(); gc();
const before = { rss: process.memoryUsage.rss(), heap: getHeapStatistics().used_heap_size, anon: await_read() };
for (const spec of process.argv.slice(2)) await import(spec);
gc(); gc();
const after = { rss: process.memoryUsage.rss(), heap: getHeapStatistics().used_heap_size, anon: await_read() };
console.log(process.argv.slice(2).join("+").padEnd(60), "rss +", mb(after.rss - before.rss), " heapUsed +", mb(after.heap - before.heap), " anon +", (after.anon - before.anon).toFixed(1), " total rss", mb(after.rss));
