import type { ShopRecord } from "../shops";
import { resolveSchemaStrings } from "./locales";
import { productHandle } from "./objects";
import type { OnlineStore } from "./online-store";
import { addAppBlock, removeAppBlock, setAppEmbed } from "./theme-editor";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The storefront page the editor previews for a template. */
function previewPath(template: string): string {
  const paths: Record<string, string> = {
    index: "/",
    product: `/products/${productHandle(0)}`,
    collection: "/collections/all",
    cart: "/cart",
    page: "/pages/about-us",
    "customers/login": "/account/login",
    "customers/register": "/account/register",
    "customers/account": "/account",
    "404": "/pages/no-such-page",
  };
  return paths[template.split(".")[0]!] ?? "/";
}

interface DeepLink {
  /** `activateAppId` (an app embed switched on) or `addAppBlockId` (an app block placed). */
  kind: "activate" | "add";
  handle: string;
  target: string;
  error: string | null;
}

/** Reads `activateAppId={api_key}/{handle}` or `addAppBlockId={api_key}/{handle}&target=` from the editor's URL. */
function readDeepLink(store: OnlineStore, url: URL): DeepLink | null {
  const activate = url.searchParams.get("activateAppId");
  const add = url.searchParams.get("addAppBlockId");
  const value = activate ?? add;
  if (!value) return null;
  const kind = activate ? "activate" : "add";
  const [apiKey = "", handle = ""] = value.split("/");
  const link: DeepLink = { kind, handle, target: url.searchParams.get("target") ?? "newAppsSection", error: null };
  if (apiKey !== store.app.apiKey)
    return { ...link, error: `No app with API key ${apiKey} is installed on this store.` };
  const found = store.appBlockByHandle(handle);
  const target = found ? found.extension.targetOf(found.file) : null;
  if (!found || !target) return { ...link, error: `${store.app.name} has no block ${handle}.` };
  if (kind === "activate" && target === "section")
    return { ...link, error: `${handle} is an app block: it is added to a section, not switched on.` };
  if (kind === "add" && target !== "section")
    return { ...link, error: `${handle} is an app embed block: it is switched on, not added to a section.` };
  return link;
}

/**
 * A minimal theme editor at `/store/{shop}/themes/current/editor`: the app's embed blocks with their toggles (the
 * App embeds panel), the template's sections with the app blocks placed in them, a Save button that writes the
 * shop's settings_data.json and templates, and the storefront previewed in design mode. A deep link arrives with its
 * change made but not saved, as in Shopify: the merchant still presses Save.
 */
export function editorPage(store: OnlineStore, shop: ShopRecord, url: URL): string {
  const template = url.searchParams.get("template") ?? "index";
  const link = readDeepLink(store, url);
  const error = url.searchParams.get("error") ?? link?.error ?? null;
  const pending = link && !link.error ? link : null;
  const data = store.settingsData(shop);
  const schemaText = (value: string | undefined, owner = store.theme.locales) =>
    escapeHtml(resolveSchemaStrings(value ?? "", owner, owner.defaultSchemaLocale));

  const embeds = store.extensions.flatMap((extension) =>
    [...extension.blocks.entries()]
      .filter(([, file]) => {
        const target = extension.targetOf(file);
        return target !== null && target !== "section";
      })
      .map(([handle, file]) => {
        const type = store.blockType(extension, handle);
        const entry = Object.values(data.current.blocks ?? {}).find((b) => b.type === type);
        const enabled = Boolean(entry && !entry.disabled);
        const switching = pending?.kind === "activate" && pending.handle === handle;
        return `<label class="row" data-app-embed="${escapeHtml(handle)}" data-enabled="${enabled}"${switching ? " data-pending" : ""}>
<input type="checkbox" name="embed:${escapeHtml(handle)}"${enabled || switching ? " checked" : ""}>
<span>${schemaText(file.schema?.name ?? handle, extension.locales)}<small>${escapeHtml(store.app.name)}</small></span></label>`;
      }),
  );
  const embedHandles = store.extensions.flatMap((e) =>
    [...e.blocks.entries()].filter(([, f]) => e.targetOf(f) && e.targetOf(f) !== "section").map(([h]) => h),
  );

  const listHtml = (kind: "template" | "group", name: string) => {
    const list = store.sectionList(shop, name, kind);
    if (!list) return `<p>No ${escapeHtml(name)}.</p>`;
    return list.order
      .filter((id) => list.sections[id])
      .map((id) => {
        const section = list.sections[id]!;
        const sectionName = store.theme.sections.get(section.type)?.schema?.name ?? section.type;
        const blocks = (section.block_order ?? Object.keys(section.blocks ?? {}))
          .map((blockId) => [blockId, section.blocks?.[blockId]] as const)
          .filter(([, b]) => b?.type.startsWith("shopify://"))
          .map(([blockId, b]) => {
            const found = store.appBlockByType(b!.type);
            const label = found
              ? schemaText(found.file.schema?.name ?? found.handle, found.extension.locales)
              : "Unknown app block";
            return `<div class="row block" data-app-block="${escapeHtml(found?.handle ?? "")}" data-block-id="${escapeHtml(blockId)}">
<span>${label}<small>${escapeHtml(store.app.name)}</small></span>
<button name="remove" value="${escapeHtml(`${kind}:${name}:${id}:${blockId}`)}">Remove</button></div>`;
          })
          .join("");
        return `<div class="section" data-editor-section="${escapeHtml(id)}"><strong>${schemaText(sectionName)}</strong>${blocks}</div>`;
      })
      .join("");
  };

  const pendingBlock =
    pending?.kind === "add"
      ? `<div class="row pending" data-app-block-pending="${escapeHtml(pending.handle)}">Adding ${schemaText(
          store.appBlockByHandle(pending.handle)?.file.schema?.name ?? pending.handle,
          store.appBlockByHandle(pending.handle)?.extension.locales,
        )} (${escapeHtml(pending.target)}): press Save to keep it.
<input type="hidden" name="add_block" value="${escapeHtml(pending.handle)}">
<input type="hidden" name="add_target" value="${escapeHtml(pending.target)}"></div>`
      : "";
  const templates = [...new Set([...store.theme.templates.keys(), ...store.stateOf(shop).templates.keys()])].sort();
  const base = `/store/${shop.handle}/themes/current/editor`;
  const preview = `${previewPath(template)}?shop=${encodeURIComponent(shop.domain)}&design_mode=1`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Theme editor · ${escapeHtml(shop.name)} · Shopify (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
*{box-sizing:border-box}body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#303030;background:#f1f1f1}
header{height:52px;background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;gap:16px;padding:0 16px}
header a{color:#e3e3e3}nav a{margin-right:8px}
.editor{display:flex;height:calc(100vh - 52px)}
aside{width:340px;background:#fff;overflow:auto;padding:12px;border-right:1px solid #ddd}
aside h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#616161;margin:16px 0 8px}
.row{display:flex;align-items:center;gap:8px;padding:6px 8px;border-radius:8px}.row:hover{background:#f6f6f6}
.row small{display:block;color:#616161}.block{margin-left:12px}.pending{background:#fff4e5}
.section{padding:6px 0;border-bottom:1px solid #eee}
[role=alert]{background:#fee;color:#8e1f0b;padding:8px;border-radius:8px}[role=status]{background:#eef6ee;padding:8px;border-radius:8px}
button[type=submit]{margin-top:12px;background:#303030;color:#fff;border:0;border-radius:8px;padding:8px 14px;font:inherit;cursor:pointer}
iframe{flex:1;border:0;background:#fff}
</style></head><body>
<header data-editor-topbar><a href="/store/${shop.handle}/apps/${escapeHtml(store.app.handle)}" data-editor-exit>Exit</a>
<strong>Sandbox</strong><span>Live theme</span>
<nav aria-label="Templates">${templates
    .map(
      (t) =>
        `<a href="${base}?template=${encodeURIComponent(t)}"${t === template ? ' aria-current="page"' : ""}>${escapeHtml(t)}</a>`,
    )
    .join("")}</nav></header>
<div class="editor"><aside>
${error ? `<p role="alert" data-editor-error>${escapeHtml(error)}</p>` : ""}
${url.searchParams.get("saved") ? `<p role="status" data-editor-saved>Saved</p>` : ""}
<form method="post" action="${base}" data-editor-form>
<input type="hidden" name="template" value="${escapeHtml(template)}">
<input type="hidden" name="embeds" value="${escapeHtml(embedHandles.join(","))}">
<section data-editor-panel="app-embeds"><h2>App embeds</h2>${embeds.join("") || "<p>No app embeds.</p>"}</section>
<section data-editor-panel="template"><h2>Template: ${escapeHtml(template)}</h2>${listHtml("template", template)}${pendingBlock}</section>
<section data-editor-panel="header"><h2>Header</h2>${listHtml("group", "header-group")}</section>
<section data-editor-panel="footer"><h2>Footer</h2>${listHtml("group", "footer-group")}</section>
<button type="submit" name="save" value="1" data-editor-save>Save</button>
</form></aside>
<iframe data-editor-preview title="Preview of ${escapeHtml(template)}" src="${escapeHtml(preview)}"></iframe></div>
</body></html>`;
}

/**
 * The editor's form: Save (the embed toggles, and the block a deep link is adding) or Remove on one app block.
 * Returns where to go next: the editor again, with `saved` or the refusal as `error`.
 */
export function handleEditorPost(
  store: OnlineStore,
  shop: ShopRecord,
  form: Record<string, string>,
  pathname: string,
): string {
  const template = form.template || "index";
  const back = (params: Record<string, string>) =>
    `${pathname}?${new URLSearchParams({ template, ...params }).toString()}`;
  try {
    if (form.remove) {
      const [kind = "", name = "", sectionId = "", blockId = ""] = form.remove.split(":");
      removeAppBlock(
        store,
        shop,
        kind === "group"
          ? { sectionGroup: name.replace(/-group$/, ""), sectionId, blockId }
          : { template: name, sectionId, blockId },
      );
      return back({ saved: "1" });
    }
    const current = store.settingsData(shop).current.blocks ?? {};
    for (const handle of (form.embeds ?? "").split(",").filter(Boolean)) {
      const type = store.appBlockByHandle(handle)?.type;
      const entry = Object.values(current).find((b) => b.type === type);
      const wanted = form[`embed:${handle}`] === "on";
      const enabled = Boolean(entry && !entry.disabled);
      if (wanted !== enabled && (wanted || entry)) setAppEmbed(store, shop, { handle, enabled: wanted });
    }
    if (form.add_block)
      addAppBlock(store, shop, { handle: form.add_block, template, target: form.add_target ?? "newAppsSection" });
    return back({ saved: "1" });
  } catch (error) {
    return back({ error: (error as Error).message });
  }
}
