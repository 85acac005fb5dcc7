// npm run bench:faults: the production build (server.js) inside the loopback sandbox Shopify, killed with SIGKILL in the
// middle of a steady stream of paid orders and restarted on the same database and port. The sandbox retries what the
// outage refused; the bench then checks every order against the ledger: none lost, none counted twice, every balance
// equal to its ledger and to what the sandbox's orders imply. Run by hand; exits non-zero when any of that fails.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { freePort } from "../../tests/helpers/app-server";
import { readAppConfig } from "../../tests/sandbox/app-config";
import { startSandbox, type Sandbox } from "../../tests/sandbox/index";

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
const overallMs = 180_000;
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
    this.child = spawn(process.execPath, [path.resolve("server.js")], {
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

async function main() {
  if (!existsSync("build/server/index.js"))
    throw new Error("Run `npm run build` first: the bench kills and restarts the production build.");
  const started = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), "tally-faults-"));
  const databasePath = path.join(dir, "tally.sqlite");
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
  const env = {
    PORT: String(appPort),
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SCOPES: readAppConfig(path.resolve("shopify.app.toml")).scopes.join(","),
    DATABASE_PATH: databasePath,
    SHOPIFY_SANDBOX_ORIGIN: sandbox.origin,
    // One key for the run: every restart must open the tokens the first life sealed.
    TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  const lives: AppProcess[] = [];
  let db: Database.Database | undefined;
  const cleanUp = async () => {
    db?.close();
    await Promise.all(lives.map((life) => life.kill("SIGTERM")));
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const overall = setTimeout(() => {
    console.error(`bench:faults: gave up after ${seconds(overallMs)}`);
    for (const life of lives) if (life.running) life.child.kill("SIGKILL");
    process.exit(2);
  }, overallMs);
  overall.unref();

  try {
    const c = sandbox.control;
    c.createShop({ shop, name: "Tally Faults" });
    c.createDiscountCode({ shop, code: discountCode, percentage: 0.1 });
    const firstBoot = performance.now();
    lives.push(new AppProcess(env));
    await lives[0]!.waitUntilAnswering(`${appUrl}/`);
    const firstBootMs = performance.now() - firstBoot;
    await install(sandbox, appUrl);
    db = new Database(databasePath, { readonly: true });

    const customerGids: string[] = [];
    for (let i = 0; i < customerCount; i++) {
      const customer = c.createCustomerAccount({ shop, email: `faults-${i}@example.com`, firstName: `Faults ${i}` });
      customerGids.push(`gid://shopify/Customer/${customer.id}`);
    }

    // A steady stream of orders; a third of the way in the app is killed, and it comes back downMs later.
    const placed: PlacedOrder[] = [];
    let killedAt = 0;
    let respawnedAt = 0;
    let answeringAt = 0;
    let restart: Promise<void> | undefined;
    let placedWhileDown = 0;
    let queuedAtKill = 0;
    let recordedAtKill = 0;
    const recorded = db.prepare("select count(*) as n from webhook_deliveries");
    const countOf = (statement: Database.Statement) => (statement.get() as { n: number }).n;
    let recordedBeforeBurst = 0;
    const loadStarted = performance.now();
    for (let i = 0; i < orderCount; i++) {
      const due = loadStarted + (i * 1000) / ordersPerSecond;
      const inBurst = i > killAfter - burst && i <= killAfter;
      if (!inBurst && due > performance.now()) await sleep(due - performance.now());
      if (i === killAfter - burst + 1) recordedBeforeBurst = countOf(recorded);
      if (i === killAfter) {
        const waitUntil = performance.now() + 2_000;
        while (countOf(recorded) < recordedBeforeBurst + burst * 2 && performance.now() < waitUntil)
          await new Promise((resolve) => setImmediate(resolve));
        await lives[0]!.kill("SIGKILL");
        killedAt = performance.now();
        // Accepted and answered 200, effect not applied yet: only the queue on disk remembers these.
        queuedAtKill = countOf(db.prepare("select count(*) as n from webhook_deliveries where status <> 'processed'"));
        recordedAtKill = countOf(recorded) - recordedBeforeBurst;
        restart = (async () => {
          await sleep(downMs);
          lives.push(new AppProcess(env));
          respawnedAt = performance.now();
          await lives[1]!.waitUntilAnswering(`${appUrl}/`);
          answeringAt = performance.now();
        })();
        // Awaited after the last order; until then a failed restart must not end the process without cleaning up.
        restart.catch(() => undefined);
      }
      const customerGid = customerGids[i % customerCount]!;
      const order = c.placeOrder({
        shop,
        customerId: customerGid,
        lines: [
          { productIndex: (i * 7) % 8, quantity: 1 + (i % 3) },
          ...(i % 5 === 0 ? [{ productIndex: (i * 3 + 1) % 8, quantity: 1 }] : []),
        ],
        // A percentage off leaves cents in the subtotal, so the rounding down of points is checked too.
        ...(i % 4 === 0 ? { discountCode } : {}),
      });
      if (killedAt && !answeringAt) placedWhileDown += 1;
      const baseCents = order.lines
        .filter((line) => !line.giftCard)
        .reduce((sum, line) => sum + line.quantity * line.unitCents - (line.discountCents ?? 0), 0);
      placed.push({ orderGid: `gid://shopify/Order/${order.id}`, customerGid, baseCents });
    }
    const lastOrderAt = performance.now();
    await restart;

    // Converged: every delivery settled in the sandbox, the app's queue empty, and an earn entry per order that earns
    // (a gift card alone earns nothing).
    const earning = placed.filter((o) => o.baseCents >= 100);
    const queued = db.prepare("select count(*) as n from webhook_deliveries where status <> 'processed'");
    const earnedOrders = db.prepare(
      "select count(distinct source_gid) as n from ledger_entries where shop = ? and kind = 'earn' and source_type = 'order'",
    );
    const count = (statement: Database.Statement, ...args: unknown[]) => (statement.get(...args) as { n: number }).n;
    let convergedAt = 0;
    const convergeDeadline = performance.now() + 60_000;
    while (performance.now() < convergeDeadline) {
      const settled = c.deliveries({ shop }).every((d) => d.state !== "pending");
      if (settled && count(queued) === 0 && count(earnedOrders, shop) >= earning.length) {
        convergedAt = performance.now();
        break;
      }
      await sleep(25);
    }
    const idle = await withDeadline("control.idle()", 30_000, c.idle()).then(
      () => true,
      () => false,
    );

    // The sandbox's side: every attempt it made, and which deliveries needed more than one.
    const deliveries = c.deliveries({ shop });
    const wallClock = (ms: number) => Date.now() - (performance.now() - ms);
    const [outageFrom, outageTo] = [wallClock(killedAt), wallClock(answeringAt)];
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
    const processedAt = db.prepare(
      "select processed_at as at from webhook_deliveries where shop = ? and webhook_id = ?",
    );
    const backlog = deliveries.filter((d) => Date.parse(d.triggeredAt) <= outageTo && d.attempts.some(failedAttempt));
    const backlogAppliedAt = Math.max(
      ...backlog.map((d) =>
        Date.parse((processedAt.get(shop, d.webhookId) as { at: string | null } | undefined)?.at ?? ""),
      ),
    );
    // Recorded by the first life but its answer lost to the kill: the retry must have been taken as a duplicate.
    const receivedAt = db.prepare("select received_at as at from webhook_deliveries where shop = ? and webhook_id = ?");
    const answerLost = retried.filter((d) => {
      const row = receivedAt.get(shop, d.webhookId) as { at: string } | undefined;
      return row !== undefined && Date.parse(row.at) <= outageFrom;
    });
    const undelivered = deliveries.filter((d) => d.state !== "delivered");
    const paidDeliveries = deliveries.filter((d) => d.topic === "orders/paid").length;

    // The app's side, against the sandbox's orders.
    const earnRows = db
      .prepare(
        "select source_gid as orderGid, idempotency_key as key, points from ledger_entries where shop = ? and kind = 'earn' and source_type = 'order'",
      )
      .all(shop) as { orderGid: string; key: string; points: number }[];
    const earnsByOrder = new Map<string, { key: string; points: number }[]>();
    for (const row of earnRows) earnsByOrder.set(row.orderGid, [...(earnsByOrder.get(row.orderGid) ?? []), row]);
    const expectedPoints = (o: PlacedOrder) => Math.floor(o.baseCents / 100);
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

    const signups = db
      .prepare(
        "select idempotency_key as key, count(*) as n from ledger_entries where shop = ? and kind = 'earn' and idempotency_key like 'signup:%' group by idempotency_key",
      )
      .all(shop) as { key: string; n: number }[];
    const customerRows = db
      .prepare(
        `select c.customer_gid as gid, c.points_balance as balance, c.points_pending as pending,
                c.lifetime_earned as lifetime, coalesce(sum(l.points), 0) as ledger, count(l.id) as entries
           from customers c left join ledger_entries l on l.customer_id = c.id
          where c.shop = ? group by c.id`,
      )
      .all(shop) as {
      gid: string;
      balance: number;
      pending: number;
      lifetime: number;
      ledger: number;
      entries: number;
    }[];
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
    const missingSignups = customerGids.filter((gid) => !signups.some((s) => s.key === `signup:${gid}`));
    const doubledSignups = signups.filter((s) => s.n > 1);
    const effectFailures = count(db.prepare("select count(*) as n from webhook_failures where shop = ?"), shop);
    const stillQueued = db
      .prepare("select topic, status, attempts, error from webhook_deliveries where status <> 'processed' limit 5")
      .all() as { topic: string; status: string; attempts: number; error: string | null }[];

    const line = (label: string, value: string | number) => console.log(`${label.padEnd(44)} ${value}`);
    console.log(`\nbench:faults: SIGKILL mid-load, restart on the same database and port ${appPort}\n`);
    line("customers signed up", customerCount);
    line(
      "orders placed",
      `${placed.length} at ${ordersPerSecond}/s (a burst of ${burst} at order ${killAfter}, killed mid-burst)`,
    );
    line(
      "orders placed while Tally was down / after",
      `${placedWhileDown} / ${placed.length - killAfter - placedWhileDown}`,
    );
    line("burst webhooks recorded before the kill", recordedAtKill);
    line("queued in Tally, unapplied, at the kill", queuedAtKill);
    line("attempts cut off in flight by the kill", failedAttempts.filter((a) => Date.parse(a.at) < outageFrom).length);
    line("webhook deliveries / attempts", `${deliveries.length} / ${attempts.length} (${paidDeliveries} orders/paid)`);
    line("attempts failed (all / in the outage)", `${failedAttempts.length} / ${failedInOutage.length}`);
    line("failed attempts by answer", JSON.stringify(failureKinds));
    line("deliveries retried / then delivered", `${retried.length} / ${retriedDelivered.length}`);
    line("retried although recorded before the kill", answerLost.length);
    line("deliveries never delivered", undelivered.length);
    line(
      "outage (kill -> answering again)",
      `${seconds(answeringAt - killedAt)} (respawned after ${seconds(respawnedAt - killedAt)}, booted in ${seconds(answeringAt - respawnedAt)}; first boot ${seconds(firstBootMs)})`,
    );
    line(
      "backlog applied after restart",
      Number.isFinite(backlogAppliedAt)
        ? `${seconds(backlogAppliedAt - outageTo)} (${backlog.length} deliveries)`
        : "NO",
    );
    line(
      "converged after restart",
      convergedAt
        ? `${seconds(convergedAt - answeringAt)} (${seconds(convergedAt - lastOrderAt)} after the last order)`
        : "NO (60 s)",
    );
    line("sandbox idle", idle ? "yes" : "NO (30 s)");
    line("effects that failed in Tally", effectFailures);
    line("lost (earning orders without an earn entry)", lost.length);
    line("doubled (orders with > 1 earn entry)", doubled.length);
    line("earn entries with a wrong key / points", `${wrongKey.length} / ${wrongPoints.length}`);
    line("earn entries for unknown orders", strayEarns.length);
    line("sign-up bonuses missing / doubled", `${missingSignups.length} / ${doubledSignups.length}`);
    line("balance mismatches", mismatches.length);
    line("total", seconds(performance.now() - started));

    const show = (title: string, items: string[]) => {
      if (items.length === 0) return;
      console.log(`\n${title} (${items.length}):`);
      for (const item of items.slice(0, 10)) console.log(`  ${item}`);
    };
    show(
      "lost",
      lost.map((o) => `${o.orderGid} (${o.customerGid})`),
    );
    show(
      "doubled",
      doubled.map((o) => `${o.orderGid}: ${JSON.stringify(earnsByOrder.get(o.orderGid))}`),
    );
    show(
      "wrong points",
      wrongPoints.map((o) => `${o.orderGid}: ${earnsByOrder.get(o.orderGid)![0]!.points}, want ${expectedPoints(o)}`),
    );
    show("balance mismatches", mismatches);
    show(
      "never delivered",
      undelivered.map((d) => `${d.topic} ${d.attempts.map((a) => a.status ?? a.error).join(", ")}`),
    );
    show(
      "still queued in Tally",
      stillQueued.map((r) => `${r.topic} ${r.status} x${r.attempts}: ${r.error ?? ""}`),
    );
    show(
      "Tally's errors",
      lives.flatMap((life, n) => life.errors.map((e) => `[life ${n + 1}] ${e}`)),
    );

    const ok =
      lost.length + doubled.length + wrongKey.length + wrongPoints.length + strayEarns.length === 0 &&
      missingSignups.length + doubledSignups.length + mismatches.length === 0 &&
      convergedAt > 0;
    console.log(ok ? "\n0 lost, 0 doubled, every balance matches" : "\nFAILED: see above");
    process.exitCode = ok ? 0 : 1;
  } finally {
    clearTimeout(overall);
    await cleanUp();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
