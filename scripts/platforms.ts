// The laptops a newcomer runs `npm ci` on, and npm's own rules for what it installs on each. Shared by
// `npm run check:platforms` (real installs per platform) and tests/unit/install-anywhere.test.ts (the lockfile alone).
import { readFileSync } from "node:fs";

export type Platform = { os: "darwin" | "linux"; cpu: "arm64" | "x64" };

/** macOS on Apple silicon and Intel, Linux (glibc) on x64 and arm64. */
export const SUPPORTED_PLATFORMS: readonly Platform[] = [
  { os: "darwin", cpu: "arm64" },
  { os: "darwin", cpu: "x64" },
  { os: "linux", cpu: "arm64" },
  { os: "linux", cpu: "x64" },
];

export const platformName = (p: Platform) => `${p.os}-${p.cpu}`;

export type LockedPackage = {
  version?: string;
  os?: string | string[];
  cpu?: string | string[];
  optional?: boolean;
  devOptional?: boolean;
  dev?: boolean;
  hasInstallScript?: boolean;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
};

export type Lockfile = { packages: Record<string, LockedPackage> };

export function readLockfile(file = "package-lock.json"): Lockfile {
  return JSON.parse(readFileSync(file, "utf8")) as Lockfile;
}

/** The package name of a lockfile key: `node_modules/a/node_modules/@s/b` is `@s/b`. */
export const packageName = (key: string) => key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);

/**
 * npm's os/cpu rule (npm-install-checks' checkPlatform): a list matches when it names the value, or when every entry
 * is a negation ("!win32") and none names it; a string is a one-entry list; a missing field matches everything.
 */
function listMatches(value: string, list: string | string[] | undefined): boolean {
  if (list === undefined) return true;
  const entries = typeof list === "string" ? [list] : list;
  if (entries.length === 1 && entries[0] === "any") return true;
  let negated = 0;
  let match = false;
  for (const entry of entries) {
    if (entry.startsWith("!")) {
      negated++;
      if (entry.slice(1) === value) return false;
    } else if (entry === value) match = true;
  }
  return match || negated === entries.length;
}

export const runsOn = (pkg: LockedPackage, p: Platform) => listMatches(p.os, pkg.os) && listMatches(p.cpu, pkg.cpu);

/** npm skips an optional package that does not run on the platform; any other such package fails `npm ci` there. */
export const isOptional = (pkg: LockedPackage) => pkg.optional === true || pkg.devOptional === true;

/** The lockfile entries `npm ci` on this platform would install (top-level and nested alike), keyed by path. */
export function installedOn(lock: Lockfile, p: Platform): [string, LockedPackage][] {
  return Object.entries(lock.packages).filter(([key, pkg]) => key !== "" && (runsOn(pkg, p) || !isOptional(pkg)));
}

/** Major, minor and patch of a plain version ("22.23.2"). */
export function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map(Number);
  return [major, minor, patch];
}

/** Whether `version` satisfies a `>=x.y[.z]` range, the only form Tally's engines field uses. */
export function satisfiesAtLeast(version: string, range: string): boolean {
  const floor = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!floor) throw new Error(`Only ">=x.y.z" ranges are understood here, not "${range}"`);
  const have = versionParts(version);
  const need = versionParts(floor[1]!);
  for (let i = 0; i < 3; i++) if (have[i]! !== need[i]!) return have[i]! > need[i]!;
  return true;
}

/**
 * The platforms a native executable or addon runs on, read from its header: ELF (Linux) or Mach-O (macOS), thin or
 * universal. Undefined for anything else (scripts, text, Windows DLLs).
 */
export function nativePlatforms(header: Buffer): Platform[] | undefined {
  if (header.length < 20) return undefined;
  if (header.readUInt32BE(0) === 0x7f454c46) {
    const machine = header.readUInt16LE(18);
    const cpu = machine === 0x3e ? "x64" : machine === 0xb7 ? "arm64" : undefined;
    return cpu ? [{ os: "linux", cpu }] : [];
  }
  const machCpu = (type: number) => (type === 0x01000007 ? "x64" : type === 0x0100000c ? "arm64" : undefined);
  if (header.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = machCpu(header.readUInt32LE(4));
    return cpu ? [{ os: "darwin", cpu }] : [];
  }
  if (header.readUInt32BE(0) === 0xcafebabe) {
    const count = header.readUInt32BE(4);
    // 0xcafebabe is also a Java class file, whose second word (its version) is far above any architecture count.
    if (count === 0 || count > 8 || header.length < 8 + count * 20) return undefined;
    const cpus = Array.from({ length: count }, (_, i) => machCpu(header.readUInt32BE(8 + i * 20)));
    return cpus.filter((cpu) => cpu !== undefined).map((cpu) => ({ os: "darwin", cpu }));
  }
  return undefined;
}
