import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTomlSubset } from "../sandbox/app-config";
import { APP_URL } from "../../extensions/tally-account/src/app-url";

// Tally's customer account UI extension as `shopify app deploy` takes it: API 2026-10, its two targets, the app's own
// URL for its requests, and every string in every language it ships.
const extension = path.resolve("extensions/tally-account");
const read = (...parts: string[]) => readFileSync(path.join(extension, ...parts), "utf8");

describe("the customer account extension", () => {
  it("targets the Profile and Order status pages on API 2026-10, with @shopify/ui-extensions 2026.10 pinned", () => {
    const toml = read("shopify.extension.toml");
    expect(toml).toMatch(/^api_version = "2026-10"$/m);
    expect([...toml.matchAll(/target = "([\w.-]+)"/g)].map((m) => m[1])).toEqual([
      "customer-account.profile.block.render",
      "customer-account.order-status.block.render",
    ]);
    for (const [, module] of toml.matchAll(/module = "\.\/([\w/.]+)"/g)) expect(read(module!)).toContain("render(");
    const pkg = JSON.parse(readFileSync(path.resolve("package.json"), "utf8"));
    expect(pkg.devDependencies["@shopify/ui-extensions"]).toMatch(/^2026\.10\.\d/);
    expect(pkg.scripts.typecheck).toContain("-p extensions/tally-account");
    // The sandbox reads theme app extensions only; this one is not one.
    expect(parseTomlSubset(toml).type).toBeUndefined();
  });

  it("calls the app where shopify.app.toml says it answers", () => {
    const app = parseTomlSubset(readFileSync(path.resolve("shopify.app.toml"), "utf8"));
    expect(APP_URL).toBe(app.application_url);
  });

  it("has every string it asks for in English, French, German and Spanish, with the same placeholders", () => {
    const files = readdirSync(path.join(extension, "locales")).sort();
    expect(files).toEqual(["de.json", "en.default.json", "es.json", "fr.json"]);
    const english = JSON.parse(read("locales", "en.default.json")) as Record<string, string>;
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const file of files) {
      const strings = JSON.parse(read("locales", file)) as Record<string, string>;
      expect(Object.keys(strings), file).toEqual(Object.keys(english));
      for (const [key, text] of Object.entries(english)) {
        expect(placeholders(strings[key]!), `${file} ${key}`).toEqual(placeholders(text));
      }
    }
    const sources = readdirSync(path.join(extension, "src"))
      .map((file) => read("src", file))
      .join("\n");
    const asked = [...sources.matchAll(/translate\("(\w+)"/g)].map((m) => m[1]!);
    expect(asked.length).toBeGreaterThan(10);
    for (const key of asked) expect(Object.keys(english), key).toContain(key);
  });
});
