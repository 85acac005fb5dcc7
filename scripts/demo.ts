// `npm run demo`: the production build of Tally inside the loopback sandbox Shopify (tests/sandbox), with a seeded
// demo shop, on a fresh database. Prints the URLs to open. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { readAppConfig } from "../tests/sandbox/app-config";
import { startSandbox, type Sandbox } from "../tests/sandbox/index";
import { startDemoMailSink } from "./demo-mail-sink";
import { serverArgs } from "./server-command";

const SHOP = "tally-demo.myshopify.com";
const API_KEY = "tally-demo-api-key";
const API_SECRET = "tally-demo-api-secret";
const DATABASE_PATH = "data/demo.sqlite";
const MAIL_DIR = "data/demo-mail";
const MAX_CUSTOMERS = 1_000_000;
const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const usage = `Usage: npm run demo -- [options]

  --port N            Tally's port (default 3000)
  --sandbox-port N    the sandbox Shopify's port (default 4400)
  --smtp-port N       the SMTP sink's port, on 127.0.0.1 (default 2525)
  --customers N       seeded customers, up to ${MAX_CUSTOMERS.toLocaleString("en")} (default 2000)
  --orders M          seeded orders (default 2.5 × customers)
  --seed S            seed for the generated shop (default 1)
  --no-build          use the existing build/ instead of running npm run build
  --verbose           show every line Tally logs, not only warnings and errors`;

const started = Date.now();
const elapsed = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

/**
 * Options typed before `--` (`npm run demo --customers=500`) are taken by npm as its own config and never reach this
 * script; npm leaves them in the environment as npm_config_<name>. Naming them beats silently using the defaults.
 */
function optionsNpmKept(): string[] {
  const flags: Record<string, string> = {
    port: "--port",
    sandbox_port: "--sandbox-port",
    smtp_port: "--smtp-port",
    customers: "--customers",
    orders: "--orders",
    seed: "--seed",
    build: "--no-build",
  };
  return Object.entries(flags)
    .filter(([name]) => process.env[`npm_config_${name}`] !== undefined)
    .map(([, flag]) => flag);
}

function parseOptions() {
  const kept = optionsNpmKept();
  if (kept.length > 0)
    fail(
      `npm kept ${kept.join(", ")} for itself; put the demo's options after "--", as in: ` +
        `npm run demo -- --customers 20000 --port 3001`,
    );
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "3000" },
        "sandbox-port": { type: "string", default: "4400" },
        "smtp-port": { type: "string", default: "2525" },
        customers: { type: "string", default: "2000" },
        orders: { type: "string" },
        seed: { type: "string", default: "1" },
        "no-build": { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    say(usage);
    process.exit(0);
  }
  const count = (name: string, value: string, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(value.replaceAll("_", ""));
    if (!Number.isInteger(n) || n < 0 || n > max) fail(`--${name} must be a whole number from 0 to ${max}`);
    return n;
  };
  const customers = count("customers", values.customers, MAX_CUSTOMERS);
  return {
    port: count("port", values.port, 65_535),
    sandboxPort: count("sandbox-port", values["sandbox-port"], 65_535),
    smtpPort: count("smtp-port", values["smtp-port"], 65_535),
    customers,
    orders: values.orders === undefined ? Math.round(customers * 2.5) : count("orders", values.orders),
    seed: count("seed", values.seed),
    build: !values["no-build"],
    verbose: values.verbose,
  };
}

function assertPortFree(port: number, flag: string): Promise<void> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => fail(`port ${port} is in use; stop what holds it or pass ${flag} <another port>`));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`)),
    );
  });
}

/** The library's INFO lines narrate every request; without --verbose only warnings and errors reach the terminal. */
const isChatter = (line: string) => /\[shopify-(app|api)\/INFO\]|^Tally listening on /.test(line);

/** The demo starts on a fresh database each time, so a fresh key seals its tokens (decision 007); a restart keeps it. */
const ENCRYPTION_KEY = randomBytes(32).toString("base64");

function startApp(env: Record<string, string>, verbose: boolean): ChildProcess {
  const child = spawn(process.execPath, serverArgs(), {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      TALLY_ENCRYPTION_KEY: ENCRYPTION_KEY,
      // pino's info level writes a line per request; the demo's terminal shows warnings and errors unless --verbose.
      LOG_LEVEL: process.env.LOG_LEVEL ?? (verbose ? "info" : "warn"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n"))
      if (line.trim() && (verbose || !isChatter(line))) stream.write(`[tally] ${line}\n`);
  };
  child.stdout?.on("data", prefix(process.stdout));
  child.stderr?.on("data", prefix(process.stderr));
  return child;
}

async function waitUntilAnswering(url: string, app: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`Tally exited with ${app.exitCode} before answering`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`Tally did not answer on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Opening the app in the admin installs it (session token, then token exchange, then afterAuth). Doing that once now,
 * as the admin frame's first request would, means the first page the person sees already belongs to an installed app.
 */
async function install(sandbox: Sandbox, appUrl: string) {
  const token = sandbox.control.sessionToken({ shop: SHOP });
  const response = await fetch(`${appUrl}/app?shop=${SHOP}`, {
    // authenticate.admin answers 410 to anything isbot recognises, Node's own user agent included.
    headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT },
  });
  if (!response.ok) throw new Error(`GET /app with a session token answered ${response.status}`);
}

/** A little live trade, so the program has members, points and a refund before anyone clicks. */
async function shopperActivity(sandbox: Sandbox) {
  const c = sandbox.control;
  c.createDiscountCode({ shop: SHOP, code: "WELCOME10", percentage: 0.1 });
  const maya = c.createCustomerAccount({
    shop: SHOP,
    email: "maya.demo@example.com",
    firstName: "Maya",
    lastName: "Okafor",
    acceptsMarketing: true,
  });
  const theo = c.createCustomerAccount({
    shop: SHOP,
    email: "theo.demo@example.com",
    firstName: "Théo",
    lastName: "Lambert",
  });
  const first = c.placeOrder({
    shop: SHOP,
    customerId: maya.id,
    discountCode: "WELCOME10",
    lines: [
      { productIndex: 0, quantity: 1 },
      { productIndex: 2, quantity: 2 },
    ],
  });
  c.fulfil({ shop: SHOP, orderId: first.id });
  // Enough for Maya to redeem a reward in the storefront's Rewards panel.
  c.placeOrder({ shop: SHOP, customerId: maya.id, lines: [{ productIndex: 0, quantity: 4 }] });
  const second = c.placeOrder({ shop: SHOP, customerId: theo.id, lines: [{ productIndex: 4, quantity: 2 }] });
  c.refund({ shop: SHOP, orderId: second.id, lines: [{ lineItemId: second.lines[0]!.id, quantity: 1 }] });
  c.placeOrder({ shop: SHOP, email: "guest.demo@example.com", lines: [{ productIndex: 1, quantity: 1 }] });
  c.abandonCheckout({ shop: SHOP, email: "window.shopper@example.com", productIndex: 3 });
  // Only these webhooks are waited for, not Tally's install sync (control.idle() would wait for its bulk queries too),
  // and not for long: a failing delivery is retried for minutes.
  const deadline = Date.now() + 10_000;
  while (c.deliveries({ shop: SHOP }).some((d) => d.state === "pending") && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const deliveries = c.deliveries({ shop: SHOP });
  const failing = deliveries.filter((d) => d.state !== "delivered");
  return { delivered: deliveries.length - failing.length, failing };
}

async function main() {
  const options = parseOptions();
  const appUrl = `http://127.0.0.1:${options.port}`;
  let sandbox: Sandbox | undefined;
  let mail: Awaited<ReturnType<typeof startDemoMailSink>> | undefined;
  let app: ChildProcess | undefined;
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (app && app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((resolve) => app!.once("exit", resolve));
      app.kill("SIGTERM");
      const timer = setTimeout(() => app!.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await sandbox?.close();
    await mail?.close();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      say("\nStopping Tally and the sandbox…");
      void stop(0);
    });

  try {
    await assertPortFree(options.port, "--port");
    await assertPortFree(options.sandboxPort, "--sandbox-port");
    await assertPortFree(options.smtpPort, "--smtp-port");

    if (options.build) {
      const t = Date.now();
      await run("npm", ["run", "build"]);
      say(`✓ built Tally (npm run build) in ${elapsed(t)}`);
    } else if (!existsSync("build/server/index.js")) {
      fail("there is no build/ yet; run without --no-build");
    }

    let t = Date.now();
    sandbox = await startSandbox({ apiKey: API_KEY, apiSecret: API_SECRET, appUrl, port: options.sandboxPort });
    sandbox.control.createShop({ shop: SHOP, name: "Tally Demo Goods" });
    sandbox.control.seed({
      shop: SHOP,
      customers: options.customers,
      orders: options.orders,
      seed: options.seed,
    });
    const fmt = (n: number) => n.toLocaleString("en");
    say(
      `✓ sandbox Shopify on ${sandbox.origin}: ${SHOP} seeded with ${fmt(options.customers)} customers and ` +
        `${fmt(options.orders)} orders in ${elapsed(t)} (seed ${options.seed})`,
    );

    mkdirSync(path.dirname(DATABASE_PATH), { recursive: true, mode: 0o700 });
    mail = await startDemoMailSink({ port: options.smtpPort, dir: MAIL_DIR, say });
    say(`✓ SMTP sink (smtp-server) on ${mail.url}: every email Tally sends is kept as an .eml file in ${MAIL_DIR}/`);

    t = Date.now();
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${DATABASE_PATH}${suffix}`, { force: true });
    const scopes = readAppConfig(path.resolve("shopify.app.toml")).scopes.join(",");
    const appEnv = {
      PORT: String(options.port),
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SCOPES: scopes,
      DATABASE_PATH,
      SHOPIFY_SANDBOX_ORIGIN: sandbox.origin,
      SMTP_URL: mail.url,
      EMAIL_FROM: "rewards@tally-demo.example",
    };
    // Once Tally has answered, a crash or a kill -9 restarts it on the same database, as a process manager would in
    // production: its unfinished imports, syncs and bulk actions resume from their last commit once their lease
    // (TASK_LEASE_SECONDS, 30 s) runs out (README, "Background jobs and the audit trail"), which a tester can watch
    // here. Three stops within a minute end the demo instead of looping.
    const restarts: number[] = [];
    let answered = false;
    const launch = () => {
      const child = startApp(appEnv, options.verbose);
      child.once("exit", (code, signal) => {
        if (stopping) return;
        // A terminal's Ctrl-C reaches the app too, and it may exit before this process has handled its own SIGINT.
        const asked = code === 0 || signal === "SIGINT" || signal === "SIGTERM";
        if (asked) return void stop(0);
        process.stderr.write(`demo: Tally stopped unexpectedly (${signal ?? `exit code ${code}`})\n`);
        const now = Date.now();
        while (restarts.length > 0 && now - restarts[0]! > 60_000) restarts.shift();
        if (!answered || restarts.length >= 3) return void stop(1);
        restarts.push(now);
        say(`demo: starting Tally again on the same ${DATABASE_PATH}; unfinished background work resumes within 30 s`);
        app = launch();
        waitUntilAnswering(`${appUrl}/`, app, 60_000).then(
          () => say(`✓ Tally answering again on ${appUrl}`),
          (error: Error) => process.stderr.write(`demo: ${error.message}\n`),
        );
      });
      return child;
    };
    app = launch();
    await waitUntilAnswering(`${appUrl}/`, app, 60_000);
    answered = true;
    say(`✓ Tally (node server.js) on ${appUrl} with a fresh ${DATABASE_PATH} in ${elapsed(t)}`);

    t = Date.now();
    await install(sandbox, appUrl);
    // What a merchant does in the theme editor after install: the Rewards launcher on every page, and the points
    // balance on the account page (Home's setup card shows both done).
    sandbox.control.setAppEmbed({ shop: SHOP, handle: "launcher" });
    sandbox.control.addAppBlock({
      shop: SHOP,
      handle: "points-balance",
      template: "customers/account",
      target: "mainSection",
    });
    const activity = await shopperActivity(sandbox);
    say(
      `✓ installed on ${SHOP} and sent a few shoppers through the store in ${elapsed(t)} ` +
        `(${activity.delivered} webhooks delivered)`,
    );
    for (const d of activity.failing)
      say(`  ! ${d.topic} not delivered yet: ${d.attempts.map((a) => a.status ?? a.error).join(", ")}`);

    const storefront = `${sandbox.origin}/storefront?shop=${SHOP}`;
    say(
      [
        "",
        `Open ${sandbox.origin}/admin?shop=${SHOP}`,
        "",
        "Things to try:",
        `  - Be a shopper at ${storefront}`,
        '    sign up (tick "Email me" to opt in), then check out with the discount code WELCOME10.',
        "  - Open the Rewards button at the bottom right: sign in as maya.demo@example.com to redeem her points,",
        `    copy the code and apply it at checkout; the rewards page is ${sandbox.origin}/apps/tally/ (in French: ${sandbox.origin}/fr/apps/tally/).`,
        "  - The order confirmation links to the order in the sandbox admin: refund part of it there.",
        "  - Back in Tally, find the shopper under Customers and watch the points follow the order and the refund.",
        "  - Settings → Emails: edit and preview the invitation email. Invitations Tally sends arrive in the SMTP",
        `    sink: each one an .eml file in ${MAIL_DIR}/ (open it in any mail app), listed here as it arrives.`,
        "    Shopify's own emails (the account invitation an import asks Shopify for, order confirmations) are",
        "    sent by Shopify, not Tally: the sandbox Shopify keeps them to itself, so they do not arrive here.",
        `  - Links to https://${SHOP}/… (Home, referral links, the emails' buttons) name a domain this machine`,
        `    does not have: open them with ${sandbox.origin} in its place, once the storefront link is opened.`,
        "",
        `Ready in ${elapsed(started)}. Ctrl-C stops Tally and the sandbox.`,
      ].join("\n"),
    );
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    await stop(1);
  }
}

await main();
