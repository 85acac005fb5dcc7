// Tally's storefront loader (the blocks' schema `javascript`, deferred): the panel dialog, and tally-panel.js when it
// first opens or an inline block nears the viewport. Page load's one request: v1/me for signed-in balances (020, 042).
(() => {
  if (window.Tally) return;
  // The app embed's configuration wins: it carries the merchant's app proxy path.
  const config =
    document.querySelector("[data-tally-launcher] [data-tally-config]") ||
    document.querySelector("[data-tally-config]");
  if (!config) return;
  const T = (window.Tally = { config: config.dataset, mounts: [] });
  let panelScript;
  T.load = () =>
    (panelScript ||= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = T.config.panelSrc;
      script.onload = resolve;
      script.onerror = () => reject((panelScript = null));
      document.head.append(script);
    }));
  const draw = (container) => T.load().then(() => T.draw(container));

  const numbers = new Intl.NumberFormat(T.config.locale || undefined);
  T.number = (n) => numbers.format(n);
  for (const node of document.querySelectorAll("[data-tally-number]")) {
    node.textContent = T.number(Number(node.dataset.tallyNumber));
  }

  // The proxy's JSON, or its error thrown with its body (code, view); every request of the widget reads here.
  T.readJson = (response) =>
    response
      .json()
      .catch(() => ({}))
      .then((json) => {
        if (!response.ok) throw Object.assign(new Error(json.error), json);
        return json;
      });

  // GET {proxy}/v1/me, once a page for the launcher, the blocks and the panel.
  let me = null;
  T.me = () =>
    (me ||= fetch(T.config.proxy + "/v1/me", { cache: "no-store" })
      .then(T.readJson)
      .catch((error) => {
        me = null;
        throw error;
      }));
  // The program's name for `n` points (plural without `n`, singular for ±1); the shopper's own word while the program
  // keeps its first names (decision 051).
  T.name = (program, n) => {
    const one = Math.abs(n) === 1;
    return program.pointsName === "points" && program.pointName === "point"
      ? T.config[one ? "sPoint" : "sPoints"]
      : program[one ? "pointName" : "pointsName"];
  };
  // Balances drawn from the points metafield (badge, account block) take v1/me's: the metafield lags Tally's jobs,
  // and one page must not show two figures, nor "1 star" beside 2. If the request fails, the metafield's stays (042).
  T.showBalance = (json) => {
    if (!json.customer?.known) return;
    for (const balance of document.querySelectorAll("[data-tally-balance] [data-tally-number]")) {
      balance.textContent = T.number(json.customer.points);
    }
    for (const name of document.querySelectorAll("[data-tally-balance] [data-tally-name]")) {
      name.textContent = T.name(json.program, json.customer.points);
    }
    // A blocked shopper's block says what the panel says, not a balance; the launcher offers no count.
    if (json.customer.blocked) {
      document.querySelector("[data-tally-launcher] [data-tally-balance]")?.remove();
      for (const balance of document.querySelectorAll("[data-tally-block] [data-tally-balance]")) {
        balance.parentNode.querySelector("[data-tally-open]")?.parentNode.remove();
        balance.className = "tally-note";
        balance.textContent = T.config.sBlocked;
      }
    }
  };
  if (T.config.signedIn === "true" && document.querySelector("[data-tally-balance]")) {
    T.me().then(T.showBalance, () => {});
  }

  // WCAG AA for the merchant's colours: text on the button colour keeps 4.5:1, or becomes black or white.
  const luminance = (hex) =>
    [0, 2, 4]
      .map((i) => parseInt(hex.slice(1 + i, 3 + i), 16) / 255)
      .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue("--tally-accent").trim();
  const onAccent = style.getPropertyValue("--tally-on-accent").trim();
  const hex = /^#[0-9a-f]{6}$/i;
  if (hex.test(accent) && hex.test(onAccent) && contrast(accent, onAccent) < 4.5) {
    const best = contrast(accent, "#000000") > contrast(accent, "#ffffff") ? "#000000" : "#ffffff";
    document.documentElement.style.setProperty("--tally-on-accent", best);
  }

  const launcher = document.querySelector("[data-tally-launcher]");
  const panel = launcher?.querySelector("[data-tally-panel]");
  let opener = null;
  const focusables = () =>
    [...panel.querySelectorAll("a[href],button:not([disabled]),input,[tabindex]:not([tabindex='-1'])")].filter(
      (node) => node.offsetParent !== null,
    );
  const onKey = (event) => {
    if (event.key === "Escape") return T.close();
    if (event.key !== "Tab") return;
    const list = focusables();
    const first = list[0];
    const last = list[list.length - 1];
    const at = document.activeElement;
    if (!panel.contains(at)) {
      event.preventDefault();
      first?.focus();
    } else if (event.shiftKey && !(first.compareDocumentPosition(at) & 4)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && !(last.compareDocumentPosition(at) & 2)) {
      event.preventDefault();
      first.focus();
    }
  };
  T.open = (from) => {
    if (!panel) return false;
    opener = from || launcher.querySelector("[data-tally-trigger]");
    panel.hidden = false;
    launcher.querySelector("[data-tally-backdrop]").hidden = false;
    launcher.querySelector("[data-tally-trigger]").setAttribute("aria-expanded", "true");
    document.addEventListener("keydown", onKey, true);
    panel.querySelector("[data-tally-close]").focus();
    const body = panel.querySelector("[data-tally-body]");
    if (body.dataset.drawn) draw(body);
    else {
      body.dataset.drawn = "1";
      body.textContent = T.config.sLoading;
      body.setAttribute("aria-busy", "true");
      draw(body).catch(() => {
        delete body.dataset.drawn;
        body.textContent = T.config.sError;
      });
    }
    return true;
  };
  T.close = () => {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    launcher.querySelector("[data-tally-backdrop]").hidden = true;
    launcher.querySelector("[data-tally-trigger]").setAttribute("aria-expanded", "false");
    document.removeEventListener("keydown", onKey, true);
    opener?.focus();
  };
  if (launcher) {
    launcher.querySelector("[data-tally-trigger]").addEventListener("click", (event) => T.open(event.currentTarget));
    launcher.querySelector("[data-tally-close]").addEventListener("click", T.close);
    launcher.querySelector("[data-tally-backdrop]").addEventListener("click", T.close);
    launcher.classList.add("tally--ready");
  }
  // "See your rewards" links open the panel where there is one, and go to the rewards page where there is not.
  for (const link of document.querySelectorAll("[data-tally-open]")) {
    link.addEventListener("click", (event) => {
      if (T.open(event.currentTarget)) event.preventDefault();
    });
  }

  const inline = document.querySelectorAll("[data-tally-inline]");
  const observer =
    "IntersectionObserver" in window &&
    new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          observer.unobserve(entry.target);
          draw(entry.target).catch(() => (entry.target.textContent = T.config.sError));
        }
      },
      { rootMargin: "300px" },
    );
  for (const node of inline) {
    if (observer) observer.observe(node);
    else draw(node);
  }
})();
