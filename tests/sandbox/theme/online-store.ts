import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Drop, type Context, type Liquid } from "liquidjs";
import { SandboxError } from "../operations/index";
import type { ShopRecord } from "../shops";
import { CATALOG, type CustomerRecord } from "../store/index";
import { PAGE, type FormResult, type PageState, type RenderHooks } from "./engine";
import { readThemeAppExtensions, type ThemeAppExtension } from "./extensions";
import type { LiquidFile, LiquidSchema, Placement, SettingDefinition } from "./liquid-files";
import { resolveSchemaStrings } from "./locales";
import { moneyFormats } from "./money-format";
import {
  CustomerDrop,
  localePrefix,
  MetafieldsDrop,
  productIndexByHandle,
  productObject,
  routesObject,
  ShopLocaleDrop,
  shopLocales,
  type AppIdentity,
  type ShopLocales,
} from "./objects";
import { ThemeFiles, type BlockData, type SectionData, type SectionList, type SettingsData } from "./theme-files";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SANDBOX_THEME_DIR = path.join(here, "store-theme");

/** A shopper's cart, kept in a cookie: lines by catalog index, and the discount codes entered. */
export interface CartState {
  lines: { productIndex: number; quantity: number }[];
  discountCodes: string[];
}

/**
 * What Shopify's checkout knows that storefront pages show (operations/ hold the rules): a customer's store credit,
 * and whether a discount code applies to a cart.
 */
export interface CheckoutRules {
  /** The customer's store credit balance in the shop's currency, in minor units; null without an account in it. */
  storeCreditCents(shop: ShopRecord, customerId: string): number | null;
  /** Checkout's refusal of the code for these lines and this customer ("Enter a valid discount code"), or null. */
  discountRefusal(
    shop: ShopRecord,
    code: string,
    cart: { customer: CustomerRecord | null; lines: CartState["lines"] },
  ): string | null;
}

/** One storefront page to render. */
export interface PageRequest {
  shop: ShopRecord;
  customer: CustomerRecord | null;
  /** The shopper's locale, one the shop publishes. */
  locale: string;
  /** The path as the shopper sees it, locale prefix included, and its query (`request.path` leaves that out). */
  path: string;
  /** The template: `index`, `product`, `customers/login`...; empty for an app proxy page. */
  template: string;
  templateSuffix?: string | null;
  /** A Liquid body rendered in place of the JSON template (an app proxy's `application/liquid` answer). */
  body?: string;
  designMode?: boolean;
  cart?: CartState;
  forms?: Record<string, FormResult>;
  /** `/account/login`'s or `/account/register`'s `return_url`, a path on the shop: where the shopper goes next. */
  returnUrl?: string;
  pageTitle?: string;
  /** The template's own objects: `product`, `page`, `collection`... */
  objects?: Record<string, unknown>;
}

/** A theme block or an app block of a section, as Liquid's `block` (app blocks have `type` "@app"). */
export class BlockDrop extends Drop {
  constructor(
    readonly id: string,
    readonly type: string,
    readonly settings: Record<string, unknown>,
    readonly shopify_attributes: string,
  ) {
    super();
  }
}

/** An app block or app embed block placed in the theme, with the extension block it renders. */
export class AppBlockDrop extends BlockDrop {
  constructor(
    id: string,
    settings: Record<string, unknown>,
    shopifyAttributes: string,
    readonly source: { extension: ThemeAppExtension; handle: string; file: LiquidFile; type: string },
  ) {
    super(id, "@app", settings, shopifyAttributes);
  }
}

class TemplateDrop extends Drop {
  constructor(
    readonly name: string,
    readonly suffix: string | null,
  ) {
    super();
  }
  get directory() {
    return this.name.includes("/") ? this.name.split("/")[0]! : null;
  }
  override valueOf() {
    const full = this.suffix ? `${this.name}.${this.suffix}` : this.name;
    return full;
  }
}

/** Where a section or block sits, for `enabled_on`/`disabled_on` and the app block activation targets. */
export interface Location {
  template: string;
  group: string | null;
}

interface ShopTheme {
  /** The shop's published theme, as `gid://shopify/OnlineStoreTheme/{id}`. */
  themeId: string;
  settingsData: SettingsData;
  templates: Map<string, SectionList>;
  groups: Map<string, SectionList>;
  locales: ShopLocales;
}

const APP_BLOCK_TYPE = /^shopify:\/\/apps\/([^/]+)\/blocks\/([^/]+)\/([^/]+)$/;
const HEADER_PLACEHOLDER = `<!--sandbox-content-for-header-${randomBytes(6).toString("hex")}-->`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const clone = <T>(value: T): T => structuredClone(value);

/** A block schema's `enabled_on` / `disabled_on` against where the block would render. */
export function placementAllows(schema: LiquidSchema | null, location: Location): boolean {
  const matches = (p: Placement | undefined) =>
    Boolean(
      p &&
      ((p.templates ?? []).some((t) => t === "*" || t === location.template) ||
        (location.group !== null && (p.groups ?? []).some((g) => g === "*" || g === location.group))),
    );
  if (schema?.enabled_on) return matches(schema.enabled_on);
  if (schema?.disabled_on) return !matches(schema.disabled_on);
  return true;
}

/**
 * The shop's online store: the sandbox theme (theme-files.ts) with each shop's own settings_data and JSON templates,
 * the app's theme app extensions (extensions.ts), and the page renderer Shopify runs for every storefront page:
 * the JSON template's sections (app blocks where the merchant placed them), then the layout with
 * `content_for_header` and `content_for_layout`, app embed blocks injected before `</head>` and `</body>`.
 */
export class OnlineStore {
  readonly theme: ThemeFiles;
  readonly extensions: ThemeAppExtension[];
  readonly app: { apiKey: string; handle: string; name: string; id: string };
  private readonly extensionEngines = new WeakSet<Liquid>();
  private readonly appProxyPrefix: string | null;
  private readonly checkout: CheckoutRules;
  private readonly shops = new Map<string, ShopTheme>();
  /** The app, as Liquid's metafield namespaces resolve it. */
  readonly identity: AppIdentity;

  constructor(options: {
    themeDir?: string;
    extensionsDir: string;
    app: { apiKey: string; handle: string; name: string };
    /** The app proxy's storefront path (`/apps/tally`), which the main menu links to as a merchant would. */
    appProxyPrefix?: string | null;
    /** Store credit and discount rules, shared with checkout. */
    checkout: CheckoutRules;
  }) {
    this.appProxyPrefix = options.appProxyPrefix ?? null;
    this.checkout = options.checkout;
    const hooks: RenderHooks = {
      renderSection: (name, ctx) => this.renderStaticSection(name, ctx),
      renderSectionGroup: (name, ctx) => this.renderSectionGroup(name, ctx),
      renderAppBlock: (block, ctx) => (block instanceof AppBlockDrop ? this.renderAppBlock(block, ctx) : null),
    };
    this.theme = new ThemeFiles(options.themeDir ?? SANDBOX_THEME_DIR, 1, hooks);
    this.extensions = readThemeAppExtensions(options.extensionsDir, options.app.apiKey, hooks);
    for (const extension of this.extensions) this.extensionEngines.add(extension.liquid);
    let hash = 0;
    for (const ch of options.app.apiKey) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    this.app = { ...options.app, id: String(1_000_000 + (hash % 9_000_000)) };
    this.identity = {
      appId: this.app.id,
      isAppContext: (ctx) => Boolean(ctx.liquid && this.extensionEngines.has(ctx.liquid as Liquid)),
    };
  }

  // ---- the shop's theme -------------------------------------------------------------------------------------

  stateOf(shop: ShopRecord): ShopTheme {
    let state = this.shops.get(shop.domain);
    if (!state) {
      state = {
        themeId: `gid://shopify/OnlineStoreTheme/${120_000_000_000 + shop.number}`,
        settingsData: this.theme.settingsData,
        templates: new Map(),
        groups: new Map(),
        locales: { primary: this.theme.locales.defaultLocale, published: this.defaultPublishedLocales() },
      };
      this.shops.set(shop.domain, state);
    }
    return state;
  }

  private defaultPublishedLocales(): string[] {
    const primary = this.theme.locales.defaultLocale;
    return [primary, ...this.theme.locales.isoCodes.filter((iso) => iso !== primary).sort()];
  }

  /** The shop's `settings_data.json`, as the theme editor saved it. */
  settingsData(shop: ShopRecord): SettingsData {
    return clone(this.stateOf(shop).settingsData);
  }

  /**
   * Replaces the shop's `settings_data.json`. Throws a SandboxError when an app embed block names a block no
   * extension of the app has, or an app block as an embed, as the theme editor refuses to save them.
   */
  setSettingsData(shop: ShopRecord, data: SettingsData) {
    if (!data || typeof data.current !== "object" || data.current === null)
      throw new SandboxError("settings_data needs a `current` object");
    for (const [key, block] of Object.entries(data.current.blocks ?? {})) {
      const found = this.appBlockByType(block.type);
      if (!found) throw new SandboxError(`Block ${key}: no app block has type ${block.type}`);
      if (found.extension.targetOf(found.file) === "section")
        throw new SandboxError(`Block ${key}: ${found.handle} is an app block (target section), not an app embed`);
    }
    this.stateOf(shop).settingsData = clone(data);
  }

  /** A JSON template (or section group) as the shop has it: its own saved copy, else the theme's. */
  sectionList(shop: ShopRecord, name: string, kind: "template" | "group"): SectionList | undefined {
    const state = this.stateOf(shop);
    return kind === "template"
      ? (state.templates.get(name) ?? this.theme.templates.get(name))
      : (state.groups.get(name) ?? this.theme.groups.get(name));
  }

  saveSectionList(shop: ShopRecord, name: string, kind: "template" | "group", list: SectionList) {
    const state = this.stateOf(shop);
    (kind === "template" ? state.templates : state.groups).set(name, clone(list));
  }

  setLocales(shop: ShopRecord, locales: ShopLocales) {
    const available = new Set(this.theme.locales.isoCodes);
    for (const iso of [locales.primary, ...locales.published])
      if (!available.has(iso)) throw new SandboxError(`The theme has no locale file for ${iso}`);
    const published = [locales.primary, ...locales.published.filter((iso) => iso !== locales.primary)];
    this.stateOf(shop).locales = { primary: locales.primary, published };
  }

  /** The published locale a path prefix (`fr`, `fr-CA`) names, or null. */
  publishedLocale(shop: ShopRecord, candidate: string): string | null {
    const iso = candidate.toLowerCase();
    return this.stateOf(shop).locales.published.includes(iso) ? iso : null;
  }

  /** `shopify://apps/{app}/blocks/{handle}/{uuid}`: the type settings_data and templates give an app block. */
  blockType(extension: ThemeAppExtension, handle: string) {
    return `shopify://apps/${this.app.handle}/blocks/${handle}/${extension.uuid}`;
  }

  appBlockByType(type: string) {
    const match = APP_BLOCK_TYPE.exec(type);
    if (!match || match[1] !== this.app.handle) return null;
    const extension = this.extensions.find((e) => e.uuid === match[3]);
    const file = extension?.blocks.get(match[2]!);
    return extension && file ? { extension, handle: match[2]!, file, type } : null;
  }

  /** The app's blocks by handle (the block's file name), as deep links name them. */
  appBlockByHandle(handle: string) {
    for (const extension of this.extensions) {
      const file = extension.blocks.get(handle);
      if (file) return { extension, handle, file, type: this.blockType(extension, handle) };
    }
    return null;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  /** Renders one storefront page, whole (layout included unless the template or body says `{% layout none %}`). */
  renderPage(req: PageRequest): string {
    const state = this.stateOf(req.shop);
    const formats = moneyFormats(req.shop.currency);
    const prefix = localePrefix(state.locales, req.locale);
    const page: PageState = {
      locale: req.locale,
      rootUrl: `${prefix}/`,
      moneyFormat: formats.money,
      moneyWithCurrencyFormat: formats.withCurrency,
      designMode: Boolean(req.designMode),
      forms: req.forms ?? {},
      ...(req.returnUrl ? { returnUrl: req.returnUrl } : {}),
      headAssets: new Set(),
    };
    const location: Location = { template: req.template, group: null };
    const globals = this.globalsFor(req, state, page, prefix, location);

    let content: string;
    let layout: string | null | undefined;
    if (req.body !== undefined) {
      content = this.renderSource(this.theme.liquid, req.body, "app proxy response", {}, globals);
      layout = page.layout;
    } else {
      const name = req.templateSuffix ? `${req.template}.${req.templateSuffix}` : req.template;
      const list = this.sectionList(req.shop, name, "template") ?? this.sectionList(req.shop, req.template, "template");
      if (!list) throw new Error(`The theme has no template ${name}`);
      content = this.renderSectionList(list, `template--${this.theme.themeId}`, globals, location);
      layout = page.layout !== undefined ? page.layout : list.layout === false ? null : list.layout;
    }
    if (layout === null) return content;

    const layoutFile = this.theme.layouts.get(layout ?? "theme");
    if (!layoutFile) return `Liquid error: Could not find asset layout/${layout}.liquid`;
    const embeds = this.renderEmbeds(state, globals, location);
    globals.content_for_layout = content;
    globals.content_for_header = HEADER_PLACEHOLDER;
    let html = this.renderFile(this.theme.liquid, layoutFile, {}, globals);
    html = html.replace(HEADER_PLACEHOLDER, () => this.contentForHeader(req, page, state, prefix) + embeds.head);
    const close = html.lastIndexOf("</body>");
    return close === -1 ? html + embeds.body : html.slice(0, close) + embeds.body + html.slice(close);
  }

  /** A page Shopify draws itself (checkout, thank you): theme filters and objects, no layout, no app embeds. */
  renderSystemPage(file: LiquidFile, req: PageRequest, scope: Record<string, unknown>): string {
    const state = this.stateOf(req.shop);
    const formats = moneyFormats(req.shop.currency);
    const prefix = localePrefix(state.locales, req.locale);
    const page: PageState = {
      locale: req.locale,
      rootUrl: `${prefix}/`,
      moneyFormat: formats.money,
      moneyWithCurrencyFormat: formats.withCurrency,
      designMode: false,
      forms: req.forms ?? {},
      ...(req.returnUrl ? { returnUrl: req.returnUrl } : {}),
      headAssets: new Set(),
    };
    const globals = this.globalsFor(req, state, page, prefix, { template: req.template, group: null });
    return this.renderFile(this.theme.liquid, file, scope, globals);
  }

  private globalsFor(
    req: PageRequest,
    state: ShopTheme,
    page: PageState,
    prefix: string,
    location: Location,
  ): Record<string, unknown> {
    const { shop } = req;
    const formats = moneyFormats(shop.currency);
    const locales = shopLocales(state.locales);
    const language = locales.find((l) => l.iso_code === req.locale) ?? locales[0]!;
    const country = { iso_code: "CA", name: "Canada", currency: { iso_code: shop.currency } };
    const products = CATALOG.map((_, i) => productObject(shop, i, prefix, this.identity));
    const all = {
      id: "all",
      handle: "all",
      title: "Products",
      url: `${prefix}/collections/all`,
      products,
      products_count: products.length,
      all_products_count: products.length,
    };
    const path = req.path.split("?")[0]!;
    const settings = { ...this.theme.settingDefaults(), ...withoutEditorKeys(state.settingsData.current) };
    const globals: Record<string, unknown> & Record<symbol, unknown> = {
      shop: {
        id: shop.numericId,
        name: shop.name,
        email: shop.email,
        domain: shop.domain,
        permanent_domain: shop.domain,
        url: `https://${shop.domain}`,
        secure_url: `https://${shop.domain}`,
        currency: shop.currency,
        money_format: formats.money,
        money_with_currency_format: formats.withCurrency,
        enabled_currencies: [{ iso_code: shop.currency, name: shop.currency, symbol: "" }],
        locale: state.locales.primary,
        published_locales: locales,
        customer_accounts_enabled: shop.loginLinks,
        customer_accounts_optional: true,
        description: "",
        products_count: CATALOG.length,
        metafields: new MetafieldsDrop(
          () => shop.store.metafields,
          `gid://shopify/Shop/${shop.numericId}`,
          this.identity,
        ),
      },
      customer: req.customer
        ? new CustomerDrop(shop, req.customer, prefix, this.identity, (id) => this.checkout.storeCreditCents(shop, id))
        : null,
      request: {
        host: shop.domain,
        origin: `https://${shop.domain}`,
        path,
        page_type: req.template.split(".")[0]!,
        design_mode: page.designMode,
        visual_preview_mode: false,
        locale: new ShopLocaleDrop(language.iso_code, language.primary, language.root_url),
      },
      routes: routesObject(prefix, {
        legacyCustomerAccounts: shop.legacyCustomerAccounts,
        locale: language.iso_code,
        country: country.iso_code,
        here: req.path,
      }),
      settings,
      localization: {
        available_languages: locales,
        language,
        available_countries: [country],
        country,
        market: { id: shop.numericId, handle: "primary" },
      },
      canonical_url: `https://${shop.domain}${path}`,
      page_title: req.pageTitle ?? shop.name,
      page_description: null,
      template: new TemplateDrop(req.template, req.templateSuffix ?? null),
      collections: { all },
      ...(req.template === "collection" ? { collection: all } : {}),
      linklists: { "main-menu": { title: "Main menu", handle: "main-menu", links: this.mainMenu(prefix, path) } },
      cart: this.cartObject(shop, req.cart ?? { lines: [], discountCodes: [] }, prefix, req.customer),
      powered_by_link: `<a target="_blank" rel="nofollow" href="https://www.shopify.com">Powered by Shopify</a>`,
      ...req.objects,
    };
    globals[PAGE] = page;
    globals[RENDER] = { shop, state, location } satisfies RenderTarget;
    return globals;
  }

  /** The shop's main menu: home, the catalog, and the app proxy page a merchant links to (`/apps/tally/`). */
  private mainMenu(prefix: string, path: string) {
    const links = [
      { title: "Home", url: prefix || "/" },
      { title: "Catalog", url: `${prefix}/collections/all` },
      ...(this.appProxyPrefix ? [{ title: "Rewards", url: `${prefix}${this.appProxyPrefix}/` }] : []),
    ];
    return links.map((link) => ({ ...link, handle: link.title.toLowerCase(), active: link.url === path }));
  }

  /** Liquid's `cart`; a discount code is `applicable` when checkout would take it for these lines and this customer. */
  cartObject(shop: ShopRecord, cart: CartState, prefix: string, customer: CustomerRecord | null) {
    const items = cart.lines
      .filter((l) => CATALOG[l.productIndex] && l.quantity > 0)
      .map((l, i) => {
        const product = productObject(shop, l.productIndex, prefix, this.identity);
        const price = product.price;
        return {
          key: `${product.variants[0]!.id}:${i}`,
          id: product.variants[0]!.id,
          product_id: product.id,
          variant_id: product.variants[0]!.id,
          title: product.title,
          product,
          variant: product.variants[0],
          quantity: l.quantity,
          price,
          final_price: price,
          line_price: price * l.quantity,
          final_line_price: price * l.quantity,
          url: product.url,
          image: product.featured_image,
          gift_card: product.gift_card,
        };
      });
    const total = items.reduce((sum, item) => sum + item.line_price, 0);
    const lines = cart.lines.filter((l) => CATALOG[l.productIndex] && l.quantity > 0);
    return {
      item_count: items.reduce((n, item) => n + item.quantity, 0),
      items,
      total_price: total,
      original_total_price: total,
      items_subtotal_price: total,
      total_discount: 0,
      currency: { iso_code: shop.currency },
      requires_shipping: items.some((item) => !item.gift_card),
      note: null,
      attributes: {},
      discount_codes: cart.discountCodes.map((code) => ({
        code,
        applicable: this.checkout.discountRefusal(shop, code, { customer, lines }) === null,
      })),
      empty: items.length === 0,
    };
  }

  private contentForHeader(req: PageRequest, page: PageState, state: ShopTheme, prefix: string): string {
    const shopify = [
      `Shopify.shop = ${JSON.stringify(req.shop.domain)};`,
      `Shopify.locale = ${JSON.stringify(req.locale)};`,
      `Shopify.currency = ${JSON.stringify({ active: req.shop.currency, rate: "1.0" })};`,
      `Shopify.country = "CA";`,
      `Shopify.theme = ${JSON.stringify({ name: "Sandbox", id: Number(state.themeId.split("/").pop()), role: "main" })};`,
      `Shopify.routes = Shopify.routes || {}; Shopify.routes.root = ${JSON.stringify(`${prefix}/`)};`,
      ...(page.designMode ? ["Shopify.designMode = true;"] : []),
    ];
    return [`<script>window.Shopify = window.Shopify || {}; ${shopify.join(" ")}</script>`, ...page.headAssets].join(
      "\n",
    );
  }

  private renderSectionList(list: SectionList, idPrefix: string, globals: Record<string, unknown>, location: Location) {
    return list.order
      .filter((key) => list.sections[key] && !list.sections[key]!.disabled)
      .map((key, index) => this.renderSectionData(list.sections[key]!, `${idPrefix}__${key}`, globals, location, index))
      .join("\n");
  }

  private renderSectionData(
    data: SectionData,
    id: string,
    globals: Record<string, unknown>,
    location: Location,
    index: number,
  ): string {
    const file = this.theme.sections.get(data.type);
    if (!file) return `Liquid error: Could not find asset sections/${data.type}.liquid`;
    const schema = file.schema ?? {};
    const page = (globals as Record<symbol, PageState>)[PAGE]!;
    const blockOrder = data.block_order ?? Object.keys(data.blocks ?? {});
    const blocks = blockOrder
      .map((key) => [key, data.blocks?.[key]] as const)
      .filter((entry): entry is readonly [string, BlockData] => Boolean(entry[1] && !entry[1].disabled))
      .map(([key, block]) => this.blockDrop(key, block, schema, page.designMode))
      .filter((block): block is BlockDrop => block !== null);
    const section = {
      id,
      index: index + 1,
      location: location.group ?? "template",
      settings: this.resolveSettings(schema.settings, data.settings),
      blocks,
    };
    const inner = this.renderFile(this.theme.liquid, file, { section }, globals);
    const tag = schema.tag ?? "div";
    const classes = [
      "shopify-section",
      location.group ? `shopify-section-group-${location.group}` : "",
      schema.class ?? "",
    ]
      .filter(Boolean)
      .join(" ");
    return `<${tag} id="shopify-section-${escapeHtml(id)}" class="${escapeHtml(classes)}">${inner}</${tag}>`;
  }

  private blockDrop(key: string, block: BlockData, schema: LiquidSchema, designMode: boolean): BlockDrop | null {
    const attributes = designMode
      ? ` data-shopify-editor-block="${escapeHtml(JSON.stringify({ id: key, type: block.type }))}"`
      : "";
    if (block.type.startsWith("shopify://")) {
      const found = this.appBlockByType(block.type);
      // A block of an app that is gone renders nothing, as Shopify drops an uninstalled app's blocks.
      if (!found) return null;
      return new AppBlockDrop(
        key,
        this.resolveSettings(found.file.schema?.settings, block.settings, found.extension),
        attributes,
        found,
      );
    }
    const definition = schema.blocks?.find((b) => b.type === block.type);
    return new BlockDrop(key, block.type, this.resolveSettings(definition?.settings, block.settings), attributes);
  }

  /** Values a block or section gets: the merchant's, else the schema's defaults (`t:` defaults translated). */
  private resolveSettings(
    definitions: SettingDefinition[] | undefined,
    values: Record<string, unknown> | undefined,
    owner: { locales: ThemeFiles["locales"] } = this.theme,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const def of definitions ?? []) {
      if (!def.id) continue;
      let value = values && Object.hasOwn(values, def.id) ? values[def.id] : def.default;
      value = resolveSchemaStrings(value, owner.locales, owner.locales.defaultSchemaLocale);
      switch (def.type) {
        case "checkbox":
          out[def.id] = Boolean(value);
          break;
        case "number":
        case "range":
          out[def.id] = value === undefined || value === null || value === "" ? null : Number(value);
          break;
        case "product":
          out[def.id] = typeof value === "string" && productIndexByHandle(value) >= 0 ? value : null;
          break;
        default:
          out[def.id] = value ?? null;
      }
    }
    return out;
  }

  private renderStaticSection(name: string, ctx: Context): string {
    const { state, location } = targetOf(ctx.globals);
    const data = state.settingsData.current.sections?.[name] ?? { type: name };
    return this.renderSectionData(data, name, ctx.globals as Record<string, unknown>, location, 0);
  }

  private renderSectionGroup(name: string, ctx: Context): string {
    const { state, location } = targetOf(ctx.globals);
    const list = state.groups.get(name) ?? this.theme.groups.get(name);
    if (!list) return `Liquid error: Could not find asset sections/${name}.json`;
    return this.renderSectionList(list, `sections--${this.theme.themeId}`, ctx.globals as Record<string, unknown>, {
      template: location.template,
      group: list.type ?? name,
    });
  }

  /** An app block or app embed block: its extension's Liquid with `block` and `app`, in Shopify's wrapper. */
  private renderAppBlock(
    block: AppBlockDrop,
    ctx: Context | { globals: Record<string, unknown> },
    location?: Location,
  ) {
    const globals = ctx.globals as Record<string, unknown> & Record<symbol, unknown>;
    const page = globals[PAGE] as PageState;
    const { shop } = targetOf(globals);
    const where = location ?? targetOf(globals).location;
    const { extension, file } = block.source;
    const schema = file.schema;
    if (file.schemaError) return `Liquid error (${extension.handle}/${file.name}): ${file.schemaError}`;
    if (!placementAllows(schema, where)) return "";
    const app = this.appObject(shop);
    if (schema?.available_if && !this.evaluateAvailableIf(shop, extension, schema.available_if, globals)) return "";
    if (schema?.stylesheet)
      page.headAssets.add(
        `<link href="${extension.assetUrl(schema.stylesheet)}" rel="stylesheet" type="text/css" media="all">`,
      );
    if (schema?.javascript)
      page.headAssets.add(`<script src="${extension.assetUrl(schema.javascript)}" defer="defer"></script>`);
    const inner = this.renderFile(extension.liquid, file, { block, app }, globals, extension.handle);
    return `<div id="shopify-block-${escapeHtml(block.id)}" class="shopify-block shopify-app-block">${inner}</div>`;
  }

  /** Liquid's `app` inside the app's blocks: its app-data metafields, owned by its installation. */
  private appObject(shop: ShopRecord) {
    return {
      metafields: new MetafieldsDrop(() => shop.store.metafields, appInstallationGid(shop.numericId), this.identity),
    };
  }

  /** A block schema's `available_if` (`{{ app.metafields.ns.key }}`): the block exists only while it renders `true`. */
  evaluateAvailableIf(
    shop: ShopRecord,
    extension: ThemeAppExtension,
    condition: string,
    globals: Record<string, unknown> = {},
  ): boolean {
    const scope = { app: this.appObject(shop) };
    return this.renderSource(extension.liquid, condition, "available_if", scope, globals).trim() === "true";
  }

  private renderEmbeds(state: ShopTheme, globals: Record<string, unknown>, location: Location) {
    let head = "";
    let body = "";
    for (const [key, data] of Object.entries(state.settingsData.current.blocks ?? {})) {
      if (data.disabled) continue;
      const found = this.appBlockByType(data.type);
      const target = found ? found.extension.targetOf(found.file) : null;
      if (!found || !target || target === "section") continue;
      const drop = new AppBlockDrop(
        key,
        this.resolveSettings(found.file.schema?.settings, data.settings, found.extension),
        "",
        found,
      );
      const html = this.renderAppBlock(drop, { globals }, location);
      if (target === "body") body += html;
      else head += html;
    }
    return { head, body };
  }

  private renderFile(
    liquid: Liquid,
    file: LiquidFile,
    scope: Record<string, unknown>,
    globals: Record<string, unknown>,
    owner?: string,
  ): string {
    const name = owner ? `${owner}/${file.name}` : file.name;
    if (!file.templates) return `Liquid syntax error (${name}): ${file.syntaxError}`;
    try {
      return String(liquid.renderSync(file.templates, scope, { globals }));
    } catch (error) {
      return `Liquid error (${name}): ${(error as Error).message}`;
    }
  }

  private renderSource(
    liquid: Liquid,
    source: string,
    name: string,
    scope: Record<string, unknown>,
    globals: Record<string, unknown>,
  ): string {
    let templates;
    try {
      templates = liquid.parse(source);
    } catch (error) {
      return `Liquid syntax error (${name}): ${(error as Error).message}`;
    }
    try {
      return String(liquid.renderSync(templates, scope, { globals }));
    } catch (error) {
      return `Liquid error (${name}): ${(error as Error).message}`;
    }
  }
}

/** What a render is for: the shop, its theme state, and where on the page it is; read by the tags' hooks. */
interface RenderTarget {
  shop: ShopRecord;
  state: ShopTheme;
  location: Location;
}
const RENDER = Symbol("sandbox.liquid.render-target");
const targetOf = (globals: object): RenderTarget => {
  const target = (globals as Record<symbol, RenderTarget | undefined>)[RENDER];
  if (!target) throw new Error("Rendered outside a storefront page");
  return target;
};

/** The app's installation on a shop, owner of its app-data metafields (`app.metafields`). */
export const appInstallationGid = (shopNumericId: string) =>
  `gid://shopify/AppInstallation/${String(Number(shopNumericId) + 40_000_000_000)}`;

function withoutEditorKeys(current: SettingsData["current"]): Record<string, unknown> {
  const { sections: _sections, blocks: _blocks, ...settings } = current;
  return settings;
}
