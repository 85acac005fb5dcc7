// npm run bench:sandbox: what the sandbox Shopify costs at a 1,000,000-customer shop. Seeding (virtual records), then
// each query a feature may send at that size (segment members, a page and a count; a discount code by code; store
// credit accounts), checkout with a segment-only code, a bulk read of every order and a bulk mutation import's rate.
// Run by hand; figures only.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox } from "../../tests/sandbox/index";

const customers = Number(process.env.SANDBOX_CUSTOMERS ?? 1_000_000);
const orders = Number(process.env.SANDBOX_ORDERS ?? 2_000_000);
const importLines = Number(process.env.SANDBOX_IMPORT_LINES ?? 100_000);
const shop = "bench-sandbox.myshopify.com";

const ms = (from: number) => `${(performance.now() - from).toFixed(0)} ms`;
const mib = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return `${Math.round(rss / 2 ** 20)} MiB (heap in use ${Math.round(heapUsed / 2 ** 20)} MiB)`;
};
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

async function main() {
  // A receiver that answers every webhook 200, as an app would: a bulk import fires one customers/create per line.
  const app = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const sandbox = await startSandbox({
    apiKey: "bench-key",
    apiSecret: "bench-secret",
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
  });
  const c = sandbox.control;
  try {
    console.log(
      `\nbench:sandbox: ${customers.toLocaleString("en")} customers, ${orders.toLocaleString("en")} orders\n`,
    );
    c.createShop({ shop });
    let t = performance.now();
    c.seed({ shop, customers, orders, seed: 3 });
    line("seed (virtual records)", `${ms(t)}, RSS ${mib()}`);

    // Admin GraphQL as the app sends it: a token from token exchange, then POSTs.
    const exchange = await fetch(`${sandbox.origin}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Sandbox-Shop": shop },
      body: JSON.stringify({
        client_id: "bench-key",
        client_secret: "bench-secret",
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: c.sessionToken({ shop }),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    const { access_token: token } = (await exchange.json()) as { access_token: string };
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Sandbox-Shop": shop, "X-Shopify-Access-Token": token },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: Record<string, any>; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const timed = async (label: string, query: string, variables: Record<string, unknown> = {}) => {
      const from = performance.now();
      const data = await gql(query, variables);
      line(label, ms(from));
      return data;
    };

    const vipQuery = "customer_tags CONTAINS 'vip' AND number_of_orders >= 3";
    await timed(
      "customerSegmentMembers(query, first: 50), first page",
      `query M($q: String!) { customerSegmentMembers(query: $q, first: 50) { edges { node { id } } } }`,
      { q: vipQuery },
    );
    const counted = await timed(
      "customerSegmentMembers totalCount (every customer)",
      `query M($q: String!) { customerSegmentMembers(query: $q, first: 1) { totalCount } }`,
      { q: vipQuery },
    );
    line("  members", String(counted.customerSegmentMembers.totalCount));
    await timed(
      "customerSegmentMembers(query: last_order_date > -30d), page",
      `{ customerSegmentMembers(query: "last_order_date > -30d", first: 50) { edges { node { id } } } }`,
    );

    const segment = await gql(
      `mutation { segmentCreate(name: "VIP", query: "customer_tags CONTAINS 'vip'") { segment { id } } }`,
    );
    c.createDiscountCode({ shop, code: "VIPONLY", percentage: 0.15, segmentIds: [segment.segmentCreate.segment.id] });
    for (let i = 0; i < 2000; i++) c.createDiscountCode({ shop, code: `REWARD-${i}`, amountCents: 500, usageLimit: 1 });
    await timed("codeDiscountNodeByCode among 2,002 codes", `{ codeDiscountNodeByCode(code: "reward-1999") { id } }`);
    const vip = c.customer({
      shop,
      customerId: (await gql(`{ customers(first: 1, query: "tag:vip") { nodes { id } } }`)).customers.nodes[0].id,
    });
    t = performance.now();
    for (let i = 0; i < 1000; i++) c.placeOrder({ shop, customerId: vip!.id, discountCode: "VIPONLY" });
    line(
      "checkout with a segment-only code (per order, 1 segment)",
      `${((performance.now() - t) / 1000).toFixed(3)} ms`,
    );
    c.creditStoreCredit({ shop, customerId: vip!.id, amountCents: 1000 });
    await timed(
      "customer.storeCreditAccounts with transactions",
      `query C($id: ID!) { customer(id: $id) { storeCreditAccounts(first: 5) { nodes { balance { amount } transactions(first: 10) { nodes { amount { amount } } } } } } }`,
      { id: `gid://shopify/Customer/${vip!.id}` },
    );

    // A bulk read of every order, as the install sync asks it (orders sort by PROCESSED_AT unless told otherwise):
    // the sorted order is worked out once per operation (it was once per page, minutes at 125,000 orders).
    t = performance.now();
    await gql(
      `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id processedAt customer { id } } } } }") { userErrors { message } } }`,
    );
    let read = { status: "RUNNING", objectCount: "0" };
    while (read.status !== "COMPLETED") {
      await new Promise((resolve) => setTimeout(resolve, 200));
      read = (await gql(`{ currentBulkOperation { status objectCount } }`)).currentBulkOperation;
      if (read.status === "FAILED") throw new Error("the bulk read of the orders failed");
    }
    const readSeconds = (performance.now() - t) / 1000;
    line(
      "bulk read of every order (PROCESSED_AT)",
      `${(orders / readSeconds).toFixed(0)} orders/s (${readSeconds.toFixed(1)} s, ${Number(read.objectCount).toLocaleString("en")} lines), RSS ${mib()}`,
    );

    // A bulk import: stage, upload, run customerCreate per line, wait for the finish.
    const staged = await gql(
      `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } } }`,
    );
    const target = staged.stagedUploadsCreate.stagedTargets[0] as {
      url: string;
      parameters: { name: string; value: string }[];
    };
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    const jsonl = Array.from({ length: importLines }, (_, i) =>
      JSON.stringify({ input: { email: `imported.${i}@example.org`, firstName: "Imported", tags: ["import"] } }),
    ).join("\n");
    form.append("file", new Blob([jsonl]), "vars.jsonl");
    t = performance.now();
    await fetch(target.url, { method: "POST", body: form });
    line(`upload of ${importLines.toLocaleString("en")} lines (${(jsonl.length / 2 ** 20).toFixed(1)} MiB)`, ms(t));
    const key = target.parameters.find((p) => p.name === "key")!.value;
    t = performance.now();
    await gql(
      `mutation R($path: String!) { bulkOperationRunMutation(stagedUploadPath: $path, mutation: "mutation call($input: CustomerInput!) { customerCreate(input: $input) { customer { id } userErrors { message } } }") { userErrors { message } } }`,
      { path: key },
    );
    for (;;) {
      const current = await gql(`{ currentBulkOperation(type: MUTATION) { status objectCount } }`);
      if (current.currentBulkOperation.status === "COMPLETED") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - t) / 1000;
    line(
      "bulk customerCreate",
      `${(importLines / seconds).toFixed(0)} lines/s (${seconds.toFixed(1)} s), RSS ${mib()}`,
    );
    t = performance.now();
    await c.idle();
    line("webhooks of the import delivered", `${ms(t)} more, RSS ${mib()}`);
  } finally {
    await sandbox.close();
    await new Promise((resolve) => app.close(resolve));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
