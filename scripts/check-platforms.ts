// `npm run check:platforms`: a real `npm ci` of the committed lockfile for each supported laptop (macOS arm64 and x64,
// Linux arm64 and x64) in a scratch folder, with npm's --os/--cpu, then a look inside: the Node that `npm run` will use
// and every native binary installed are read from their ELF/Mach-O headers and must be built for that platform. The
// host platform's Node runs better-sqlite3 and then Tally's production server (`npm run build` once, then server.js on
// a fresh SQLite file: migrations, Remix, the public page); Linux arm64's does both too under qemu-user when it is
// installed (apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross). A Mac cannot be emulated here: for
// macOS the check stops at the binaries. Install scripts are skipped (--ignore-scripts) because esbuild's would run a
// foreign binary; tests/unit/install-anywhere.test.ts shows that esbuild's check is the only one there is.
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../tests/helpers/app-server";
import { nativePlatforms, platformName, SUPPORTED_PLATFORMS, type Platform } from "./platforms";

const AARCH64_SYSROOT = "/usr/aarch64-linux-gnu";
const SMOKE = [
  "const Database = require('better-sqlite3');",
  "const db = new Database(':memory:');",
  "const { v } = db.prepare('select sqlite_version() as v').get();",
  "console.log(`Node ${process.version} on ${process.platform}-${process.arch}, SQLite ${v} through better-sqlite3`);",
].join(" ");

function header(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** The package a file belongs to: the part of its path after the last node_modules/ (two segments when scoped). */
function owningPackage(relative: string): string {
  const after = relative.slice(relative.lastIndexOf("node_modules/") + "node_modules/".length).split("/");
  return after[0]!.startsWith("@") ? `${after[0]}/${after[1]}` : after[0]!;
}

/** Every ELF or Mach-O file under node_modules, grouped by the package that ships it. */
function nativeFiles(root: string): Map<string, { file: string; platforms: Platform[] }[]> {
  const found = new Map<string, { file: string; platforms: Platform[] }[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const platforms = nativePlatforms(header(full));
        if (!platforms) continue;
        const relative = path.relative(root, full);
        const pkg = owningPackage(relative);
        found.set(pkg, [...(found.get(pkg) ?? []), { file: relative, platforms }]);
      }
    }
  };
  walk(path.join(root, "node_modules"));
  return found;
}

/**
 * Starts Tally's production server (server.js and the build, copied into `dir`) with the given Node command line,
 * waits for its public page and stops it. Emulated Node is slow to start: up to two minutes.
 */
async function serve(dir: string, command: string, args: string[]): Promise<string> {
  cpSync("build", path.join(dir, "build"), { recursive: true });
  cpSync("drizzle", path.join(dir, "drizzle"), { recursive: true });
  copyFileSync("server.js", path.join(dir, "server.js"));
  const port = await freePort();
  const child = spawn(command, [...args, "server.js"], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      SHOPIFY_API_KEY: "check-platforms-key",
      SHOPIFY_API_SECRET: "check-platforms-secret",
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      SCOPES: "read_customers",
      DATABASE_PATH: path.join(dir, "tally.sqlite"),
      TALLY_BACKGROUND_JOBS: "off",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server.js exited with ${child.exitCode}: ${output.trim()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        const html = await response.text();
        if (response.status !== 200 || !html.includes("<h1")) throw new Error(`GET / answered ${response.status}`);
        return `server.js up in ${((Date.now() - started) / 1000).toFixed(1)} s, migrated a fresh SQLite file, GET / 200`;
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // not listening yet
      }
      if (Date.now() - started > 120_000) throw new Error(`server.js did not answer in 120 s: ${output.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    child.kill("SIGTERM");
  }
}

const same = (a: Platform, b: Platform) => a.os === b.os && a.cpu === b.cpu;

async function check(target: Platform): Promise<boolean> {
  const name = platformName(target);
  const dir = mkdtempSync(path.join(tmpdir(), `tally-${name}-`));
  let ok = true;
  const problem = (line: string) => {
    ok = false;
    console.log(`  ✗ ${line}`);
  };
  try {
    copyFileSync("package.json", path.join(dir, "package.json"));
    copyFileSync("package-lock.json", path.join(dir, "package-lock.json"));
    const started = Date.now();
    const install = spawnSync(
      "npm",
      ["ci", `--os=${target.os}`, `--cpu=${target.cpu}`, "--ignore-scripts", "--no-audit", "--no-fund"],
      { cwd: dir, encoding: "utf8" },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const output = `${install.stdout}${install.stderr}`;
    const added = /added (\d+) packages/.exec(output)?.[1] ?? "?";
    const warnings = output.split("\n").filter((line) => line.startsWith("npm warn")).length;
    console.log(`${name}: npm ci exit ${install.status} in ${seconds} s, ${added} packages, ${warnings} warn lines`);
    if (install.status !== 0) {
      problem(
        output
          .split("\n")
          .filter((line) => line.startsWith("npm error"))
          .join("\n    ") || "npm ci failed",
      );
      return false;
    }

    const nodeLink = path.join(dir, "node_modules", ".bin", "node");
    if (!existsSync(nodeLink)) problem("no node_modules/.bin/node: `npm run` would fall back to the machine's Node");
    else {
      const nodeBinary = realpathSync(nodeLink);
      const pkg = owningPackage(path.relative(dir, nodeBinary));
      const built = nativePlatforms(header(nodeBinary)) ?? [];
      const line = `Node for npm run: ${pkg} (${path.relative(dir, nodeBinary)}), built for ${built.map(platformName).join(", ") || "nothing known"}`;
      if (built.some((p) => same(p, target))) console.log(`  ✓ ${line}`);
      else problem(line);
    }

    const natives = nativeFiles(dir);
    const summary: string[] = [];
    for (const [pkg, files] of [...natives].sort(([a], [b]) => a.localeCompare(b))) {
      const fits = files.filter((f) => f.platforms.some((p) => same(p, target)));
      if (fits.length === 0)
        problem(
          `${pkg} ships native code only for ${[...new Set(files.flatMap((f) => f.platforms.map(platformName)))].join(", ")}`,
        );
      else
        summary.push(
          files.length === fits.length
            ? pkg
            : `${pkg} (${fits.length} of ${files.length} files; the rest for other platforms, chosen at run time)`,
        );
    }
    console.log(`  ✓ native code, all with a build for ${name}: ${summary.join("; ")}`);

    const nodeBinary = existsSync(nodeLink) ? realpathSync(nodeLink) : undefined;
    const host = { os: platform(), cpu: arch() };
    let run: { command: string; nodeArgs: string[]; how: string } | undefined;
    if (nodeBinary && host.os === target.os && host.cpu === target.cpu)
      run = { command: nodeBinary, nodeArgs: [], how: "natively" };
    else if (nodeBinary && target.os === "linux" && target.cpu === "arm64" && host.os === "linux") {
      const qemu = spawnSync("qemu-aarch64", ["-version"], { encoding: "utf8" });
      if (qemu.status === 0 && existsSync(AARCH64_SYSROOT))
        run = {
          command: "qemu-aarch64",
          nodeArgs: ["-L", AARCH64_SYSROOT, nodeBinary],
          how: "under qemu-aarch64",
        };
      else console.log("  - not run: install qemu-user libc6-arm64-cross libstdc++6-arm64-cross to run it here");
    } else console.log(`  - not run: ${name} binaries cannot run on ${host.os}-${host.cpu}`);
    if (run) {
      const result = spawnSync(run.command, [...run.nodeArgs, "-e", SMOKE], { cwd: dir, encoding: "utf8" });
      if (result.status === 0) console.log(`  ✓ ran ${run.how}: ${result.stdout.trim()}`);
      else problem(`running ${run.how} failed: ${result.stderr.trim() || result.error?.message}`);
      try {
        console.log(`  ✓ ${await serve(dir, run.command, run.nodeArgs)}`);
      } catch (error) {
        problem((error as Error).message);
      }
    }
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const build = spawnSync("npm", ["run", "build"], { encoding: "utf8" });
if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
const results: boolean[] = [];
for (const target of SUPPORTED_PLATFORMS) results.push(await check(target));
const failed = results.filter((ok) => !ok).length;
console.log(
  failed === 0 ? `All ${results.length} platforms install.` : `${failed} of ${results.length} platforms failed.`,
);
process.exit(failed === 0 ? 0 : 1);
