// npm run bench:faults: the production build (server.js) inside the loopback sandbox Shopify, killed with SIGKILL in the
// middle of a steady stream of paid orders and restarted on the same database and port. The sandbox retries what the
// outage refused; the bench then checks every order against the ledger: none lost, none counted twice, every balance
// equal to its ledger and to what the sandbox's orders imply. Run by hand; exits non-zero when any of that fails.
// `-- --postgres --instances 2`: on a throwaway PostgreSQL (scripts/postgres-cluster.ts), two instances behind a
// round-robin load balancer the bench runs; the first is killed and restarted, the second keeps serving and takes
// the deliveries the dead one held (decision 037).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../tests/helpers/app-server";
import { readAppConfig } from "../../tests/sandbox/app-config";
import { startSandbox, type Sandbox } from "../../tests/sandbox/index";
import { findPostgresBin, startPostgresCluster, type PostgresCluster } from "../postgres-cluster";
import { postgresProbe, sqliteProbe, type Probe } from "./probe";
import { serverArgs } from "../server-command";

const argv = process.argv.slice(2);
const onPostgres = argv.includes("--postgres");
const instanceCount = argv.includes("--instances") ? Number(argv[argv.indexOf("--instances") + 1]) : 1;
if (!Number.isInteger(instanceCount) || instanceCount < 1 || instanceCount > 4)
  throw new Error("--instances takes 1 to 4");
if (instanceCount > 1 && !onPostgres)
  throw new Error("Several instances need PostgreSQL (--postgres): a SQLite file has one process");

const shop = "faults.myshopify.com";
const apiKey = "tally-faults-api-key";
const apiSecret = "tally-faults-api-secret";
const customerCount = Number(process.env.FAULTS_CUSTOMERS ?? 50);
const orderCount = Number(process.env.FAULTS_ORDERS ?? 600);
const ordersPerSecond = Number(process.env.FAULTS_RATE ?? 50);
const killAfter = Math.floor(orderCount / 3);
// The orders just before the kill go out at once, and the kill comes when Tally has recorded about half of their
// webhooks, so it lands in the middle of answering and applying them rather than between two quiet orders.
const burst = 25;
const downMs = 1500;
const overallMs = 300_000;
const signupBonus = 100;
const discountCode = "FAULTS10";
const browserUserAgent =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface PlacedOrder {
  orderGid: string;
  customerGid: string;
  /** The earning base: the goods after discounts, gift cards left out (tax is on top in the bench's shop). */
  baseCents: number;
}

/** One life of the app process; its log is kept so a failure can show what the app said. */
class AppProcess {
  readonly child: ChildProcess;
  readonly errors: string[] = [];

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, serverArgs(), {
      env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n"))
        if (line.trim() && !/\[shopify-(app|api)\/INFO\]/.test(line)) this.errors.push(line);
    });
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitUntilAnswering(url: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`Tally exited (${this.child.exitCode}):\n${this.errors.join("\n")}`);
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`Tally did not answer on ${url} within ${timeoutMs / 1000} s`);
      await sleep(25);
    }
  }

  /** SIGKILL: no shutdown handler runs, whatever was in flight is cut off. */
  kill(signal: "SIGKILL" | "SIGTERM") {
    return new Promise<void>((resolve) => {
      if (!this.running) return resolve();
      this.child.once("exit", () => resolve());
      this.child.kill(signal);
    });
  }
}

async function install(sandbox: Sandbox, appUrl: string) {
  const response = await fetch(`${appUrl}/app?shop=${shop}`, {
    // authenticate.admin answers 410 to anything isbot recognises, Node's own user agent included.
    headers: { Authorization: `Bearer ${sandbox.control.sessionToken({ shop })}`, "User-Agent": browserUserAgent },
  });
  if (!response.ok) throw new Error(`GET /app with a session token answered ${response.status}`);
}

async function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds(ms)}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One run: the sandbox, the app's environment and every life of the app, and how to clean them all up. */
interface Run {
  started: number;
  dir: string;
  appPort: number;
  appUrl: string;
  sandbox: Sandbox;
  env: Record<string, string>;
  lives: AppProcess[];
  db?: Probe;
  firstBootMs: number;
  /** Each instance's own port and environment; instance 0 is the one killed. */
  instances: Array<{ port: number; env: Record<string, string> }>;
  balancer?: Server;
  cluster?: PostgresCluster;
}

/** When the kill and the restart happened (performance.now() instants) and what was in flight at the kill. */
interface Outage {
  killedAt: number;
  respawnedAt: number;
  answeringAt: number;
  placedWhileDown: number;
  queuedAtKill: number;
  recordedAtKill: number;
  lastOrderAt: number;
}

/**
 * A round-robin load balancer in front of the instances, as Shopify's deliveries would meet in production: each
 * request goes to the next instance; one that refuses the connection (dead) is skipped for the next, and a request
 * cut off mid-way is answered 502, which Shopify retries (a balancer does not replay a POST it half sent).
 */
function startBalancer(port: number, backends: number[]): Promise<Server> {
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const first = next++ % backends.length;
      const attempt = (tries: number) => {
        const backend = backends[(first + tries) % backends.length]!;
        const upstream = httpRequest(
          { host: "127.0.0.1", port: backend, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code === "ECONNREFUSED" && tries + 1 < backends.length) return attempt(tries + 1);
          if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

async function startRun(): Promise<Run> {
  if (!existsSync("build/server/index.js"))
    throw new Error("Run `npm run build` first: the bench kills and restarts the production build.");
  const started = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), "tally-faults-"));
  // A fixed port for both lives of the app: the sandbox's webhook URLs must stay valid across the restart.
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandbox = await startSandbox({
    apiKey,
    apiSecret,
    appUrl,
    port: 0,
    retry: { delaysMs: [200, 500, 1000, 2000, 4000], maxAttempts: 8 },
  });
  const cluster = onPostgres ? await startPostgresCluster(findPostgresBinOrThrow()) : undefined;
  const env = {
    PORT: String(appPort),
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SCOPES: readAppConfig(path.resolve("shopify.app.toml")).scopes.join(","),
    ...(cluster ? { DATABASE_URL: cluster.url } : { DATABASE_PATH: path.join(dir, "tally.sqlite") }),
    SHOPIFY_SANDBOX_ORIGIN: sandbox.origin,
    // One key for the run: every restart must open the tokens the first life sealed.
    TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  const instances =
    instanceCount === 1
      ? [{ port: appPort, env }]
      : await Promise.all(
          Array.from({ length: instanceCount }, async () => {
            const port = await freePort();
            return { port, env: { ...env, PORT: String(port) } };
          }),
        );
  const balancer =
    instanceCount === 1
      ? undefined
      : await startBalancer(
          appPort,
          instances.map((instance) => instance.port),
        );
  return { started, dir, appPort, appUrl, sandbox, env, lives: [], firstBootMs: 0, instances, balancer, cluster };
}

function findPostgresBinOrThrow(): string {
  const bin = findPostgresBin();
  if (!bin) throw new Error("--postgres needs PostgreSQL installed here (apt-get install postgresql)");
  return bin;
}

async function cleanUp(run: Run) {
  await run.db?.close();
  await Promise.all(run.lives.map((life) => life.kill("SIGTERM")));
  await run.sandbox.close();
  await new Promise((resolve) => (run.balancer ? run.balancer.close(resolve) : resolve(undefined)));
  run.cluster?.stop();
  rmSync(run.dir, { recursive: true, force: true });
}

/** The shop with its discount code, Tally's first life, the install, and the customers who sign up. */
async function bootInstallAndSignUp(run: Run): Promise<string[]> {
  const c = run.sandbox.control;
  c.createShop({ shop, name: "Tally Faults" });
  c.createDiscountCode({ shop, code: discountCode, percentage: 0.1 });
  const firstBoot = performance.now();
  // One at a time: the first migrates the database; the others find nothing to do.
  for (const instance of run.instances) {
    run.lives.push(new AppProcess(instance.env));
    await run.lives.at(-1)!.waitUntilAnswering(`http://127.0.0.1:${instance.port}/`);
  }
  run.firstBootMs = performance.now() - firstBoot;
  await install(run.sandbox, run.appUrl);
  run.db = run.cluster ? await postgresProbe(run.cluster.url) : sqliteProbe(run.env.DATABASE_PATH!, { readonly: true });
  const customerGids: string[] = [];
  for (let i = 0; i < customerCount; i++) {
    const customer = c.createCustomerAccount({ shop, email: `faults-${i}@example.com`, firstName: `Faults ${i}` });
    customerGids.push(`gid://shopify/Customer/${customer.id}`);
  }
  return customerGids;
}

/** The order a customer places at step i: some with a second line, every fourth with the discount code. */
function placeOneOrder(run: Run, i: number, customerGid: string): PlacedOrder {
  const order = run.sandbox.control.placeOrder({
    shop,
    customerId: customerGid,
    lines: [
      { productIndex: (i * 7) % 8, quantity: 1 + (i % 3) },
      ...(i % 5 === 0 ? [{ productIndex: (i * 3 + 1) % 8, quantity: 1 }] : []),
    ],
    // A percentage off leaves cents in the subtotal, so the rounding down of points is checked too.
    ...(i % 4 === 0 ? { discountCode } : {}),
  });
  const baseCents = order.lines
    .filter((line) => !line.giftCard)
    .reduce((sum, line) => sum + line.quantity * line.unitCents - (line.discountCents ?? 0), 0);
  return { orderGid: `gid://shopify/Order/${order.id}`, customerGid, baseCents };
}

/**
 * A steady stream of orders; a third of the way in, after a burst, Tally is killed with SIGKILL while it is applying
 * the burst's webhooks, and it comes back downMs later on the same database and port.
 */
async function placeOrdersThroughAKill(run: Run, customerGids: string[]) {
  const db = run.db!;
  const placed: PlacedOrder[] = [];
  const outage: Outage = {
    killedAt: 0,
    respawnedAt: 0,
    answeringAt: 0,
    placedWhileDown: 0,
    queuedAtKill: 0,
    recordedAtKill: 0,
    lastOrderAt: 0,
  };
  let restart: Promise<void> | undefined;
  const recorded = () => db.count("select count(*) as n from webhook_deliveries");
  const killed = run.lives[0]!;
  let recordedBeforeBurst = 0;
  const loadStarted = performance.now();
  for (let i = 0; i < orderCount; i++) {
    const due = loadStarted + (i * 1000) / ordersPerSecond;
    const inBurst = i > killAfter - burst && i <= killAfter;
    if (!inBurst && due > performance.now()) await sleep(due - performance.now());
    if (i === killAfter - burst + 1) recordedBeforeBurst = await recorded();
    if (i === killAfter) {
      const waitUntil = performance.now() + 2_000;
      while ((await recorded()) < recordedBeforeBurst + burst * 2 && performance.now() < waitUntil)
        await new Promise((resolve) => setImmediate(resolve));
      await killed.kill("SIGKILL");
      outage.killedAt = performance.now();
      // Accepted and answered 200, effect not applied yet: only the queue on disk remembers these.
      outage.queuedAtKill = await db.count("select count(*) as n from webhook_deliveries where status <> 'processed'");
      outage.recordedAtKill = (await recorded()) - recordedBeforeBurst;
      restart = (async () => {
        await sleep(downMs);
        const revived = new AppProcess(run.instances[0]!.env);
        run.lives.push(revived);
        outage.respawnedAt = performance.now();
        await revived.waitUntilAnswering(`http://127.0.0.1:${run.instances[0]!.port}/`);
        outage.answeringAt = performance.now();
      })();
      // Awaited after the last order; until then a failed restart must not end the process without cleaning up.
      restart.catch(() => undefined);
    }
    placed.push(placeOneOrder(run, i, customerGids[i % customerCount]!));
    if (outage.killedAt && !outage.answeringAt) outage.placedWhileDown += 1;
  }
  outage.lastOrderAt = performance.now();
  await restart;
  return { placed, outage };
}

/**
 * Converged: every delivery settled in the sandbox, the app's queue empty, and an earn entry per order that earns (a
 * gift card alone earns nothing). Returns when that happened (0 if the queue stopped shrinking for 60 s: a slow machine
 * may take longer to apply a backlog, but a stuck one makes no progress) and whether the sandbox went idle.
 */
async function awaitConvergence(run: Run, earning: PlacedOrder[]) {
  const db = run.db!;
  const c = run.sandbox.control;
  const queued = () => db.count("select count(*) as n from webhook_deliveries where status <> 'processed'");
  const earnedOrders = () =>
    db.count(
      "select count(distinct source_gid) as n from ledger_entries where shop = ? and kind = 'earn' and source_type = 'order'",
      shop,
    );
  let convergedAt = 0;
  let convergeDeadline = performance.now() + 60_000;
  let fewestQueued = Infinity;
  while (performance.now() < convergeDeadline) {
    const settled = c.deliveries({ shop }).every((d) => d.state !== "pending");
    const stillQueued = await queued();
    if (stillQueued < fewestQueued) {
      fewestQueued = stillQueued;
      convergeDeadline = performance.now() + 60_000;
    }
    if (settled && stillQueued === 0 && (await earnedOrders()) >= earning.length) {
      convergedAt = performance.now();
      break;
    }
    await sleep(25);
  }
  if (!convergedAt && run.cluster) {
    // What each connection was doing when the queue stopped moving.
    const activity = await db.all<Record<string, unknown>>(
      "select pid, pg_blocking_pids(pid) as blockers, state, wait_event_type as wait, wait_event as event, now() - xact_start as age, left(query, 120) as query from pg_stat_activity where datname is not null",
    );
    for (const row of activity) console.log(JSON.stringify(row));
  }
  const idle = await withDeadline("control.idle()", 30_000, c.idle()).then(
    () => true,
    () => false,
  );
  return { convergedAt, idle };
}

/** The sandbox's side: every attempt it made, which deliveries needed more than one, and when the backlog cleared. */
async function deliveryFigures(run: Run, outage: Outage) {
  const db = run.db!;
  const deliveries = run.sandbox.control.deliveries({ shop });
  const wallClock = (ms: number) => Date.now() - (performance.now() - ms);
  const [outageFrom, outageTo] = [wallClock(outage.killedAt), wallClock(outage.answeringAt)];
  const attempts = deliveries.flatMap((d) => d.attempts);
  const failedAttempt = (a: (typeof attempts)[number]) => a.status === null || a.status < 200 || a.status > 299;
  const failedAttempts = attempts.filter(failedAttempt);
  const failedInOutage = failedAttempts.filter((a) => {
    const at = Date.parse(a.at);
    // An attempt already in flight when the process died started a little before the kill.
    return at >= outageFrom - 5_000 && at <= outageTo;
  });
  const failureKinds: Record<string, number> = {};
  for (const a of failedAttempts) {
    const kind = a.status === null ? (a.error ?? "no answer") : String(a.status);
    failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
  }
  const retried = deliveries.filter((d) => d.attempts.some(failedAttempt));
  const retriedDelivered = retried.filter((d) => d.state === "delivered");
  // The backlog: deliveries Shopify made before the app was back, and when the app had applied the last of them.
  const stamps = new Map(
    (
      await db.all<{ id: string; processed: string | null; received: string }>(
        "select webhook_id as id, processed_at as processed, received_at as received from webhook_deliveries where shop = ?",
        shop,
      )
    ).map((row) => [row.id, row]),
  );
  const backlog = deliveries.filter((d) => Date.parse(d.triggeredAt) <= outageTo && d.attempts.some(failedAttempt));
  const backlogAppliedAt = Math.max(...backlog.map((d) => Date.parse(stamps.get(d.webhookId)?.processed ?? "")));
  // Recorded by the first life but its answer lost to the kill: the retry must have been taken as a duplicate.
  const answerLost = retried.filter((d) => {
    const row = stamps.get(d.webhookId);
    return row !== undefined && Date.parse(row.received) <= outageFrom;
  });
  return {
    deliveries,
    attempts,
    failedAttempts,
    failedInOutage,
    cutOffInFlight: failedAttempts.filter((a) => Date.parse(a.at) < outageFrom).length,
    failureKinds,
    retried,
    retriedDelivered,
    backlog,
    backlogAppliedAfterMs: backlogAppliedAt - outageTo,
    answerLost,
    undelivered: deliveries.filter((d) => d.state !== "delivered"),
    paidDeliveries: deliveries.filter((d) => d.topic === "orders/paid").length,
  };
}

/** Tally's side against the sandbox's orders: one earn entry per earning order, right points, balances that add up. */
async function ledgerFigures(run: Run, placed: PlacedOrder[], earning: PlacedOrder[], customerGids: string[]) {
  const db = run.db!;
  // PostgreSQL answers bigint and sums as text: numbers are read with Number().
  const earnRows = (
    await db.all<{ orderGid: string; key: string; points: number }>(
      `select source_gid as "orderGid", idempotency_key as key, points from ledger_entries where shop = ? and kind = 'earn' and source_type = 'order'`,
      shop,
    )
  ).map((row) => ({ ...row, points: Number(row.points) }));
  const earnsByOrder = new Map<string, { key: string; points: number }[]>();
  for (const row of earnRows) earnsByOrder.set(row.orderGid, [...(earnsByOrder.get(row.orderGid) ?? []), row]);
  const lost = earning.filter((o) => !earnsByOrder.has(o.orderGid));
  const doubled = placed.filter((o) => (earnsByOrder.get(o.orderGid)?.length ?? 0) > 1);
  const wrongKey = placed.filter((o) =>
    earnsByOrder.get(o.orderGid)?.some((e) => e.key !== `earn:order:${o.orderGid}`),
  );
  const wrongPoints = placed.filter((o) => {
    const earns = earnsByOrder.get(o.orderGid);
    return earns?.length === 1 && earns[0]!.points !== expectedPoints(o);
  });
  // An order that should earn nothing (a gift card alone) must have no earn entry either.
  wrongPoints.push(...placed.filter((o) => expectedPoints(o) === 0 && earnsByOrder.has(o.orderGid)));
  const placedGids = new Set(placed.map((o) => o.orderGid));
  const strayEarns = earnRows.filter((row) => !placedGids.has(row.orderGid));

  const signups = (
    await db.all<{ key: string; n: number }>(
      "select idempotency_key as key, count(*) as n from ledger_entries where shop = ? and kind = 'earn' and idempotency_key like 'signup:%' group by idempotency_key",
      shop,
    )
  ).map((row) => ({ ...row, n: Number(row.n) }));
  const customerRows = (
    await db.all<Record<"gid" | "balance" | "pending" | "lifetime" | "ledger" | "entries", string | number>>(
      `select c.customer_gid as gid, c.points_balance as balance, c.points_pending as pending,
              c.lifetime_earned as lifetime, coalesce(sum(l.points), 0) as ledger, count(l.id) as entries
         from customers c left join ledger_entries l on l.customer_id = c.id
        where c.shop = ? group by c.id`,
      shop,
    )
  ).map((row) => ({
    gid: String(row.gid),
    balance: Number(row.balance),
    pending: Number(row.pending),
    lifetime: Number(row.lifetime),
    ledger: Number(row.ledger),
    entries: Number(row.entries),
  }));
  const implied = new Map(customerGids.map((gid) => [gid, signupBonus]));
  for (const o of placed) implied.set(o.customerGid, implied.get(o.customerGid)! + expectedPoints(o));
  const mismatches: string[] = [];
  for (const gid of customerGids) {
    const row = customerRows.find((r) => r.gid === gid);
    const want = implied.get(gid)!;
    if (!row) mismatches.push(`${gid}: not in Tally (sandbox implies ${want})`);
    else if (row.balance !== row.ledger || row.balance !== want || row.pending !== 0 || row.lifetime !== want)
      mismatches.push(
        `${gid}: balance ${row.balance}, ledger sum ${row.ledger}, pending ${row.pending}, lifetime ${row.lifetime}, sandbox implies ${want}`,
      );
  }
  return {
    earnsByOrder,
    lost,
    doubled,
    wrongKey,
    wrongPoints,
    strayEarns,
    missingSignups: customerGids.filter((gid) => !signups.some((s) => s.key === `signup:${gid}`)),
    doubledSignups: signups.filter((s) => s.n > 1),
    mismatches,
    effectFailures: await db.count("select count(*) as n from webhook_failures where shop = ?", shop),
    stillQueued: await db.all<{ topic: string; status: string; attempts: number; error: string | null }>(
      "select topic, status, attempts, error from webhook_deliveries where status <> 'processed' limit 5",
    ),
  };
}

/** The earning base in whole points: 1 point per 1.00 of goods, rounded down. */
const expectedPoints = (o: PlacedOrder) => Math.floor(o.baseCents / 100);

/** Prints the figures, then the first ten of each kind of failure; true when nothing was lost, doubled or off. */
function report(
  run: Run,
  placed: PlacedOrder[],
  outage: Outage,
  converged: { convergedAt: number; idle: boolean },
  sandboxSide: Awaited<ReturnType<typeof deliveryFigures>>,
  tallySide: Awaited<ReturnType<typeof ledgerFigures>>,
): boolean {
  const s = sandboxSide;
  const t = tallySide;
  const line = (label: string, value: string | number) => console.log(`${label.padEnd(44)} ${value}`);
  console.log(
    run.instances.length === 1
      ? `\nbench:faults: SIGKILL mid-load, restart on the same database and port ${run.appPort}` +
          (run.cluster ? " (PostgreSQL)\n" : " (SQLite)\n")
      : `\nbench:faults: ${run.instances.length} instances on PostgreSQL behind a round-robin balancer on port ${run.appPort}; ` +
          `the first SIGKILLed mid-load and restarted on its port ${run.instances[0]!.port}, the others serving on\n`,
  );
  line("customers signed up", customerCount);
  line(
    "orders placed",
    `${placed.length} at ${ordersPerSecond}/s (a burst of ${burst} at order ${killAfter}, killed mid-burst)`,
  );
  line(
    "orders placed while Tally was down / after",
    `${outage.placedWhileDown} / ${placed.length - killAfter - outage.placedWhileDown}`,
  );
  line("burst webhooks recorded before the kill", outage.recordedAtKill);
  line("queued in Tally, unapplied, at the kill", outage.queuedAtKill);
  line("attempts cut off in flight by the kill", s.cutOffInFlight);
  line(
    "webhook deliveries / attempts",
    `${s.deliveries.length} / ${s.attempts.length} (${s.paidDeliveries} orders/paid)`,
  );
  line("attempts failed (all / in the outage)", `${s.failedAttempts.length} / ${s.failedInOutage.length}`);
  line("failed attempts by answer", JSON.stringify(s.failureKinds));
  line("deliveries retried / then delivered", `${s.retried.length} / ${s.retriedDelivered.length}`);
  line("retried although recorded before the kill", s.answerLost.length);
  line("deliveries never delivered", s.undelivered.length);
  line(
    "outage (kill -> answering again)",
    `${seconds(outage.answeringAt - outage.killedAt)} (respawned after ${seconds(outage.respawnedAt - outage.killedAt)}, booted in ${seconds(outage.answeringAt - outage.respawnedAt)}; first boot ${seconds(run.firstBootMs)})`,
  );
  line(
    "backlog applied after restart",
    Number.isFinite(s.backlogAppliedAfterMs)
      ? `${seconds(s.backlogAppliedAfterMs)} (${s.backlog.length} deliveries)`
      : "NO",
  );
  line(
    "converged after restart",
    converged.convergedAt
      ? `${seconds(converged.convergedAt - outage.answeringAt)} (${seconds(converged.convergedAt - outage.lastOrderAt)} after the last order)`
      : "NO (the queue stopped shrinking for 60 s)",
  );
  line("sandbox idle", converged.idle ? "yes" : "NO (30 s)");
  line("effects that failed in Tally", t.effectFailures);
  line("lost (earning orders without an earn entry)", t.lost.length);
  line("doubled (orders with > 1 earn entry)", t.doubled.length);
  line("earn entries with a wrong key / points", `${t.wrongKey.length} / ${t.wrongPoints.length}`);
  line("earn entries for unknown orders", t.strayEarns.length);
  line("sign-up bonuses missing / doubled", `${t.missingSignups.length} / ${t.doubledSignups.length}`);
  line("balance mismatches", t.mismatches.length);
  line("total", seconds(performance.now() - run.started));

  const show = (title: string, items: string[]) => {
    if (items.length === 0) return;
    console.log(`\n${title} (${items.length}):`);
    for (const item of items.slice(0, 10)) console.log(`  ${item}`);
  };
  show(
    "lost",
    t.lost.map((o) => `${o.orderGid} (${o.customerGid})`),
  );
  show(
    "doubled",
    t.doubled.map((o) => `${o.orderGid}: ${JSON.stringify(t.earnsByOrder.get(o.orderGid))}`),
  );
  show(
    "wrong points",
    t.wrongPoints.map((o) => `${o.orderGid}: ${t.earnsByOrder.get(o.orderGid)![0]!.points}, want ${expectedPoints(o)}`),
  );
  show("balance mismatches", t.mismatches);
  show(
    "never delivered",
    s.undelivered.map((d) => `${d.topic} ${d.attempts.map((a) => a.status ?? a.error).join(", ")}`),
  );
  show(
    "still queued in Tally",
    t.stillQueued.map((r) => `${r.topic} ${r.status} x${r.attempts}: ${r.error ?? ""}`),
  );
  show(
    "Tally's errors",
    run.lives.flatMap((life, n) => life.errors.map((e) => `[life ${n + 1}] ${e}`)),
  );

  const ok =
    t.lost.length + t.doubled.length + t.wrongKey.length + t.wrongPoints.length + t.strayEarns.length === 0 &&
    t.missingSignups.length + t.doubledSignups.length + t.mismatches.length === 0 &&
    converged.convergedAt > 0;
  console.log(ok ? "\n0 lost, 0 doubled, every balance matches" : "\nFAILED: see above");
  return ok;
}

async function main() {
  const run = await startRun();
  const overall = setTimeout(() => {
    console.error(`bench:faults: gave up after ${seconds(overallMs)}`);
    for (const life of run.lives) if (life.running) life.child.kill("SIGKILL");
    run.cluster?.stop();
    process.exit(2);
  }, overallMs);
  overall.unref();
  try {
    const customerGids = await bootInstallAndSignUp(run);
    const { placed, outage } = await placeOrdersThroughAKill(run, customerGids);
    const earning = placed.filter((o) => o.baseCents >= 100);
    const converged = await awaitConvergence(run, earning);
    const ok = report(
      run,
      placed,
      outage,
      converged,
      await deliveryFigures(run, outage),
      await ledgerFigures(run, placed, earning, customerGids),
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    clearTimeout(overall);
    await cleanUp(run);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
