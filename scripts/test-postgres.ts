import { spawnSync } from "node:child_process";
import { findPostgresBin, startPostgresCluster } from "./postgres-cluster";

/*
 * `npm run test:integration:postgres`: the integration suite on PostgreSQL (decision 034). With
 * TALLY_TEST_POSTGRES_URL set, on that server; otherwise on a throwaway cluster of the PostgreSQL installed here
 * (scripts/postgres-cluster.ts), removed afterwards. Without any PostgreSQL installed it says so and fails, unless
 * TALLY_SKIP_POSTGRES=1 (a newcomer's machine; CI installs it: .ci/run).
 */

function vitest(url: string): number {
  const run = spawnSync("npx", ["vitest", "run", "--project", "integration-postgres", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, TALLY_TEST_POSTGRES_URL: url },
  });
  return run.status ?? 1;
}

if (process.env.TALLY_TEST_POSTGRES_URL) process.exit(vitest(process.env.TALLY_TEST_POSTGRES_URL));

const bin = findPostgresBin();
if (!bin) {
  if (process.env.TALLY_SKIP_POSTGRES === "1") {
    console.warn("Integration suite on PostgreSQL skipped (TALLY_SKIP_POSTGRES=1): no PostgreSQL installed here");
    process.exit(0);
  }
  console.error(
    "No PostgreSQL found for the integration suite on PostgreSQL: install it (apt-get install postgresql, brew install " +
      "postgresql), set TALLY_TEST_POSTGRES_URL, or TALLY_SKIP_POSTGRES=1 to skip it on this machine",
  );
  process.exit(1);
}

const cluster = await startPostgresCluster(bin);
let status = 1;
try {
  status = vitest(cluster.url);
} finally {
  cluster.stop();
}
process.exit(status);
