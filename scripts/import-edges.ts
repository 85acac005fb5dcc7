// Counts the imports between app/'s rooms (docs/ARCHITECTURE.md), in the work tree or at a git revision:
//   npx tsx scripts/import-edges.ts            the work tree
//   npx tsx scripts/import-edges.ts --ref main  as committed at `main` (read with git, nothing checked out)
// A room is a folder of app/ (app/shopify's subfolders each count as one); a file at app/'s top is a room of its own.
// Each import statement (static, `import type` and dynamic `import()`) from one room into another counts once; the
// type-only ones (which load nothing at run time) are also counted apart.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { ref: { type: "string" } } });
const ref = values.ref;

function listFiles(): string[] {
  if (ref) return execFileSync("git", ["ls-tree", "-r", "--name-only", ref, "app"], { encoding: "utf8" }).split("\n");
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const file = path.posix.join(dir, name);
      return statSync(file).isDirectory() ? walk(file) : [file];
    });
  return walk("app");
}

const files = listFiles().filter((file) => /\.(ts|tsx)$/.test(file) && !file.startsWith("app/types/"));
const known = new Set(files);
const read = (file: string) =>
  ref ? execFileSync("git", ["show", `${ref}:${file}`], { encoding: "utf8" }) : readFileSync(file, "utf8");

function resolve(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith("~/")) base = `app/${specifier.slice(2)}`;
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return undefined;
  return ["", ".ts", ".tsx", "/index.ts"].map((ending) => base + ending).find((candidate) => known.has(candidate));
}

function roomOf(file: string): string {
  const parts = file.split("/").slice(1);
  if (parts.length === 1) return parts[0]!.replace(/\.tsx?$/, "");
  if (parts[0] === "shopify" && parts.length > 2) return `shopify/${parts[1]}`;
  return parts[0]!;
}

const edges = new Map<string, { all: number; typeOnly: number }>();
const imports = /(?:^|\n)\s*(import|export)\s(type\s)?[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
for (const file of files) {
  for (const match of read(file).matchAll(imports)) {
    const target = resolve(file, (match[3] ?? match[4])!);
    if (!target) continue;
    const [from, to] = [roomOf(file), roomOf(target)];
    if (from === to) continue;
    const edge = edges.get(`${from} -> ${to}`) ?? { all: 0, typeOnly: 0 };
    edge.all += 1;
    if (match[2]) edge.typeOnly += 1;
    edges.set(`${from} -> ${to}`, edge);
  }
}

const rows = [...edges].sort(([a], [b]) => a.localeCompare(b));
const line = (label: string, all: number, typeOnly: number) =>
  `  ${label.padEnd(40)} ${String(all).padStart(4)}${typeOnly ? `  (${typeOnly} type-only)` : ""}`;
console.log(`Imports between app/'s rooms${ref ? ` at ${ref}` : ""} (${files.length} files)`);
for (const [edge, { all, typeOnly }] of rows) console.log(line(edge, all, typeOnly));
const sum = (pick: (edge: { all: number; typeOnly: number }) => number) =>
  rows.reduce((total, [, edge]) => total + pick(edge), 0);
console.log(
  line(
    "total",
    sum((edge) => edge.all),
    sum((edge) => edge.typeOnly),
  ),
);
