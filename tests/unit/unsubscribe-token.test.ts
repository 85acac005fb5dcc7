import { beforeAll, describe, expect, it } from "vitest";
import type * as Tokens from "~/lib/unsubscribe-token.server";

// env() is read on first use; the unit project sets no environment of its own.
let token: typeof Tokens;
beforeAll(async () => {
  process.env.SHOPIFY_API_KEY ??= "k";
  process.env.SHOPIFY_API_SECRET ??= "unit-secret";
  process.env.SHOPIFY_APP_URL ??= "https://tally.test";
  process.env.SCOPES ??= "read_customers";
  token = await import("~/lib/unsubscribe-token.server");
});

describe("unsubscribe tokens", () => {
  const shop = "bikes.myshopify.com";

  it("names the customer and the email it was signed for, on that shop only", () => {
    const signed = token.signUnsubscribeToken(shop, { customerId: 42, outboxId: 7 });
    expect(token.verifyUnsubscribeToken(shop, signed)).toEqual({ customerId: 42, outboxId: 7 });
    expect(token.verifyUnsubscribeToken("boards.myshopify.com", signed)).toBeUndefined();
  });

  it("is refused when any part is changed: another customer, another email, a flipped MAC character", () => {
    const signed = token.signUnsubscribeToken(shop, { customerId: 42, outboxId: 7 });
    const [, , mac] = signed.split(".");
    expect(token.verifyUnsubscribeToken(shop, `43.7.${mac}`)).toBeUndefined();
    expect(token.verifyUnsubscribeToken(shop, `42.8.${mac}`)).toBeUndefined();
    const flipped = mac!.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    expect(token.verifyUnsubscribeToken(shop, `42.7.${flipped}`)).toBeUndefined();
    for (const junk of ["", "42.7", "42.7.x", "0.7." + mac, "42.7." + mac + "="])
      expect(token.verifyUnsubscribeToken(shop, junk)).toBeUndefined();
  });

  it("puts the link on the shop's domain, under the app proxy", () => {
    expect(token.unsubscribeUrl(shop, { customerId: 1, outboxId: 2 })).toMatch(
      /^https:\/\/bikes\.myshopify\.com\/apps\/tally\/email\/unsubscribe\?token=1\.2\.[\w-]{43}$/,
    );
  });
});
