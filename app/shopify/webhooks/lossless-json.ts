/** Bare integer literals of 16+ digits: the only numbers JSON.parse can round. */
const longInteger = /([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g;

/**
 * JSON.parse, except that integers too large for a JS number (Shopify's 18-digit ids) come back as exact digit
 * strings instead of silently rounded numbers.
 */
export function parseLosslessJson(raw: string): unknown {
  // Fast path: quote long integers in the text. If one of the matches was inside a string, the inserted quotes
  // always break the JSON, and the slower exact path below takes over.
  try {
    return JSON.parse(raw.replace(longInteger, '$1"$2"'));
  } catch {
    return JSON.parse(raw, reviveLongIntegers);
  }
}

/** Uses the reviver's view of the source text (Node 22's V8), so digits are taken as written, never rounded. */
function reviveLongIntegers(_key: string, value: unknown, context?: { source?: string }) {
  return typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
    ? context.source
    : value;
}
