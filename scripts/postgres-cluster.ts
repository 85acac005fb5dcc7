import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/*
 * A throwaway PostgreSQL cluster of the PostgreSQL installed here (Debian's `postgresql`, Homebrew's), on a free
 * loopback port, for the integration suite on PostgreSQL and the benches (decision 034). PostgreSQL refuses to run as
 * root: as root the cluster runs as the `postgres` user. Durability is off (fsync, synchronous_commit): a test or
 * bench database is thrown away, and SQLite's benches run with the same trade (WAL, synchronous=NORMAL).
 */

/** The directory of pg_ctl and initdb, newest Debian version first, else the PATH's; undefined when none. */
export function findPostgresBin(): string | undefined {
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

export interface PostgresCluster {
  /** postgres://tally@127.0.0.1:port/postgres (trust authentication on loopback). */
  url: string;
  /** The postmaster's process id, whose backends are its children (for CPU accounting). */
  pid: number;
  /** Stops the server at once and removes its files. */
  stop: () => void;
}

/** Starts a cluster from `bin` (findPostgresBin()); throws what initdb or pg_ctl said when it cannot. */
export async function startPostgresCluster(bin: string): Promise<PostgresCluster> {
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
  const pid = Number(readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    url: `postgres://tally@127.0.0.1:${port}/postgres`,
    pid,
    stop: () => {
      runAs(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
