/**
 * Shopify writes 18-digit resource ids as bare JSON numbers, beyond Number.MAX_SAFE_INTEGER. Payload builders wrap
 * them in `RawNumber` so the serializer can splice the digits in unquoted and exactly.
 */
export class RawNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+(\.\d+)?$/.test(digits)) throw new Error(`Not a number literal: ${digits}`);
  }
}

export const raw = (digits: string | number | bigint) => new RawNumber(String(digits));

export function stringifyRaw(value: unknown): string {
  if (value instanceof RawNumber) return value.digits;
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(stringifyRaw).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stringifyRaw(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
