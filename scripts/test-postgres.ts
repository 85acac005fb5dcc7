import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/*
 * `npm run test:integration:postgres`: the integration suite on PostgreSQL (decision 034). With
 * TALLY_TEST_POSTGRES_URL set, on that server; otherwise on a throwaway cluster of the PostgreSQL installed here
 * (Debian's `postgresql`, Homebrew's), started on a free loopback port and removed afterwards. PostgreSQL refuses to
 * run as root: as root the cluster runs as the `postgres` user. Without any PostgreSQL installed it says so and fails,
 * unless TALLY_SKIP_POSTGRES=1 (a newcomer's machine; CI installs it: .ci/run).
 */

function findBin(): string | undefined {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, "bin", "pg_ctl")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], "bin");
  }
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  return onPath ? path.dirname(onPath) : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function vitest(url: string): number {
  const run = spawnSync("npx", ["vitest", "run", "--project", "integration-postgres", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, TALLY_TEST_POSTGRES_URL: url },
  });
  return run.status ?? 1;
}

if (process.env.TALLY_TEST_POSTGRES_URL) process.exit(vitest(process.env.TALLY_TEST_POSTGRES_URL));

const bin = findBin();
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

const root = process.getuid?.() === 0;
const dir = mkdtempSync(path.join(tmpdir(), "tally-pg-"));
const runAs = (command: string, args: string[]) =>
  root ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args]) : execFileSync(command, args);
if (root) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), 0);
const data = path.join(dir, "data");
const port = await freePort();
runAs(path.join(bin, "initdb"), ["-D", data, "-U", "tally", "--auth=trust", "-E", "UTF8", "--no-locale"]);
const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
runAs(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", options, "start"]);
let status = 1;
try {
  status = vitest(`postgres://tally@127.0.0.1:${port}/postgres`);
} finally {
  runAs(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
