// npm run bench:storefront: GET {proxy}/v1/me at a 1,000,000-customer shop, server time, in process: the production
// route module (signature check, install check, the storefront view) answering signed app proxy requests, beside a
// baseline measured in the same run (the signature and install check alone, which every proxy request pays). Then
// the theme app extension's weight as shoppers download it. Run by hand; figures only.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
/** Members with a full history (orders, held points, a reward, ten ledger entries) whom the timed requests pick. */
const ACTIVE = 5_000;
const ROUNDS = 7;
const PER_ROUND = 600;
const shop = "bench-storefront.myshopify.com";
const dir = mkdtempSync(path.join(tmpdir(), "tally-bench-storefront-"));
Object.assign(process.env, {
  NODE_ENV: "production",
  DATABASE_PATH: path.join(dir, "bench.sqlite"),
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: "bench-secret",
  SHOPIFY_APP_URL: "https://tally.bench",
  SCOPES: "read_customers",
  TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  TALLY_BACKGROUND_JOBS: "off",
});

const { getDb } = await import("~/db/client.server");
const { emptyOrderState, planOrderEvent, zeroTotals } = await import("~/domain/ledger");
const { defaultSettings } = await import("~/domain/program");
const { recordInstall } = await import("~/services/shops/record-install.server");
const { saveProgram } = await import("~/services/program/save-program.server");
const { contextFor } = await import("~/shopify.server");
const { authenticateStorefront } = await import("~/shopify/proxy/authenticate.server");
const { loader: me } = await import("~/routes/proxy.v1.me");
const { signAppProxyQuery } = await import("../../tests/sandbox/index");

const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);
const db = getDb(process.env.DATABASE_PATH!, { checks: false });
const ctx = contextFor(shop, "bench");
await recordInstall({ ctx, input: { scope: "read_customers", currency: "CAD" } });
await saveProgram({ ctx, input: { ...defaultSettings("CAD"), pendingDays: 14 } });

// Seeding through the driver, in batches: the services are measured, not used to fill the shop.
console.log(
  `\nbench:storefront: ${CUSTOMERS.toLocaleString("en")} customers, ${ACTIVE.toLocaleString("en")} with a history\n`,
);
let t = performance.now();
const sqlite = db.$client;
const now = new Date().toISOString();
const insertCustomer = sqlite.prepare(
  `insert into customers (shop, customer_gid, email, first_name, shopify_state, status, points_balance, points_pending,
     lifetime_earned, joined_at, member_since) values (?, ?, ?, 'Bench', 'ENABLED', 'member', ?, ?, ?, ?, ?)`,
);
const insertEntry = sqlite.prepare(
  `insert into ledger_entries (shop, customer_id, kind, points, held, source_type, source_gid, idempotency_key, actor,
     explanation, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?)`,
);
const insertOrder = sqlite.prepare(
  `insert into orders (shop, order_gid, customer_id, name, currency, points_state, release_at, processed_at)
     values (?, ?, ?, ?, 'CAD', ?, ?, ?)`,
);
const insertReward = sqlite.prepare(
  `insert into rewards (shop, reward_key, customer_id, option_id, kind, title, points, value_minor, currency, code,
     status, created_at, updated_at) values (?, ?, ?, 'five-off', 'fixed_amount_off', '5.00 off', 500, 500, 'CAD', ?, ?, ?, ?)`,
);
const program = { version: 2, currency: "CAD", settings: { ...defaultSettings("CAD"), pendingDays: 14 } };
const member = { customerTags: [] as string[], blocked: false, status: "member" as const };
const activeEvery = Math.floor(CUSTOMERS / ACTIVE);
const active: string[] = [];
const batch = sqlite.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const gid = `gid://shopify/Customer/${7_000_000_000 + i}`;
    const isActive = i % activeEvery === 0 && active.length < ACTIVE;
    const id = Number(
      insertCustomer.run(shop, gid, `c${i}@example.com`, isActive ? 930 : 100, isActive ? 120 : 0, 1530, now, now)
        .lastInsertRowid,
    );
    insertEntry.run(shop, id, "earn", 100, 0, "signup", null, `signup:${gid}`, "+100: signed up", now);
    if (!isActive) continue;
    active.push(String(7_000_000_000 + i));
    for (let o = 0; o < 8; o++) {
      const orderGid = `gid://shopify/Order/${9_000_000_000 + i * 10 + o}`;
      const held = o >= 6;
      let state = emptyOrderState(orderGid);
      state = planOrderEvent(
        state,
        { kind: "paid", orderGid, orderName: `#${1000 + o}`, subtotalMinor: held ? 6000 : 16000, currency: "CAD" },
        { program, customer: member, totals: zeroTotals },
      ).state;
      if (o === 6) {
        state = planOrderEvent(
          state,
          { kind: "fulfilled", orderGid, fulfilledAt: now },
          { program, customer: member, totals: zeroTotals },
        ).state;
      }
      insertOrder.run(shop, orderGid, id, `#${1000 + o}`, JSON.stringify(state), held && o === 6 ? now : null, now);
      insertEntry.run(shop, id, "earn", held ? 60 : 160, held ? 1 : 0, "order", orderGid, `earn:${orderGid}`, "+", now);
    }
    const rewardKey = `reward-${i}`;
    insertReward.run(shop, rewardKey, id, `TALLY-${i}`, "used", now, now);
    insertEntry.run(shop, id, "redeem", -500, 0, "reward", rewardKey, `redeem:${rewardKey}`, "-500", now);
  }
});
for (let from = 0; from < CUSTOMERS; from += 10_000) batch(from, Math.min(CUSTOMERS, from + 10_000));
sqlite.pragma("optimize");
line("seeded (customers, ledger, orders, rewards)", `${((performance.now() - t) / 1000).toFixed(1)} s`);

/** A request as Shopify's app proxy forwards it: the query signed with the app's secret. */
function proxied(customerId: string): Request {
  const query = new URLSearchParams([
    ["shop", shop],
    ["logged_in_customer_id", customerId],
    ["path_prefix", "/apps/tally"],
    ["timestamp", String(Math.floor(Date.now() / 1000))],
  ]);
  query.append("signature", signAppProxyQuery(query, process.env.SHOPIFY_API_SECRET!));
  return new Request(`https://tally.bench/proxy/v1/me?${query}`);
}

type Case = { name: string; run: (request: Request) => Promise<unknown>; customer: () => string };
const cases: Case[] = [
  {
    name: "baseline: signature and install check only",
    run: async (request) => Response.json(await authenticateStorefront(request).then(() => ({}))),
    customer: () => active[Math.floor(Math.random() * active.length)]!,
  },
  {
    name: "v1/me, visitor (the program)",
    run: (request) => me({ request, params: {}, context: {} }),
    customer: () => "",
  },
  {
    name: "v1/me, member with history",
    run: (request) => me({ request, params: {}, context: {} }),
    customer: () => active[Math.floor(Math.random() * active.length)]!,
  },
];

const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const each of cases) for (let i = 0; i < 200; i++) await each.run(proxied(each.customer())); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const each of cases) {
    const requests = Array.from({ length: PER_ROUND }, () => proxied(each.customer()));
    for (const request of requests) {
      t = performance.now();
      const response = (await each.run(request)) as Response;
      await response.text();
      samples.get(each.name)!.push(performance.now() - t);
    }
  }
}
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)]!;
console.log(`\nserver time per request, ${ROUNDS} interleaved rounds of ${PER_ROUND} (ms):`);
line("", "p50      p95      p99");
const base = quantile(samples.get(cases[0]!.name)!, 0.95);
for (const each of cases) {
  const values = samples.get(each.name)!;
  const p95 = quantile(values, 0.95);
  const ratio = each === cases[0] ? "" : `  p95 ${(p95 / base).toFixed(1)}× the baseline`;
  line(
    each.name,
    `${quantile(values, 0.5).toFixed(3)}    ${p95.toFixed(3)}    ${quantile(values, 0.99).toFixed(3)}${ratio}`,
  );
}

const assets = path.resolve("extensions/tally-widget/assets");
console.log("\ntheme app extension (extensions/tally-widget/assets), gzip -9:");
let total = 0;
for (const file of readdirSync(assets).filter((name) => /\.(js|css)$/.test(name))) {
  const body = readFileSync(path.join(assets, file));
  const gzipped = gzipSync(body, { level: 9 }).length;
  total += gzipped;
  line(`  ${file}`, `${body.length.toLocaleString("en")} B raw, ${gzipped.toLocaleString("en")} B gzipped`);
}
line("  all JavaScript and CSS", `${total.toLocaleString("en")} B gzipped (budget 10,240 B)`);
line("  on page load (tally.js and tally.css)", "the panel script and v1/me load on first use");
sqlite.close();
rmSync(dir, { recursive: true, force: true });
