import type { ShopRecord } from "./shops";
import { decimalAmount, toMinorUnits } from "./money";
import { CATALOG, type CustomerRecord } from "./store/index";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A bare storefront where a person plays the shopper: sign up, sign in, order with a discount code, open the proxy. */
export function storefrontPage(opts: {
  shop: ShopRecord;
  customer: CustomerRecord | null;
  message: string;
  /** The sandbox admin page of the order just placed, where the merchant can refund it. */
  orderPath?: string | null;
  /** The signed-in customer's store credit balance in the shop's currency, when there is some to spend. */
  storeCredit?: string | null;
  /** A code a shareable discount link put in the cart; checkout applies it. */
  cartDiscountCode?: string | null;
  proxyPrefix: string | null;
}) {
  const { shop, customer } = opts;
  const shippingCents = toMinorUnits("10", shop.currency);
  const products = CATALOG.map(
    (p, i) =>
      `<option value="${i}">${escapeHtml(p.title)}: ${decimalAmount(p.cents, shop.currency)} ${shop.currency}</option>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(shop.name)} (sandbox storefront)</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:24px auto;padding:0 16px}form{border:1px solid #ddd;border-radius:8px;padding:12px;margin:12px 0}
label{display:block;margin:6px 0}[data-storefront-message]{background:#eef6ee;padding:8px 12px;border-radius:6px}</style></head><body>
<h1>${escapeHtml(shop.name)}</h1>
<p data-storefront-customer>${customer ? `Signed in as ${escapeHtml(customer.email ?? customer.id)} (${customer.state.toLowerCase()})` : "Browsing as a guest"}</p>
${opts.message ? `<p data-storefront-message role="status">${escapeHtml(opts.message)}${opts.orderPath ? ` <a href="${escapeHtml(opts.orderPath)}" data-storefront-order>Open it in the admin to refund it</a>` : ""}</p>` : ""}
${
  customer
    ? `<form method="post" action="/storefront/sign-out"><button>Sign out</button></form>`
    : `<form method="post" action="/storefront/sign-up" aria-label="Create account"><h2>Create account</h2>
<label>First name <input name="firstName"></label><label>Last name <input name="lastName"></label>
<label>Email <input name="email" type="email" required></label>
<label><input type="checkbox" name="acceptsMarketing"> Email me with news and offers</label><button>Create account</button></form>
<form method="post" action="/storefront/sign-in" aria-label="Sign in"><h2>Sign in</h2><label>Email <input name="email" type="email" required></label><button>Sign in</button></form>`
}
<form method="post" action="/storefront/order" aria-label="Checkout"><h2>Checkout</h2>
<label>Product <select name="productIndex">${products}</select></label>
<label>Quantity <input name="quantity" type="number" min="1" value="1"></label>
${customer ? "" : `<label>Email <input name="email" type="email" required></label>`}
<label>Delivery <select name="shipping"><option value="pickup">Pick up in store (free)</option><option value="standard">Standard shipping: ${decimalAmount(shippingCents, shop.currency)} ${shop.currency}</option></select></label>
${opts.cartDiscountCode ? `<p data-storefront-cart-discount>Discount code <strong>${escapeHtml(opts.cartDiscountCode)}</strong> will be applied at checkout.</p>` : ""}
${opts.storeCredit ? `<label><input type="checkbox" name="useStoreCredit"> Use my store credit (<span data-storefront-store-credit>${escapeHtml(opts.storeCredit)}</span>)</label>` : ""}
<label>Discount code <input name="discountCode"${opts.cartDiscountCode ? ` placeholder="${escapeHtml(opts.cartDiscountCode)}"` : ""}></label><button>Place order</button></form>
${opts.proxyPrefix ? `<p><a href="${opts.proxyPrefix}/" data-storefront-proxy>Rewards page (app proxy)</a></p>` : ""}
</body></html>`;
}
