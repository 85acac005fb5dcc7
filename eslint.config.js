import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// Who may import whom (docs/ARCHITECTURE.md): one block per room of app/, each listing what the room must not import.
// A file gets one list (a later block's list would replace an earlier one's), so every list starts with `everywhere`.
const framework = ["@remix-run/*", "react", "react-dom", "@shopify/polaris", "@shopify/app-bridge-react"];
const database = ["~/db/*", "drizzle-orm", "drizzle-orm/*", "better-sqlite3"];
const anywhereButEmail = [
  { group: ["**/tests/**", "**/tests"], message: "Nothing in app/ imports tests." },
  { group: ["../../*"], message: "Reach another room through ~/… so that these rules see the import." },
];
const everywhere = [
  ...anywhereButEmail,
  {
    group: ["nodemailer", "nodemailer/*"],
    message: "Only app/email speaks SMTP: services send through the MailTransport port (decision 021).",
  },
];
/** The email room (app/email): its adapter, handed to services by the jobs that send. */
const emailRoom = ["~/email/*"];
/** Rooms below app/shopify/ reach each other through ~/shopify/<room>/…, never `../`. */
const ownRoomOnly = { group: ["../*"], message: "Reach another room through ~/… so that these rules see the import." };
const boundary = (patterns) => ({
  "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...everywhere, ...patterns] }],
});

/**
 * tally/async-data-access (decision 013): data access is written once for SQLite and PostgreSQL, so it awaits drizzle's
 * builders and never calls better-sqlite3's synchronous API; writes go through `inTransaction`, and inside a
 * transaction every query goes through its `tx`. With `{ adapter: true }` (app/shopify's rooms, app/jobs, app/routes):
 * adapters and front doors never open a transaction, they call a service that does.
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
    const isInsertValues = (callee) =>
      callee.object.type === "CallExpression" &&
      callee.object.callee.type === "MemberExpression" &&
      callee.object.callee.property.type === "Identifier" &&
      callee.object.callee.property.name === "insert";
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
          // A prepared query's `.values(params)` too; drizzle's `insert(table).values(rows)` is not it.
          (method === "values" && args.length <= 1 && receiver !== "Object" && !isInsertValues(callee));
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
    // A circle of imports (shopify.server ↔ jobs ↔ webhook intake, once) makes load order decide what is undefined.
    files: ["app/**/*.{ts,tsx}", "scripts/**/*.ts", "tests/**/*.ts", "server.js"],
    ignores: ["tests/sandbox/**"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: boundary([]),
  },
  {
    files: ["app/domain/**"],
    rules: boundary([
      {
        group: [...framework, ...database, "@shopify/*", "node:*"],
        message: "app/domain is pure: no framework, database, platform or I/O.",
      },
      {
        group: [
          "~/services/*",
          "~/shopify/*",
          "~/shopify.server",
          "~/jobs/*",
          "~/routes/*",
          "~/components/*",
          "~/lib/*",
          ...emailRoom,
        ],
        message: "app/domain imports nothing of ours but domain.",
      },
    ]),
  },
  {
    files: ["app/db/**"],
    rules: boundary([
      { group: [...framework, "@shopify/*"], message: "app/db holds tables and the client, nothing else." },
      {
        group: ["~/services/*", "~/shopify/*", "~/shopify.server", "~/jobs/*", "~/routes/*", "~/components/*"],
        message: "app/db has no rules and calls nobody.",
      },
    ]),
  },
  {
    files: ["app/lib/**"],
    rules: boundary([
      {
        group: [
          ...database,
          "~/services/*",
          "~/shopify/*",
          "~/shopify.server",
          "~/jobs/*",
          "~/routes/*",
          "~/components/*",
        ],
        message: "app/lib holds small helpers on domain only: env, error mapping, formatting.",
      },
    ]),
  },
  {
    files: ["app/services/**"],
    rules: boundary([
      { group: [...framework, "@shopify/*"], message: "Services know neither Remix, Polaris nor Shopify's SDK." },
      {
        group: ["~/shopify/*", "~/shopify.server", "~/jobs/*", "~/routes/*", "~/components/*", ...emailRoom],
        message:
          "Services depend on domain and db only; Shopify and SMTP are reached by their callers (jobs, routes), " +
          "as ports.",
      },
    ]),
  },
  {
    files: ["app/shopify/admin/**"],
    rules: boundary([
      ownRoomOnly,
      {
        group: ["~/services/*"],
        // A service's types (the input it takes, the port it declares) are the contract an adapter fills.
        allowTypeImports: true,
        message: "Admin API adapters talk to Shopify; orchestration lives in app/jobs or app/services.",
      },
      {
        group: [...framework, ...database, "~/shopify.server", "~/shopify/*", "!~/shopify/admin", "~/jobs/*"],
        message: "Admin API adapters read and write Shopify only: no database, no other room of app/shopify.",
      },
      { group: ["~/routes/*", "~/components/*"], message: "Adapters serve routes and jobs, never the other way." },
    ]),
  },
  {
    files: ["app/shopify/webhooks/**"],
    rules: boundary([
      ownRoomOnly,
      { group: database, message: "Webhook intake reaches the database through services." },
      {
        group: ["~/shopify/admin/*", "~/shopify/proxy/*", "~/shopify/sandbox/*", "~/jobs/*"],
        message: "Webhook intake verifies, records and hands effects to services; it calls no Admin API and no job.",
      },
      { group: ["~/routes/*", "~/components/*", "react", "@shopify/polaris"], message: "Adapters serve routes." },
    ]),
  },
  {
    files: ["app/shopify/proxy/**", "app/shopify/auth/**"],
    rules: boundary([
      ownRoomOnly,
      { group: database, message: "Adapters reach the database through services." },
      {
        group: ["~/shopify/admin/*", "~/shopify/webhooks/*", "~/shopify/sandbox/*", "~/jobs/*"],
        message: "The app proxy and auth stand alone: they authenticate and name who acts.",
      },
      { group: ["~/routes/*", "~/components/*", "react", "@shopify/polaris"], message: "Adapters serve routes." },
    ]),
  },
  {
    files: ["app/shopify/sandbox/**"],
    rules: boundary([
      ownRoomOnly,
      {
        group: [
          ...database,
          "~/services/*",
          "~/shopify/*",
          "~/shopify.server",
          "~/jobs/*",
          "~/routes/*",
          "~/components/*",
        ],
        message:
          "Sandbox plumbing only points Shopify's library at the loopback sandbox; it reads env and nothing else.",
      },
    ]),
  },
  {
    files: ["app/email/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            ...anywhereButEmail,
            ownRoomOnly,
            {
              group: ["~/services/*"],
              // The port it fills (MailTransport, its errors) is the one thing it takes from services.
              allowTypeImports: true,
              message: "The email room fills the MailTransport port; it calls no service.",
            },
            {
              group: [...framework, ...database, "@shopify/*", "~/shopify/*", "~/shopify.server", "~/jobs/*"],
              message: "The email room speaks SMTP only: no database, no Shopify, no scheduler.",
            },
            { group: ["~/routes/*", "~/components/*"], message: "Adapters serve jobs, never the other way." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/jobs/**"],
    rules: boundary([
      {
        group: [...framework, ...database],
        message: "Jobs call services (which write) and Shopify adapters, never app/db.",
      },
      { group: ["~/routes/*", "~/components/*"], message: "Jobs are a front door of their own, beside routes." },
    ]),
  },
  {
    files: ["app/routes/**"],
    rules: boundary([
      ownRoomOnly,
      { group: database, message: "Routes call services; they never touch the database." },
      {
        group: ["~/jobs/*", "~/shopify/sandbox/*", ...emailRoom],
        message:
          "Routes never reach into the scheduler, its jobs or the mail transport: ask a service (emails are queued).",
      },
    ]),
  },
  {
    files: ["app/components/**"],
    rules: boundary([
      ownRoomOnly,
      {
        group: ["*.server", ...database, "~/services/*", "~/shopify/*", "~/shopify.server", "~/jobs/*", "~/routes/*"],
        message: "Components render; server code stays out of the browser bundle.",
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
    // The adapters and front doors: they call services, which open the transactions.
    files: [
      "app/shopify/admin/**",
      "app/shopify/webhooks/**",
      "app/shopify/proxy/**",
      "app/shopify/auth/**",
      "app/shopify/sandbox/**",
      "app/shopify.server.ts",
      "app/jobs/**",
      "app/routes/**",
    ],
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
);
