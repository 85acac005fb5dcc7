// npm run bench:import: reading a 100,000-row customer CSV (IMPORT_ROWS to change) three ways, each in its own
// process so its peak RSS is its own, in the same run: the baseline of merely parsing the file with csv-parse, the
// customer dry run (every row checked, emails looked up in a shop of as many customers, bad rows stored), and a points
// move (dry run, then the "Move points in" task writing one ledger entry per customer). Prints rows/s and peak RSS of
// each beside the baseline's (decision 023: the file is streamed from disk, never held in memory). Then the customer
// import into a sandbox Shopify (running in this parent process, so its memory is not the phase's): the whole file
// through Shopify's bulk mutation (decision 033), against the row-by-row path on a file of PER_ROW_ROWS rows. The
// customer dry run prints when the upload answers and when its background check is done (decision 048), beside the
// check of another checkout (IMPORT_BASELINE, main) run on the same file in the same run.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROWS = Number(process.env.IMPORT_ROWS ?? 100_000);
/** The row-by-row customer import, throttled by Shopify's rate limit, is measured on a file this small. */
const PER_ROW_ROWS = Number(process.env.IMPORT_PER_ROW_ROWS ?? 300);
const bulkShop = "bench-bulk.myshopify.com";
const perRowShop = "bench-rows.myshopify.com";
const shop = "bench-import.myshopify.com";
const [, , phase, dir] = process.argv;

/** One key for every phase of a run (each phase's process seals and opens the shop's tokens with it). */
const encryptionKey = process.env.TALLY_ENCRYPTION_KEY ?? randomBytes(32).toString("base64");

function environment(dir: string) {
  return {
    DATABASE_PATH: path.join(dir, "bench.sqlite"),
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: "https://tally.bench",
    SCOPES: "read_customers,write_customers",
    NODE_ENV: "production" as const,
    TALLY_ENCRYPTION_KEY: encryptionKey,
    TALLY_BACKGROUND_JOBS: "off",
  };
}

/** One row in fifty has a problem (a bad email, a duplicate, a formula, a bad phone, decimals), as real files do. */
function writeFiles(dir: string) {
  const customers = ["First Name,Last Name,Email,Phone,Tags,Accepts Email Marketing,Points"];
  const points = ["Email,Points balance"];
  for (let i = 0; i < ROWS; i++) {
    const kind = i % 250;
    const email = kind === 1 ? `bad-${i}` : kind === 2 ? `c${i - 2}@example.com` : `c${i}@example.com`;
    const first = kind === 3 ? "=SUM(A1)" : `First${i}`;
    const phone = kind === 4 ? "call me" : i % 3 === 0 ? `+1 613 555 ${String(i % 10_000).padStart(4, "0")}` : "";
    const pts = kind === 5 ? "12.5" : String(i % 500);
    customers.push(`${first},"Last, ${i}",${email},${phone},"vip, import",${i % 2 ? "yes" : "no"},${pts}`);
    points.push(`${email},${pts}`);
  }
  writeFileSync(path.join(dir, "customers.csv"), `\uFEFF${customers.join("\r\n")}\r\n`);
  writeFileSync(path.join(dir, "points.csv"), `${points.join("\n")}\n`);
  // For Shopify: every row good (the bad ones are the dry run's business, measured above).
  const clean = (rows: number) =>
    [
      "First Name,Last Name,Email,Accepts Email Marketing,Points",
      ...Array.from(
        { length: rows },
        (_, i) => `First${i},Last ${i},s${i}@example.com,${i % 2 ? "yes" : "no"},${i % 500}`,
      ),
    ].join("\n");
  writeFileSync(path.join(dir, "bulk.csv"), `${clean(ROWS)}\n`);
  writeFileSync(path.join(dir, "per-row.csv"), `${clean(PER_ROW_ROWS)}\n`);
}

function peakRssMiB() {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Installs Tally on the sandbox shop as the admin's first request does, then imports the file as a merchant would. */
async function importIntoShopify(shop: string, file: string) {
  const { authenticate, contextFor } = await import("~/shopify.server");
  const request = new Request(`${process.env.SHOPIFY_APP_URL}/app`, {
    headers: { Authorization: `Bearer ${process.env.BENCH_SESSION_TOKEN}` },
  });
  await authenticate.admin(request);
  const { startCustomerImportCheck } = await import("~/services/imports/check-import.server");
  const { getImport } = await import("~/services/imports/apply-import.server");
  const { startImport } = await import("~/services/imports/start-import.server");
  const { createTaskRunner } = await import("~/jobs/task-runner.server");
  const { getTask } = await import("~/services/background-jobs/get-task.server");
  const ctx = contextFor(shop, { actor: "staff:1", actorName: "Bench" });
  const start = performance.now();
  const checking = await startCustomerImportCheck({
    ctx,
    input: {
      fileName: path.basename(file),
      filePath: file,
      existing: "update",
      invite: false,
    },
  });
  await createTaskRunner({ shops: [shop], pauseMs: 0 }).runTask(checking.taskId!);
  const checked = await getImport({ ctx, input: { importId: checking.id } });
  const { task } = await startImport({ ctx, input: { importId: checked.id } });
  await createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
  const done = await getTask({ ctx, input: { taskId: task.id } });
  return {
    rows: checked.summary.rows!,
    ms: performance.now() - start,
    summary: { ...done.items, status: done.status },
  };
}

async function runPhase(phase: string, dir: string) {
  Object.assign(process.env, environment(dir));
  if (phase === "bulk") return importIntoShopify(bulkShop, path.join(dir, "bulk.csv"));
  if (phase === "per-row") return importIntoShopify(perRowShop, path.join(dir, "per-row.csv"));
  const file = path.join(dir, phase === "points" ? "points.csv" : "customers.csv");
  if (phase === "parse") {
    // The same modules loaded as the other phases, so the RSS compared is the work's, not the code's.
    await import("~/shopify.server");
    await import("~/services/imports/check-import.server");
    await import("~/jobs/task-runner.server");
    const { readCsv, toUtf8 } = await import("~/lib/csv-read.server");
    const start = performance.now();
    const shape = await toUtf8(file);
    let rows = -1;
    for await (const _record of readCsv(file, shape)) rows += 1;
    return { rows, ms: performance.now() - start };
  }
  const { contextFor } = await import("~/shopify.server");
  const { customers } = await import("~/db/schema");
  const ctx = contextFor(shop, { actor: "staff:1", actorName: "Bench" });
  if (phase === "seed") {
    // With their search columns, as a sync writes them: else the boot's search backfill would update every row
    // during the phase that follows, and be timed with it.
    const { searchColumnsOf } = await import("~/domain/customers");
    // 500 a statement: a row of the customers table binds over 60 variables, and SQLite allows 32,766.
    for (let start = 0; start < ROWS; start += 500) {
      await ctx.db.insert(customers).values(
        Array.from({ length: Math.min(500, ROWS - start) }, (_, i) => ({
          shop,
          customerGid: `gid://shopify/Customer/${10_000_000 + start + i}`,
          // Half the file's customers are in the shop already.
          email: (start + i) % 2 ? `c${start + i}@example.com` : `other${start + i}@example.com`,
          status: "member" as const,
          ...searchColumnsOf({
            firstName: null,
            lastName: null,
            email: (start + i) % 2 ? `c${start + i}@example.com` : `other${start + i}@example.com`,
            phone: null,
          }),
        })),
      );
    }
    return { rows: ROWS, ms: 0 };
  }
  const { startCustomerImportCheck, startPointsImportCheck } = await import("~/services/imports/check-import.server");
  const { getImport } = await import("~/services/imports/apply-import.server");
  const { startImport } = await import("~/services/imports/start-import.server");
  const { createTaskRunner } = await import("~/jobs/task-runner.server");
  const { getTask } = await import("~/services/background-jobs/get-task.server");
  if (phase === "check") {
    // The upload's answer (header read, import recorded, check queued; the multipart streaming before it is the same
    // on every branch), then the check task run to its end, chunk by chunk as the runner commits it. The database is
    // opened first, as a running server's is.
    await ctx.db.select().from(customers).limit(1);
    const start = performance.now();
    const checking = await startCustomerImportCheck({
      ctx,
      input: { fileName: "customers.csv", filePath: file, existing: "update", invite: false },
    });
    const answeredMs = performance.now() - start;
    await createTaskRunner({ shops: [shop], pauseMs: 0 }).runTask(checking.taskId!);
    const checked = await getImport({ ctx, input: { importId: checking.id } });
    return {
      rows: checked.summary.rows!,
      ms: performance.now() - start,
      answeredMs,
      status: checked.status,
      summary: checked.summary,
    };
  }
  const start = performance.now();
  const checking = await startPointsImportCheck({
    ctx,
    input: { fileName: "points.csv", filePath: file, source: "smile" },
  });
  await createTaskRunner({ shops: [shop], pauseMs: 0 }).runTask(checking.taskId!);
  const checked = await getImport({ ctx, input: { importId: checking.id } });
  const checkedMs = performance.now() - start;
  const { task } = await startImport({ ctx, input: { importId: checked.id } });
  await createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
  const done = await getTask({ ctx, input: { taskId: task.id } });
  return {
    rows: checked.summary.rows!,
    ms: performance.now() - start,
    checkedMs,
    summary: { ...checked.summary, moved: done.items.done, status: done.status },
  };
}

if (phase) {
  const result = await runPhase(phase, dir!);
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMiB: peakRssMiB() })}\n`);
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), "tally-bench-import-"));
try {
  writeFiles(work);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    `${ROWS.toLocaleString("en")} rows: customers.csv ${mib(statSync(path.join(work, "customers.csv")).size)}, points.csv ${mib(statSync(path.join(work, "points.csv")).size)}`,
  );
  const env = { ...process.env, ...environment(work) };
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const run = async (name: string, extra: Record<string, string> = {}, from = { root, dir: work }) =>
    JSON.parse(
      (
        await promisify(execFile)(
          process.execPath,
          ["--import", "tsx", path.join(from.root, "scripts/bench/import.ts"), name, from.dir],
          {
            cwd: from.root,
            env: { ...env, ...environment(from.dir), ...extra },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          },
        )
      ).stdout
        .trim()
        .split("\n")
        .pop()!,
    ) as {
      rows: number;
      ms: number;
      peakRssMiB: number;
      checkedMs?: number;
      answeredMs?: number;
      summary?: Record<string, unknown>;
    };
  const parse = await run("parse");
  await run("seed");
  const check = await run("check");
  // IMPORT_BASELINE=<a checkout of main, its node_modules installed>: its dry run of the same file in the same run,
  // on its own database, for the upload's answer before and after the check moved to the background (decision 048).
  const baselineRoot = process.env.IMPORT_BASELINE;
  let baseline: Awaited<ReturnType<typeof run>> | undefined;
  if (baselineRoot) {
    const dir = mkdtempSync(path.join(tmpdir(), "tally-bench-import-baseline-"));
    try {
      writeFileSync(path.join(dir, "customers.csv"), readFileSync(path.join(work, "customers.csv")));
      // Seeded by this branch (the same rows as its own check's), checked by the baseline's code.
      await run("seed", {}, { root, dir });
      baseline = await run("check", {}, { root: baselineRoot, dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
  const printCheck = () => {
    console.log(
      `customer upload answered after ${seconds(check.answeredMs)} (header read, check queued); check done after ${seconds(check.ms)} in the background, peak RSS ${check.peakRssMiB} MiB`,
    );
    if (baseline) {
      const same = JSON.stringify(baseline.summary) === JSON.stringify(check.summary);
      console.log(
        `baseline ${baselineRoot}: upload answered after ${seconds(baseline.ms)} (the whole check in the request), ` +
          `peak RSS ${baseline.peakRssMiB} MiB; its preview ${same ? "equals" : "DIFFERS FROM"} this branch's`,
      );
    }
  };
  // IMPORT_CHECK_ONLY=1: the customer dry run alone (and the baseline's), without the points move and Shopify.
  if (process.env.IMPORT_CHECK_ONLY) {
    printCheck();
    process.exit(0);
  }
  const points = await run("points");

  const { startSandbox } = await import("../../tests/sandbox/index");
  const credentials = environment(work);
  const sandbox = await startSandbox({
    apiKey: credentials.SHOPIFY_API_KEY,
    apiSecret: credentials.SHOPIFY_API_SECRET,
    appUrl: "http://127.0.0.1:9",
    retry: { delaysMs: [10], maxAttempts: 1 },
  });
  const shopify = async (name: string, shop: string) => {
    sandbox.control.createShop({ shop });
    return run(name, {
      SHOPIFY_SANDBOX_ORIGIN: sandbox.origin,
      BENCH_SESSION_TOKEN: sandbox.control.sessionToken({ shop }),
    });
  };
  const perRow = await shopify("per-row", perRowShop);
  const bulk = await shopify("bulk", bulkShop);
  await sandbox.close();
  const rate = (r: { rows: number; ms: number }) => Math.round(r.rows / (r.ms / 1000));
  const line = (name: string, r: { rows: number; ms: number; peakRssMiB: number }) =>
    console.log(
      `${name.padEnd(40)} ${rate(r).toLocaleString("en").padStart(9)} rows/s  (${(r.ms / 1000).toFixed(2)} s)  peak RSS ${r.peakRssMiB} MiB  ` +
        `[${(rate(parse) / rate(r)).toFixed(1)}x slower than parsing, RSS ${(r.peakRssMiB / parse.peakRssMiB).toFixed(2)}x]`,
    );
  line("baseline: csv-parse only", parse);
  line("customer dry run (check every row)", check);
  line("points move (dry run + task, ledger)", points);
  console.log("customer dry run:", JSON.stringify(check.summary));
  printCheck();
  console.log(
    "points move:",
    JSON.stringify(points.summary),
    `dry run ${((points.checkedMs ?? 0) / 1000).toFixed(2)} s`,
  );
  const versus = (r: typeof bulk) =>
    `${rate(r).toLocaleString("en").padStart(9)} rows/s  (${(r.ms / 1000).toFixed(2)} s)  peak RSS ${r.peakRssMiB} MiB`;
  console.log(`\nCustomer import into the sandbox Shopify (dry run + task, Shopify's calls included):`);
  console.log(`${`row by row, ${PER_ROW_ROWS.toLocaleString("en")} rows`.padEnd(40)} ${versus(perRow)}`);
  console.log(
    `${`bulk mutation, ${ROWS.toLocaleString("en")} rows`.padEnd(40)} ${versus(bulk)}  ` +
      `[${(rate(bulk) / rate(perRow)).toFixed(0)}x the row-by-row rate, RSS ${(bulk.peakRssMiB / perRow.peakRssMiB).toFixed(2)}x]`,
  );
  console.log("row by row:", JSON.stringify(perRow.summary), " bulk:", JSON.stringify(bulk.summary));
} finally {
  rmSync(work, { recursive: true, force: true });
}
