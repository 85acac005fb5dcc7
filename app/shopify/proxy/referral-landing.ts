import type { ReferralLanding, StorefrontRewardTerms } from "~/services/referrals/referral-storefront.server";
import { escapeLiquidText as text } from "./liquid";
import { byLanguage, LOCALE_ROOT, say, type StorefrontLocale } from "./storefront-locales";

/*
 * The referral landing page (GET and POST {proxy}/r/{code}) as Liquid the theme renders: who invites the visitor and
 * what they get, a form for their email (a plain form post to the same address, so it works without JavaScript),
 * then their code with a link that puts it in the cart. Shopify's `shop.name` names the store. A signed-in shopper is
 * asked for no email: they claim as their account ("Signed in as theo@…", Liquid's `customer.email`), as the claim
 * judges them on it whatever is typed (claimReferral). Every word is the theme app extension's (`referral_page.*` of
 * its locales) in the shopper's language, and the offer is worded from data as the widget words it (decision 051).
 * Links and the form keep the storefront's locale prefix (`routes.root_url`, "/de"), so a German shopper stays on the
 * German storefront.
 */

/** Why the form comes back: a key of `referral_page.err_*`. */
export type LandingProblem =
  "email_missing" | "email" | "own_link" | "not_new" | "inactive" | "review" | "used" | "busy";

/**
 * Why a claim must wait (429): too many tries from the friend's network, or on the link itself (claimAllowance's
 * scope); `retryAfterSeconds` is the Retry-After the page is answered with.
 */
export type LandingWait = { scope: "client" | "code"; retryAfterSeconds: number };

type Words = StorefrontLocale["referral_page"];

const shopName = "{{ shop.name | escape }}";

/** The friend's offer in `language`: "10 % Rabatt auf deine erste Bestellung ab 20,00 $ CAD". */
function offerWords(terms: StorefrontRewardTerms, locale: StorefrontLocale, language: string): string {
  const money = (minor: number, written: string | null) => {
    if (written) return text(written);
    const format = new Intl.NumberFormat(language, { style: "currency", currency: terms.currency });
    return text(format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2)));
  };
  const what =
    terms.kind === "percent_off"
      ? say(locale.panel.offer_percent_off, {
          value: text(new Intl.NumberFormat(language, { style: "percent" }).format((terms.value ?? 0) / 100)),
        })
      : terms.kind === "fixed_amount_off"
        ? say(locale.panel.offer_fixed_amount_off, { value: money(terms.value ?? 0, terms.valueText) })
        : terms.kind === "free_shipping"
          ? say(locale.panel.offer_free_shipping)
          : text(String(terms.value));
  const words = locale.referral_page;
  return terms.minimumSubtotalMinor > 0
    ? say(words.offer_minimum, {
        offer: what,
        minimum: money(terms.minimumSubtotalMinor, terms.minimumSubtotalText),
      })
    : say(words.offer, { offer: what });
}

const styles = `
<style>
  .tally-referral { max-width: 36rem; margin: 3rem auto; padding: 0 1.5rem; text-align: center; }
  .tally-referral__offer { font-size: 1.25em; }
  .tally-referral__form { display: flex; flex-wrap: wrap; gap: .75rem; justify-content: center; margin-top: 1.5rem; }
  .tally-referral__form label { flex-basis: 100%; }
  .tally-referral__form input { min-width: 16rem; padding: .6rem .8rem; }
  .tally-referral__code { font-family: monospace; font-size: 1.5em; letter-spacing: .1em; padding: .5rem 1rem;
    border: 2px dashed currentColor; display: inline-block; margin: 1rem 0; }
  .tally-referral__error { color: #b42318; }
  .tally-referral .tally-card { margin: 1.5rem auto; text-align: start; }
</style>`;

function page(content: string): string {
  return `${styles}
<div class="tally-referral page-width" data-tally-referral>
${content}
</div>`;
}

/**
 * "Try again in about 10 minutes": the whole minutes of `seconds` rounded up (at least one), in `language`'s words for
 * them (Intl: "1 Minute", "10 minutos").
 */
function waitWords(seconds: number, language: string): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return text(new Intl.NumberFormat(language, { style: "unit", unit: "minute", unitDisplay: "long" }).format(minutes));
}

/**
 * The invitation: "Ana invites you to {{ shop.name }}", the offer, the email form; `problem` above the form. `signedIn`
 * (Shopify's signed `logged_in_customer_id` is set) shows "Signed in as {{ customer.email }}" and a button in place of
 * the email field; `email` refills a visitor's field. `wait` (a 429) says why and for about how many minutes, and
 * shows a way into the store instead of the form: a button to press again at once would only be refused again.
 */
export function referralLandingLiquid(
  landing: Extract<ReferralLanding, { kind: "offer" }>,
  options: { action: string; problem?: LandingProblem; wait?: LandingWait; email?: string; signedIn?: boolean },
): string {
  const email = options.email ? `value="${text(options.email)}"` : "";
  return byLanguage((locale, language) => {
    const words: Words = locale.referral_page;
    const who = landing.advocateFirstName ? text(landing.advocateFirstName) : say(words.a_friend);
    const offer = `<strong>${offerWords(landing.friendTerms, locale, language)}</strong>`;
    const wait = options.wait;
    const problem = wait
      ? say(words[wait.scope === "client" ? "err_too_many_tries" : "err_link_popular"], {
          wait: waitWords(wait.retryAfterSeconds, language),
        })
      : options.problem && say(words[`err_${options.problem}`]);
    // The account's email as Shopify renders it: the claim uses it only for an account Tally has not heard of yet.
    const claimant = options.signedIn
      ? `    <p data-tally-referral-claimant>${say(words.claim_as, { email: "{{ customer.email | escape }}" })}</p>
    <input type="hidden" name="email" value="{{ customer.email | escape }}">`
      : `    <label for="tally-referral-email">${say(words.email_label)}</label>
    <input id="tally-referral-email" type="email" name="email" required autocomplete="email" ${email}>`;
    return page(`  <h1>${say(words.title, { who })}</h1>
  <p class="tally-referral__offer">${say(words.invite, { who, shop: shopName, offer })}</p>
  ${problem ? `<p class="tally-referral__error" role="alert">${problem}</p>` : ""}
  ${
    wait
      ? `<p><a class="button" href="{{ routes.root_url }}">${say(words.visit, { shop: shopName })}</a></p>`
      : `<form class="tally-referral__form" method="post" action="${LOCALE_ROOT}${text(options.action)}">
${claimant}
    <button type="submit" class="button">${say(words.submit)}</button>
  </form>`
  }
  <p><small>${say(words.one_code)}</small></p>`);
  });
}

/**
 * The link opened by its own advocate, signed in: "This is your link" and the panel's referral box in place of the
 * friend's form. `share` gives that box (referralShareLiquid: the link with Copy, email, WhatsApp and X, in every
 * language of its own) around a fallback, the bare link, shown until the panel's script draws it. The link takes the
 * storefront's locale prefix before `proxyPath` (Shopify's signed `path_prefix`), as the panel's does.
 */
export function referralOwnLinkLiquid(
  landing: { url: string },
  share: (fallback: string) => string,
  proxyPath: string,
): string {
  // Under "/fr" the link keeps "/fr": a friend who follows it lands on the French storefront, not the English one.
  const link = text(landing.url).replace(text(proxyPath), `${LOCALE_ROOT}${text(proxyPath)}`);
  const words = byLanguage((locale) => {
    const own: Words = locale.referral_page;
    return `  <h1>${say(own.own_title)}</h1>
  <p class="tally-referral__offer">${say(own.own_text)}</p>`;
  });
  return page(`${words}
${share(`<p><a href="${link}">${link}</a></p>`)}`);
}

/** The friend's code after a claim, and the link that applies it and comes back to the same storefront's home. */
export function referralCodeLiquid(offer: { discountCode: string; terms: StorefrontRewardTerms }): string {
  const code = text(offer.discountCode);
  return byLanguage((locale, language) => {
    const words: Words = locale.referral_page;
    return page(`  <h1>${say(words.code_title)}</h1>
  <p class="tally-referral__offer">${offerWords(offer.terms, locale, language)}</p>
  <p class="tally-referral__code" data-tally-referral-code>${code}</p>
  <p><a class="button" href="/discount/${encodeURIComponent(offer.discountCode)}?redirect={{ routes.root_url }}">${say(words.shop_now)}</a></p>
  <p><small>${say(words.code_note)}</small></p>`);
  });
}

/** A link that leads nowhere (unknown or disabled code): a friendly page with a way into the store. */
export function referralUnavailableLiquid(why: Extract<ReferralLanding, { kind: "unavailable" }>["why"]): string {
  return byLanguage((locale) => {
    const words: Words = locale.referral_page;
    return page(`  <h1>${say(words.unavailable_title)}</h1>
  <p>${say(words[`why_${why}`])}</p>
  <p><a class="button" href="{{ routes.root_url }}">${say(words.visit, { shop: shopName })}</a></p>`);
  });
}
