import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The import boundaries of shared/STYLE.md: who may import whom, enforced per folder.
const framework = ["@remix-run/*", "react", "react-dom", "@shopify/polaris", "@shopify/app-bridge-react"];
const boundary = (patterns) => ({
  "no-restricted-imports": ["error", { patterns: patterns.map((p) => ({ group: p.group, message: p.message })) }],
});

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "drizzle/**",
      ".shopify/**",
      "data/**",
      "extensions/**/assets/**",
      // Written by `npm run codegen` (.graphqlrc.ts).
      "app/types/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: { ...reactHooks.configs.recommended.rules, ...jsxA11y.flatConfigs.recommended.rules },
  },
  {
    files: ["app/domain/**"],
    rules: boundary([
      {
        group: [...framework, "drizzle-orm", "drizzle-orm/*", "better-sqlite3", "@shopify/*", "node:*"],
        message: "app/domain is pure: no framework, database, platform or I/O.",
      },
      {
        group: ["~/db/*", "~/services/*", "~/shopify/*", "~/shopify.server", "~/routes/*", "~/components/*", "~/lib/*"],
        message: "app/domain imports nothing of ours but domain.",
      },
    ]),
  },
  {
    files: ["app/services/**"],
    rules: boundary([
      { group: [...framework, "@shopify/*"], message: "Services know neither Remix, Polaris nor Shopify's SDK." },
      {
        group: ["~/routes/*", "~/components/*", "~/shopify/*", "~/shopify.server"],
        message: "Services depend on domain and db only.",
      },
    ]),
  },
  {
    files: ["app/db/**"],
    rules: boundary([
      { group: [...framework, "@shopify/*"], message: "app/db holds tables and the client, nothing else." },
      {
        group: ["~/services/*", "~/routes/*", "~/components/*", "~/shopify/*", "~/shopify.server"],
        message: "app/db has no rules and calls nobody.",
      },
    ]),
  },
  {
    files: ["app/shopify/**"],
    rules: boundary([
      { group: ["~/routes/*", "~/components/*", "@shopify/polaris", "react"], message: "Adapters serve routes." },
      { group: ["drizzle-orm", "drizzle-orm/*", "~/db/*"], message: "Adapters reach the database through services." },
    ]),
  },
  {
    files: ["app/routes/**"],
    rules: boundary([
      {
        group: ["drizzle-orm", "drizzle-orm/*", "better-sqlite3", "~/db/*"],
        message: "Routes call services; they never touch the database.",
      },
    ]),
  },
  {
    files: ["app/components/**"],
    rules: boundary([
      {
        group: ["*.server", "~/db/*", "~/services/*", "~/shopify.server", "drizzle-orm", "drizzle-orm/*"],
        message: "Components render; server code stays out of the browser bundle.",
      },
    ]),
  },
);
