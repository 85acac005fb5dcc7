import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

type Tree = Record<string, unknown>;

/**
 * A theme's or a theme app extension's `locales/`: storefront files (`fr.json`, `en.default.json`) and schema files
 * (`fr.schema.json`, `en.default.schema.json`), as shopify.dev's "Locale files" describes them. A key missing in the
 * shopper's locale falls back to the default locale file; `fr-CA` falls back to `fr` first.
 */
export class Locales {
  readonly storefront = new Map<string, Tree>();
  readonly schema = new Map<string, Tree>();
  defaultLocale = "en";
  defaultSchemaLocale = "en";

  constructor(dir: string) {
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const match = /^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4})?)(\.default)?(\.schema)?\.json$/.exec(file);
      if (!match)
        throw new Error(`${path.join(dir, file)}: not a locale file name (fr.json, en.default.json, fr.schema.json)`);
      const [, iso = "", isDefault, isSchema] = match;
      const tree = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Tree;
      (isSchema ? this.schema : this.storefront).set(iso.toLowerCase(), tree);
      if (isDefault && isSchema) this.defaultSchemaLocale = iso.toLowerCase();
      else if (isDefault) this.defaultLocale = iso.toLowerCase();
    }
  }

  /** The locales this owner has storefront strings for. */
  get isoCodes(): string[] {
    return [...this.storefront.keys()];
  }

  /** A storefront translation (string or plural object), or undefined when no file has the key. */
  lookup(locale: string, key: string): unknown {
    return this.find(this.storefront, this.defaultLocale, locale, key);
  }

  /** A schema (merchant-facing) translation for a `t:` key, or undefined. */
  lookupSchema(locale: string, key: string): unknown {
    return this.find(this.schema, this.defaultSchemaLocale, locale, key);
  }

  private find(files: Map<string, Tree>, fallback: string, locale: string, key: string): unknown {
    const wanted = locale.toLowerCase();
    for (const iso of [wanted, wanted.split("-")[0]!, fallback]) {
      const tree = files.get(iso);
      if (!tree) continue;
      const value = key.split(".").reduce<unknown>((node, part) => (isTree(node) ? node[part] : undefined), tree);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

const isTree = (value: unknown): value is Tree => typeof value === "object" && value !== null && !Array.isArray(value);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Shopify's `t` filter on one owner's locales: `{{ 'key' | t: name: value, count: n }}`. A plural entry picks
 * `zero` for 0 when present, else the locale's CLDR category (`one`, `few`, `other`...); `{{ name }}` placeholders are
 * filled from the arguments. Keys not ending in `_html` are HTML-escaped, as the theme docs say. A key no file has
 * renders `translation missing: {locale}.{key}`, as Shopify shows it.
 */
export function translate(locales: Locales, locale: string, key: string, args: Record<string, unknown>): string {
  let value = locales.lookup(locale, key);
  if (isTree(value) && "count" in args) {
    const count = Number(args.count);
    const category = count === 0 && "zero" in value ? "zero" : new Intl.PluralRules(locale).select(count);
    value = value[category] ?? value.other;
  }
  if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
  const html = key.endsWith("_html");
  const filled = value.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => {
    if (!(name in args)) return whole;
    const text = String(args[name] ?? "");
    return html ? escapeHtml(text) : text;
  });
  return html ? filled : escapeHtml(filled);
}

/** Resolves a schema's `t:` strings (labels, names, infos, option labels; defaults too) against the schema locales. */
export function resolveSchemaStrings<T>(value: T, locales: Locales, locale: string): T {
  if (typeof value === "string" && value.startsWith("t:")) {
    const found = locales.lookupSchema(locale, value.slice(2));
    return (typeof found === "string" ? found : value) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => resolveSchemaStrings(item, locales, locale)) as T;
  if (isTree(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveSchemaStrings(v, locales, locale)]),
    ) as T;
  return value;
}
