/*
 * An audit line's before and after as a merchant reads them, field by field: "Email: a@x.com → b@y.com". The trail
 * stores whatever small record each action changed (app/services/audit/record-audit.server.ts); this turns any such
 * record into words, so no action falls back to showing raw JSON.
 */

/** The words for the fields actions record; any other field is its name split into words ("pausedReason"). */
const fieldLabels: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
  tags: "Tags",
  taxExempt: "Tax exempt",
  emailMarketing: "Email marketing",
  // An import's default address, as the directory's Location column shows it ("Ottawa, CA").
  address: "Location",
  smsMarketing: "SMS marketing",
  balance: "Points balance",
  orders: "Orders",
  status: "Status",
  version: "Version",
  subject: "Subject",
  paused: "Paused",
  reason: "Reason",
  kept: "Kept",
  shopifySaid: "Shopify said",
  deletedInShopify: "Deleted in Shopify",
  erasureRequested: "Erasure requested",
  segmentGid: "Segment",
  discountGid: "Discount",
  query: "Segment query",
  code: "Code",
  // An import's checked file (its summary): what the merchant saw in the preview.
  rows: "Rows in the file",
  problems: "Rows with problems",
  valid: "Rows ready",
  create: "To create",
  update: "To update",
  unchanged: "Already matching",
  skip: "To skip",
  points: "Points",
  notFound: "Emails not found",
  // Points for past orders, once given: the preview's orders that gave nothing, and why.
  alreadyGiven: "Orders that already had points",
  noLongerEarns: "Orders that no longer earn",
};

const stateWords: Record<string, string> = {
  SUBSCRIBED: "subscribed",
  NOT_SUBSCRIBED: "not subscribed",
  UNSUBSCRIBED: "unsubscribed",
  PENDING: "pending confirmation",
  REDACTED: "redacted",
  INVALID: "invalid",
};

export function fieldLabel(key: string): string {
  const known = fieldLabels[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.]/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One value in words: "yes"/"no", a list joined by commas, "none" for nothing, numbers with separators. */
export function valueWords(value: unknown, formatNumber: (n: number) => string = String): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return stateWords[value] ?? value;
  if (Array.isArray(value))
    return value.length === 0 ? "none" : value.map((v) => valueWords(v, formatNumber)).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${fieldLabel(key)} ${valueWords(inner, formatNumber)}`)
      .join(", ");
  }
  return String(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields that differ between `before` and `after`, each "Label: before → after" (or "Label: value" when only one
 * side has it), joined by "; ". Fields equal on both sides are left out; nothing changed gives "".
 */
export function describeFieldChanges(
  before: unknown,
  after: unknown,
  formatNumber: (n: number) => string = String,
): string {
  const asRecord = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const from = asRecord(before);
  const to = asRecord(after);
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys
    .filter((key) => !same(from[key], to[key]))
    .map((key) => {
      const label = fieldLabel(key);
      if (!(key in from)) return `${label}: ${valueWords(to[key], formatNumber)}`;
      if (!(key in to)) return `${label} was ${valueWords(from[key], formatNumber)}`;
      return `${label}: ${valueWords(from[key], formatNumber)} \u2192 ${valueWords(to[key], formatNumber)}`;
    })
    .join("; ");
}
