/*
 * The unsubscribe page behind every email's link, as Liquid the shop's theme renders (an app-proxy answer with
 * `Content-Type: application/liquid`; shopify.dev, "Display dynamic store data with app proxies"). GET shows a confirm
 * button and never unsubscribes by itself (mail scanners open links); the button POSTs to the same address, as a
 * mailbox provider's one-click POST does (RFC 8058). Nothing of the customer's is shown: a forwarded email's link must
 * not tell its reader whose it was. The only value of Tally's put into the page is the action URL, built from the
 * signed path prefix and a token of [A-Za-z0-9._-] checked before it gets here.
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

/** The question, with the button that answers it. */
export function unsubscribeConfirmLiquid(action: string): string {
  return page(`  <h1>Unsubscribe from {{ shop.name | escape }}'s rewards emails?</h1>
  <p>You'll stop getting referral invitations and other emails from our rewards program. Order and shipping emails are not affected.</p>
  <form method="post" action="${action}">
    <button type="submit" class="button" data-tally-unsubscribe-confirm>Unsubscribe</button>
  </form>`);
}

/** Done (or done before). */
export function unsubscribedLiquid(): string {
  return page(`  <h1>You're unsubscribed</h1>
  <p>{{ shop.name | escape }} won't send you rewards program emails anymore.</p>
  <p><a class="button" href="/">Continue shopping</a></p>`);
}

/** A link that was altered, belongs to another store, or outlived the app's secret. */
export function unsubscribeLinkInvalidLiquid(): string {
  return page(`  <h1>This unsubscribe link isn't valid</h1>
  <p>It may have been cut short when it was copied. Use the link in the email again, or contact {{ shop.name | escape }} and they'll take you off the list.</p>
  <p><a class="button" href="/pages/contact">Contact us</a></p>`);
}

/** A Liquid page Shopify renders in the theme, never cached (it answers for one customer). */
export function liquidPage(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": "no-store" },
  });
}
