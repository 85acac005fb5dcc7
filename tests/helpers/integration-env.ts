import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { readAppConfig } from "../sandbox/app-config";
import { adminUrl, databaseUrl, runPrefix, templateName } from "./postgres-template";

// One SQLite file per worker, migrated from drizzle/ when app/shopify.server.ts first opens it. Tests isolate
// themselves by shop, so files never need resetting between tests.
const dir = mkdtempSync(path.join(tmpdir(), "tally-it-"));
process.env.DATABASE_PATH = path.join(dir, `worker-${process.env.VITEST_POOL_ID ?? "0"}.sqlite`);
// On PostgreSQL (the integration-postgres project), a database of this file's own, copied from the migrated template.
if (process.env.TALLY_TEST_DIALECT === "postgres") {
  const name = `${runPrefix()}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database "${name}" template "${templateName()}"`);
  await admin.end();
  process.env.DATABASE_URL = databaseUrl(name);
}
process.env.SHOPIFY_API_KEY = "tally-test-api-key";
process.env.SHOPIFY_API_SECRET = "tally-test-api-secret";
process.env.SHOPIFY_APP_URL = "https://tally.test";
// The scopes shopify.app.toml asks for, as Shopify would grant them on install.
process.env.SCOPES = readAppConfig(path.resolve("shopify.app.toml")).scopes.join(",");
// Tokens are sealed as in production (decision 007), with a key of this run's own.
process.env.TALLY_ENCRYPTION_KEY = randomBytes(32).toString("base64");
// Tests run jobs explicitly; a background install sync would race their assertions.
process.env.TALLY_BACKGROUND_JOBS = "off";
