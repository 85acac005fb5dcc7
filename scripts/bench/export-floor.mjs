// bench:export's floor, under plain Node: a process that opens the SQLite file with better-sqlite3 and reads every
// customer of the shop, every column, in id order through iterate(), keeping nothing and writing nothing. Prints its
// time, its RSS before the read and its peak (VmHWM) as JSON: what holding the database and reading 1,000,000 rows
// costs with none of the app loaded.
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";

const vm = (field) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
const db = new Database(process.env.DATABASE_PATH, { readonly: true });
const before = vm("VmRSS");
const started = performance.now();
let rows = 0;
for (const row of db.prepare("select * from customers where shop = ? order by id").iterate(process.env.BENCH_SHOP)) {
  if (row.id > 0) rows++;
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds, rssBefore: before, peak: vm("VmHWM") }));
