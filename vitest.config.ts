import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // The storefront widget's stylesheet is imported ?raw by the rewards page (app/shopify/proxy/rewards-page.server.ts).
    css: { include: [/extensions\/.*\.css/] },
    // Tally's JSON log stays quiet in tests; its errors still fail a test (tests/helpers/fail-on-console-error.ts).
    env: { LOG_LEVEL: "silent" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          setupFiles: ["tests/helpers/fail-on-console-error.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          setupFiles: ["tests/helpers/integration-env.ts", "tests/helpers/fail-on-console-error.ts"],
          pool: "forks",
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          // The same integration suite on PostgreSQL (decision 034); TALLY_TEST_POSTGRES_URL names the server.
          name: "integration-postgres",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/helpers/postgres-template.ts"],
          setupFiles: ["tests/helpers/integration-env.ts", "tests/helpers/fail-on-console-error.ts"],
          env: { TALLY_TEST_DIALECT: "postgres" },
          pool: "forks",
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          setupFiles: ["tests/helpers/fail-on-console-error.ts"],
          pool: "forks",
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
