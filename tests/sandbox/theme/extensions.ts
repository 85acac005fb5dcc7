import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Liquid } from "liquidjs";
import { parseTomlSubset } from "../app-config";
import { createShopifyLiquid, type LiquidOwner, type RenderHooks } from "./engine";
import { parseLiquidDir, readAssets, type LiquidFile, type StaticAsset } from "./liquid-files";
import { Locales } from "./locales";

export type BlockTarget = "section" | "head" | "body" | "compliance_head";

/**
 * One theme app extension of the app (`extensions/<dir>/shopify.extension.toml` with `type = "theme"`), read as
 * `shopify app deploy` would ship it: `blocks/*.liquid` with their schemas, `snippets/`, `assets/` and `locales/`.
 * Its blocks render with their own Liquid engine, so `{% render %}`, `t` and `asset_url` resolve inside the extension.
 */
export class ThemeAppExtension implements LiquidOwner {
  readonly liquid: Liquid;
  readonly blocks: Map<string, LiquidFile>;
  readonly locales: Locales;
  readonly assets: Map<string, StaticAsset>;
  readonly snippets: string;

  constructor(
    readonly dir: string,
    /** The extension's handle (its `handle`, or its directory name as the CLI derives it). */
    readonly handle: string,
    readonly name: string,
    /** The extension's id, as in `shopify://apps/{app}/blocks/{block}/{uuid}` and its CDN asset URLs. */
    readonly uuid: string,
    hooks: RenderHooks,
  ) {
    this.snippets = path.join(dir, "snippets");
    this.locales = new Locales(path.join(dir, "locales"));
    this.assets = readAssets(path.join(dir, "assets"));
    this.liquid = createShopifyLiquid(this, hooks);
    this.blocks = parseLiquidDir(this.liquid, path.join(dir, "blocks"), "blocks");
  }

  assetUrl(file: string): string {
    const asset = this.assets.get(file);
    return `/cdn/extensions/${this.uuid}/assets/${encodeURIComponent(file)}${asset ? `?v=${asset.version}` : ""}`;
  }

  assetContent(file: string): string | null {
    return this.assets.get(file)?.body.toString("utf8") ?? null;
  }

  /** A block's target: `section` makes an app block, `head`/`body`/`compliance_head` an app embed block. */
  targetOf(block: LiquidFile): BlockTarget | null {
    const target = block.schema?.target;
    return target === "section" || target === "head" || target === "body" || target === "compliance_head"
      ? target
      : null;
  }
}

/** A UUID-shaped id derived from the app and handle, stable across restarts (Shopify assigns one at registration). */
function stableUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Every theme app extension under `extensionsDir`; other extension types are skipped. */
export function readThemeAppExtensions(extensionsDir: string, apiKey: string, hooks: RenderHooks): ThemeAppExtension[] {
  if (!existsSync(extensionsDir)) return [];
  const found: ThemeAppExtension[] = [];
  for (const entry of readdirSync(extensionsDir).sort()) {
    const tomlPath = path.join(extensionsDir, entry, "shopify.extension.toml");
    if (!existsSync(tomlPath)) continue;
    const toml = parseTomlSubset(readFileSync(tomlPath, "utf8"));
    if (toml.type !== "theme") continue;
    const handle = typeof toml.handle === "string" ? toml.handle : entry;
    const uid = typeof toml.uid === "string" ? toml.uid : stableUuid(`${apiKey}/${handle}`);
    found.push(
      new ThemeAppExtension(
        path.join(extensionsDir, entry),
        handle,
        typeof toml.name === "string" ? toml.name : handle,
        uid,
        hooks,
      ),
    );
  }
  return found;
}
