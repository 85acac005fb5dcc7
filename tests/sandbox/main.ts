import { parseArgs } from "node:util";
import { startSandbox } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4400" },
    "app-url": { type: "string", default: process.env.SHOPIFY_APP_URL ?? "http://127.0.0.1:3311" },
    toml: { type: "string" },
    shop: { type: "string", default: "tally-demo.myshopify.com" },
    customers: { type: "string", default: "0" },
    orders: { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
    /** Rows per page a bulk operation reads (benches: larger pages, Shopify's pace on a large shop). */
    "bulk-page-size": { type: "string" },
  },
});

const apiKey = process.env.SHOPIFY_API_KEY;
const apiSecret = process.env.SHOPIFY_API_SECRET;
if (!apiKey || !apiSecret) {
  console.error("Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET to the app's values.");
  process.exit(1);
}

const sandbox = await startSandbox({
  port: Number(values.port),
  apiKey,
  apiSecret,
  appUrl: values["app-url"]!,
  ...(values.toml ? { appTomlPath: values.toml } : {}),
  ...(values["bulk-page-size"] ? { bulkPageSize: Number(values["bulk-page-size"]) } : {}),
});
sandbox.control.createShop({ shop: values.shop! });
if (Number(values.customers) || Number(values.orders)) {
  sandbox.control.seed({
    shop: values.shop!,
    customers: Number(values.customers),
    orders: Number(values.orders),
    seed: Number(values.seed),
  });
}
const handle = values.shop!.replace(/\.myshopify\.com$/, "");
process.stdout.write(
  [
    `Sandbox Shopify on ${sandbox.origin}`,
    `  admin:      ${sandbox.origin}/store/${handle}/apps/tally`,
    `  storefront: ${sandbox.origin}/storefront?shop=${values.shop}`,
    `  control:    POST ${sandbox.origin}/_sandbox/<operation>`,
    "",
  ].join("\n"),
);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void sandbox.close().then(() => process.exit(0)));
