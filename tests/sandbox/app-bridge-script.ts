/**
 * The App Bridge stand-in served at /cdn/app-bridge.js. It implements the part of App Bridge v4 Tally touches
 * (`window.shopify`, the `ui-*` elements, the authenticated fetch, the bounce page) and talks to the sandbox admin
 * frame over postMessage, as the real script talks to the real admin. Plain ES2020, no build step.
 *
 * What the admin draws, from App Bridge's documented behaviour (shopify.dev, app-bridge-library web components):
 * - `ui-title-bar` (outside a modal): its `title` (or `document.title`) and its children in the admin's header:
 *   `variant="breadcrumb"` before the title, `variant="primary"` as the primary action, other buttons and links as
 *   secondary actions, `<section label>` as a menu of grouped secondary actions. Clicking one in the admin clicks the
 *   element in the app, so its handlers (React's included) run.
 * - `ui-modal`: shown by the admin over everything, title and footer buttons from the modal's own `ui-title-bar`,
 *   its content rendered in an iframe of the app's origin. Without `src` the element's `content` (where
 *   app-bridge-react portals the modal's children) is moved into that iframe's document with the app's stylesheets,
 *   as the real modal copies them; with `src` the iframe loads that URL.
 * - `ui-save-bar`: Save (`variant="primary"`) and Discard in the admin's header while shown; while any save bar is
 *   shown the admin asks before leaving (its nav, the app's nav items, the breadcrumb), and
 *   `shopify.saveBar.leaveConfirmation()` asks the same and resolves once the merchant chooses to leave.
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
  style.textContent = "ui-nav-menu,ui-title-bar,ui-save-bar,ui-modal{display:none!important}";
  (document.head || document.documentElement).appendChild(style);

  function define(name, cls) { if (!customElements.get(name)) customElements.define(name, cls); }
  function label(el) { return (el.textContent || "").replace(/\\s+/g, " ").trim(); }
  function flag(el, name) { return el.hasAttribute(name) && el.getAttribute(name) !== "false"; }

  function navItems() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return null;
    return Array.prototype.map.call(menu.querySelectorAll("a"), function (a) {
      return { label: label(a), href: a.getAttribute("href"), rel: a.getAttribute("rel") };
    });
  }

  /** The actions of a ui-title-bar, indexed in document order so a click can be sent back to the right element. */
  function actionsOf(bar) {
    return Array.prototype.map.call(bar.querySelectorAll("button, a"), function (el, index) {
      var section = el.parentElement && el.parentElement.tagName === "SECTION" ? el.parentElement : null;
      return {
        index: index,
        label: label(el),
        variant: el.getAttribute("variant") || null,
        tone: el.getAttribute("tone") || null,
        disabled: !!el.disabled || flag(el, "disabled"),
        loading: flag(el, "loading"),
        section: section ? section.getAttribute("label") || "More actions" : null,
      };
    });
  }
  function pageTitleBar() {
    return Array.prototype.find.call(document.querySelectorAll("ui-title-bar"), function (bar) {
      return !bar.closest("ui-modal");
    }) || null;
  }
  function titleBar() {
    var bar = pageTitleBar();
    if (!bar) return null;
    return { title: bar.getAttribute("title") || document.title || "", actions: actionsOf(bar) };
  }
  function clickAction(bar, index) {
    var el = bar && bar.querySelectorAll("button, a")[index];
    if (el && !el.disabled) el.click();
  }

  function showingSaveBar() {
    return Array.prototype.find.call(document.querySelectorAll("ui-save-bar"), function (bar) { return bar.showing; }) || null;
  }
  function saveBarState() {
    var bar = showingSaveBar();
    if (!bar) return null;
    var buttons = Array.prototype.map.call(bar.querySelectorAll("button"), function (b, index) {
      return {
        index: index,
        role: b.getAttribute("variant") === "primary" ? "save" : "discard",
        disabled: !!b.disabled || flag(b, "disabled"),
        loading: flag(b, "loading"),
      };
    });
    return { key: keyOf(bar), buttons: buttons, discardConfirmation: bar.discardConfirmation };
  }

  var keys = new WeakMap();
  var keyCount = 0;
  function keyOf(el) {
    if (!keys.has(el)) keys.set(el, el.id || "sandbox-" + ++keyCount);
    return keys.get(el);
  }

  var lastReport = "";
  function report() {
    var modals = Array.prototype.filter.call(document.querySelectorAll("ui-modal"), function (modal) {
      return modal.open;
    }).map(function (modal) { return modal.describe(); });
    var state = {
      type: "frame-state",
      nav: navItems(),
      titleBar: titleBar(),
      saveBar: saveBarState(),
      modals: modals,
      path: location.pathname + location.search,
    };
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
  // App Bridge's address bar sync (shopify.dev, App Home Navigation API): each pushState or replaceState of the app
  // is sent to the admin, which updates its address bar, and so is the URL of each new document (at the end). The
  // admin owns the tab's history (admin-frame.ts): inside the admin the app's own entries are replaced, never pushed,
  // and the admin pushes the entry in the top window, so Back and Forward go through the admin (which hands the route
  // back, "route" below), never to a frame URL without the admin's parameters. Outside the admin, the app's own.
  var realReplaceState = history.replaceState;
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var out = (embedded ? realReplaceState : original).apply(this, arguments);
      if (embedded) post({ type: "history", action: name === "pushState" ? "push" : "replace", path: location.pathname + location.search });
      scheduleReport();
      return out;
    };
  });
  addEventListener("popstate", scheduleReport);

  class NavMenu extends HTMLElement {}
  class TitleBar extends HTMLElement {}

  class SaveBar extends HTMLElement {
    get showing() { return !!this._showing; }
    get discardConfirmation() { return flag(this, "discardConfirmation") || flag(this, "discardconfirmation"); }
    set discardConfirmation(value) { this.toggleAttribute("discardConfirmation", !!value); }
    show() { return this._set(true); }
    hide() { return this._set(false); }
    toggle() { return this._set(!this._showing); }
    disconnectedCallback() { if (this._showing) this._set(false); }
    _set(visible) {
      if (!!this._showing === visible) return Promise.resolve();
      this._showing = visible;
      report();
      this.dispatchEvent(new Event(visible ? "show" : "hide"));
      return Promise.resolve();
    }
  }

  // The modal's content iframe must share the app's origin so the app can render into it. Any same-origin document
  // will do; it is replaced at once. An app stylesheet is cheap and runs no script.
  function blankSameOriginUrl() {
    var sheet = Array.prototype.find.call(document.querySelectorAll('link[rel="stylesheet"]'), function (link) {
      try { return new URL(link.href).origin === location.origin; } catch (e) { return false; }
    });
    return sheet ? sheet.href : location.origin + "/favicon.ico";
  }
  // The app's stylesheets, copied into the modal's document as DOM nodes. Written with document.write instead, a
  // <link> whose sheet is not in memory yet pauses the parser, so the written body does not exist until it loads.
  function copyStyles(doc) {
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"], style'), function (node) {
      var copy;
      if (node.tagName === "LINK") {
        copy = doc.createElement("link");
        copy.rel = "stylesheet";
        copy.href = node.href;
      } else copy = doc.importNode(node, true);
      doc.head.appendChild(copy);
    });
  }
  function frameNamed(name) {
    for (var i = 0; i < window.parent.frames.length; i++) {
      try { if (window.parent.frames[i].name === name) return window.parent.frames[i]; } catch (e) {}
    }
    return null;
  }

  // The element that last took focus in the app (a modal shown from a click may find focus gone to the body already),
  // and where focus goes back once the admin has closed a modal and focused the app's frame again ("focus-return").
  var lastFocused = null;
  var focusAfterModal = null;
  document.addEventListener("focusin", function (event) { lastFocused = event.target; });

  class Modal extends HTMLElement {
    constructor() {
      super();
      this._content = document.createElement("div");
      this._content.setAttribute("data-sandbox-modal-content", "");
      this._open = false;
      this._frame = null;
    }
    get content() { return this._content; }
    set content(element) { this._content = element; }
    get src() { return this.getAttribute("src"); }
    set src(value) { if (value) this.setAttribute("src", value); else this.removeAttribute("src"); }
    get variant() { return this.getAttribute("variant") || "base"; }
    set variant(value) { this.setAttribute("variant", value); }
    get contentWindow() { return this._open && this.src ? this._frame : null; }
    get open() { return this._open; }
    describe() {
      var bar = this.querySelector("ui-title-bar");
      return {
        key: keyOf(this),
        title: bar ? bar.getAttribute("title") || "" : "",
        actions: bar ? actionsOf(bar) : [],
        variant: this.variant,
      };
    }
    show() {
      if (this._open) return Promise.resolve();
      this._open = true;
      // Focus goes back here when it closes (the button that opened it), as it does in Shopify's admin.
      this._returnFocus = document.activeElement && document.activeElement !== document.body ? document.activeElement : lastFocused;
      var self = this;
      return new Promise(function (resolve) {
        self._resolveShow = resolve;
        var description = self.describe();
        description.type = "modal-show";
        description.frameName = "sandbox-modal:" + description.key;
        description.url = self.src ? new URL(self.src, location.href).toString() : blankSameOriginUrl();
        post(description);
      });
    }
    /** Called when the admin's modal iframe has loaded: render the content into it, then tell the app it shows. */
    _attach(name) {
      var frame = frameNamed(name);
      if (!frame || !this._open) return;
      this._frame = frame;
      if (!this.src) {
        var doc = frame.document;
        doc.open();
        doc.write('<!doctype html><html lang="' + (document.documentElement.lang || "en") + '"><head><meta charset="utf-8"></head><body></body></html>');
        doc.close();
        copyStyles(doc);
        doc.body.appendChild(doc.adoptNode(this._content));
        // The admin sizes the modal to its content, as the real one does. The content itself is measured: Polaris
        // pins html and body to the frame's height (height: 100%), so they neither grow nor shrink with what they hold.
        var key = keyOf(this);
        var content = this._content;
        var size = function () {
          var body = frame.getComputedStyle(doc.body);
          var bottom = content.getBoundingClientRect().bottom + doc.documentElement.scrollTop;
          var height = Math.ceil(bottom + parseFloat(body.marginBottom) + parseFloat(body.paddingBottom));
          post({ type: "modal-size", key: key, height: height });
        };
        new frame.ResizeObserver(size).observe(content);
        size();
        // A browser stops Tab on an iframe even when its document holds nothing to focus: content that is only words
        // (a confirmation's) would be a stop with nothing in it between Close and Cancel. The admin is told whether the
        // content has something to focus, or scrolls (a keyboard then needs the stop to scroll it), as either changes.
        var reachable;
        var keyboard = function () {
          var now =
            Array.prototype.some.call(content.querySelectorAll("*"), function (node) {
              return node.tabIndex >= 0 && !node.disabled && node.getClientRects().length > 0;
            }) || doc.documentElement.scrollHeight > frame.innerHeight + 1;
          if (now === reachable) return;
          reachable = now;
          post({ type: "modal-keyboard", key: key, reachable: now });
        };
        new frame.MutationObserver(keyboard).observe(content, { subtree: true, childList: true, attributes: true });
        new frame.ResizeObserver(keyboard).observe(content);
        frame.addEventListener("resize", keyboard);
        keyboard();
      }
      // Escape inside the content closes the modal, as it does over the admin's own chrome (a key pressed in an
      // iframe never reaches its parent's document); a key the content handled already (defaultPrevented) is left be.
      try {
        var self = this;
        frame.document.addEventListener("keydown", function (event) {
          if (event.key === "Escape" && !event.defaultPrevented && self._open) {
            event.preventDefault();
            self.hide();
          }
        });
      } catch (e) {}
      this.dispatchEvent(new Event("show"));
      if (this._resolveShow) { this._resolveShow(); this._resolveShow = null; }
    }
    hide() {
      if (!this._open) return Promise.resolve();
      this._open = false;
      // The content comes back to the app's document, so React keeps rendering into a live node.
      if (this._content.ownerDocument !== document) document.adoptNode(this._content);
      this._frame = null;
      post({ type: "modal-hide", key: keyOf(this) });
      this.dispatchEvent(new Event("hide"));
      focusAfterModal = this._returnFocus;
      this._returnFocus = null;
      return Promise.resolve();
    }
    toggle() { return this._open ? this.hide() : this.show(); }
    disconnectedCallback() { if (this._open) this.hide(); }
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
  function modalByKey(key) {
    return Array.prototype.find.call(document.querySelectorAll("ui-modal"), function (modal) {
      return keyOf(modal) === key;
    });
  }

  var leaveWaiters = [];
  var leaveCount = 0;

  // Messages from the admin frame -------------------------------------------------------------------------------------
  addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.source !== "sandbox-admin" || event.source !== window.parent) return;
    if (data.type === "navigate") {
      var items = document.querySelectorAll("ui-nav-menu a");
      var anchor = Array.prototype.find.call(items, function (a) { return a.getAttribute("href") === data.href; });
      if (anchor) anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
      else location.assign(data.href);
    } else if (data.type === "route") {
      // Back or Forward in the admin: the app's router shows that entry's route, as a NavMenu link's does.
      var link = document.createElement("a");
      link.setAttribute("href", data.href);
      link.hidden = true;
      document.body.appendChild(link);
      link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
      link.remove();
    } else if (data.type === "title-bar-click") {
      clickAction(pageTitleBar(), data.index);
    } else if (data.type === "modal-frame-ready") {
      var shown = modalByKey(data.key);
      if (shown) shown._attach(data.frameName);
    } else if (data.type === "modal-action") {
      var modal = modalByKey(data.key);
      clickAction(modal && modal.querySelector("ui-title-bar"), data.index);
    } else if (data.type === "focus-return") {
      var back = focusAfterModal;
      focusAfterModal = null;
      if (back && back !== document.body && back.isConnected) back.focus({ preventScroll: true });
    } else if (data.type === "modal-close") {
      var closing = modalByKey(data.key);
      if (closing) closing.hide();
    } else if (data.type === "save-bar-click") {
      var bar = showingSaveBar();
      var b = bar && keyOf(bar) === data.key ? bar.querySelectorAll("button")[data.index] : null;
      if (b && !b.disabled) b.click();
    } else if (data.type === "save-bar-leave") {
      Array.prototype.forEach.call(document.querySelectorAll("ui-save-bar"), function (bar) { if (bar.showing) bar.hide(); });
    } else if (data.type === "leave-confirmed") {
      var waiter = leaveWaiters.find(function (w) { return w.id === data.id; });
      leaveWaiters = leaveWaiters.filter(function (w) { return w.id !== data.id; });
      if (waiter) waiter.resolve();
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
      // Resolves when the merchant chooses to leave, or at once when no save bar shows; staying leaves it pending.
      leaveConfirmation: function () {
        if (!showingSaveBar()) return Promise.resolve();
        return new Promise(function (resolve) {
          var id = "leave-" + (++leaveCount);
          leaveWaiters.push({ id: id, resolve: resolve });
          post({ type: "leave-confirmation", id: id });
        });
      },
    },
    user: function () { return Promise.resolve({ accountAccess: "Account owner" }); },
    // The app's extensions and where the shop's published theme has them (App Bridge's App API, app.extensions()).
    app: {
      extensions: function () {
        return realFetch(SANDBOX_ORIGIN + "/admin/app-extensions?shop=" + encodeURIComponent(shop), { credentials: "omit" })
          .then(function (r) {
            if (!r.ok) throw new Error("Sandbox could not list the app's extensions: " + r.status);
            return r.json();
          });
      },
    },
    resourcePicker: function () { return Promise.reject(new Error("resourcePicker is not available in the sandbox")); },
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", report);
  else report();
  post({ type: "history", action: "replace", path: location.pathname + location.search });
  post({ type: "ready" });
})();
`;
}
