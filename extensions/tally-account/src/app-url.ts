/**
 * Where Tally's app answers: shopify.app.toml's `application_url`, which `shopify app dev` and `deploy` keep current
 * (tests/unit/customer-account-extension.test.ts fails when the two differ). Extensions are bundled by the CLI with
 * no environment of their own, so the URL is written here.
 */
export const APP_URL = "https://example.com";
