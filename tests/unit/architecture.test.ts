import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// docs/ARCHITECTURE.md says who may import whom; eslint.config.js enforces it. These tests lint one import at a time,
// as if written in a file of the named room, through the project's own config, and check that lint refuses what the
// page forbids and lets through what it allows. Without type information: the import rules need none.
const eslint = new ESLint({
  overrideConfig: [{ languageOptions: { parserOptions: { projectService: false, project: null } } }],
  ruleFilter: ({ ruleId }) => ruleId === "import-x/no-cycle" || ruleId === "@typescript-eslint/no-restricted-imports",
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

const use = (names: string, from: string) => `import { ${names} } from "${from}";\nexport const used = [${names}];\n`;

// import-x/no-cycle walks the import graph the first time a case reaches a new part of it (the sandbox: seconds on a
// loaded machine), so these cases get more than the unit default.
describe("lint refuses an import circle", { timeout: 60_000 }, () => {
  it("through static imports (a service importing one that imports it)", async () => {
    const found = await problems(
      "app/services/scheduled-jobs/job-state.server.ts",
      use("recordInstall", "~/services/shops/record-install.server"),
    );
    expect(found).toEqual([expect.stringMatching(/^import-x\/no-cycle: Dependency cycle/)]);
  });

  it("through a dynamic import, as afterAuth once imported the job runner", async () => {
    const found = await problems(
      "app/shopify.server.ts",
      'export const start = () => import("./jobs/scheduler.server");\n',
    );
    expect(found).toEqual([expect.stringMatching(/^import-x\/no-cycle: Dependency cycle/)]);
  });
});

describe("lint keeps each room to its layer", { timeout: 60_000 }, () => {
  const refused: Array<[string, string, string, RegExp]> = [
    ["app/domain/ledger/x.ts", "customers", "~/db/schema", /app\/domain is pure/],
    ["app/domain/ledger/x.ts", "env", "~/lib/env.server", /nothing of ours but domain/],
    ["app/services/ledger/x.server.ts", "adminRequest", "~/shopify/admin/graphql.server", /domain and db only/],
    ["app/services/ledger/x.server.ts", "runShopJobs", "~/jobs/scheduler.server", /domain and db only/],
    ["app/db/x.ts", "adjustPoints", "~/services/ledger/adjust-points.server", /calls nobody/],
    ["app/lib/x.ts", "findShop", "~/services/shops/get-shop.server", /small helpers/],
    [
      "app/shopify/admin/x.server.ts",
      "listCustomers",
      "~/services/customers/list-customers.server",
      /orchestration lives in app\/jobs/,
    ],
    ["app/shopify/admin/x.server.ts", "contextFor", "~/shopify.server", /read and write Shopify only/],
    ["app/shopify/admin/x.server.ts", "customers", "~/db/schema", /read and write Shopify only/],
    [
      "app/shopify/admin/x.server.ts",
      "webhookAction",
      "~/shopify/webhooks/intake.server",
      /read and write Shopify only/,
    ],
    ["app/shopify/webhooks/x.server.ts", "customers", "~/db/schema", /through services/],
    ["app/shopify/webhooks/x.server.ts", "adminRequest", "~/shopify/admin/graphql.server", /calls no Admin API/],
    ["app/shopify/webhooks/x.server.ts", "runShopJobs", "~/jobs/scheduler.server", /no job/],
    ["app/shopify/webhooks/x.server.ts", "adminRequest", "../admin/graphql.server", /through ~\//],
    ["app/shopify/proxy/x.server.ts", "customers", "~/db/schema", /through services/],
    ["app/shopify/auth/x.server.ts", "drainWebhookQueue", "~/shopify/webhooks/queue.server", /stand alone/],
    ["app/shopify/sandbox/x.server.ts", "findShop", "~/services/shops/get-shop.server", /reads env and nothing else/],
    ["app/jobs/scheduled/x.server.ts", "customers", "~/db/schema", /never app\/db/],
    ["app/jobs/scheduled/x.server.ts", "eq", "drizzle-orm", /never app\/db/],
    ["app/routes/app.x.tsx", "runShopJobs", "~/jobs/scheduler.server", /never reach into the scheduler/],
    ["app/routes/app.x.tsx", "customers", "~/db/schema", /never touch the database/],
    ["app/components/x.tsx", "retryStuckDelivery", "~/shopify/webhooks/queue.server", /stays out of the browser/],
    ["app/components/x.tsx", "getSyncHealth", "~/services/home/get-sync-health.server", /stays out of the browser/],
    ["app/services/email/x.server.ts", "createTransport", "nodemailer", /Only app\/email speaks SMTP/],
    ["app/routes/app.x.tsx", "createTransport", "nodemailer", /Only app\/email speaks SMTP/],
    ["app/services/email/x.server.ts", "smtpTransport", "~/email/smtp-transport.server", /as ports/],
    ["app/routes/app.x.tsx", "smtpTransport", "~/email/smtp-transport.server", /mail transport/],
    ["app/email/x.server.ts", "customers", "~/db/schema", /speaks SMTP only/],
    ["app/email/x.server.ts", "queueInvitations", "~/services/email/queue-invitations.server", /calls no service/],
    ["app/lib/x.ts", "startSandbox", "../../tests/sandbox/index", /Nothing in app\/ imports tests/],
    ["app/routes/app.x.tsx", "signedRequest", "~/../tests/helpers/signed-requests", /Nothing in app\/ imports tests/],
  ];
  it.each(refused)("%s may not import %s from %s", async (file, names, from, message) => {
    const found = await problems(file, use(names, from));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((problem) => problem.startsWith("@typescript-eslint/no-restricted-imports:"))).toBe(true);
    expect(found.some((problem) => message.test(problem))).toBe(true);
  });

  const allowed: Array<[string, string, string]> = [
    ["app/jobs/scheduled/x.server.ts", "releaseHeldPoints", "~/services/ledger/release-held-points.server"],
    ["app/jobs/scheduled/x.server.ts", "adminRequest", "~/shopify/admin/graphql.server"],
    ["app/jobs/scheduled/x.server.ts", "smtpTransport", "~/email/smtp-transport.server"],
    ["app/email/x.server.ts", "createTransport", "nodemailer"],
    ["app/jobs/scheduled/x.server.ts", "drainWebhookQueue", "~/shopify/webhooks/queue.server"],
    ["app/shopify/webhooks/x.server.ts", "syncCustomer", "~/services/customers/sync-customer.server"],
    ["app/shopify/admin/x.server.ts", "adminRequest", "./graphql.server"],
    ["app/routes/app.x.tsx", "retryStuckDelivery", "~/shopify/webhooks/queue.server"],
    ["app/routes/app.x.tsx", "getSyncHealth", "~/services/home/get-sync-health.server"],
  ];
  it.each(allowed)("%s may import %s from %s", async (file, names, from) => {
    expect(await problems(file, use(names, from))).toEqual([]);
  });

  it("lets an Admin API adapter take a service's types (the contract it fills), never its code", async () => {
    const typeOnly =
      'import type { RewardIssuer } from "~/services/rewards/redeem-points.server";\nexport type I = RewardIssuer;\n';
    expect(await problems("app/shopify/admin/x.server.ts", typeOnly)).toEqual([]);
  });
});
