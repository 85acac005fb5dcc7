import { describe, expect, it } from "vitest";
import { storefrontRootFor, type StorefrontRoot } from "~/domain/shared";

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
