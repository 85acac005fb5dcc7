import { describe, expect, it } from "vitest";
import { templateLanguageOf, withFooter } from "~/domain/email";
import {
  customerAccountsKind,
  guestAccountUrl,
  knownLocaleName,
  localeName,
  sameLocale,
  storefrontRootFor,
  storefrontTranslationLocales,
  type StorefrontRoot,
} from "~/domain/shared";

// A shop on example.com with French and Canadian French subfolders, and a Markets domain of its own for Germany.
const roots: StorefrontRoot[] = [
  { locale: "en", url: "https://example.com" },
  { locale: "fr", url: "https://example.com/fr" },
  { locale: "fr-CA", url: "https://example.com/fr-ca" },
  { locale: "de", url: "https://example.de" },
  { locale: "en", url: "https://example.de/en" },
];

describe("the storefront root a customer's links start from", () => {
  it("is the root of the customer's exact locale", () => {
    expect(storefrontRootFor(roots, "fr-CA")).toBe("https://example.com/fr-ca");
    expect(storefrontRootFor(roots, "fr")).toBe("https://example.com/fr");
  });

  it("reads a locale whatever its letter case or separator", () => {
    expect(storefrontRootFor(roots, "FR_ca")).toBe("https://example.com/fr-ca");
  });

  it("falls back from a regional locale to its language, as Shopify does", () => {
    expect(storefrontRootFor(roots, "fr-BE")).toBe("https://example.com/fr");
    expect(storefrontRootFor(roots, "de-AT")).toBe("https://example.de");
  });

  it("is the primary root for a language the store does not publish, or an unknown locale", () => {
    expect(storefrontRootFor(roots, "ja")).toBe("https://example.com");
    expect(storefrontRootFor(roots, null)).toBe("https://example.com");
    expect(storefrontRootFor(roots, "")).toBe("https://example.com");
  });

  it("is a Markets domain's own root, where the locale is the domain's default", () => {
    expect(storefrontRootFor(roots, "de")).toBe("https://example.de");
  });

  it("prefers the first presence that publishes the language: the primary domain's", () => {
    expect(storefrontRootFor(roots, "en-GB")).toBe("https://example.com");
  });

  it("drops a trailing slash (Shopify sent one before 2024-04)", () => {
    expect(storefrontRootFor([{ locale: "fr", url: "https://example.fr/" }], "fr")).toBe("https://example.fr");
  });

  it("is unknown while the shop's roots were never read", () => {
    expect(storefrontRootFor(null, "fr")).toBeNull();
    expect(storefrontRootFor([], "fr")).toBeNull();
  });
});

describe("the languages a shop's emails can be translated into (decision 057)", () => {
  it("are the published locales besides the primary one, each once, in Shopify's order, named in English", () => {
    expect(storefrontTranslationLocales(roots)).toEqual(["fr", "fr-CA", "de"]);
    expect(storefrontTranslationLocales(roots).map(localeName)).toEqual(["French", "Canadian French", "German"]);
    expect(storefrontTranslationLocales([{ locale: "en", url: "https://example.com" }])).toEqual([]);
    expect(storefrontTranslationLocales(null)).toEqual([]);
  });
});

describe("one locale, however it is written", () => {
  it("is the same whatever its letter case, separator or surrounding spaces, and differs from its language alone", () => {
    expect(sameLocale("fr_CA", " FR-ca ")).toBe(true);
    expect(sameLocale("pt-BR", "pt-br")).toBe(true);
    expect(sameLocale("fr-CA", "fr")).toBe(false);
    expect(sameLocale("de", "da")).toBe(false);
  });
});

describe("the language an email template is written in (decisions 057, 059)", () => {
  it("is a translation's own, the store's for a default the merchant saved, and English for Tally's own words", () => {
    expect(templateLanguageOf({ locale: "fr-CA", version: 2 }, "en")).toBe("fr-CA");
    expect(templateLanguageOf({ locale: "", version: 3 }, "fr")).toBe("fr");
    expect(templateLanguageOf({ locale: "", version: 0 }, "fr")).toBe("en");
    expect(templateLanguageOf({ locale: "", version: 1 }, undefined)).toBe("en");
    // An email queued before versions were recorded keeps the store's language, as it was sent then.
    expect(templateLanguageOf({ locale: null, version: null }, "de")).toBe("de");
  });
});

describe("the footer's words (decision 057)", () => {
  const footer = { shopName: "Maple & Co", unsubscribeUrl: "https://example.com/u?t=1", postalAddress: ["Toronto"] };
  const body = { subject: "s", html: "<p>b</p>", text: "b" };
  it("are in the body's language when Tally has it, its region aside, and English otherwise", () => {
    expect(withFooter(body, { ...footer, language: "fr-CA" }).text).toContain(
      "Se désabonner\u00a0: https://example.com/u?t=1",
    );
    expect(withFooter(body, { ...footer, language: "de" }).html).toContain(">Abmelden</a>");
    expect(withFooter(body, { ...footer, language: "es" }).text).toContain("correos de Maple & Co.");
    expect(withFooter(body, { ...footer, language: "ja" }).text).toContain("Unsubscribe: https://example.com/u?t=1");
    expect(withFooter(body, footer).text).toContain(
      "You get this email because you subscribed to emails from Maple & Co.",
    );
    expect(withFooter(body, { ...footer, language: "fr", shopName: "<b>" }).html).toContain("e-mails de &lt;b&gt;.");
  });
});

describe("a language asked for by a link", () => {
  it("is named only when it is a language", () => {
    expect(knownLocaleName("it")).toBe("Italian");
    expect(knownLocaleName("pt_BR")).toBe("Brazilian Portuguese");
    for (const garbled of ["zz", "zz!!", "it please", "123", ""]) expect(knownLocaleName(garbled)).toBeUndefined();
  });
});

describe("where an email sends a Guest to make an account (decision 064)", () => {
  const root = "https://example.com/fr";
  const page = "https://example.com/fr/apps/tally/";
  it("reads Shopify's customerAccountsV2 as classic, new or off; never read is classic", () => {
    expect(customerAccountsKind("CLASSIC", true)).toBe("classic");
    expect(customerAccountsKind("NEW_CUSTOMER_ACCOUNTS", true)).toBe("new");
    expect(customerAccountsKind("NEW_CUSTOMER_ACCOUNTS", false)).toBe("off");
    expect(customerAccountsKind("CLASSIC", false)).toBe("off");
    expect(customerAccountsKind(null, null)).toBe("classic");
  });
  it("is the register page that returns to the rewards page only on classic accounts", () => {
    expect(guestAccountUrl("classic", root, page)).toBe(
      "https://example.com/fr/account/register?return_url=%2Ffr%2Fapps%2Ftally%2F",
    );
    expect(guestAccountUrl("new", root, page)).toBe(page);
    expect(guestAccountUrl("off", root, page)).toBe(page);
  });
});
