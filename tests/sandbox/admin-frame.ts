import { createHmac, randomUUID } from "node:crypto";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function hostParam(handle: string) {
  return Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64").replace(/=+$/, "");
}

/** What Shopify's admin adds to an embedded app's URL (embeddedAppUrl); never part of the app's own route. */
const SHOPIFY_APP_URL_PARAMS = ["embedded", "hmac", "host", "id_token", "locale", "session", "shop", "timestamp"];

/**
 * The query string Shopify's admin puts on an embedded app's URL: the app's own query passed through whole (a key given
 * more than once, `?consent=SUBSCRIBED&consent=NOT_SUBSCRIBED`, keeps every value in its order) with the admin's
 * parameters added, a name the app's query also gives taking the app's values. Signed with `hmac` the way the admin
 * signs it (hex HMAC-SHA256 of the params without `hmac`, sorted by name, URL-encoded, a repeated name's values joined
 * by commas: what `shopify.utils.validateHmac` checks).
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
  const admin: [string, string][] = [
    ["embedded", "1"],
    ["host", hostParam(handle)],
    ["id_token", opts.idToken],
    ["locale", "en"],
    ["session", opts.sessionId],
    ["shop", opts.shop],
    ["timestamp", String(Math.floor((opts.now ?? Date.now()) / 1000))],
  ];
  const own = [...target.searchParams].filter(([key]) => key !== "hmac");
  // Sorted as the library sorts to check (localeCompare), and stably: a repeated key's values stay in the app's order.
  const entries = [...admin.filter(([key]) => !target.searchParams.has(key)), ...own].sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const signed = new Map<string, string[]>();
  for (const [key, value] of entries) signed.set(key, [...(signed.get(key) ?? []), value]);
  const message = new URLSearchParams([...signed].map(([key, values]) => [key, values.join(",")]));
  const hmac = createHmac("sha256", opts.apiSecret).update(message.toString().replace(/\+/g, "%20")).digest("hex");
  const query = new URLSearchParams(entries);
  query.append("hmac", hmac);
  return `${target.origin}${target.pathname}?${query.toString()}`;
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

/**
 * A Shopify-admin-like page: top bar, left nav with the app's NavMenu links, the app's title bar in the admin's
 * header, the contextual save bar in the top bar, App Bridge modals over everything, and the app in an iframe. What
 * the App Bridge stand-in (app-bridge-script.ts) reports is drawn here, outside the app's iframe, as the real admin
 * draws it; clicks on what is drawn go back to the app as messages.
 */
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
header[data-save-bar-visible] .search,header[data-save-bar-visible] .shop{display:none}
.layout{display:flex;height:calc(100vh - 56px)}
nav[data-sandbox-nav]{width:240px;background:#ebebeb;padding:12px 8px;overflow:auto}
nav a{display:block;padding:6px 12px;border-radius:8px;color:#303030;text-decoration:none}nav a:hover{background:#e3e3e3}
nav a[aria-current=page]{background:#fff;font-weight:600}
nav .apps{margin-top:16px;color:#616161;font-size:12px;padding:0 12px;text-transform:uppercase;letter-spacing:.04em}
nav .app-links a{padding-left:28px}
main{flex:1;display:flex;flex-direction:column;min-width:0}
.titlebar{display:flex;align-items:center;gap:8px;padding:12px 20px;min-height:52px}
.titlebar h1{font-size:20px;margin:0;flex:1}
.titlebar a[data-sandbox-breadcrumb]{color:#303030;text-decoration:none;font-weight:600;cursor:pointer}
.titlebar details{position:relative}.titlebar details>div{position:absolute;right:0;top:34px;background:#fff;border-radius:10px;box-shadow:0 4px 16px rgba(0,0,0,.2);padding:6px;display:flex;flex-direction:column;z-index:5;min-width:180px}
.titlebar summary{list-style:none;border:1px solid #ccc;background:#fff;border-radius:8px;padding:6px 12px;cursor:pointer}
button.ab{border:1px solid #ccc;background:#fff;border-radius:8px;padding:6px 12px;cursor:pointer;font:inherit}
button.ab[data-variant=primary]{background:#303030;color:#fff;border-color:#303030}
button.ab[data-tone=critical]{color:#8e1f0b}button.ab[data-variant=primary][data-tone=critical]{background:#c70a24;color:#fff;border-color:#c70a24}
button.ab[disabled]{opacity:.5;cursor:default}button.ab[aria-busy=true]::after{content:" …"}
.savebar{display:none;flex:1;align-items:center;gap:8px;color:#fff}
.savebar[data-visible]{display:flex}.savebar span{flex:1;font-weight:600}
.savebar button.ab{background:#303030;color:#fff;border-color:#616161}.savebar button.ab[data-variant=primary]{background:#fff;color:#1a1a1a}
iframe[data-sandbox-app]{flex:1;border:0;width:100%;background:#f1f1f1}
.toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;z-index:30}
[data-sandbox-toast]{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;box-shadow:0 4px 12px rgba(0,0,0,.2)}
[data-sandbox-toast][data-error]{background:#8e1f0b}
.loading{height:3px;background:#0094d5;display:none}.loading[data-on]{display:block}
.admin-content{padding:20px}
button[data-sandbox-menu]{display:none;border:0;background:none;color:#e3e3e3;font-size:20px;cursor:pointer;padding:4px 8px}
@media (max-width:767.98px){
button[data-sandbox-menu]{display:block}header .search{display:none}
nav[data-sandbox-nav]{display:none;position:fixed;top:56px;bottom:0;left:0;z-index:15;box-shadow:0 4px 16px rgba(0,0,0,.3)}
nav[data-sandbox-nav][data-open]{display:block}
.titlebar{flex-wrap:wrap;padding:10px 12px}[data-sandbox-title-actions]{flex-wrap:wrap}.titlebar h1{font-size:17px;min-width:0;overflow-wrap:anywhere}
}
.overlay{position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:20}
.dialog{background:#fff;border-radius:12px;width:620px;max-width:92vw;max-height:88vh;display:flex;flex-direction:column;box-shadow:0 8px 32px rgba(0,0,0,.35)}
.dialog[data-variant=small]{width:380px}.dialog[data-variant=large]{width:980px}.dialog[data-variant=max]{width:100vw;height:100vh;max-width:none;max-height:none;border-radius:0}
.dialog>.head{display:flex;align-items:center;padding:12px 16px;border-bottom:1px solid #e3e3e3;background:#f7f7f7;border-radius:12px 12px 0 0}
.dialog>.head h2{font-size:16px;margin:0;flex:1}.dialog>.head button{border:0;background:none;font-size:20px;cursor:pointer}
.dialog iframe{border:0;width:100%;height:120px;flex:0 1 auto;min-height:0}.dialog[data-variant=max] iframe{flex:1;height:auto}
.dialog>.foot{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3}
.dialog>.body{padding:16px}
</style></head>
<body>
<header data-sandbox-topbar><button type="button" data-sandbox-menu aria-label="Menu" aria-expanded="false" aria-controls="sandbox-nav">&#9776;</button><span class="logo">shopify</span><span class="search">Search</span>
<div class="savebar" data-sandbox-save-bar role="region" aria-label="Unsaved changes"><span>Unsaved changes</span></div>
<span class="shop" data-sandbox-shop>${escapeHtml(opts.shopName)} · ${escapeHtml(opts.staffName)}</span></header>
<div class="layout">
<nav data-sandbox-nav id="sandbox-nav" aria-label="Admin">
${nav.map(([label, href]) => `<a href="${href}" data-sandbox-admin-link>${label}</a>`).join("\n")}
<div class="apps">Apps</div>
<a href="${base}/apps/${escapeHtml(opts.appHandle)}" data-sandbox-app-home>${escapeHtml(opts.appName)}</a>
<div class="app-links" data-sandbox-app-nav></div>
</nav>
<main>
<div class="loading" data-sandbox-loading></div>
<div class="titlebar" data-sandbox-title-bar><span data-sandbox-breadcrumb-slot></span><h1 data-sandbox-title>${escapeHtml(opts.appName)}</h1><div data-sandbox-title-actions style="display:flex;gap:8px"></div></div>
${
  opts.iframeSrc
    ? `<iframe data-sandbox-app name="app-iframe-${randomUUID()}" title="${escapeHtml(opts.appName)}" src="${escapeHtml(opts.iframeSrc)}"></iframe>`
    : `<div class="admin-content" data-sandbox-admin-content>${opts.adminContent ?? ""}</div>`
}
</main></div>
<div class="toasts" aria-live="polite" data-sandbox-toasts></div>
<script>
(function () {
  var APP_ORIGIN = ${JSON.stringify(opts.appOrigin)};
  var APP_NAME = ${JSON.stringify(opts.appName)};
  var APP_BASE = ${JSON.stringify(`${base}/apps/${opts.appHandle}`)};
  var SHOPIFY_PARAMS = ${JSON.stringify(SHOPIFY_APP_URL_PARAMS)};
  var frame = document.querySelector("iframe[data-sandbox-app]");
  var topbar = document.querySelector("[data-sandbox-topbar]");
  var appNav = document.querySelector("[data-sandbox-app-nav]");
  var crumbSlot = document.querySelector("[data-sandbox-breadcrumb-slot]");
  var titleActions = document.querySelector("[data-sandbox-title-actions]");
  var saveBar = document.querySelector("[data-sandbox-save-bar]");
  var toasts = document.querySelector("[data-sandbox-toasts]");
  var saveBarState = null;
  var modals = {};
  var modalOrder = [];

  // Below Polaris' md breakpoint the admin hides its navigation behind the top bar's menu button, giving the app the
  // whole width, as Shopify admin does on a phone.
  var menuButton = document.querySelector("[data-sandbox-menu]");
  var adminNav = document.querySelector("[data-sandbox-nav]");
  function setMenu(open) {
    if (open) adminNav.setAttribute("data-open", "");
    else adminNav.removeAttribute("data-open");
    menuButton.setAttribute("aria-expanded", String(open));
  }
  menuButton.addEventListener("click", function () { setMenu(!adminNav.hasAttribute("data-open")); });
  adminNav.addEventListener("click", function (event) { if (event.target.closest("a")) setMenu(false); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && adminNav.hasAttribute("data-open")) setMenu(false); });

  function send(message) {
    message.source = "sandbox-admin";
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, APP_ORIGIN);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function actionButton(action, attrs, onClick) {
    var b = el("button", Object.assign({ type: "button", class: "ab", "data-variant": action.variant, "data-tone": action.tone, disabled: action.disabled || action.loading, "aria-busy": action.loading ? "true" : null }, attrs), action.label);
    b.addEventListener("click", onClick);
    return b;
  }

  // Leaving with unsaved changes: the admin asks first, as Shopify's admin does while a save bar shows.
  function confirmDialog(options, onConfirm, onCancel) {
    var overlay = el("div", { class: "overlay", "data-sandbox-confirm": options.kind });
    var dialog = el("div", { class: "dialog", "data-variant": "small", role: "alertdialog", "aria-modal": "true", "aria-label": options.title });
    var head = el("div", { class: "head" }); head.appendChild(el("h2", {}, options.title));
    var body = el("div", { class: "body" }, options.body);
    var foot = el("div", { class: "foot" });
    foot.appendChild(actionButton({ label: options.cancel }, { "data-sandbox-confirm-cancel": true }, function () { overlay.remove(); if (onCancel) onCancel(); }));
    foot.appendChild(actionButton({ label: options.confirm, variant: "primary", tone: "critical" }, { "data-sandbox-confirm-ok": true }, function () { overlay.remove(); onConfirm(); }));
    dialog.appendChild(head); dialog.appendChild(body); dialog.appendChild(foot); overlay.appendChild(dialog);
    document.body.appendChild(overlay);
  }
  // Leaving drops the unsaved changes: the app's save bar is dismissed first, so the app's own leave check passes.
  function guardLeave(proceed) {
    if (!saveBarState) return proceed();
    confirmDialog({ kind: "leave", title: "Leave page with unsaved changes?", body: "Leaving this page will delete all unsaved changes.", cancel: "Stay", confirm: "Leave page" }, function () {
      send({ type: "save-bar-leave" });
      renderSaveBar(null);
      proceed();
    });
  }
  document.querySelectorAll("[data-sandbox-admin-link]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      if (!saveBarState) return;
      event.preventDefault();
      guardLeave(function () { location.assign(a.href); });
    });
  });

  function renderNav(state) {
    if (!state.nav) return;
    appNav.innerHTML = "";
    var current = state.path ? state.path.split("?")[0] : null;
    state.nav.forEach(function (item) {
      if (item.rel === "home") return;
      var a = el("a", { href: APP_BASE + (item.href || "").replace(/^\\/app/, ""), "data-sandbox-app-link": item.href, "aria-current": current === item.href ? "page" : null }, item.label);
      a.addEventListener("click", function (event) { event.preventDefault(); guardLeave(function () { send({ type: "navigate", href: item.href }); }); });
      appNav.appendChild(a);
    });
    var home = document.querySelector("[data-sandbox-app-home]");
    var homeItem = state.nav.find(function (i) { return i.rel === "home"; });
    if (home && homeItem) {
      home.onclick = function (event) { event.preventDefault(); guardLeave(function () { send({ type: "navigate", href: homeItem.href }); }); };
      if (current === homeItem.href) home.setAttribute("aria-current", "page");
      else home.removeAttribute("aria-current");
    }
  }

  function renderTitleBar(bar) {
    // Drawn afresh on each change of the app's state (a loader revalidating after a save): the action that had focus
    // keeps it, as the admin's own header does, instead of focus dropping to the body.
    var focused = document.activeElement && titleActions.contains(document.activeElement) ? document.activeElement : null;
    var focusedLabel = focused && (focused.getAttribute("data-sandbox-title-action") || (focused.tagName === "SUMMARY" && "summary:" + focused.textContent));
    drawTitleBar(bar);
    if (!focusedLabel) return;
    var again = Array.prototype.find.call(titleActions.querySelectorAll("[data-sandbox-title-action], summary"), function (b) {
      return (b.getAttribute("data-sandbox-title-action") || "summary:" + b.textContent) === focusedLabel;
    });
    if (again) focusBack(again);
  }
  function drawTitleBar(bar) {
    crumbSlot.innerHTML = "";
    titleActions.innerHTML = "";
    document.querySelector("[data-sandbox-title]").textContent = (bar && bar.title) || APP_NAME;
    if (!bar) return;
    var click = function (action) { return function () { send({ type: "title-bar-click", index: action.index }); }; };
    var crumb = bar.actions.find(function (a) { return a.variant === "breadcrumb"; });
    if (crumb) {
      var link = el("a", { href: "#", "data-sandbox-breadcrumb": true }, crumb.label);
      link.addEventListener("click", function (event) { event.preventDefault(); guardLeave(click(crumb)); });
      crumbSlot.appendChild(link);
      crumbSlot.appendChild(el("span", { "aria-hidden": "true" }, " › "));
    }
    var sections = {};
    bar.actions.forEach(function (action) {
      if (action.variant === "breadcrumb" || action.variant === "primary") return;
      if (action.section === null) {
        titleActions.appendChild(actionButton(action, { "data-sandbox-title-action": action.label }, click(action)));
        return;
      }
      if (!sections[action.section]) {
        var details = el("details", { "data-sandbox-title-section": action.section });
        details.appendChild(el("summary", {}, action.section));
        details.appendChild(el("div"));
        titleActions.appendChild(details);
        sections[action.section] = details;
      }
      sections[action.section].lastChild.appendChild(actionButton(action, { "data-sandbox-title-action": action.label }, function () {
        sections[action.section].open = false;
        click(action)();
      }));
    });
    var primary = bar.actions.find(function (a) { return a.variant === "primary"; });
    if (primary) titleActions.appendChild(actionButton(primary, { "data-sandbox-title-action": primary.label, "data-sandbox-primary-action": true }, click(primary)));
  }

  function renderSaveBar(state) {
    saveBarState = state;
    saveBar.querySelectorAll("button").forEach(function (b) { b.remove(); });
    saveBar.toggleAttribute("data-visible", !!state);
    topbar.toggleAttribute("data-save-bar-visible", !!state);
    if (!state) return;
    var ordered = state.buttons.filter(function (b) { return b.role === "discard"; }).concat(state.buttons.filter(function (b) { return b.role === "save"; }));
    ordered.forEach(function (button) {
      var save = button.role === "save";
      saveBar.appendChild(actionButton({ label: save ? "Save" : "Discard", variant: save ? "primary" : null, disabled: button.disabled, loading: button.loading }, { "data-sandbox-save-bar-action": save ? "save" : "discard" }, function () {
        var go = function () { send({ type: "save-bar-click", key: state.key, index: button.index }); };
        if (!save && state.discardConfirmation) confirmDialog({ kind: "discard", title: "Discard all unsaved changes?", body: "If you discard changes, you'll delete any edits you made since you last saved.", cancel: "Continue editing", confirm: "Discard changes" }, go);
        else go();
      }));
    });
  }

  function renderModalChrome(modal, description) {
    modal.title.textContent = description.title;
    modal.foot.innerHTML = "";
    var actions = description.actions.filter(function (a) { return a.variant !== "primary"; });
    var primary = description.actions.find(function (a) { return a.variant === "primary"; });
    if (primary) actions.push(primary);
    actions.forEach(function (action) {
      modal.foot.appendChild(actionButton(action, { "data-sandbox-modal-action": action.label }, function () {
        send({ type: "modal-action", key: description.key, index: action.index });
      }));
    });
    modal.foot.style.display = actions.length ? "" : "none";
  }
  function showModal(data) {
    if (modals[data.key]) return;
    var overlay = el("div", { class: "overlay", "data-sandbox-modal": data.key });
    var dialog = el("div", { class: "dialog", "data-variant": data.variant, role: "dialog", "aria-modal": "true" });
    var head = el("div", { class: "head" });
    var title = el("h2", { "data-sandbox-modal-title": true, id: "sandbox-modal-title-" + data.key });
    var close = el("button", { type: "button", "aria-label": "Close", "data-sandbox-modal-close": true }, "×");
    close.addEventListener("click", function () { send({ type: "modal-close", key: data.key }); });
    head.appendChild(title); head.appendChild(close);
    var content = el("iframe", { name: data.frameName, title: data.title || "Modal", "data-sandbox-modal-frame": data.key, src: data.url });
    content.addEventListener("load", function () { send({ type: "modal-frame-ready", key: data.key, frameName: data.frameName }); }, { once: true });
    var foot = el("div", { class: "foot" });
    dialog.appendChild(head); dialog.appendChild(content); dialog.appendChild(foot); overlay.appendChild(dialog);
    dialog.setAttribute("aria-labelledby", "sandbox-modal-title-" + data.key);
    dialog.setAttribute("tabindex", "-1");
    // What had focus when it opened (a header action, or the app's frame), for focus to go back to when it closes.
    modals[data.key] = { overlay: overlay, title: title, foot: foot, frame: content, returnFocus: document.activeElement };
    modalOrder.push(data.key);
    renderModalChrome(modals[data.key], data);
    document.body.appendChild(overlay);
    holdFocusInTopModal();
    dialog.focus();
  }
  function hideModal(key) {
    var modal = modals[key];
    if (!modal) return;
    modal.overlay.remove();
    delete modals[key];
    modalOrder = modalOrder.filter(function (k) { return k !== key; });
    holdFocusInTopModal();
    focusBack(modal.returnFocus);
  }
  // A modal is modal, as a <dialog> shown with showModal() is: what is behind the top one is inert (no focus, no
  // click, hidden from a screen reader) and Tab cycles through the dialog's close button, its content and its actions.
  function holdFocusInTopModal() {
    var top = modalOrder.length ? modals[modalOrder[modalOrder.length - 1]].overlay : null;
    Array.prototype.forEach.call(document.body.children, function (child) {
      if (child.tagName === "SCRIPT") return;
      child.inert = top !== null && child !== top;
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !modalOrder.length) return;
    var dialog = modals[modalOrder[modalOrder.length - 1]].overlay.firstChild;
    var stops = Array.prototype.filter.call(dialog.querySelectorAll("button, iframe"), function (node) {
      return !node.disabled && node.tabIndex >= 0 && node.offsetParent !== null;
    });
    if (!stops.length) return;
    var first = stops[0], last = stops[stops.length - 1], at = document.activeElement;
    if (event.shiftKey && (at === first || at === dialog)) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && (at === last || at === dialog && last === first)) { event.preventDefault(); first.focus(); }
  });
  // The header's actions are drawn again on every change of the app's state: a button replaced since is found by its
  // label. The app's frame, focused again, gives focus back to what had it inside the app.
  function focusBack(element) {
    if (!element || element === document.body) return;
    if (!element.isConnected) {
      var label = element.getAttribute && element.getAttribute("data-sandbox-title-action");
      element = label ? Array.prototype.find.call(titleActions.querySelectorAll("[data-sandbox-title-action]"), function (b) { return b.getAttribute("data-sandbox-title-action") === label; }) : null;
    }
    if (!element) return;
    // An action from a closed menu ("More actions") cannot take focus: the menu's button does, as in the admin.
    var menu = element.closest && element.closest("details:not([open])");
    if (menu) element = menu.querySelector("summary");
    element.focus();
    if (element === frame) send({ type: "focus-return" });
  }
  // Escape closes what is on top, as Shopify's admin does: a confirmation (as Cancel), else the last modal opened
  // (as its close button). Escape pressed inside a modal's content is the app's script's to handle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var confirming = document.querySelectorAll("[data-sandbox-confirm] [data-sandbox-confirm-cancel]");
    if (confirming.length) {
      event.preventDefault();
      confirming[confirming.length - 1].click();
      return;
    }
    var top = modalOrder[modalOrder.length - 1];
    if (top === undefined) return;
    event.preventDefault();
    send({ type: "modal-close", key: top });
  });

  function render(state) {
    renderNav(state);
    renderTitleBar(state.titleBar);
    renderSaveBar(state.saveBar);
    (state.modals || []).forEach(function (description) {
      if (modals[description.key]) renderModalChrome(modals[description.key], description);
    });
  }

  // App Bridge's address bar sync (shopify.dev, App Home Navigation API, "Address bar sync": the app's pushState and
  // replaceState are sent to the admin, which updates its address bar; a new document in the app sends its URL; while
  // a save bar shows the admin doesn't apply the app's route changes). The app's path and its own query (a tab, a
  // filter) go into the address bar, so a reload, Back or a shared link opens the same view; the parameters the admin
  // adds to the app's URL (embedded, host, id_token, hmac...) do not. What Back does is not written there; the sandbox
  // follows from it that the admin owns the tab's history: the stand-in replaces the frame's own entry and the admin
  // pushes one here, on popstate it hands the app the entry's route (as its NavMenu does), and an entry of another admin
  // document loads the app from the address bar with fresh parameters, never the frame URL the browser kept (which has
  // none, so the app sent it to /auth/login, refused in a frame). The browser finds a frame's kept URL by the frame's
  // name: each admin page names its app frame anew (app-iframe-<uuid>), so no history entry ever matches a frame of
  // this page, and the frame loads its src on a Back, a Forward or a reload, and is never sent to a kept URL when an
  // entry made before one of them is gone back to. (Setting the frame's location on a Back raced Chromium's restore
  // of the kept URL, and the restore won on an idle machine.)
  var entryIndex = history.state && typeof history.state.sandboxEntry === "number" ? history.state.sandboxEntry : 0;
  if (frame) history.replaceState({ sandboxEntry: entryIndex }, "");
  function shownUrl(appPath) {
    var parts = appPath.replace(/^\\/app/, "").split("?");
    var query = new URLSearchParams(parts[1] || "");
    SHOPIFY_PARAMS.forEach(function (name) { query.delete(name); });
    return APP_BASE + parts[0] + (query.toString() ? "?" + query.toString() : "");
  }
  function showRoute(action, appPath) {
    // The app's pages only: the bounce page (/auth/session-token) loads the stand-in too, on its way to one.
    if (!/^\\/app(\\/|\\?|$)/.test(appPath)) return;
    var shown = shownUrl(appPath);
    if (location.pathname + location.search === shown) return;
    if (action === "push") history.pushState({ sandboxEntry: ++entryIndex }, "", shown);
    else history.replaceState(history.state, "", shown);
  }
  var undoingPop = false;
  window.addEventListener("popstate", function (event) {
    if (!frame) return;
    var target = event.state && typeof event.state.sandboxEntry === "number" ? event.state.sandboxEntry : 0;
    var delta = entryIndex - target;
    if (undoingPop) { undoingPop = false; return; }
    if (saveBarState && delta !== 0) {
      // While a save bar shows the admin holds the app's route: the address goes back to the page being edited, and
      // Back or Forward happens once the merchant chooses to leave.
      undoingPop = true;
      history.go(delta);
      guardLeave(function () { history.go(-delta); });
      return;
    }
    entryIndex = target;
    send({ type: "route", href: "/app" + location.pathname.slice(APP_BASE.length) + location.search });
  });

  function toast(message) {
    var node = el("div", { "data-sandbox-toast": message.id, role: "status", "data-error": message.isError }, message.message);
    toasts.appendChild(node);
    setTimeout(function () { node.remove(); }, message.duration);
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!frame || event.source !== frame.contentWindow || !data || data.source !== "sandbox-app-bridge") return;
    if (data.type === "frame-state") render(data);
    else if (data.type === "history") showRoute(data.action, data.path);
    else if (data.type === "toast") toast(data);
    else if (data.type === "toast-hide") { var t = toasts.querySelector('[data-sandbox-toast="' + data.id + '"]'); if (t) t.remove(); }
    else if (data.type === "loading") document.querySelector("[data-sandbox-loading]").toggleAttribute("data-on", data.on);
    else if (data.type === "navigate-admin") guardLeave(function () { location.assign(data.url); });
    else if (data.type === "navigate-top") location.assign(data.url);
    else if (data.type === "modal-show") showModal(data);
    else if (data.type === "modal-hide") hideModal(data.key);
    // The frame takes its content's height; past the dialog's max-height it shrinks (flex) and its content scrolls.
    else if (data.type === "modal-size") { var m = modals[data.key]; if (m) m.frame.style.height = data.height + "px"; }
    // Content with nothing to focus that does not scroll is no Tab stop (app-bridge-script.ts says why).
    else if (data.type === "modal-keyboard") { var k = modals[data.key]; if (k) k.frame.tabIndex = data.reachable ? 0 : -1; }
    else if (data.type === "leave-confirmation") guardLeave(function () { send({ type: "leave-confirmed", id: data.id }); });
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
