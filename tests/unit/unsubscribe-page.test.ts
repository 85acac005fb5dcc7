import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";
import {
  unsubscribeConfirmLiquid,
  unsubscribedLiquid,
  unsubscribeLinkInvalidLiquid,
} from "~/shopify/proxy/unsubscribe-page";

// The unsubscribe page's Liquid as a storefront in each language renders it (request.locale, routes.root_url and
// shop.name are Shopify's objects; liquidjs has the standard filters the page uses). The sandbox renders it in the
// theme in the integration tests; here, languages the sandbox theme does not publish.

const liquid = new Liquid();

/** The page as a shopper on the `iso` storefront of a shop named `shopName` reads it. */
function render(page: string, iso: string, shopName = "Goods") {
  const root = iso === "en" ? "/" : `/${iso.toLowerCase()}`;
  return liquid.parseAndRenderSync(page, {
    request: { locale: { iso_code: iso, root_url: root } },
    routes: { root_url: root },
    shop: { name: shopName },
  }) as string;
}

const pages = {
  confirm: unsubscribeConfirmLiquid("/apps/tally/email/unsubscribe?token=1.2.abc"),
  done: unsubscribedLiquid(),
  invalid: unsubscribeLinkInvalidLiquid(),
};

describe("the unsubscribe page", () => {
  it("speaks the storefront's language, regional locales included, and English where the widget has none", () => {
    expect(render(pages.confirm, "fr")).toContain(
      "<h1>Ne plus recevoir les e-mails du programme de fidélité envoyés par Goods ?</h1>",
    );
    expect(render(pages.confirm, "pt-BR")).toContain("<h1>Unsubscribe from rewards emails from Goods?</h1>");
    expect(render(pages.done, "de")).toContain("<h1>Du bist abgemeldet</h1>");
    expect(render(pages.done, "es")).toContain("<p>Goods ya no te enviará correos de su programa de recompensas.</p>");
    expect(render(pages.invalid, "es-MX")).toContain("<h1>Este enlace para darse de baja no es válido</h1>");
    expect(render(pages.invalid, "it")).toContain("<h1>This unsubscribe link isn&#39;t valid</h1>");
    expect(render(pages.invalid, "ja")).toContain('<a class="button" href="/ja/pages/contact">Contact us</a>');
  });

  it("keeps the storefront's locale prefix on its button and links, and none on the primary storefront", () => {
    expect(render(pages.confirm, "fr")).toContain(
      '<form method="post" action="/fr/apps/tally/email/unsubscribe?token=1.2.abc">',
    );
    expect(render(pages.confirm, "en")).toContain(
      '<form method="post" action="/apps/tally/email/unsubscribe?token=1.2.abc">',
    );
    expect(render(pages.done, "de")).toContain('<a class="button" href="/de">Weiter einkaufen</a>');
    expect(render(pages.done, "en")).toContain('<a class="button" href="/">Continue shopping</a>');
    expect(render(pages.invalid, "en")).toContain('<a class="button" href="/pages/contact">Contact us</a>');
  });

  it("never builds a possessive on the shop's name, in any language ('Goods's rewards emails')", () => {
    for (const iso of ["en", "fr", "de", "es"])
      for (const page of Object.values(pages)) {
        const text = render(page, iso).replace(/&#39;/g, "'");
        expect(text, iso).not.toMatch(/Goods'|Goodss|Goods’/);
        // The name is always there, escaped: a shop named "A & B" reads as written.
        expect(render(page, iso, "A & B <Co>"), iso).not.toMatch(/A & B|<Co>/);
      }
  });
});
