import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The vendored Admin API schema (vendor/shopify, a gzipped introspection result) as the plain JSON file GraphQL Code
 * Generator reads. Written under node_modules/.cache, never committed: the gzipped file stays the one copy, and the
 * JSON is rewritten whenever its content hash changes (a newer API version vendored).
 */
export function adminSchemaJson(version = "2026-10"): string {
  const gzipped = readFileSync(path.join(root, "vendor/shopify", `admin_${version}.json.gz`));
  const hash = createHash("sha256").update(gzipped).digest("hex").slice(0, 16);
  const dir = path.join(root, "node_modules/.cache/tally-codegen");
  const file = path.join(dir, `admin_${version}.${hash}.json`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, gunzipSync(gzipped));
  }
  return path.relative(process.cwd(), file);
}
