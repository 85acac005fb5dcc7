import { createHash, createHmac } from "node:crypto";
import {
  Drop,
  Hash,
  Liquid,
  RenderTag,
  Tag,
  TokenKind,
  evalToken,
  type Context,
  type Emitter,
  type Parser,
  type TagToken,
  type Template,
  type TopLevelToken,
  type ValueToken,
} from "liquidjs";
import { formatMoney } from "./money-format";
import { translate, type Locales } from "./locales";

/** What liquidjs binds `this` to in a filter. */
interface FilterImpl {
  context: Context;
  liquid: Liquid;
}

/** Per-render state the Shopify filters and tags read; kept in the render's globals under a symbol Liquid cannot name. */
export const PAGE = Symbol("sandbox.liquid.page");

export interface FormResult {
  errors: Record<string, string>;
  values: Record<string, string>;
  postedSuccessfully: boolean;
}

export interface PageState {
  /** The shopper's locale (`fr`), which `t` uses. */
  locale: string;
  /** `/` or `/fr/`: where the storefront's routes start for this locale. */
  rootUrl: string;
  moneyFormat: string;
  moneyWithCurrencyFormat: string;
  designMode: boolean;
  /** Set by `{% layout %}`: null for `none`, a name for another layout, undefined for `theme`. */
  layout?: string | null;
  /** The result of the form just posted, by form type, for `{% form %}`'s `form` object. */
  forms: Record<string, FormResult>;
  /**
   * The `return_url` the login or register page was opened with, which its `customer_login` or `create_customer` form
   * carries to the sign-in or sign-up.
   */
  returnUrl?: string;
  /** Tags for the page's head from the schemas of the app blocks rendered (`stylesheet`, `javascript`). */
  headAssets: Set<string>;
}

export const pageOf = (ctx: Context): PageState => {
  const page = (ctx.globals as Record<symbol, PageState | undefined>)[PAGE];
  if (!page) throw new Error("Rendered outside a storefront page");
  return page;
};

/** What renders Liquid in the sandbox: the theme (its snippets, assets, locales) or one theme app extension. */
export interface LiquidOwner {
  /** Directory `{% render 'name' %}` resolves in. */
  snippets: string;
  locales: Locales;
  assetUrl(file: string): string;
  assetContent(file: string): string | null;
}

/** How the theme-level tags reach the page renderer. */
export interface RenderHooks {
  renderSection(name: string, ctx: Context): string;
  renderSectionGroup(name: string, ctx: Context): string;
  /** `{% render block %}` on an app block: the extension's block in its wrapper. */
  renderAppBlock(block: unknown, ctx: Context): string | null;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Where each `{% form %}` type posts, relative to the locale's root (shopify.dev, Liquid tags: form). */
const FORM_ACTIONS: Readonly<Record<string, string>> = {
  customer_login: "account/login",
  create_customer: "account",
  recover_customer_password: "account/recover",
  customer_address: "account/addresses",
  product: "cart/add",
  cart: "cart",
  localization: "localization",
  contact: "contact#contact_form",
  storefront_password: "password",
};

/** A body tag whose content Shopify reads apart from rendering (`schema`, `stylesheet`, `javascript`, `doc`). */
function swallowTag(end: string) {
  return class extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      while (remain.length) {
        const next = remain.shift()!;
        if (next.kind === TokenKind.Tag && (next as TagToken).name === end) return;
      }
      throw new Error(`tag ${token.getText()} not closed`);
    }
    render() {
      return "";
    }
  };
}

/** Parses a block tag's body up to `{% end<name> %}`. */
function parseBody(name: string, token: TagToken, remain: TopLevelToken[], parser: Parser): Template[] {
  const templates: Template[] = [];
  while (remain.length) {
    const next = remain.shift()!;
    if (next.kind === TokenKind.Tag && (next as TagToken).name === `end${name}`) return templates;
    templates.push(parser.parseToken(next, remain));
  }
  throw new Error(`tag ${token.getText()} not closed`);
}

/** A form's `form` object: `errors` (field names, with `messages`), the values posted back, `posted_successfully`. */
class FormDrop extends Drop {
  constructor(
    private readonly result: FormResult | undefined,
    readonly id: string | undefined,
  ) {
    super();
  }
  get errors() {
    if (!this.result || !Object.keys(this.result.errors).length) return null;
    const fields: string[] & { messages?: Record<string, string>; translated_fields?: Record<string, string> } = [
      ...Object.keys(this.result.errors),
    ];
    fields.messages = this.result.errors;
    fields.translated_fields = Object.fromEntries(fields.map((f) => [f, f.replace(/_/g, " ")]));
    return fields;
  }
  get posted_successfully() {
    return this.result?.postedSuccessfully ?? false;
  }
  override liquidMethodMissing(key: string) {
    return this.result?.values[key];
  }
}

/** Creates a Liquid engine that renders as Shopify does for one owner (theme or extension). */
export function createShopifyLiquid(owner: LiquidOwner, hooks: RenderHooks): Liquid {
  const liquid = new Liquid({
    partials: owner.snippets,
    root: owner.snippets,
    extname: ".liquid",
    cache: true,
    // Shopify's Liquid: `{% render 'x' %}` names a snippet, undefined variables and filters render nothing.
    dynamicPartials: true,
    strictFilters: false,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
  });

  for (const [name, end] of [
    ["schema", "endschema"],
    ["stylesheet", "endstylesheet"],
    ["javascript", "endjavascript"],
    ["doc", "enddoc"],
  ] as const)
    liquid.registerTag(name, swallowTag(end));

  liquid.registerTag(
    "layout",
    class extends Tag {
      private readonly value: ValueToken | undefined;
      constructor(token: TagToken, remain: TopLevelToken[], l: Liquid) {
        super(token, remain, l);
        this.value = token.args.trim() === "none" ? undefined : this.tokenizer.readValue();
      }
      *render(ctx: Context): Generator<unknown, void, unknown> {
        const name = this.value ? ((yield evalToken(this.value, ctx)) as unknown) : null;
        pageOf(ctx).layout = name === null ? null : String(name);
      }
    },
  );

  liquid.registerTag(
    "style",
    class extends Tag {
      private readonly templates: Template[];
      constructor(token: TagToken, remain: TopLevelToken[], l: Liquid, parser: Parser) {
        super(token, remain, l);
        this.templates = parseBody("style", token, remain, parser);
      }
      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        const css = (yield this.liquid.renderer.renderTemplates(this.templates, ctx)) as string;
        emitter.write(`<style data-shopify>${String(css)}</style>`);
      }
    },
  );

  liquid.registerTag(
    "form",
    class extends Tag {
      private readonly templates: Template[];
      private readonly type: ValueToken;
      private readonly object: ValueToken | undefined;
      private readonly hash: Hash;
      constructor(token: TagToken, remain: TopLevelToken[], l: Liquid, parser: Parser) {
        super(token, remain, l);
        const t = this.tokenizer;
        this.type = t.readValue()!;
        t.skipBlank();
        if (t.peek() === ",") t.advance();
        const before = t.p;
        t.skipBlank();
        const ident = t.readIdentifier();
        t.skipBlank();
        const isHash = ident.content && t.peek() === ":";
        t.p = before;
        if (!isHash && !t.end()) {
          this.object = t.readValue();
          t.skipBlank();
          if (t.peek() === ",") t.advance();
        }
        this.hash = new Hash(t, l.options.keyValueSeparator);
        this.templates = parseBody("form", token, remain, parser);
      }
      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        const page = pageOf(ctx);
        const type = String((yield evalToken(this.type, ctx)) as unknown);
        const action = FORM_ACTIONS[type];
        if (action === undefined) throw new Error(`Unknown form type '${type}'`);
        const attributes = (yield this.hash.render(ctx)) as Record<string, unknown>;
        const object = this.object ? ((yield evalToken(this.object, ctx)) as Record<string, unknown> | null) : null;
        const returnTo = attributes.return_to;
        delete attributes.return_to;
        const id = typeof attributes.id === "string" ? attributes.id : type.startsWith("customer") ? type : undefined;
        if (type === "create_customer" && attributes.id === undefined) attributes.id = "create_customer";
        else if (id) attributes.id = id;
        const attrs = Object.entries(attributes)
          .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
          .join("");
        const hidden = [
          `<input type="hidden" name="form_type" value="${type}" />`,
          `<input type="hidden" name="utf8" value="✓" />`,
          ...(typeof returnTo === "string"
            ? [`<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}" />`]
            : []),
          ...((type === "customer_login" || type === "create_customer") && page.returnUrl
            ? [`<input type="hidden" name="return_url" value="${escapeHtml(page.returnUrl)}" />`]
            : []),
          ...(type === "product" && object?.id !== undefined
            ? [`<input type="hidden" name="product-id" value="${escapeHtml(String(object.id))}" />`]
            : []),
        ];
        const scope = ctx.bottom() as Record<string, unknown>;
        const previous = scope.form;
        scope.form = new FormDrop(page.forms[type], id);
        const body = (yield this.liquid.renderer.renderTemplates(this.templates, ctx)) as string;
        scope.form = previous;
        emitter.write(
          `<form method="post" action="${page.rootUrl}${action}" accept-charset="UTF-8"${attrs}>${hidden.join("")}${String(body)}</form>`,
        );
      }
    },
  );

  liquid.registerTag(
    "section",
    class extends Tag {
      private readonly file: ValueToken;
      constructor(token: TagToken, remain: TopLevelToken[], l: Liquid) {
        super(token, remain, l);
        this.file = this.tokenizer.readValue()!;
      }
      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        const file = String((yield evalToken(this.file, ctx)) as unknown);
        emitter.write(hooks.renderSection(file, ctx));
      }
    },
  );

  liquid.registerTag(
    "sections",
    class extends Tag {
      private readonly file: ValueToken;
      constructor(token: TagToken, remain: TopLevelToken[], l: Liquid) {
        super(token, remain, l);
        this.file = this.tokenizer.readValue()!;
      }
      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        const file = String((yield evalToken(this.file, ctx)) as unknown);
        emitter.write(hooks.renderSectionGroup(file, ctx));
      }
    },
  );

  // `{% render block %}` inside a section renders an app block (shopify.dev: "Render app blocks"); any other
  // `{% render %}` is the usual isolated snippet.
  liquid.registerTag(
    "render",
    class extends RenderTag {
      private readonly rendersBlock: boolean;
      constructor(token: TagToken, remain: TopLevelToken[], l: Liquid, parser: Parser) {
        super(token, remain, l, parser);
        this.rendersBlock = token.args.trim() === "block";
      }
      override *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        if (this.rendersBlock) {
          const html = hooks.renderAppBlock(ctx.getSync(["block"]), ctx);
          if (html !== null) return void emitter.write(html);
        }
        yield* super.render(ctx, emitter);
      }
    },
  );

  registerShopifyFilters(liquid, owner);
  return liquid;
}

/** Unwraps a Drop (money, metafield) to its plain value. */
const plain = (value: unknown): unknown => (value instanceof Drop ? value.valueOf() : value);

const moneyInput = (value: unknown): number => {
  const n = Number(plain(value));
  return Number.isFinite(n) ? n : 0;
};

const urlOf = (value: unknown): string => {
  const v = plain(value);
  if (typeof v === "string") return v;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.src === "string") return o.src;
    const featured = o.featured_image as Record<string, unknown> | undefined;
    if (featured && typeof featured.src === "string") return featured.src;
    if (typeof o.url === "string") return o.url;
  }
  return "";
};

const withParams = (url: string, params: Record<string, unknown>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  if (!entries.length) return url;
  const sep = url.includes("?") ? "&" : "?";
  return url + sep + entries.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
};

const kwargs = (args: unknown[]): Record<string, unknown> =>
  Object.fromEntries(args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length === 2));

const handleize = (s: unknown) =>
  String(plain(s) ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['"]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/**
 * The filters of Shopify's Liquid themes and app blocks use, on top of liquidjs' standard ones (escape, url_encode,
 * default, date...). Money filters follow the store's money formats, `t` and `asset_url` the owner's locales and
 * assets, `image_url` answers a sandbox URL (no image CDN).
 */
export function registerShopifyFilters(liquid: Liquid, owner: LiquidOwner) {
  const money = (format: "money" | "withCurrency" | "bare" | "noTrailingZeros") =>
    function (this: FilterImpl, value: unknown) {
      const page = pageOf(this.context);
      const cents = moneyInput(value);
      if (format === "withCurrency") return formatMoney(cents, page.moneyWithCurrencyFormat);
      if (format === "bare") return formatMoney(cents, page.moneyFormat.replace(/^[^{]*|[^}]*$/g, ""));
      const text = formatMoney(cents, page.moneyFormat);
      return format === "noTrailingZeros" ? text.replace(/[.,]00(?!\d)/, "") : text;
    };
  liquid.registerFilter("money", money("money"));
  liquid.registerFilter("money_with_currency", money("withCurrency"));
  liquid.registerFilter("money_without_currency", money("bare"));
  liquid.registerFilter("money_without_trailing_zeros", money("noTrailingZeros"));

  const t = function (this: FilterImpl, key: unknown, ...args: unknown[]) {
    return translate(owner.locales, pageOf(this.context).locale, String(plain(key)), kwargs(args));
  };
  liquid.registerFilter("t", t);
  liquid.registerFilter("translate", t);

  liquid.registerFilter("asset_url", (file: unknown) => owner.assetUrl(String(plain(file))));
  liquid.registerFilter("asset_img_url", (file: unknown) => owner.assetUrl(String(plain(file))));
  liquid.registerFilter("inline_asset_content", (file: unknown) => owner.assetContent(String(plain(file))) ?? "");
  liquid.registerFilter("stylesheet_tag", (url: unknown, ...args: unknown[]) => {
    const media = String(kwargs(args).media ?? "all");
    return `<link href="${escapeHtml(String(plain(url)))}" rel="stylesheet" type="text/css" media="${escapeHtml(media)}" />`;
  });
  liquid.registerFilter("script_tag", (url: unknown) => {
    return `<script src="${escapeHtml(String(plain(url)))}" type="text/javascript"></script>`;
  });
  liquid.registerFilter("preload_tag", (url: unknown, ...args: unknown[]) => {
    const as = String(kwargs(args).as ?? "script");
    return `<link href="${escapeHtml(String(plain(url)))}" as="${escapeHtml(as)}" rel="preload" />`;
  });

  // JSON as Shopify's filter writes it: safe inside <script>, `<`, `>` and `&` as \u escapes.
  liquid.registerFilter("json", (value: unknown) =>
    (JSON.stringify(plain(value)) ?? "null").replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    ),
  );

  liquid.registerFilter("image_url", (value: unknown, ...args: unknown[]) => {
    const { width, height, crop, format } = kwargs(args);
    return withParams(urlOf(value), { width, height, crop, format });
  });
  liquid.registerFilter("img_url", (value: unknown, size?: unknown) =>
    withParams(urlOf(value), { size: size === undefined ? undefined : plain(size) }),
  );
  liquid.registerFilter("image_tag", (url: unknown, ...args: unknown[]) => {
    const opts = kwargs(args);
    const attrs = Object.entries({ alt: "", loading: "lazy", ...opts })
      .filter(([k]) => !["widths", "sizes", "preload"].includes(k))
      .map(([k, v]) => ` ${k}="${escapeHtml(String(plain(v)))}"`)
      .join("");
    return `<img src="${escapeHtml(String(plain(url)))}"${attrs}>`;
  });
  liquid.registerFilter("placeholder_svg_tag", (name: unknown, cls?: unknown) => {
    const label = escapeHtml(String(plain(name) ?? "image"));
    const classAttr = cls === undefined ? "" : ` class="${escapeHtml(String(plain(cls)))}"`;
    return `<svg${classAttr} xmlns="http://www.w3.org/2000/svg" viewBox="0 0 525.5 525.5" role="img" aria-label="${label}"><rect width="525.5" height="525.5" fill="#e1e3e5"/></svg>`;
  });

  liquid.registerFilter("link_to", (text: unknown, url: unknown, title?: unknown) => {
    const titleAttr = title === undefined ? "" : ` title="${escapeHtml(String(plain(title)))}"`;
    return `<a href="${escapeHtml(String(plain(url)))}"${titleAttr}>${String(plain(text) ?? "")}</a>`;
  });
  const accountLink = (path: string, id: string) =>
    function (this: FilterImpl, text: unknown) {
      return `<a href="${pageOf(this.context).rootUrl}${path}" id="${id}">${String(plain(text) ?? "")}</a>`;
    };
  liquid.registerFilter("customer_login_link", accountLink("account/login", "customer_login_link"));
  liquid.registerFilter("customer_register_link", accountLink("account/register", "customer_register_link"));
  liquid.registerFilter("customer_logout_link", accountLink("account/logout", "customer_logout_link"));
  liquid.registerFilter("within", (url: unknown, collection: unknown) => {
    const handle = (plain(collection) as Record<string, unknown> | null)?.handle;
    return handle ? `/collections/${String(handle)}${String(plain(url))}` : String(plain(url));
  });

  liquid.registerFilter("handleize", handleize);
  liquid.registerFilter("handle", handleize);
  liquid.registerFilter("camelize", (s: unknown) =>
    String(plain(s) ?? "")
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(""),
  );
  liquid.registerFilter("pluralize", (n: unknown, singular: unknown, pluralForm: unknown) =>
    Number(plain(n)) === 1 ? singular : pluralForm,
  );
  liquid.registerFilter("md5", (s: unknown) =>
    createHash("md5")
      .update(String(plain(s)))
      .digest("hex"),
  );
  liquid.registerFilter("sha1", (s: unknown) =>
    createHash("sha1")
      .update(String(plain(s)))
      .digest("hex"),
  );
  liquid.registerFilter("sha256", (s: unknown) =>
    createHash("sha256")
      .update(String(plain(s)))
      .digest("hex"),
  );
  liquid.registerFilter("hmac_sha256", (s: unknown, secret: unknown) =>
    createHmac("sha256", String(plain(secret)))
      .update(String(plain(s)))
      .digest("hex"),
  );
  liquid.registerFilter("url_escape", (s: unknown) => encodeURI(String(plain(s) ?? "")).replace(/'/g, "%27"));
  liquid.registerFilter("url_param_escape", (s: unknown) =>
    encodeURI(String(plain(s) ?? "")).replace(/[&'#]/g, (c) => encodeURIComponent(c)),
  );
  liquid.registerFilter("default_errors", (errors: unknown) => {
    const list = plain(errors) as (string[] & { messages?: Record<string, string> }) | null;
    if (!list || !list.length) return "";
    const items = list.map((field) => `<li>${escapeHtml(list.messages?.[field] ?? field)}</li>`).join("");
    return `<div class="errors"><ul>${items}</ul></div>`;
  });
  liquid.registerFilter("time_tag", function (this: FilterImpl, value: unknown) {
    const date = new Date(String(plain(value)));
    if (Number.isNaN(date.getTime())) return String(plain(value) ?? "");
    const shown = new Intl.DateTimeFormat(pageOf(this.context).locale, { dateStyle: "long" }).format(date);
    return `<time datetime="${date.toISOString().replace(/\.\d{3}Z$/, "Z")}">${escapeHtml(shown)}</time>`;
  });
}
