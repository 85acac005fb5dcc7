import { byLanguage, LOCALE_ROOT, say, type StorefrontLocale } from "./storefront-locales";

/*
 * The unsubscribe page behind every email's link, as Liquid the shop's theme renders (an app-proxy answer with
 * `Content-Type: application/liquid`; shopify.dev, "Display dynamic store data with app proxies"). GET shows a confirm
 * button and never unsubscribes by itself (mail scanners open links); the button POSTs to the same address, as a
 * mailbox provider's one-click POST does (RFC 8058). Nothing of the customer's is shown: a forwarded email's link must
 * not tell its reader whose it was. The only value of Tally's put into the page is the action URL, built from the
 * signed path prefix and a token of [A-Za-z0-9._-] checked before it gets here.
 *
 * Its words are the theme app extension's (`unsubscribe_page.*` of its locales), one branch per language on
 * `request.locale.iso_code`, English otherwise, as the referral landing page's are (decision 051). Emails link to the
 * customer's storefront root ("/fr/apps/tally/email/unsubscribe?…"), so a French customer reads it in French; links and
 * the form keep that prefix (`routes.root_url`). No sentence builds a possessive on the shop's name ("Goods's").
 */

const styles = `
<style>
  .tally-unsubscribe { max-width: 36rem; margin: 3rem auto; padding: 0 1.5rem; text-align: center; }
  .tally-unsubscribe form { margin-top: 1.5rem; }
</style>`;

function page(content: string): string {
  return `${styles}
<div class="tally-unsubscribe page-width" data-tally-unsubscribe>
${content}
</div>`;
}

type Words = StorefrontLocale["unsubscribe_page"];

const shopName = "{{ shop.name | escape }}";

/** The page in the shopper's language: `render` is given that language's words (`unsubscribe_page.*`). */
function inTheirLanguage(render: (words: Words) => string): string {
  return page(byLanguage((locale) => render(locale.unsubscribe_page)));
}

/**
 * The question, with the button that answers it. `action` is the proxy path the button posts to
 * ("/apps/tally/email/unsubscribe?token=…"); the storefront's locale prefix goes before it, so the answer comes back
 * in the same language.
 */
export function unsubscribeConfirmLiquid(action: string): string {
  return inTheirLanguage(
    (words) => `  <h1>${say(words.confirm_title, { shop: shopName })}</h1>
  <p>${say(words.confirm_text)}</p>
  <form method="post" action="${LOCALE_ROOT}${action}">
    <button type="submit" class="button" data-tally-unsubscribe-confirm>${say(words.confirm_button)}</button>
  </form>`,
  );
}

/** Done (or done before). */
export function unsubscribedLiquid(): string {
  return inTheirLanguage(
    (words) => `  <h1>${say(words.done_title)}</h1>
  <p>${say(words.done_text, { shop: shopName })}</p>
  <p><a class="button" href="{{ routes.root_url }}">${say(words.continue)}</a></p>`,
  );
}

/** A link that was altered, belongs to another store, or outlived the app's secret. */
export function unsubscribeLinkInvalidLiquid(): string {
  return inTheirLanguage(
    (words) => `  <h1>${say(words.invalid_title)}</h1>
  <p>${say(words.invalid_text, { shop: shopName })}</p>
  <p><a class="button" href="${LOCALE_ROOT}/pages/contact">${say(words.contact)}</a></p>`,
  );
}

/** A Liquid page Shopify renders in the theme, never cached (it answers for one customer). */
export function liquidPage(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": "no-store" },
  });
}
