import { createHmac } from "node:crypto";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function hostParam(handle: string) {
  return Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64").replace(/=+$/, "");
}

/**
 * The query string Shopify's admin puts on an embedded app's URL, signed with `hmac` the way the admin signs it
 * (hex HMAC-SHA256 of the sorted, URL-encoded params without `hmac`).
 */
export function embeddedAppUrl(opts: {
  appUrl: string;
  appPath: string;
  shop: string;
  idToken: string;
  sessionId: string;
  apiSecret: string;
  now?: number;
}): string {
  const handle = opts.shop.replace(/\.myshopify\.com$/, "");
  const target = new URL(opts.appPath, opts.appUrl);
  const query: Record<string, string> = {
    embedded: "1",
    host: hostParam(handle),
    id_token: opts.idToken,
    locale: "en",
    session: opts.sessionId,
    shop: opts.shop,
    timestamp: String(Math.floor((opts.now ?? Date.now()) / 1000)),
  };
  for (const [key, value] of target.searchParams) query[key] = value;
  const sorted = new URLSearchParams(
    Object.keys(query)
      .sort()
      .map((k) => [k, query[k]!]),
  );
  const hmac = createHmac("sha256", opts.apiSecret).update(sorted.toString().replace(/\+/g, "%20")).digest("hex");
  sorted.set("hmac", hmac);
  return `${target.origin}${target.pathname}?${sorted.toString()}`;
}

export interface AdminPageOptions {
  shop: string;
  shopName: string;
  appName: string;
  appHandle: string;
  appOrigin: string;
  iframeSrc: string | null;
  /** What the main area shows when the page is a sandbox admin page (customer, order...) rather than the app. */
  adminContent?: string;
  staffName: string;
}

/** A Shopify-admin-like page: top bar, left nav with the app's NavMenu links, the app in an iframe. */
export function adminPage(opts: AdminPageOptions): string {
  const handle = opts.shop.replace(/\.myshopify\.com$/, "");
  const base = `/store/${handle}`;
  const nav = [
    ["Home", `${base}`],
    ["Orders", `${base}/orders`],
    ["Customers", `${base}/customers`],
    ["Discounts", `${base}/discounts`],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(opts.appName)} · ${escapeHtml(opts.shopName)} · Shopify (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
*{box-sizing:border-box}body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030}
header[data-sandbox-topbar]{height:56px;background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;padding:0 16px;gap:16px}
header .logo{font-weight:700;color:#fff}header .search{flex:1;max-width:480px;background:#303030;border-radius:8px;padding:6px 12px;color:#8a8a8a}
header .shop{margin-left:auto}
.layout{display:flex;height:calc(100vh - 56px)}
nav[data-sandbox-nav]{width:240px;background:#ebebeb;padding:12px 8px;overflow:auto}
nav a{display:block;padding:6px 12px;border-radius:8px;color:#303030;text-decoration:none}nav a:hover{background:#e3e3e3}
nav a[aria-current=page]{background:#fff;font-weight:600}
nav .apps{margin-top:16px;color:#616161;font-size:12px;padding:0 12px;text-transform:uppercase;letter-spacing:.04em}
nav .app-links a{padding-left:28px}
main{flex:1;display:flex;flex-direction:column;min-width:0}
.titlebar{display:flex;align-items:center;gap:8px;padding:12px 20px;min-height:52px}
.titlebar h1{font-size:20px;margin:0;flex:1}
.titlebar button,.savebar button{border:1px solid #ccc;background:#fff;border-radius:8px;padding:6px 12px;cursor:pointer}
.titlebar button[data-variant=primary],.savebar button[data-variant=primary]{background:#303030;color:#fff}
.savebar{display:none;background:#1a1a1a;color:#fff;padding:10px 20px;align-items:center;gap:8px}
.savebar[data-visible]{display:flex}.savebar span{flex:1}
iframe[data-sandbox-app]{flex:1;border:0;width:100%;background:#f1f1f1}
.toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;z-index:10}
[data-sandbox-toast]{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;box-shadow:0 4px 12px rgba(0,0,0,.2)}
[data-sandbox-toast][data-error]{background:#8e1f0b}
.loading{height:3px;background:#0094d5;display:none}.loading[data-on]{display:block}
.admin-content{padding:20px}
</style></head>
<body>
<header data-sandbox-topbar><span class="logo">shopify</span><span class="search">Search</span>
<span class="shop" data-sandbox-shop>${escapeHtml(opts.shopName)} · ${escapeHtml(opts.staffName)}</span></header>
<div class="layout">
<nav data-sandbox-nav aria-label="Admin">
${nav.map(([label, href]) => `<a href="${href}">${label}</a>`).join("\n")}
<div class="apps">Apps</div>
<a href="${base}/apps/${escapeHtml(opts.appHandle)}" data-sandbox-app-home>${escapeHtml(opts.appName)}</a>
<div class="app-links" data-sandbox-app-nav></div>
</nav>
<main>
<div class="loading" data-sandbox-loading></div>
<div class="savebar" data-sandbox-save-bar><span>Unsaved changes</span></div>
<div class="titlebar" data-sandbox-title-bar><h1 data-sandbox-title>${escapeHtml(opts.appName)}</h1></div>
${
  opts.iframeSrc
    ? `<iframe data-sandbox-app name="app-iframe" title="${escapeHtml(opts.appName)}" src="${escapeHtml(opts.iframeSrc)}"></iframe>`
    : `<div class="admin-content" data-sandbox-admin-content>${opts.adminContent ?? ""}</div>`
}
</main></div>
<div class="toasts" aria-live="polite" data-sandbox-toasts></div>
<script>
(function () {
  var APP_ORIGIN = ${JSON.stringify(opts.appOrigin)};
  var APP_BASE = ${JSON.stringify(`${base}/apps/${opts.appHandle}`)};
  var frame = document.querySelector("iframe[data-sandbox-app]");
  var appNav = document.querySelector("[data-sandbox-app-nav]");
  var titleBar = document.querySelector("[data-sandbox-title-bar]");
  var saveBar = document.querySelector("[data-sandbox-save-bar]");
  var toasts = document.querySelector("[data-sandbox-toasts]");
  function send(message) {
    message.source = "sandbox-admin";
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, APP_ORIGIN);
  }
  function render(state) {
    if (state.nav) {
      appNav.innerHTML = "";
      state.nav.forEach(function (item) {
        if (item.rel === "home") return;
        var a = document.createElement("a");
        a.textContent = item.label;
        a.href = APP_BASE + (item.href || "").replace(/^\\/app/, "");
        a.setAttribute("data-sandbox-app-link", item.href);
        if (state.path && state.path.split("?")[0] === item.href) a.setAttribute("aria-current", "page");
        a.addEventListener("click", function (event) { event.preventDefault(); send({ type: "navigate", href: item.href }); });
        appNav.appendChild(a);
      });
      var home = document.querySelector("[data-sandbox-app-home]");
      var homeItem = state.nav.find(function (i) { return i.rel === "home"; });
      if (home && homeItem) {
        home.onclick = function (event) { event.preventDefault(); send({ type: "navigate", href: homeItem.href }); };
        if (state.path && state.path.split("?")[0] === homeItem.href) home.setAttribute("aria-current", "page");
        else home.removeAttribute("aria-current");
      }
    }
    titleBar.querySelectorAll("button").forEach(function (b) { b.remove(); });
    document.querySelector("[data-sandbox-title]").textContent = (state.titleBar && state.titleBar.title) || ${JSON.stringify(opts.appName)};
    if (state.titleBar) state.titleBar.buttons.forEach(function (button) {
      var b = document.createElement("button");
      b.textContent = button.label;
      b.disabled = !!button.disabled;
      if (button.variant) b.setAttribute("data-variant", button.variant);
      b.addEventListener("click", function () { send({ type: "title-bar-click", index: button.index }); });
      titleBar.appendChild(b);
    });
    if (state.path) {
      var shown = APP_BASE + state.path.replace(/^\\/app/, "").split("?")[0];
      if (location.pathname !== shown) history.replaceState(null, "", shown);
    }
  }
  function toast(message) {
    var el = document.createElement("div");
    el.setAttribute("data-sandbox-toast", message.id);
    el.setAttribute("role", "status");
    if (message.isError) el.setAttribute("data-error", "");
    el.textContent = message.message;
    toasts.appendChild(el);
    setTimeout(function () { el.remove(); }, message.duration);
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!frame || event.source !== frame.contentWindow || !data || data.source !== "sandbox-app-bridge") return;
    if (data.type === "frame-state") render(data);
    else if (data.type === "toast") toast(data);
    else if (data.type === "toast-hide") { var t = toasts.querySelector('[data-sandbox-toast="' + data.id + '"]'); if (t) t.remove(); }
    else if (data.type === "loading") document.querySelector("[data-sandbox-loading]").toggleAttribute("data-on", data.on);
    else if (data.type === "navigate-admin") location.assign(data.url);
    else if (data.type === "navigate-top") location.assign(data.url);
    else if (data.type === "save-bar") {
      saveBar.toggleAttribute("data-visible", data.visible);
      saveBar.querySelectorAll("button").forEach(function (b) { b.remove(); });
      data.buttons.forEach(function (button) {
        var b = document.createElement("button");
        b.textContent = button.label || (button.variant === "primary" ? "Save" : "Discard");
        if (button.variant) b.setAttribute("data-variant", button.variant);
        b.addEventListener("click", function () { send({ type: "save-bar-click", id: data.id, index: button.index }); });
        saveBar.appendChild(b);
      });
    }
  });
})();
</script>
</body></html>`;
}

export function adminResourcePage(
  title: string,
  rows: [string, string][],
  opts: { notice?: string | null; refundAction?: string } = {},
): string {
  const notice = opts.notice ? `<p data-sandbox-notice role="status">${escapeHtml(opts.notice)}</p>` : "";
  const refund = opts.refundAction
    ? `<form method="post" action="${escapeHtml(opts.refundAction)}" data-sandbox-refund><h2>Refund</h2>
<label>Amount, tax included (leave empty to refund everything left) <input name="amount" inputmode="decimal"></label>
<button>Refund</button></form>`
    : "";
  return `<h1>${escapeHtml(title)}</h1>${notice}<dl data-sandbox-resource>${rows
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join("")}</dl>${refund}`;
}
