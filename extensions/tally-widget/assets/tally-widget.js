// Tally storefront widget. Plain script (themes load it as-is): fetches /v1/me through the app proxy, renders the
// customer's points and the rewards they can afford, redeems with POST /v1/redeem, and shows the referral link (or
// joins with POST /v1/referral/join).
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function render(root, state) {
    var body = root.querySelector(".tally-widget__body");
    body.textContent = "";
    var me = state.me;
    if (state.error) body.appendChild(el("p", { class: "tally-widget__error", role: "alert", text: state.error }));
    if (!me) return;
    var name = me.program.pointsName;
    if (!me.customer) {
      body.appendChild(el("p", { text: "Join to earn " + name + " on every order." }));
      body.appendChild(el("a", { href: root.dataset.registerUrl, text: "Create an account" }));
      return;
    }
    var c = me.customer;
    if (c.known === false) {
      // Logged in, but Tally has not heard of this account yet (it was just created): no figures to show yet.
      body.appendChild(el("p", { text: "Your " + name + " will appear here in a moment. Refresh to check." }));
      return;
    }
    body.appendChild(el("p", { class: "tally-widget__points", "data-tally-points": "", text: c.points + " " + name }));
    if (c.pendingPoints > 0) body.appendChild(el("p", { text: c.pendingPoints + " " + name + " pending" }));
    var list = el("ul", { class: "tally-widget__rewards" });
    me.program.redeem.forEach(function (option) {
      var button = el("button", { type: "button", text: "Redeem " + option.points + " " + name });
      var blockedReason = c.blocked
        ? "Your account cannot redeem rewards."
        : c.status !== "member"
          ? "Create an account to redeem."
          : c.points < option.points
            ? "You need " + (option.points - c.points) + " more " + name + "."
            : "";
      if (blockedReason) {
        button.disabled = true;
        button.title = blockedReason;
      }
      button.addEventListener("click", function () {
        button.disabled = true;
        redeem(root, option.id).then(function () {
          load(root);
        });
      });
      list.appendChild(el("li", { class: "tally-widget__reward" }, [el("span", { text: option.title }), button]));
    });
    body.appendChild(list);
    if (me.rewards.length) {
      body.appendChild(el("h3", { text: "Your codes" }));
      var codes = el("ul", { class: "tally-widget__rewards" });
      me.rewards.forEach(function (reward) {
        codes.appendChild(
          el("li", { class: "tally-widget__reward" }, [
            el("span", { class: "tally-widget__code", text: reward.code }),
            el("span", { text: reward.title + (reward.used ? " (used)" : "") }),
          ]),
        );
      });
      body.appendChild(codes);
    }
    renderReferral(root, body, me.referral);
  }

  // The customer's referral link (GET /v1/me `referral`), or a button to get one (POST /v1/referral/join).
  function renderReferral(root, body, referral) {
    if (!referral) return;
    var section = el("div", { class: "tally-widget__referral" });
    section.appendChild(el("h3", { text: "Refer a friend" }));
    if (referral.status !== "joined" || !referral.url) {
      var join = el("button", { type: "button", text: "Get my referral link" });
      join.addEventListener("click", function () {
        join.disabled = true;
        api(root, "/v1/referral/join", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: "{}",
        })
          .then(function () {
            return load(root);
          })
          .catch(function (error) {
            render(root, { error: error.message });
          });
      });
      section.appendChild(join);
      body.appendChild(section);
      return;
    }
    var link = el("input", { type: "text", readonly: "", value: referral.url, "aria-label": "Your referral link" });
    var copy = el("button", { type: "button", text: "Copy" });
    copy.addEventListener("click", function () {
      link.select();
      (navigator.clipboard ? navigator.clipboard.writeText(referral.url) : Promise.reject()).then(
        function () {
          copy.textContent = "Copied";
        },
        function () {
          document.execCommand("copy");
          copy.textContent = "Copied";
        },
      );
    });
    section.appendChild(el("div", { class: "tally-widget__referral-link" }, [link, copy]));
    section.appendChild(
      el("p", {
        text: referral.referees + " friends invited, " + referral.successful + " successful referrals",
      }),
    );
    body.appendChild(section);
  }

  function api(root, path, init) {
    return fetch(root.dataset.proxyPath + path, Object.assign({ credentials: "same-origin" }, init)).then(
      function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new Error(json.error || "Something went wrong.");
          return json;
        });
      },
    );
  }

  function load(root) {
    return api(root, "/v1/me")
      .then(function (me) {
        render(root, { me: me });
      })
      .catch(function (error) {
        render(root, { error: error.message });
      });
  }

  function redeem(root, optionId) {
    return api(root, "/v1/redeem", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ optionId: optionId }),
    }).catch(function (error) {
      render(root, { error: error.message });
    });
  }

  document.querySelectorAll("[data-tally-widget]").forEach(load);
})();
