import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const cache = new Map<string, GraphQLSchema>();

/** The real Admin API schema, from the introspection result @shopify/dev-mcp ships for its docs tooling. */
/** The package's folder, looked up the way Node does; its `exports` only offer an ESM entry, which require cannot resolve. */
function packageRoot(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find ${name} in any node_modules above ${import.meta.url}`);
    dir = parent;
  }
}

export function adminSchema(version = "2026-10"): GraphQLSchema {
  let schema = cache.get(version);
  if (!schema) {
    const dataDir = path.join(packageRoot("@shopify/dev-mcp"), "dist", "data");
    const introspection = JSON.parse(
      gunzipSync(readFileSync(path.join(dataDir, `admin_${version}.json.gz`))).toString(),
    ) as {
      data: IntrospectionQuery;
    };
    schema = buildClientSchema(introspection.data);
    cache.set(version, schema);
  }
  return schema;
}
