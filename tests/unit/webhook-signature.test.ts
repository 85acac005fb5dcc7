import { createHmac, randomUUID } from "node:crypto";
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SignedWebhookBody as SignedWebhookBodyClass } from "~/shopify/webhooks/body.server";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";

// Tally's own webhook check (app/shopify/webhooks/signature.server.ts, read through SignedWebhookBody as server.js
// streams a body in) against the library's `webhooks.validate`, the oracle: both must accept and refuse the same
// deliveries, for the same reason (decision 024).

const secret = "oracle-secret";
const shop = "oracle.myshopify.com";
const oracle = shopifyApi({
  apiKey: "oracle-key",
  apiSecretKey: secret,
  apiVersion: ApiVersion.October26,
  hostName: "tally.test",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

let SignedWebhookBody: typeof SignedWebhookBodyClass;
beforeAll(async () => {
  vi.stubEnv("SHOPIFY_API_KEY", "oracle-key");
  vi.stubEnv("SHOPIFY_API_SECRET", secret);
  vi.stubEnv("SHOPIFY_APP_URL", "https://tally.test");
  vi.stubEnv("SCOPES", "read_customers");
  ({ SignedWebhookBody } = await import("~/shopify/webhooks/body.server"));
});

const sign = (body: Uint8Array | string, key = secret) => createHmac("sha256", key).update(body).digest("base64");

function headersFor(hmac: string | undefined, omit: string[] = []): Record<string, string> {
  const all: Record<string, string | undefined> = {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": hmac,
    "X-Shopify-Topic": "orders/paid",
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": "2026-11-30T10:00:00.000Z",
  };
  return Object.fromEntries(
    Object.entries(all).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !omit.includes(entry[0]),
    ),
  );
}

type Verdict =
  { accepted: true; shop: string; webhookId: string; eventId?: string } | { accepted: false; status: number };

/** The library's verdict, mapped to the status Tally answers for each of its reasons. */
async function oracleVerdict(bytes: Uint8Array, headers: Record<string, string>): Promise<Verdict> {
  const rawRequest = new Request("https://tally.test/webhooks/orders/paid", { method: "POST", headers });
  const check = await oracle.webhooks.validate({ rawBody: Buffer.from(bytes).toString("utf8"), rawRequest });
  if (check.valid) {
    return {
      accepted: true,
      shop: check.domain,
      webhookId: check.webhookId,
      eventId: (check as { eventId?: string }).eventId,
    };
  }
  return { accepted: false, status: check.reason === "invalid_hmac" || check.reason === "missing_hmac" ? 401 : 400 };
}

/** Tally's verdict: the body streamed through SignedWebhookBody in the given chunks, as server.js reads it. */
function tallyVerdict(bytes: Uint8Array, headers: Record<string, string>, cuts: number[] = []): Verdict {
  const reader = new SignedWebhookBody(new Headers(headers));
  let from = 0;
  for (const cut of [...cuts.filter((at) => at > 0 && at < bytes.length).sort((a, b) => a - b), bytes.length]) {
    reader.push(bytes.subarray(from, cut));
    from = cut;
  }
  const read = reader.finish();
  if ("refusal" in read) return { accepted: false, status: read.refusal.status };
  expect(read.body).toBe(Buffer.from(bytes).toString("utf8"));
  return { accepted: true, shop: read.webhook.shop, webhookId: read.webhook.webhookId, eventId: read.webhook.eventId };
}

async function expectSameVerdict(bytes: Uint8Array, headers: Record<string, string>, expected: "accepted" | number) {
  const verdict = await oracleVerdict(bytes, headers);
  expect(tallyVerdict(bytes, headers)).toEqual(verdict);
  expect(verdict.accepted ? "accepted" : (verdict as { status: number }).status).toBe(expected);
}

const order = Buffer.from(shopifyJson(samplePayload("orders/paid")));

describe("Tally's webhook HMAC check agrees with the library's", () => {
  it("accepts a genuine delivery and reads the same shop, webhook id and event id", async () => {
    await expectSameVerdict(order, headersFor(sign(order)), "accepted");
  });

  it("refuses a body signed with another secret, and an HMAC header that is empty", async () => {
    await expectSameVerdict(order, headersFor(sign(order, "someone-else")), 401);
    await expectSameVerdict(order, headersFor(""), 401);
  });

  it("refuses a truncated body, and one with a byte changed or appended", async () => {
    const hmac = sign(order);
    await expectSameVerdict(order.subarray(0, order.length - 1), headersFor(hmac), 401);
    await expectSameVerdict(order.subarray(0, 100), headersFor(hmac), 401);
    const changed = Buffer.from(order);
    changed[50] = changed[50]! ^ 1;
    await expectSameVerdict(changed, headersFor(hmac), 401);
    await expectSameVerdict(Buffer.concat([order, Buffer.from("\n")]), headersFor(hmac), 401);
  });

  it("refuses the same JSON re-encoded: re-serialized, with escaped characters, or signed as UTF-16", async () => {
    const text = shopifyJson({ ...samplePayload("orders/paid"), note: "Café ☕ für Jürgen" });
    const hmac = sign(text);
    const reserialized = JSON.stringify(JSON.parse(text), null, 2);
    const escaped = text.replace(/[^ -~]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
    await expectSameVerdict(Buffer.from(text), headersFor(hmac), "accepted");
    await expectSameVerdict(Buffer.from(reserialized), headersFor(hmac), 401);
    await expectSameVerdict(Buffer.from(escaped), headersFor(hmac), 401);
    await expectSameVerdict(Buffer.from(text), headersFor(sign(Buffer.from(text, "utf16le"))), 401);
  });

  it("refuses every other spelling of the right digest: unpadded, URL-safe, hex, padded with spaces inside", async () => {
    const digest = createHmac("sha256", secret).update(order).digest();
    const base64 = digest.toString("base64");
    for (const variant of [
      base64.replace(/=+$/, ""),
      digest.toString("base64url"),
      digest.toString("hex"),
      `${base64.slice(0, 20)} ${base64.slice(20)}`,
      base64.toLowerCase(),
      `${base64}==`,
    ]) {
      if (variant === base64) continue;
      await expectSameVerdict(order, headersFor(variant), 401);
    }
  });

  it("refuses an empty body, signed or not", async () => {
    const empty = new Uint8Array(0);
    await expectSameVerdict(empty, headersFor(sign(empty)), 400);
    await expectSameVerdict(empty, headersFor(sign(order)), 400);
  });

  it("refuses a genuine body when any header Shopify always sends is missing", async () => {
    for (const header of [
      "X-Shopify-Topic",
      "X-Shopify-Shop-Domain",
      "X-Shopify-API-Version",
      "X-Shopify-Webhook-Id",
    ]) {
      await expectSameVerdict(order, headersFor(sign(order), [header]), 400);
    }
    await expectSameVerdict(order, headersFor(undefined), 401);
    // Optional ones may be absent, as the library allows.
    await expectSameVerdict(
      order,
      headersFor(sign(order), ["X-Shopify-Event-Id", "X-Shopify-Triggered-At"]),
      "accepted",
    );
  });

  it("agrees on any body, however it arrives in chunks, genuine or tampered with", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", minLength: 0, maxLength: 400 }),
        fc.array(fc.nat({ max: 1600 }), { maxLength: 6 }),
        fc.constantFrom("genuine", "other secret", "flipped byte", "truncated"),
        async (text, cuts, how) => {
          const bytes = Buffer.from(text);
          const signed = how === "other secret" ? sign(bytes, "nope") : sign(bytes);
          const sent =
            how === "flipped byte" && bytes.length > 0
              ? Buffer.from(bytes.map((byte, i) => (i === 0 ? byte ^ 0x20 : byte)))
              : how === "truncated"
                ? bytes.subarray(0, Math.floor(bytes.length / 2))
                : bytes;
          const headers = headersFor(signed);
          expect(tallyVerdict(sent, headers, cuts)).toEqual(await oracleVerdict(sent, headers));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("differs only on bytes that are not UTF-8, which Shopify never sends: Tally refuses them whatever was signed", async () => {
    // The library hashes the body after decoding it as text (each bad byte becomes U+FFFD); Shopify signs the raw
    // bytes. Tally hashes the raw bytes, as documented, and refuses a body that is not UTF-8 JSON with a 400.
    const latin1 = Buffer.from(`{"note":"Caf\xe9"}`, "latin1");
    expect(tallyVerdict(latin1, headersFor(sign(latin1)))).toEqual({ accepted: false, status: 400 });
    const asDecoded = sign(Buffer.from(latin1.toString("utf8")));
    expect(await oracleVerdict(latin1, headersFor(asDecoded))).toMatchObject({ accepted: true });
    expect(tallyVerdict(latin1, headersFor(asDecoded))).toEqual({ accepted: false, status: 401 });
  });
});
