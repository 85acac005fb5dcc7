// Tally's panel, loaded by tally.js on first use: draws GET {proxy}/v1/me into the dialog and the inline blocks (their
// data-sections), redeems, copies and shares. Words come from the locales (tally-config.liquid); numbers from Intl.
(() => {
  const T = window.Tally;
  const c = T.config;
  let view = null;
  let fetching = null;
  let fresh = null;
  // Sections' heading level: h3 under the dialog's or a block's h2, h2 under the rewards page's h1.
  let level = 3;

  // A string, its {placeholders} filled; {name} is the program's plural name, {Name} it starting a sentence.
  const s = (key, vars) => {
    const name = view ? T.name(view.program) : "";
    vars = { name, Name: name.charAt(0).toLocaleUpperCase(c.locale || undefined) + name.slice(1), ...vars };
    return (c["s" + camel(key)] || "").replace(/\{(\w+)\}/g, (all, name) => (name in vars ? vars[name] : all));
  };
  const el = (tag, attrs, ...kids) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs))
      if (value != null && value !== false) node.setAttribute(name, value);
    node.append(...kids.filter(Boolean));
    return node;
  };
  const enc = encodeURIComponent;
  const root = c.root === "/" ? "" : c.root || "";
  const points = (n) => `${T.number(n)} ${T.name(view.program, n)}`;
  // Amounts as the app wrote them, in the shop's money format ("$5.00 CAD", decision 041); for an older app, Intl,
  // which knows each currency's exponent (JPY 0, KWD 3).
  const money = (minor, text, currency = view.program.currency) => {
    if (text) return text;
    const format = new Intl.NumberFormat(c.locale || undefined, { style: "currency", currency });
    return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
  };
  // Reward terms worded by offer_* (referral box, message) or title_* strings ("10 % Rabatt"); none: the app's (051).
  const least = (r) => r.minimumSubtotalMinor > 0 && money(r.minimumSubtotalMinor, r.minimumSubtotalText, r.currency);
  const reward = (r, key = "offer") =>
    r.kind === "points"
      ? points(r.value)
      : s(key + camel(r.kind), {
          value:
            r.kind === "percent_off"
              ? new Intl.NumberFormat(c.locale || undefined, { style: "percent" }).format(r.value / 100)
              : r.value !== null && money(r.value, r.valueText, r.currency),
        });
  const titled = (terms, title) => (terms ? reward(terms, "title") : title);
  const atLeast = (r, text, minimum = least(r)) => (minimum ? s("offerMinimum", { offer: text, minimum }) : text);
  const offerText = (offer, key, vars) =>
    offer
      ? s(key + (least(offer.friend) ? "OfferMinimum" : "Offer"), {
          ...vars,
          friend: reward(offer.friend),
          minimum: least(offer.friend),
          advocate: atLeast(offer.advocate, reward(offer.advocate)),
        })
      : s(key + "Text", vars);
  const day = (iso) => new Date(iso).toLocaleDateString(c.locale || undefined, { dateStyle: "medium" });
  const camel = (kind) => kind.replace(/(?:^|_)(\w)/g, (all, letter) => letter.toUpperCase());

  const api = (path, body) =>
    fetch(c.proxy + path, {
      cache: "no-store",
      ...(body && { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    }).then(T.readJson);
  const take = (json) => {
    view = json;
    T.showBalance(json);
  };
  const load = (again) => {
    if (again || !fetching) {
      // The first read is the one tally.js may already have made for the page's balances.
      fetching = (again ? api("/v1/me") : T.me()).then(take).catch((error) => {
        fetching = null;
        throw error;
      });
    }
    return fetching;
  };

  const say = (node, text) => {
    const live = node.closest("[data-tally-body],[data-tally-inline]").tallyMount.live;
    live.textContent = "";
    setTimeout(() => (live.textContent = text), 100);
  };
  const errorText = ({ code }) =>
    s(code === "guest_cannot_redeem" ? "guest" : c["sErr" + camel(code || "")] ? "err_" + code : "err_failed");
  const alert = (text, attrs) => el("p", { class: "tally-error", role: "alert", ...attrs }, text);
  const showError = (near, error) => {
    near.parentNode.querySelector(".tally-error")?.remove();
    near.after(alert(errorText(error)));
  };

  const copy = (text) =>
    navigator.clipboard?.writeText(text).catch(() => legacyCopy(text)) ?? Promise.resolve(legacyCopy(text));
  const legacyCopy = (text) => {
    const area = el("textarea", { class: "tally-visually-hidden", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  };
  const copyButton = (text, label = s("copyLabel", { what: text })) => {
    const button = el("button", { type: "button", class: "tally-btn tally-btn--quiet" });
    const show = (word, label = word) => {
      button.textContent = word;
      button.setAttribute("aria-label", label);
    };
    const rest = () => show(s("copy"), label);
    rest();
    button.onclick = () =>
      copy(text).then(() => {
        show(s("copied"));
        say(button, s("copied"));
        setTimeout(rest, 2000);
      });
    return button;
  };
  const applyLink = (code) =>
    el("a", { class: "tally-btn", href: `/discount/${enc(code)}?redirect=${enc(c.cart || "/cart")}` }, s("apply"));
  const heading = (title) => el(`h${level}`, { class: "tally-section__title" }, title);
  const section = (title, ...kids) => el("section", { class: "tally-section" }, heading(title), ...kids);
  const joinLinks = () =>
    c.login &&
    el(
      "p",
      { class: "tally-actions" },
      el("a", { class: "tally-btn", href: c.register }, s("join")),
      el("span", {}, s("member"), " ", el("a", { class: "tally-link", href: c.login }, s("signIn"))),
    );

  const redeem = (option, button, container) => {
    button.disabled = true;
    button.textContent = s("redeeming");
    api("/v1/redeem", { optionId: option.id })
      .then(
        (answer) => {
          fresh = { container, reward: answer.reward, option };
          return answer.view ? take(answer.view) : load(true);
        },
        // A stale panel's refusal (spent in another tab) comes with the true view (055).
        (error) => {
          if (!error.view) throw error;
          fresh = { container, error };
          take(error.view);
        },
      )
      .then(
        () => {
          T.mounts.forEach(paint);
          container.querySelector("[data-tally-code]")?.focus();
        },
        (error) => {
          button.disabled = false;
          button.textContent = s("redeem");
          showError(button, error);
        },
      );
  };

  const sections = {
    status(me) {
      const customer = me.customer;
      if (!customer) {
        return el("div", { class: "tally-join" }, heading(s("joinTitle")), el("p", {}, s("joinText")), joinLinks());
      }
      if (!customer.known) return el("p", { class: "tally-note" }, s("unknown"));
      const releases = customer.pendingReleases;
      // Shopify's balance as Liquid wrote it ("" for none left) over Tally's last read of it (decision 042).
      const credit = c.credit ?? customer.storeCredit?.text;
      return el(
        "div",
        { class: "tally-status" },
        el(
          "p",
          { class: "tally-balance" },
          el("span", { class: "tally-balance__label" }, s("balance")),
          el("strong", { class: "tally-balance__value", "data-tally-points": "" }, points(customer.points)),
        ),
        credit && el("p", {}, s("storeCredit", { amount: credit })),
        customer.pendingPoints > 0 && el("p", {}, s("pending", { points: points(customer.pendingPoints) })),
        releases.length > 0 &&
          el(
            "ul",
            { class: "tally-list tally-list--plain tally-meta" },
            ...releases.map((release) =>
              el(
                "li",
                {},
                s(
                  release.source === "referral" ? "pendingReferral" : release.releaseAt ? "pendingOn" : "pendingAfter",
                  {
                    points: points(release.points),
                    order: release.orderName || "",
                    date: release.releaseAt && day(release.releaseAt),
                    days: T.number(release.holdDays),
                  },
                ),
              ),
            ),
          ),
        customer.status != "member" && !me.program.guestsRedeem && el("p", { class: "tally-note" }, s("guest")),
      );
    },
    code(me, container) {
      if (fresh?.container !== container) return null;
      const { reward, option, error } = fresh;
      if (error) return ((fresh = null), alert(errorText(error), { tabindex: "-1", "data-tally-code": "" }));
      return el(
        "div",
        { class: "tally-code", tabindex: "-1", "data-tally-code": "" },
        heading(s("codeTitle")),
        reward.kind === "store_credit"
          ? el("p", {}, s("credit", { amount: money(option.amountMinor, option.amountText) }))
          : el(
              "div",
              {},
              el("p", {}, s("codeText")),
              el(
                "p",
                { class: "tally-actions" },
                el("code", { class: "tally-code__value" }, reward.code),
                copyButton(reward.code),
                applyLink(reward.code),
              ),
            ),
      );
    },
    redeem(me, container) {
      const options = me.program.redeem;
      if (options.length === 0) return me.program.earn.length ? null : el("p", { class: "tally-note" }, s("off"));
      const customer = me.customer?.known ? me.customer : null;
      const balance = customer ? Math.max(customer.points, 0) : 0;
      const sorted = [...options].sort((a, b) => (b.points <= balance) - (a.points <= balance));
      return section(
        s("redeemTitle"),
        el(
          "ul",
          { class: "tally-list" },
          ...sorted.map((option) => {
            const title = titled(option.titleTerms, option.title);
            const item = el(
              "li",
              { class: "tally-option" },
              el("span", { class: "tally-option__title" }, title),
              el("span", { class: "tally-option__cost" }, points(option.points)),
              option.minimumSubtotalMinor > 0 &&
                el(
                  "span",
                  { class: "tally-meta" },
                  s("minimum", { amount: money(option.minimumSubtotalMinor, option.minimumSubtotalText) }),
                ),
            );
            if (customer && balance >= option.points) {
              // Spending points asks first, in place: the same button confirms, Cancel puts it back.
              const words = { points: points(option.points), reward: title };
              const button = el(
                "button",
                { type: "button", class: "tally-btn", "aria-label": s("redeemLabel", words) },
                s("redeem"),
              );
              const question = el("span", { hidden: true }, s("redeemAsk", words));
              const cancel = el(
                "button",
                { type: "button", class: "tally-btn tally-btn--quiet", hidden: true },
                s("cancel"),
              );
              const ask = (on) => {
                question.hidden = cancel.hidden = !on;
                button.textContent = s(on ? "confirm" : "redeem");
                button.setAttribute("aria-label", s(on ? "confirm" : "redeemLabel", words));
                if (on) say(button, question.textContent);
                else button.focus();
              };
              button.onclick = () => (question.hidden ? ask(true) : (ask(false), redeem(option, button, container)));
              cancel.onclick = () => ask(false);
              item.append(question, button, cancel);
            } else if (customer) {
              const need = s("need", { points: points(option.points - balance) });
              item.append(
                el("span", { class: "tally-meta" }, need),
                el("progress", { max: option.points, value: balance, "aria-label": need }),
              );
            }
            return item;
          }),
        ),
      );
    },
    rewards(me) {
      if (!me.customer?.known) return null;
      return section(
        s("rewardsTitle"),
        me.rewards.length === 0
          ? el("p", { class: "tally-note" }, s("none"))
          : el(
              "ul",
              { class: "tally-list" },
              ...me.rewards.map((reward) => {
                const usable = !reward.used && reward.kind !== "store_credit";
                return el(
                  "li",
                  { class: "tally-reward" },
                  el(
                    "span",
                    { class: "tally-option__title" },
                    atLeast(reward.titleTerms || {}, titled(reward.titleTerms, reward.title)),
                  ),
                  el(
                    "span",
                    { class: reward.used ? "tally-badge" : "tally-badge tally-badge--on" },
                    s(reward.used ? "used" : "unused"),
                  ),
                  reward.kind !== "store_credit" && el("code", { class: "tally-code__value" }, reward.code),
                  usable && el("span", { class: "tally-actions" }, copyButton(reward.code), applyLink(reward.code)),
                );
              }),
            ),
      );
    },
    earn(me) {
      const rules = me.program.earn;
      if (rules.length === 0) return null;
      return section(
        s("earnTitle"),
        el(
          "ul",
          { class: "tally-list tally-list--plain" },
          ...rules.map((rule) =>
            el(
              "li",
              {},
              rule.kind === "order" && rule.unitMinor
                ? s("earnOrder", { points: points(rule.points), amount: money(rule.unitMinor, rule.unitText) })
                : rule.kind === "signup"
                  ? s("earnSignup", { points: points(rule.points) })
                  : rule.description,
            ),
          ),
        ),
      );
    },
    referral(me, container) {
      const referral = me.referral;
      // Signed out: the program's offer, none with it off; alone, with the join links.
      if (!referral)
        return (
          !me.customer &&
          me.referralOffer &&
          section(
            s("referralTitle"),
            el("p", {}, offerText(me.referralOffer, "referralGuest")),
            container.dataset.sections == "referral" && joinLinks(),
          )
        );
      if (referral.status !== "joined") {
        const button = el("button", { type: "button", class: "tally-btn" }, s("referralJoin"));
        button.onclick = () => {
          button.disabled = true;
          api("/v1/referral/join", {})
            .then(() => load(true))
            .then(
              () => T.mounts.forEach(paint),
              (error) => {
                button.disabled = false;
                showError(button, error);
              },
            );
        };
        return section(s("referralTitle"), el("p", {}, offerText(referral.offer, "referral")), el("p", {}, button));
      }
      const id = `tally-referral-${T.mounts.indexOf(container)}`;
      const url = referral.url.replace(c.proxy, root + c.proxy);
      const message = offerText(referral.offer, "share", { shop: c.shop, url });
      const share = (network, href) =>
        el(
          "a",
          {
            class: "tally-link",
            href,
            target: "_blank",
            rel: "noopener",
            "aria-label": s("shareLabel", { network: s(network) }),
          },
          s(network),
        );
      return section(
        s("referralTitle"),
        el("p", {}, offerText(referral.offer, "referral")),
        el("label", { class: "tally-label", for: id }, s("referralLink")),
        el(
          "p",
          { class: "tally-actions" },
          el("input", { id, class: "tally-input", readonly: true, value: url, "data-tally-referral-url": "" }),
          copyButton(url, s("copyLink")),
        ),
        el(
          "p",
          { class: "tally-actions" },
          share("shareEmail", `mailto:?subject=${enc(s("shareSubject", { shop: c.shop }))}&body=${enc(message)}`),
          share("shareWhatsapp", `https://wa.me/?text=${enc(message)}`),
          share("shareX", `https://x.com/intent/post?text=${enc(message)}`),
        ),
        el(
          "p",
          { class: "tally-meta" },
          s("referees", { count: T.number(referral.referees) }),
          " · ",
          s("successful", { count: T.number(referral.successful) }),
        ),
      );
    },
    activity(me) {
      if (!me.customer?.known || !me.activity?.length) return null;
      return section(
        s("activityTitle"),
        el(
          "ul",
          { class: "tally-list" },
          ...me.activity.map((entry) =>
            el(
              "li",
              { class: "tally-activity" },
              el(
                "span",
                {},
                s(`act${camel(entry.kind)}`, {
                  order: entry.orderName || "",
                  reward: titled(entry.rewardTerms, entry.rewardTitle || ""),
                }),
                " ",
                entry.pending && el("span", { class: "tally-badge" }, s("held")),
              ),
              el("time", { class: "tally-meta", datetime: entry.createdAt }, day(entry.createdAt)),
              el("span", { class: "tally-delta" }, `${entry.points > 0 ? "+" : ""}${points(entry.points)}`),
            ),
          ),
        ),
      );
    },
    more() {
      return el("p", {}, el("a", { class: "tally-link", href: `${root}${c.proxy}/` }, s("seeAll")));
    },
  };

  function paint(container) {
    const mount = container.tallyMount;
    level = Number(container.dataset.heading) || 3;
    const parts = view.customer?.blocked
      ? [el("p", { class: "tally-note", tabindex: "-1", "data-tally-code": "" }, s("blocked"))]
      : mount.sections.map((name) => sections[name]?.(view, container)).filter(Boolean);
    mount.content.replaceChildren(...parts);
    container.removeAttribute("aria-busy");
    const block = container.closest("[data-tally-block]");
    if (block) block.hidden = parts.length === 0;
  }

  T.draw = (container) => {
    const again = container.tallyMount;
    if (!again) {
      const content = el("div", {});
      const live = el("p", { class: "tally-visually-hidden", role: "status" });
      container.replaceChildren(content, live);
      container.tallyMount = { content, live, sections: (container.dataset.sections || "").split(",") };
      T.mounts.push(container);
    }
    container.setAttribute("aria-busy", "true");
    return load(again).then(
      () => paint(container),
      () => {
        const retry = el("button", { type: "button", class: "tally-btn tally-btn--quiet" }, s("retry"));
        retry.onclick = () => T.draw(container);
        container.tallyMount.content.replaceChildren(alert(s("error")), retry);
        container.removeAttribute("aria-busy");
      },
    );
  };
})();
