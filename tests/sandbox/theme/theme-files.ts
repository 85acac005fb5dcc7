import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Liquid } from "liquidjs";
import { createShopifyLiquid, type LiquidOwner, type RenderHooks } from "./engine";
import {
  parseLiquidDir,
  readAssets,
  readThemeJson,
  type LiquidFile,
  type SettingDefinition,
  type StaticAsset,
} from "./liquid-files";
import { Locales } from "./locales";

/** A block of a section in a JSON template or section group (theme block, or an app block by its `shopify://` type). */
export interface BlockData {
  type: string;
  settings?: Record<string, unknown>;
  disabled?: boolean;
}

/** A section placed in a JSON template or section group. */
export interface SectionData {
  type: string;
  settings?: Record<string, unknown>;
  blocks?: Record<string, BlockData>;
  block_order?: string[];
  disabled?: boolean;
}

/** A JSON template (`templates/product.json`) or section group (`sections/header-group.json`). */
export interface SectionList {
  /** Section groups: `header`, `footer`, `aside` or `custom.<name>`. */
  type?: string;
  name?: string;
  /** Templates: another layout, or false for none. */
  layout?: string | false;
  wrapper?: string;
  sections: Record<string, SectionData>;
  order: string[];
}

/** `config/settings_data.json`: theme settings, static sections' settings and app embed blocks. */
export interface SettingsData {
  current: Record<string, unknown> & {
    sections?: Record<string, SectionData>;
    blocks?: Record<string, BlockData>;
  };
  presets?: Record<string, unknown>;
}

/**
 * A theme as Shopify stores it (shopify.dev, "Theme architecture"): `layout/`, `templates/` (JSON templates of
 * sections, `customers/` among them), `sections/` (Liquid sections and JSON section groups), `snippets/`, `locales/`,
 * `config/` and `assets/`. Every Liquid file is parsed once, when the sandbox starts.
 */
export class ThemeFiles implements LiquidOwner {
  readonly liquid: Liquid;
  readonly layouts: Map<string, LiquidFile>;
  readonly sections: Map<string, LiquidFile>;
  readonly templates = new Map<string, SectionList>();
  readonly groups = new Map<string, SectionList>();
  readonly locales: Locales;
  readonly settingsSchema: { name: string; settings?: SettingDefinition[] }[];
  readonly settingsData: SettingsData;
  readonly assets: Map<string, StaticAsset>;
  readonly snippets: string;

  constructor(
    readonly dir: string,
    /** The theme's id, as in its asset URLs (`/cdn/shop/t/{id}/assets/...`). */
    readonly themeId: number,
    hooks: RenderHooks,
  ) {
    this.snippets = path.join(dir, "snippets");
    this.locales = new Locales(path.join(dir, "locales"));
    this.assets = readAssets(path.join(dir, "assets"));
    this.liquid = createShopifyLiquid(this, hooks);
    this.layouts = parseLiquidDir(this.liquid, path.join(dir, "layout"), "layout");
    this.sections = parseLiquidDir(this.liquid, path.join(dir, "sections"), "sections");
    const templatesDir = path.join(dir, "templates");
    for (const file of walk(templatesDir).filter((f) => f.endsWith(".json")))
      this.templates.set(file.slice(0, -".json".length), readThemeJson<SectionList>(path.join(templatesDir, file)));
    const sectionsDir = path.join(dir, "sections");
    if (existsSync(sectionsDir))
      for (const file of readdirSync(sectionsDir).filter((f) => f.endsWith(".json")))
        this.groups.set(file.slice(0, -".json".length), readThemeJson<SectionList>(path.join(sectionsDir, file)));
    this.settingsSchema = readThemeJson(path.join(dir, "config", "settings_schema.json"));
    const data = readThemeJson<{ current: unknown; presets?: Record<string, unknown> }>(
      path.join(dir, "config", "settings_data.json"),
    );
    // `current` may name a preset instead of holding the settings.
    const current = typeof data.current === "string" ? (data.presets?.[data.current] ?? {}) : data.current;
    this.settingsData = {
      current: current as SettingsData["current"],
      ...(data.presets ? { presets: data.presets } : {}),
    };
    this.checkSnippets();
  }

  assetUrl(file: string): string {
    const asset = this.assets.get(file);
    return `/cdn/shop/t/${this.themeId}/assets/${encodeURIComponent(file)}${asset ? `?v=${asset.version}` : ""}`;
  }

  assetContent(file: string): string | null {
    return this.assets.get(file)?.body.toString("utf8") ?? null;
  }

  /** The theme settings' defaults (`settings_schema.json`), which `settings` falls back to. */
  settingDefaults(): Record<string, unknown> {
    return Object.fromEntries(
      this.settingsSchema
        .flatMap((group) => group.settings ?? [])
        .filter((s) => s.id !== undefined && s.default !== undefined)
        .map((s) => [s.id!, s.default]),
    );
  }

  /** Parses every snippet now, so a syntax error in the theme stops the sandbox at start rather than mid-test. */
  private checkSnippets() {
    if (!existsSync(this.snippets)) return;
    for (const file of readdirSync(this.snippets).filter((f) => f.endsWith(".liquid")))
      this.liquid.parse(readFileSync(path.join(this.snippets, file), "utf8"), path.join(this.snippets, file));
    for (const file of [...this.layouts.values(), ...this.sections.values()])
      if (file.syntaxError || file.schemaError)
        throw new Error(`${file.name}: ${file.syntaxError ?? file.schemaError}`);
  }
}

function walk(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? walk(full, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}
