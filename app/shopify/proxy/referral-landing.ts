import type { ReferralLanding } from "~/services/referrals/referral-storefront.server";
import { escapeLiquidText as text } from "./liquid";

/*
 * The referral landing page (GET and POST {proxy}/r/{code}) as Liquid the theme renders: who invites the visitor and
 * what they get, a form for their email (a plain form post to the same address, so it works without JavaScript),
 * then their code with a link that puts it in the cart (`/discount/{code}?redirect=/`, relative, so it stays on
 * whichever domain the shopper is on). Shopify's `shop.name` names the store; a logged-in visitor's email is filled in.
 */

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
</style>`;

function page(content: string): string {
  return `${styles}
<div class="tally-referral page-width" data-tally-referral>
${content}
</div>`;
}

/** The invitation: "Ana invites you to {{ shop.name }}", the offer, the email form; `error` above the form. */
export function referralLandingLiquid(
  landing: Extract<ReferralLanding, { kind: "offer" }>,
  options: { action: string; error?: string; email?: string },
): string {
  const who = landing.advocateFirstName ? text(landing.advocateFirstName) : "A friend";
  const email = options.email
    ? `value="${text(options.email)}"`
    : `{% if customer %}value="{{ customer.email | escape }}"{% endif %}`;
  return page(`  <h1>${who} sent you a gift</h1>
  <p class="tally-referral__offer">${who} invites you to {{ shop.name | escape }}: <strong>${text(landing.friendOffer)}</strong>.</p>
  ${options.error ? `<p class="tally-referral__error" role="alert">${text(options.error)}</p>` : ""}
  <form class="tally-referral__form" method="post" action="${text(options.action)}">
    <label for="tally-referral-email">Your email, to get your code</label>
    <input id="tally-referral-email" type="email" name="email" required autocomplete="email" ${email}>
    <button type="submit" class="button">Get my code</button>
  </form>
  <p><small>One code per person, for a first order.</small></p>`);
}

/** The friend's code after a claim, and the link that applies it. */
export function referralCodeLiquid(offer: { discountCode: string; title: string }): string {
  const code = text(offer.discountCode);
  return page(`  <h1>Your code is ready</h1>
  <p class="tally-referral__offer">${text(offer.title)}</p>
  <p class="tally-referral__code" data-tally-referral-code>${code}</p>
  <p><a class="button" href="/discount/${encodeURIComponent(offer.discountCode)}?redirect=/">Shop now with your code</a></p>
  <p><small>The code is applied at checkout. Keep it: it's yours for one order.</small></p>`);
}

/** A link that leads nowhere (unknown or disabled code): a friendly page with a way into the store. */
export function referralUnavailableLiquid(reason: string): string {
  return page(`  <h1>This offer isn't available</h1>
  <p>${text(reason)}</p>
  <p><a class="button" href="/">Visit {{ shop.name | escape }}</a></p>`);
}
