import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Shopper } from "../helpers/shopper";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient } from "../sandbox/test-client";

// The sandbox's online store: its theme rendered with liquidjs at Shopify's own storefront paths, as a shopper
// browses it (cookies, form posts, redirects), in each currency's money format and each published locale.
let sandbox: Sandbox;
beforeAll(async () => {
  ({ sandbox } = await sandboxWithClient());
});
afterAll(() => sandbox.close());

const variantOf = (page: string) => /name="id" value="(\d+)"/.exec(page)?.[1] ?? "";

function shopWith(options: { currency?: string } = {}) {
  const shop = newShop();
  sandbox.control.createShop({ shop, ...options });
  return { shop, shopper: new Shopper(sandbox.origin, shop) };
}

describe("the sandbox theme", () => {
  it("renders every storefront page through the theme's layout, with Shopify's objects", async () => {
    const { shop, shopper } = shopWith();
    const paths = [
      "/",
      "/collections/all",
      "/products/ceramic-mug",
      "/cart",
      "/account/login",
      "/account/register",
      "/pages/about-us",
    ];
    for (const path of paths) {
      const page = await shopper.get(path);
      expect(page.status, path).toBe(200);
      expect(page.contentType).toBe("text/html; charset=utf-8");
      expect(page.text, path).toContain('<html lang="en">');
      expect(page.text, path).toContain(`<link rel="canonical" href="https://${shop}${path}">`);
      expect(page.text, path).toContain(`Shopify.shop = "${shop}";`);
      expect(page.text, path).toMatch(/id="shopify-section-template--\d+__(main|hero)"/);
      expect(page.text, path).toContain("Browsing as a guest");
      expect(page.text, path).not.toMatch(/Liquid (syntax )?error|translation missing/);
    }
    expect((await shopper.get("/products/ceramic-mug")).text).toContain('<h1 class="product__title">Ceramic mug</h1>');
    const missing = await shopper.get("/products/no-such-thing");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("Page not found");
    // The account page is for signed-in customers: a guest is sent to log in.
    expect(await shopper.get("/account")).toMatchObject({ status: 302, location: "/account/login" });
  });

  it("formats money in each store currency's own format", async () => {
    const expected = [
      { currency: "CAD", price: "$89.99", total: "$179.98 CAD" },
      { currency: "EUR", price: "€89,99", total: "€179,98 EUR" },
      { currency: "GBP", price: "£89.99", total: "£179.98 GBP" },
      // 8,999 yen: Liquid counts hundredths whatever the currency, the format shows no decimals.
      { currency: "JPY", price: "¥8,999", total: "¥17,998 JPY" },
    ];
    for (const { currency, price, total } of expected) {
      const { shopper } = shopWith({ currency });
      const product = await shopper.get("/products/aviator-sunglasses");
      expect(product.text, currency).toContain(`<span class="price">${price}</span>`);
      await shopper.post("/cart/add", { form_type: "product", id: variantOf(product.text), quantity: "2" });
      expect((await shopper.get("/cart")).text, currency).toContain(total);
    }
  });

  it("lets a shopper register, log in, fill a cart and check out with a discount code", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.createDiscountCode({ shop, code: "TAKE5", amountCents: 500 });

    const registered = await shopper.post("/account", {
      form_type: "create_customer",
      "customer[first_name]": "Léa",
      "customer[last_name]": "Martin",
      "customer[email]": "lea@example.com",
      "customer[accepts_marketing]": "true",
    });
    expect(registered).toMatchObject({ status: 302, location: "/" });
    expect((await shopper.follow(registered)).text).toContain("Signed in as lea@example.com");
    const customerId = shopper.cookieValue("sandbox_customer")!;
    expect(sandbox.control.customer({ shop, customerId })).toMatchObject({
      email: "lea@example.com",
      firstName: "Léa",
      state: "ENABLED",
      marketing: { state: "SUBSCRIBED" },
    });

    expect(await shopper.get("/account/logout")).toMatchObject({ status: 302, location: "/" });
    expect((await shopper.get("/")).text).toContain("Browsing as a guest");
    const wrong = await shopper.post("/account/login", {
      form_type: "customer_login",
      "customer[email]": "x@example.com",
    });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('<div class="errors"><ul><li>Incorrect email or password.</li></ul></div>');
    const loggedIn = await shopper.post("/account/login", {
      form_type: "customer_login",
      "customer[email]": "lea@example.com",
    });
    expect(loggedIn).toMatchObject({ status: 302, location: "/account" });
    expect((await shopper.follow(loggedIn)).text).toContain("Léa Martin &middot; lea@example.com");

    const mug = await shopper.get("/products/ceramic-mug");
    const added = await shopper.post("/cart/add", { form_type: "product", id: variantOf(mug.text), quantity: "1" });
    expect(added).toMatchObject({ status: 302, location: "/cart" });
    const cart = await shopper.get("/cart");
    expect(cart.text).toContain("Cart (1)");
    expect(cart.text).toContain("$18.00 CAD");

    // Two mugs, a code typed in the cart, then Check out.
    const toCheckout = await shopper.post("/cart", {
      form_type: "cart",
      "updates[]": "2",
      discount: "take5",
      checkout: "",
    });
    expect(toCheckout).toMatchObject({ status: 302, location: "/checkout" });
    const checkout = await shopper.follow(toCheckout);
    expect(checkout.text).toContain('value="take5"');
    expect(checkout.text).toContain("2 &times; Ceramic mug: $36.00");
    // Shopify's checkout is not the theme: no theme layout there.
    expect(checkout.text).not.toContain("shopify-section");

    const refused = await shopper.post("/checkout", { discount: "NOPE" });
    expect(refused.status).toBe(200);
    expect(refused.text).toContain("Error: Enter a valid discount code");
    expect(sandbox.control.customer({ shop, customerId })).toMatchObject({ count: 0 });

    const paid = await shopper.post("/checkout", { discount: "take5" });
    expect(paid.status).toBe(302);
    expect(paid.location).toMatch(/^\/checkouts\/c\/\d+\/thank-you$/);
    const thanks = await shopper.follow(paid);
    // 2 × 18.00 - 5.00 = 31.00, plus 13% tax.
    expect(thanks.text).toMatch(/Order #\d+ placed: \$35\.03 CAD\./);
    expect(thanks.text).toMatch(/href="\/store\/[^/]+\/orders\/\d+" data-storefront-order/);
    expect(sandbox.control.customer({ shop, customerId })).toMatchObject({ count: 1, spentCents: 3503 });
    expect((await shopper.get("/cart")).text).toContain("Your cart is empty");
    const account = await shopper.get("/account");
    expect(account.text).toMatch(/<tr data-order="#\d+">[\s\S]*\$35\.03 CAD/);
  });

  it("a guest checks out with their email; a cart without lines cannot be paid", async () => {
    const { shop, shopper } = shopWith();
    expect((await shopper.post("/checkout", { email: "guest@example.com" })).text).toContain(
      "Error: Your cart is empty",
    );
    const tote = await shopper.get("/products/canvas-tote");
    await shopper.post("/cart/add", { form_type: "product", id: variantOf(tote.text), quantity: "1" });
    const paid = await shopper.post("/checkout", { email: "guest@example.com", discount: "" });
    const thanks = await shopper.follow(paid);
    // 24.00 plus 13% tax.
    expect(thanks.text).toMatch(/Order #\d+ placed: \$27\.12 CAD\./);
    const adminOrder = /href="([^"]+)" data-storefront-order/.exec(thanks.text)![1]!;
    expect(adminOrder).toContain(`/store/${shop.replace(".myshopify.com", "")}/orders/`);
    expect(await (await fetch(`${sandbox.origin}${adminOrder}`)).text()).toContain("guest@example.com");
  });

  it("puts a code the shopper arrived with (Shopify's discount_code cookie) in the cart and at checkout", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.createDiscountCode({ shop, code: "TAKE5", amountCents: 500 });
    const mug = await shopper.get("/products/ceramic-mug");
    await shopper.post("/cart/add", { form_type: "product", id: variantOf(mug.text), quantity: "1" });
    shopper.setCookie("discount_code", "TAKE5");
    expect((await shopper.get("/cart")).text).toContain(
      'data-discount-applicable="true">Discount TAKE5 will apply at checkout',
    );
    expect((await shopper.get("/checkout")).text).toContain('value="TAKE5"');
    shopper.setCookie("discount_code", "GONE");
    expect((await shopper.get("/fr/cart")).text).toContain("GONE n&#39;est pas un code de réduction valide");
  });

  it("asks for delivery when something ships, charges standard shipping, and lets a free-shipping code take it off", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.createDiscountCode({ shop, code: "SHIPFREE", freeShipping: true });
    const tote = await shopper.get("/products/canvas-tote");
    await shopper.post("/cart/add", { form_type: "product", id: variantOf(tote.text), quantity: "1" });
    const checkout = await shopper.get("/checkout");
    expect(checkout.text).toContain('<option value="pickup" selected>Pick up in store (free)</option>');
    expect(checkout.text).toContain('<option value="standard">Standard shipping: $10.00 CAD</option>');
    // A refused checkout keeps the delivery chosen.
    const refused = await shopper.post("/checkout", {
      email: "ship@example.com",
      shipping: "standard",
      discount: "NOPE",
    });
    expect(refused.text).toContain('<option value="standard" selected>');

    const shipped = await shopper.follow(
      await shopper.post("/checkout", { email: "ship@example.com", shipping: "standard" }),
    );
    // 24.00 plus 13% tax, plus 10.00 shipping (untaxed).
    expect(shipped.text).toMatch(/Order #\d+ placed: \$37\.12 CAD\./);
    expect(shipped.text).toContain("Shipping: $10.00");

    await shopper.post("/cart/add", { form_type: "product", id: variantOf(tote.text), quantity: "1" });
    const free = await shopper.follow(
      await shopper.post("/checkout", { email: "ship@example.com", shipping: "standard", discount: "SHIPFREE" }),
    );
    expect(free.text).toMatch(/Order #\d+ placed: \$27\.12 CAD\./);
    expect(free.text).not.toContain("Shipping:");

    // A gift card ships nowhere: no delivery to choose, and none charged.
    const giftCard = await shopper.get("/products/gift-card");
    await shopper.post("/cart/add", { form_type: "product", id: variantOf(giftCard.text), quantity: "1" });
    expect((await shopper.get("/checkout")).text).not.toContain("Delivery");
    const card = await shopper.follow(
      await shopper.post("/checkout", { email: "ship@example.com", shipping: "standard" }),
    );
    expect(card.text).toMatch(/Order #\d+ placed: \$50\.00 CAD\./);
  });

  it("shows the register form's errors: an email already taken, an email missing", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.createCustomerAccount({ shop, email: "taken@example.com" });
    const taken = await shopper.post("/account", {
      form_type: "create_customer",
      "customer[email]": "taken@example.com",
    });
    expect(taken.status).toBe(200);
    expect(taken.text).toContain("This email address is already associated with an account.");
    const blank = await shopper.post("/account", { form_type: "create_customer", "customer[first_name]": "Kim" });
    expect(blank.text).toContain("Email is invalid.");
    // What was typed stays in the form.
    expect(blank.text).toContain('value="Kim"');
    expect(shopper.cookieValue("sandbox_customer")).toBeUndefined();
  });
});

describe("locales", () => {
  it("serves each published locale under its prefix, in its own strings, with routes that keep it", async () => {
    const { shopper } = shopWith();
    const page = await shopper.get("/fr/cart");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain("Votre panier est vide");
    expect(page.text).toContain('href="/fr/account/login"');
    expect(page.text).toContain('Shopify.routes.root = "/fr/";');
    for (const [prefix, text] of [
      ["/de", "Dein Warenkorb ist leer"],
      ["/es", "Tu carrito está vacío"],
      ["", "Your cart is empty"],
    ])
      expect((await shopper.get(`${prefix}/cart`)).text).toContain(text);
    // A locale the theme has no file for is no locale: the path is simply not found.
    expect((await shopper.get("/it/cart")).status).toBe(404);
  });

  it("only the locales the shop publishes have a prefix; the language picker keeps the shopper on their page", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.setShopLocales({ shop, published: ["en", "fr"] });
    expect((await shopper.get("/de/cart")).status).toBe(404);
    const picker = (await shopper.get("/products/ceramic-mug")).text;
    expect(picker).toContain('<option\n            value="fr"');
    expect(picker).not.toContain('value="de"');

    const toFrench = await shopper.post("/localization", {
      form_type: "localization",
      locale_code: "fr",
      return_to: "/products/ceramic-mug",
    });
    expect(toFrench).toMatchObject({ status: 302, location: "/fr/products/ceramic-mug" });
    expect((await shopper.follow(toFrench)).text).toContain("Ajouter au panier");
    const back = await shopper.post("/fr/localization", {
      form_type: "localization",
      locale_code: "en",
      return_to: "/fr/products/ceramic-mug",
    });
    expect(back).toMatchObject({ status: 302, location: "/products/ceramic-mug" });
    expect((await shopper.post("/localization", { locale_code: "fr", return_to: "/fr" })).location).toBe("/fr");
  });
});

describe("the /storefront entry", () => {
  it("remembers the shop and shows its home page", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop, name: "Entry Shop" });
    const response = await fetch(`${sandbox.origin}/storefront?shop=${shop}`);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().join(";")).toContain(`sandbox_shop=${encodeURIComponent(shop)}`);
    expect(await response.text()).toContain('<a class="header__heading" href="/">Entry Shop</a>');
  });
});
