import de from "~extensions/tally-widget/locales/de.json";
import en from "~extensions/tally-widget/locales/en.default.json";
import es from "~extensions/tally-widget/locales/es.json";
import fr from "~extensions/tally-widget/locales/fr.json";
import { escapeLiquidText } from "./liquid";

/*
 * The theme app extension's strings for the app proxy's Liquid pages (the rewards page, the referral landing page, the
 * unsubscribe page):
 * one copy, read from extensions/tally-widget/locales at build time, and chosen by the shopper's language when Shopify
 * renders the page, so a page under /de/ reads German as the widget there does.
 */

export type StorefrontLocale = typeof en;

/** The language (ISO 639-1) of each locale file besides English. */
const LOCALES: Record<string, StorefrontLocale> = { fr, de, es };

/**
 * `{% case %}` on the shopper's language (the first two letters of `request.locale.iso_code`), with `render`'s
 * answer for each language, English otherwise, as the extension falls back.
 */
export function byLanguage(render: (locale: StorefrontLocale, language: string) => string): string {
  const branches = Object.entries(LOCALES)
    .map(([language, locale]) => `{% when '${language}' %}${render(locale, language)}`)
    .join("");
  return `{%- assign tally_language = request.locale.iso_code | slice: 0, 2 -%}{% case tally_language %}${branches}{% else %}${render(en, "en")}{% endcase %}`;
}

/** A locale string with its `{placeholders}` filled; values are inserted as given (escape them first). */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

/** A locale string as Liquid-safe HTML, its `{placeholders}` filled with `values` (HTML or Liquid, already safe). */
export function say(template: string, values: Record<string, string> = {}): string {
  return template
    .split(/(\{\w+\})/)
    .map((part) => {
      const key = /^\{(\w+)\}$/.exec(part)?.[1];
      return key !== undefined && key in values ? values[key]! : escapeLiquidText(part);
    })
    .join("");
}

/**
 * Liquid for the storefront's locale prefix: "/de" under a prefix, "" on the primary locale's storefront
 * (`routes.root_url` is "/" there). Put before a root-relative path so a link or a form keeps the shopper's language.
 */
export const LOCALE_ROOT = `{% if routes.root_url != '/' %}{{ routes.root_url }}{% endif %}`;
