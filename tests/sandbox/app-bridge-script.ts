/**
 * The App Bridge stand-in served at /cdn/app-bridge.js. It implements the part of App Bridge v4 Tally touches
 * (`window.shopify`, the `ui-*` elements, the authenticated fetch, the bounce page) and talks to the sandbox admin
 * frame over postMessage, as the real script talks to the real admin. Plain ES2020, no build step.
 */
export function appBridgeScript(sandboxOrigin: string): string {
  return `(function () {
  "use strict";
  if (window.shopify && window.shopify.__sandbox) return;
  var SANDBOX_ORIGIN = ${JSON.stringify(sandboxOrigin)};
  var script = document.currentScript;
  var params = new URLSearchParams(location.search);
  var remembered = {};
  try { remembered = JSON.parse(sessionStorage.getItem("sandbox-app-bridge") || "{}"); } catch (e) {}
  var host = params.get("host") || remembered.host || "";
  var shop = params.get("shop") || remembered.shop || "";
  if (!shop && host) {
    try {
      var decoded = atob(host.replace(/-/g, "+").replace(/_/g, "/"));
      var m = /\\/store\\/([^/?#]+)/.exec(decoded);
      if (m) shop = m[1] + ".myshopify.com";
    } catch (e) {}
  }
  var locale = params.get("locale") || remembered.locale || "en";
  try { sessionStorage.setItem("sandbox-app-bridge", JSON.stringify({ host: host, shop: shop, locale: locale })); } catch (e) {}
  var apiKey = (script && script.getAttribute("data-api-key")) || remembered.apiKey || "";
  var embedded = window.top !== window;

  function post(message) {
    message.source = "sandbox-app-bridge";
    if (embedded) window.parent.postMessage(message, "*");
  }

  var cachedToken = null;
  function idToken() {
    if (cachedToken && cachedToken.expires > Date.now() + 10000) return Promise.resolve(cachedToken.token);
    return realFetch(SANDBOX_ORIGIN + "/admin/session-token?shop=" + encodeURIComponent(shop), { credentials: "omit" })
      .then(function (r) {
        if (!r.ok) throw new Error("Sandbox refused a session token: " + r.status);
        return r.json();
      })
      .then(function (body) {
        cachedToken = { token: body.token, expires: body.exp * 1000 };
        return body.token;
      });
  }

  // App Bridge adds the session token to the app's own requests; that is what authenticates Remix data requests.
  var realFetch = window.fetch.bind(window);
  function isAppRequest(url) {
    try { return new URL(url, location.href).origin === location.origin; } catch (e) { return false; }
  }
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (!isAppRequest(request.url) || request.headers.has("Authorization")) return realFetch(request);
    var retry = request.clone();
    return idToken().then(function (token) {
      var first = new Request(request, { headers: withAuth(request.headers, token) });
      return realFetch(first).then(function (response) {
        var reauth = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
        if (reauth) { openUrl(reauth, "_top"); return response; }
        if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
          cachedToken = null;
          return idToken().then(function (fresh) {
            return realFetch(new Request(retry, { headers: withAuth(retry.headers, fresh) }));
          });
        }
        return response;
      });
    });
  };
  function withAuth(headers, token) {
    var h = new Headers(headers);
    h.set("Authorization", "Bearer " + token);
    return h;
  }

  function adminUrlFor(url) {
    var handle = shop.replace(/\\.myshopify\\.com$/, "");
    var match = /^shopify:\\/*admin(\\/.*)?$/i.exec(url);
    if (match) return SANDBOX_ORIGIN + "/store/" + handle + (match[1] || "");
    try {
      var parsed = new URL(url, location.href);
      if (parsed.hostname === "admin.shopify.com") return SANDBOX_ORIGIN + parsed.pathname + parsed.search;
      if (parsed.hostname === shop && parsed.pathname.indexOf("/admin") === 0)
        return SANDBOX_ORIGIN + "/store/" + handle + parsed.pathname.slice(6) + parsed.search;
    } catch (e) {}
    return null;
  }
  var realOpen = window.open.bind(window);
  function openUrl(url, target) {
    var admin = adminUrlFor(String(url));
    if (admin) {
      post({ type: "navigate-admin", url: admin });
      if (!embedded) location.assign(admin);
      return null;
    }
    if ((target === "_top" || target === "_parent") && embedded) {
      post({ type: "navigate-top", url: new URL(String(url), location.href).toString() });
      return null;
    }
    return realOpen(url, target);
  }
  window.open = function (url, target, features) { return openUrl(url, target, features); };

  document.addEventListener("click", function (event) {
    var a = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!a) return;
    var href = a.getAttribute("href") || "";
    if (/^shopify:/i.test(href)) {
      event.preventDefault();
      openUrl(href, a.getAttribute("target") || "_top");
    }
  }, true);

  // ui-* elements ---------------------------------------------------------------------------------------------------
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu,ui-title-bar,ui-save-bar{display:none!important}" +
    "ui-modal{display:none}ui-modal[data-open]{display:flex;position:fixed;inset:0;z-index:1000;" +
    "background:rgba(0,0,0,.5);align-items:center;justify-content:center}" +
    "ui-modal[data-open]>.sandbox-modal-panel{background:#fff;border-radius:12px;min-width:360px;max-width:90vw;" +
    "max-height:85vh;overflow:auto;padding:16px;box-shadow:0 4px 24px rgba(0,0,0,.3)}";
  (document.head || document.documentElement).appendChild(style);

  function define(name, cls) { if (!customElements.get(name)) customElements.define(name, cls); }

  function navItems() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return null;
    return Array.prototype.map.call(menu.querySelectorAll("a"), function (a) {
      return { label: (a.textContent || "").trim(), href: a.getAttribute("href"), rel: a.getAttribute("rel") };
    });
  }
  function titleBar() {
    var bar = document.querySelector("ui-title-bar:not(ui-modal ui-title-bar)");
    if (!bar) return null;
    return {
      title: bar.getAttribute("title") || "",
      buttons: Array.prototype.map.call(bar.querySelectorAll("button"), function (b, i) {
        return { index: i, label: (b.textContent || "").trim(), variant: b.getAttribute("variant"), disabled: b.disabled };
      }),
    };
  }
  var lastReport = "";
  function report() {
    var state = { type: "frame-state", nav: navItems(), titleBar: titleBar(), path: location.pathname + location.search };
    var key = JSON.stringify(state);
    if (key !== lastReport) { lastReport = key; post(state); }
  }
  var scheduled = false;
  function scheduleReport() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(function () { scheduled = false; report(); }, 0);
  }
  new MutationObserver(scheduleReport).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () { var out = original.apply(this, arguments); scheduleReport(); return out; };
  });
  addEventListener("popstate", scheduleReport);

  class NavMenu extends HTMLElement {}
  class TitleBar extends HTMLElement {}
  class SaveBar extends HTMLElement {
    show() { return setSaveBar(this, true); }
    hide() { return setSaveBar(this, false); }
    toggle() { return setSaveBar(this, !this.showing); }
  }
  function setSaveBar(el, visible) {
    el.showing = visible;
    var buttons = Array.prototype.map.call(el.querySelectorAll("button"), function (b, i) {
      return { index: i, label: (b.textContent || "").trim(), variant: b.getAttribute("variant"), loading: b.hasAttribute("loading"), disabled: b.disabled };
    });
    post({ type: "save-bar", id: el.id || null, visible: visible, buttons: buttons });
    el.dispatchEvent(new Event(visible ? "show" : "hide"));
    return Promise.resolve();
  }
  class Modal extends HTMLElement {
    constructor() {
      super();
      this.content = document.createElement("div");
      this.content.className = "sandbox-modal-body";
    }
    connectedCallback() {
      if (!this.panel) {
        this.panel = document.createElement("div");
        this.panel.className = "sandbox-modal-panel";
        this.panel.setAttribute("role", "dialog");
        this.panel.setAttribute("data-sandbox-modal", this.id || "");
        this.appendChild(this.panel);
      }
      this.panel.appendChild(this.content);
    }
    show() {
      var bar = this.querySelector("ui-title-bar");
      var heading = this.panel.querySelector("h2") || document.createElement("h2");
      heading.textContent = bar ? bar.getAttribute("title") || "" : "";
      if (!heading.parentNode) this.panel.insertBefore(heading, this.content);
      this.setAttribute("data-open", "");
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    }
    hide() {
      if (!this.hasAttribute("data-open")) return Promise.resolve();
      this.removeAttribute("data-open");
      this.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    }
    toggle() { return this.hasAttribute("data-open") ? this.hide() : this.show(); }
    get open() { return this.hasAttribute("data-open"); }
  }
  define("ui-nav-menu", NavMenu);
  define("ui-title-bar", TitleBar);
  define("ui-save-bar", SaveBar);
  define("ui-modal", Modal);

  function byId(tag, id) {
    var el = document.getElementById(id);
    if (!el || el.tagName.toLowerCase() !== tag) throw new Error("No <" + tag + "> with id " + id);
    return el;
  }

  // Messages from the admin frame -------------------------------------------------------------------------------------
  addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.source !== "sandbox-admin" || event.source !== window.parent) return;
    if (data.type === "navigate") {
      var items = document.querySelectorAll("ui-nav-menu a");
      var anchor = Array.prototype.find.call(items, function (a) { return a.getAttribute("href") === data.href; });
      if (anchor) anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
      else location.assign(data.href);
    } else if (data.type === "title-bar-click") {
      var bar = document.querySelector("ui-title-bar:not(ui-modal ui-title-bar)");
      var button = bar && bar.querySelectorAll("button")[data.index];
      if (button) button.click();
    } else if (data.type === "save-bar-click") {
      var bars = document.querySelectorAll("ui-save-bar");
      var target = Array.prototype.find.call(bars, function (b) { return (b.id || null) === data.id; });
      var b = target && target.querySelectorAll("button")[data.index];
      if (b) b.click();
    } else if (data.type === "report") {
      lastReport = "";
      report();
    }
  });

  // The bounce page: the app asks for a fresh id token and reloads itself with it (shopify-app-remix's patch path).
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  var toastCount = 0;
  window.shopify = {
    __sandbox: true,
    config: { apiKey: apiKey, shop: shop, host: host, locale: locale },
    environment: { embedded: embedded, mobile: false, pos: false },
    origin: location.origin,
    idToken: idToken,
    toast: {
      show: function (message, options) {
        var id = "toast-" + (++toastCount);
        options = options || {};
        post({ type: "toast", id: id, message: String(message), isError: !!options.isError, duration: options.duration || 5000 });
        return id;
      },
      hide: function (id) { post({ type: "toast-hide", id: id }); },
    },
    loading: function (on) { post({ type: "loading", on: on !== false }); },
    modal: {
      show: function (id) { return byId("ui-modal", id).show(); },
      hide: function (id) { return byId("ui-modal", id).hide(); },
      toggle: function (id) { return byId("ui-modal", id).toggle(); },
    },
    saveBar: {
      show: function (id) { return byId("ui-save-bar", id).show(); },
      hide: function (id) { return byId("ui-save-bar", id).hide(); },
      toggle: function (id) { return byId("ui-save-bar", id).toggle(); },
      leaveConfirmation: function () { return Promise.resolve(); },
    },
    user: function () { return Promise.resolve({ accountAccess: "Account owner" }); },
    resourcePicker: function () { return Promise.reject(new Error("resourcePicker is not available in the sandbox")); },
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", report);
  else report();
  post({ type: "ready" });
})();
`;
}
