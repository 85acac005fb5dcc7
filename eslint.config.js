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

/**
 * tally/async-data-access (decision 013): data access is written once for SQLite and PostgreSQL, so it awaits drizzle's
 * builders and never calls better-sqlite3's synchronous API; writes go through `inTransaction`, and inside a
 * transaction every query goes through its `tx`. With `{ adapter: true }` (app/shopify, app/routes): adapters never open
 * a transaction, they call a service that does.
 */
const asyncDataAccess = {
  meta: {
    type: "problem",
    schema: [{ type: "object", properties: { adapter: { type: "boolean" } }, additionalProperties: false }],
    messages: {
      sync: "`.{{method}}()` is better-sqlite3's synchronous API: await the query instead ({{instead}}).",
      client: "`$client` is the SQLite driver itself: dialect-specific work belongs in app/db (decision 013).",
      transaction:
        "Use `inTransaction(ctx, async (tx) => …)` (app/db/transaction.server.ts): drizzle's SQLite transaction() is synchronous and commits an async callback unchecked.",
      adapterTransaction: "Adapters never open transactions: move this into a service that the adapter calls.",
      rootInTransaction:
        "Inside a transaction, query through `tx`, not `ctx.db`: on PostgreSQL `ctx.db` is another connection, outside the transaction.",
    },
  },
  create(context) {
    const adapter = context.options[0]?.adapter === true;
    const transactional = [];
    const isTx = (param) =>
      (param.type === "Identifier" && param.name === "tx") ||
      (param.type === "ObjectPattern" &&
        param.properties.some((p) => p.type === "Property" && p.key.type === "Identifier" && p.key.name === "tx"));
    const isTransactionCallback = (node) =>
      node.parent?.type === "CallExpression" &&
      node.parent.callee.type === "Identifier" &&
      node.parent.callee.name === "inTransaction" &&
      node.parent.arguments[1] === node;
    const instead = {
      get: "`(await query)[0]` for a unique key, `(await query.limit(1))[0]` when several rows may match, or `(await prepared(…).execute(params))[0]`",
      all: "`await query`, or `await prepared(…).execute(params)`",
      run: "`await query`; add `.returning()` when a count or an id is needed",
      values: "`await query` and map the rows",
    };
    return {
      ":function"(node) {
        transactional.push(node.params.some(isTx) || isTransactionCallback(node));
      },
      ":function:exit"() {
        transactional.pop();
      },
      CallExpression(node) {
        const callee = node.callee;
        if (adapter && callee.type === "Identifier" && callee.name === "inTransaction") {
          context.report({ node, messageId: "adapterTransaction" });
        }
        if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return;
        const method = callee.property.name;
        const receiver = callee.object.type === "Identifier" ? callee.object.name : null;
        const args = node.arguments;
        const sync =
          (method === "get" && (args.length === 0 || (args.length === 1 && args[0].type === "ObjectExpression"))) ||
          (method === "all" && receiver !== "Promise") ||
          method === "run" ||
          (method === "values" && args.length === 0 && receiver !== "Object");
        if (sync) context.report({ node, messageId: "sync", data: { method, instead: instead[method] } });
        if (method === "transaction") context.report({ node, messageId: "transaction" });
      },
      MemberExpression(node) {
        if (node.property.type !== "Identifier") return;
        if (node.property.name === "$client") context.report({ node, messageId: "client" });
        const rootDb = node.object.type === "Identifier" && node.object.name === "ctx" && node.property.name === "db";
        // `tx ?? ctx.db`: a read that runs in the caller's transaction when there is one.
        const fallback =
          node.parent.type === "LogicalExpression" &&
          node.parent.right === node &&
          node.parent.left.type === "Identifier" &&
          node.parent.left.name === "tx";
        if (rootDb && !fallback && transactional.includes(true)) {
          context.report({ node, messageId: "rootInTransaction" });
        }
      },
    };
  },
};
const tally = { rules: { "async-data-access": asyncDataAccess } };

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "drizzle/**",
      ".shopify/**",
      "data/**",
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
    // The storefront widget's scripts, served to shoppers as written: plain browser scripts, no modules.
    files: ["extensions/*/assets/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
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
    // Services and their callers are async (decision 013): a call not awaited runs out of order, outside the caller's
    // transaction, and its failure is lost. Type-aware, so it knows which calls return promises.
    files: ["app/**/*.ts", "app/**/*.tsx", "tests/**/*.ts", "scripts/**/*.ts"],
    ignores: ["tests/sandbox/**"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    files: ["app/services/**"],
    plugins: { tally },
    rules: { "tally/async-data-access": "error" },
  },
  {
    files: ["app/shopify/**", "app/routes/**", "app/shopify.server.ts"],
    plugins: { tally },
    rules: { "tally/async-data-access": ["error", { adapter: true }] },
  },
  {
    // The integration suite reads the database as services do, so it can run on PostgreSQL too; the few checks that
    // are SQLite's own (file bytes and modes, a trigger) say so where they disable this rule.
    files: ["tests/integration/**", "tests/factories/**", "tests/helpers/**"],
    plugins: { tally },
    rules: { "tally/async-data-access": "error" },
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
