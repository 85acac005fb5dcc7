import { describe, expect, it } from "vitest";
import { parseEnv } from "~/lib/env.server";

const complete = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://tally.example",
  SCOPES: "read_customers",
};

describe("parseEnv", () => {
  it("names every missing variable", () => {
    expect(() => parseEnv({})).toThrowError(
      /SHOPIFY_API_KEY: is missing[\s\S]*SHOPIFY_API_SECRET: is missing[\s\S]*SHOPIFY_APP_URL: is missing[\s\S]*SCOPES: is missing/,
    );
  });

  it("defaults the database path and port", () => {
    expect(parseEnv(complete)).toMatchObject({ DATABASE_PATH: "data/tally.sqlite", PORT: 3000 });
  });

  it("links the public pages to the App Store listing, which a deployment may point elsewhere", () => {
    expect(parseEnv(complete).TALLY_APP_STORE_URL).toBe("https://apps.shopify.com/tally");
    expect(
      parseEnv({ ...complete, TALLY_APP_STORE_URL: "https://apps.shopify.com/tally-beta" }).TALLY_APP_STORE_URL,
    ).toBe("https://apps.shopify.com/tally-beta");
    expect(() => parseEnv({ ...complete, TALLY_APP_STORE_URL: "apps.shopify.com/tally" })).toThrowError(
      /TALLY_APP_STORE_URL/,
    );
  });

  it("refuses a sandbox origin that is not loopback", () => {
    expect(() => parseEnv({ ...complete, SHOPIFY_SANDBOX_ORIGIN: "http://10.0.0.5:4100" })).toThrowError(
      /SHOPIFY_SANDBOX_ORIGIN: must be a loopback origin/,
    );
    expect(parseEnv({ ...complete, SHOPIFY_SANDBOX_ORIGIN: "http://127.0.0.1:4100" }).SHOPIFY_SANDBOX_ORIGIN).toBe(
      "http://127.0.0.1:4100",
    );
  });

  it("stops a production boot without TALLY_ENCRYPTION_KEY, naming it and how to make one", () => {
    expect(() => parseEnv({ ...complete, NODE_ENV: "production" })).toThrowError(
      /TALLY_ENCRYPTION_KEY: is missing; production stores Shopify access tokens sealed with it[\s\S]*openssl rand -base64 32/,
    );
    expect(parseEnv({ ...complete, NODE_ENV: "development" }).TALLY_ENCRYPTION_KEY).toBeUndefined();
  });

  it("refuses a key that is not 32 bytes of base64, current or previous", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ ...complete, NODE_ENV: "production", TALLY_ENCRYPTION_KEY: key }).TALLY_ENCRYPTION_KEY).toBe(key);
    for (const bad of ["secret", Buffer.alloc(16, 7).toString("base64"), `${key}x`]) {
      expect(() => parseEnv({ ...complete, TALLY_ENCRYPTION_KEY: bad })).toThrowError(
        /TALLY_ENCRYPTION_KEY: must be 32/,
      );
    }
    expect(() =>
      parseEnv({ ...complete, TALLY_ENCRYPTION_KEY: key, TALLY_ENCRYPTION_PREVIOUS_KEYS: `${key}, nope` }),
    ).toThrowError(/TALLY_ENCRYPTION_PREVIOUS_KEYS/);
    expect(
      parseEnv({ ...complete, TALLY_ENCRYPTION_KEY: key, TALLY_ENCRYPTION_PREVIOUS_KEYS: ` ${key} ,${key}` })
        .TALLY_ENCRYPTION_PREVIOUS_KEYS,
    ).toEqual([key, key]);
  });
});
