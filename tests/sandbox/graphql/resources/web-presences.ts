import { gid } from "../../ids";
import { connection, type ConnectionArgs } from "../connection";
import type { AdminContext } from "../context";

// The online store's web presences (Admin API `webPresences`, read_markets): the primary domain's, whose locales are
// the online store's published ones (the theme's "/fr" subfolders), then one per market with a domain of its own
// (ShopRecord.marketDomains). Root URLs have no trailing slash (since 2024-04) and the default locale's is the
// domain's root; an alternate locale's is its subfolder ("https://example.fr/en").

interface Presence {
  id: string;
  host: string;
  defaultLocale: string;
  alternateLocales: string[];
}

function presencesOf(ctx: AdminContext): Presence[] {
  const { shop } = ctx;
  const locales = ctx.storefrontLocales?.(shop) ?? { primary: "en", published: ["en"] };
  const base = 40_000_000 + shop.number * 100;
  return [
    {
      id: String(base + 1),
      host: shop.domain,
      defaultLocale: locales.primary,
      alternateLocales: locales.published.filter((iso) => iso !== locales.primary),
    },
    ...shop.marketDomains.map((market, i) => ({ id: String(base + 2 + i), ...market })),
  ];
}

const shopLocale = (locales: { primary: string }, iso: string) => ({
  __typename: "ShopLocale",
  locale: iso,
  name: iso,
  primary: iso === locales.primary,
  published: true,
});

function presenceView(primary: string, p: Presence) {
  const root = `https://${p.host}`;
  return {
    __typename: "MarketWebPresence",
    id: gid("MarketWebPresence", p.id),
    domain: {
      __typename: "Domain",
      id: gid("Domain", p.id),
      host: p.host,
      url: root,
      sslEnabled: true,
      localization: null,
      marketWebPresence: null,
    },
    subfolderSuffix: null,
    defaultLocale: shopLocale({ primary }, p.defaultLocale),
    alternateLocales: p.alternateLocales.map((iso) => shopLocale({ primary }, iso)),
    rootUrls: [
      { locale: p.defaultLocale, url: root },
      ...p.alternateLocales.map((iso) => ({ locale: iso, url: `${root}/${iso}` })),
    ],
    market: null,
    markets: null,
  };
}

export const webPresenceQueries = (ctx: AdminContext) => ({
  webPresences: (args: ConnectionArgs) => {
    const presences = presencesOf(ctx);
    const primary = presences[0]!.defaultLocale;
    return connection(args, ctx, false, {
      scan: function* (fromId, reverse) {
        const ordered = reverse ? [...presences].reverse() : presences;
        for (const p of ordered) {
          if (fromId === null || (reverse ? BigInt(p.id) <= BigInt(fromId) : BigInt(p.id) >= BigInt(fromId))) yield p;
        }
      },
      view: (p) => presenceView(primary, p),
    });
  },
});
