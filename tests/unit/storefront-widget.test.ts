import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

// The theme app extension as Shopify would take it: within its weight budget, clean under Shopify's theme-check,
// and every word it shows in every language it ships. Decision 020.
const extension = path.resolve("extensions/tally-widget");
const read = (...parts: string[]) => readFileSync(path.join(extension, ...parts), "utf8");
const files = (dir: string) => readdirSync(path.join(extension, dir)).sort();

/** Issue 13: all JavaScript and CSS of the extension, gzipped, under 10 KB. */
const BUDGET_BYTES = 10 * 1024;

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ""): Array<[string, string]> =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [[`${prefix}${key}`, value]] : leaves(value, `${prefix}${key}.`),
  );
// {name} and {Name} are one placeholder (the program's name; {Name} starts a sentence, which a language may not).
const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}|\{\{\s*(\w+)\s*\}\}/g)].map((m) => (m[1] ?? m[2])!.toLowerCase());

describe("the theme app extension's weight", () => {
  it("keeps all its JavaScript and CSS under 10 KB gzipped", () => {
    const assets = files("assets").filter((file) => /\.(js|css)$/.test(file));
    expect(assets).toEqual(["tally-panel.js", "tally.css", "tally.js"]);
    const sizes = Object.fromEntries(assets.map((file) => [file, gzipSync(read("assets", file), { level: 9 }).length]));
    const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
    expect(total, JSON.stringify(sizes)).toBeLessThan(BUDGET_BYTES);
  });

  it("loads only the small loader with the page; the panel script comes when it is first needed", () => {
    const schemas = files("blocks").map((file) =>
      JSON.parse(/\{% schema %\}([\s\S]*)\{% endschema %\}/.exec(read("blocks", file))![1]!),
    );
    expect(new Set(schemas.map((schema) => schema.javascript))).toEqual(new Set(["tally.js"]));
    expect(new Set(schemas.map((schema) => schema.stylesheet))).toEqual(new Set(["tally.css"]));
    // Shopify's theme-check caps an app block's schema JavaScript at 10,000 bytes as written.
    expect(read("assets", "tally.js").length).toBeLessThan(10_000);
    // The loader's one request: GET /v1/me for a signed-in shopper's balances, shared with the panel (decision 042).
    expect(read("assets", "tally.js").match(/fetch\([^)]*\)/g)).toEqual([
      'fetch(T.config.proxy + "/v1/me", { cache: "no-store" })',
    ]);
    for (const file of ["tally.js", "tally-panel.js"]) expect(read("assets", file)).not.toMatch(/\bimport\b|require\(/);
  });
});

describe("theme-check", () => {
  it("finds nothing to report in the extension", async () => {
    const run = await themeCheckRun(extension, undefined, () => undefined);
    expect(run.config.context).toBe("app");
    expect(run.offenses.map((o) => `${o.check} ${o.uri.split("/extensions/")[1]}: ${o.message}`)).toEqual([]);
  }, 30_000);
});

describe("the extension's strings", () => {
  const storefront = files("locales").filter((file) => !file.includes(".schema."));
  const schema = files("locales").filter((file) => file.includes(".schema."));
  const english = leaves(JSON.parse(read("locales", "en.default.json")));

  it("ship in English, French, German and Spanish, for the storefront and the theme editor", () => {
    expect(storefront).toEqual(["de.json", "en.default.json", "es.json", "fr.json"]);
    expect(schema).toEqual(["de.schema.json", "en.default.schema.json", "es.schema.json", "fr.schema.json"]);
  });

  it("have every key in every language, with the same placeholders", () => {
    for (const group of [storefront, schema]) {
      const [base, ...others] = group.map(
        (file) => [file, new Map(leaves(JSON.parse(read("locales", file))))] as const,
      );
      const reference = group.includes("en.default.json") ? new Map(english) : base![1];
      for (const [file, strings] of [base!, ...others]) {
        expect([...strings.keys()], file).toEqual([...reference.keys()]);
        for (const [key, text] of reference) {
          expect(placeholders(strings.get(key)!).sort(), `${file} ${key}`).toEqual(placeholders(text).sort());
          expect(strings.get(key)!.trim(), `${file} ${key}`).not.toBe("");
        }
      }
    }
  });

  it("are all given to the widget's script, and every string the script asks for exists", () => {
    const snippet = read("snippets", "tally-config.liquid");
    // A string the shop's missing login links change (decision 063) is given as its panel key, else its accounts_off key;
    // one the program's guest earning changes (decision 074) first as its guests_earn keys, with and without links.
    const guestsEarn =
      "\\{% if guests_earn %\\}\\{% if shop\\.customer_accounts_enabled %\\}" +
      "\\{\\{ 'guests_earn\\.\\w+' \\| t \\}\\}\\{% else %\\}\\{\\{ 'guests_earn\\.\\w+' \\| t \\}\\}\\{% endif %\\}" +
      "\\{% elsif shop\\.customer_accounts_enabled %\\}";
    const given = [
      ...snippet.matchAll(
        new RegExp(
          `data-s-([\\w-]+)="(?:\\{% if shop\\.customer_accounts_enabled %\\}|${guestsEarn})?\\{\\{ 'panel\\.(\\w+)' \\| t \\}\\}` +
            `(?:\\{% else %\\}\\{\\{ 'accounts_off\\.\\w+' \\| t \\}\\}\\{% endif %\\})?"`,
          "g",
        ),
      ),
    ];
    for (const [, attribute, key] of given) expect(attribute).toBe(key!.replaceAll("_", "-"));
    const panelKeys = english.filter(([key]) => key.startsWith("panel.")).map(([key]) => key.slice(6));
    expect(given.map((match) => match[2])).toEqual(panelKeys);

    const camel = (key: string) => key.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
    const known = new Set(panelKeys.map(camel));
    const script = read("assets", "tally-panel.js") + read("assets", "tally.js");
    const asked = [...script.matchAll(/\bs\(\s*"(\w+)"/g), ...script.matchAll(/\?\s*"(\w+)"\s*:\s*"(\w+)"/g)]
      .flatMap((match) => match.slice(1))
      .filter((key): key is string => Boolean(key) && known.has(key!));
    expect(asked.length).toBeGreaterThan(40);
    for (const key of [...script.matchAll(/\bs\(\s*"(\w+)"/g)].map((m) => m[1]!)) expect(known, key).toContain(key);
    // The referral boxes and the share message are looked up as <key>Offer and <key>OfferMinimum, and as <key>Text
    // where an older app's answer has no offer; a signed-out visitor's box is drawn only from v1/me's referralOffer.
    const offerKeys = [...script.matchAll(/offerText\([\w.]+, "(\w+)"/g)].map((m) => m[1]!);
    expect(new Set(offerKeys)).toEqual(new Set(["referral", "share", "referralGuest"]));
    for (const key of offerKeys)
      for (const suffix of ["Offer", "OfferMinimum"]) expect(known, key).toContain(`${key}${suffix}`);
    for (const key of ["referral", "share"]) expect(known, key).toContain(`${key}Text`);
    // Activity kinds are looked up as act<Kind>: each kind the API answers has its string.
    const kinds = /export type StorefrontActivityKind =([^;]+);/.exec(
      readFileSync(path.resolve("app/domain/ledger/storefront.ts"), "utf8"),
    )![1]!;
    for (const [, kind] of kinds.matchAll(/"(\w+)"/g)) expect(known, kind).toContain(camel(`act_${kind}`));
    // Error codes the storefront API answers with map to strings too.
    for (const [, key] of script.matchAll(/^\s+\w+: "(err\w+|guest)",$/gm)) expect(known, key).toContain(key);
    // The script itself carries no sentence a shopper would read in English only.
    expect(read("assets", "tally-panel.js")).not.toMatch(/textContent = "[A-Z]|>\s*[A-Z][a-z]+ [a-z]+/);
  });

  it("call one thing by one word in each language: the points balance is never named as store credit", () => {
    // The German panel read "Dein Guthaben: 2.299 Punkte" just above "Shop-Guthaben: 15,00 $" (store credit).
    const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
    for (const file of storefront) {
      const { panel } = JSON.parse(read("locales", file)) as { panel: Record<string, string> };
      const shared = [...words(panel.balance!)].filter((word) => words(panel.store_credit!).has(word));
      expect(shared, file).toEqual([]);
    }
    // Not "Punktestand": a program with its own name ("Sterne") is never called "Punkte" on the storefront.
    const german = JSON.parse(read("locales", "de.json")) as { panel: Record<string, string> };
    expect(german.panel.balance).toBe("Dein Kontostand");
    // The customer account's Profile block names it the same.
    const account = JSON.parse(readFileSync(path.resolve("extensions/tally-account/locales/de.json"), "utf8"));
    expect(account.balance).toBe(german.panel.balance);
  });

  it("every t: key of every block schema resolves in each theme editor language", () => {
    for (const file of files("blocks")) {
      const keys = [...read("blocks", file).matchAll(/"t:([\w.]+)"/g)].map((m) => m[1]!);
      expect(keys.length, file).toBeGreaterThan(0);
      for (const language of schema) {
        const strings = new Map(leaves(JSON.parse(read("locales", language))));
        for (const key of keys) expect(strings.get(key), `${file} ${language} ${key}`).toBeTruthy();
      }
    }
  });
});
