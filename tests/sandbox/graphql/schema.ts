import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const cache = new Map<string, GraphQLSchema>();

/** Where the vendored introspection results live (vendor/shopify/README.md says where they come from). */
const VENDOR_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../vendor/shopify");

/** The path of the real Admin API schema (a gzipped introspection result) for one API version. */
export function adminSchemaPath(version = "2026-10"): string {
  const file = path.join(VENDOR_DIR, `admin_${version}.json.gz`);
  if (!existsSync(file)) throw new Error(`The Admin API ${version} schema is not vendored (looked for ${file})`);
  return file;
}

/** The real Admin API schema of one version, built once from its introspection result. */
export function adminSchema(version = "2026-10"): GraphQLSchema {
  let schema = cache.get(version);
  if (!schema) {
    const introspection = JSON.parse(gunzipSync(readFileSync(adminSchemaPath(version))).toString()) as {
      data: IntrospectionQuery;
    };
    schema = buildClientSchema(introspection.data);
    cache.set(version, schema);
  }
  return schema;
}
