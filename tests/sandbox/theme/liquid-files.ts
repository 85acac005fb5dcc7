import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Liquid, Template } from "liquidjs";

/** One setting of a schema (shopify.dev, "Input settings"). */
export interface SettingDefinition {
  type: string;
  id?: string;
  label?: string;
  default?: unknown;
  options?: { value: string; label: string }[];
  [key: string]: unknown;
}

/** `enabled_on` / `disabled_on` of a section or block schema. */
export interface Placement {
  templates?: string[];
  groups?: string[];
}

/** The `{% schema %}` of a section or of a theme app extension block. */
export interface LiquidSchema {
  name?: string;
  tag?: string;
  class?: string;
  target?: "section" | "head" | "body" | "compliance_head";
  settings?: SettingDefinition[];
  blocks?: { type: string; name?: string; settings?: SettingDefinition[] }[];
  stylesheet?: string;
  javascript?: string;
  available_if?: string;
  enabled_on?: Placement;
  disabled_on?: Placement;
  presets?: unknown[];
  [key: string]: unknown;
}

/**
 * A Liquid file parsed once: its templates, or the syntax error Shopify would show in its place, and its schema.
 * Parsing happens at load; rendering reuses the same templates for every request.
 */
export interface LiquidFile {
  /** The file's path inside its theme or extension, as error messages name it (`sections/header.liquid`). */
  name: string;
  source: string;
  templates: Template[] | null;
  syntaxError: string | null;
  schema: LiquidSchema | null;
  schemaError: string | null;
}

const SCHEMA = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

export function parseLiquidFile(liquid: Liquid, file: string, name: string): LiquidFile {
  const source = readFileSync(file, "utf8");
  let templates: Template[] | null = null;
  let syntaxError: string | null = null;
  try {
    templates = liquid.parse(source, file);
  } catch (error) {
    syntaxError = (error as Error).message;
  }
  let schema: LiquidSchema | null = null;
  let schemaError: string | null = null;
  const raw = SCHEMA.exec(source)?.[1];
  if (raw !== undefined) {
    try {
      schema = JSON.parse(raw) as LiquidSchema;
    } catch (error) {
      schemaError = `Invalid JSON in tag 'schema': ${(error as Error).message}`;
    }
  }
  return { name, source, templates, syntaxError, schema, schemaError };
}

/** Every `*.liquid` of a directory, parsed, by base name. */
export function parseLiquidDir(liquid: Liquid, dir: string, prefix: string): Map<string, LiquidFile> {
  const files = new Map<string, LiquidFile>();
  if (!existsSync(dir)) return files;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".liquid"))
    .sort()) {
    const name = file.slice(0, -".liquid".length);
    files.set(name, parseLiquidFile(liquid, path.join(dir, file), `${prefix}/${file}`));
  }
  return files;
}

/** A theme JSON file (template, section group, settings data): Shopify allows a leading `/* ... *\/` comment. */
export function readThemeJson<T>(file: string): T {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF?\s*\/\*[\s\S]*?\*\/\s*/, "");
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

export interface StaticAsset {
  contentType: string;
  body: Buffer;
  /** A short content hash: the `?v=` of asset URLs, so a changed file gets a new URL. */
  version: string;
}

/** An `assets/` directory read once into memory, with each file's content type. */
export function readAssets(dir: string): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  if (!existsSync(dir)) return assets;
  for (const file of readdirSync(dir).sort()) {
    const full = path.join(dir, file);
    if (!statSync(full).isFile()) continue;
    const body = readFileSync(full);
    let hash = 0;
    for (const byte of body) hash = (hash * 31 + byte) >>> 0;
    assets.set(file, {
      contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      body,
      version: hash.toString(36),
    });
  }
  return assets;
}
