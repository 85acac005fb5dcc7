import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";
import { adminSchemaJson } from "./scripts/codegen/admin-schema";

// Types for every `#graphql` operation in app/, from the Admin API 2026-10 schema vendored in vendor/shopify.
// `npm run codegen` writes app/types/; `npm test` fails when they are stale (`npm run codegen:check`).
// The generates steps are those of the preset's shopifyApiTypes, pointed at the vendored schema instead of shopify.dev,
// with enums as string unions: a declarations file cannot carry enum values, and Tally passes Shopify's own strings.
const schema = adminSchemaJson("2026-10");
const documents = ["app/**/*.{ts,tsx}", "!app/types/**"];

export default {
  schema,
  documents,
  projects: {
    default: {
      schema,
      documents,
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            "app/types/admin.types.d.ts": {
              plugins: ["typescript"],
              config: { defaultScalarType: "string", scalars: { JSON: "unknown" }, enumsAsTypes: true },
            },
            "app/types/admin.generated.d.ts": {
              preset,
              presetConfig: { apiType: ApiType.Admin },
            },
          },
        },
      },
    },
  },
};
