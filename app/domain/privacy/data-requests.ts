/**
 * A customer's data request (customers/data_request): Shopify gives the merchant 30 days to hand the customer what
 * the app holds about them (shopify.dev, "Privacy law compliance": "you have 30 days from the date of the request").
 * Tally keeps the export it made when the request arrived and offers it for download until then; after, the page says
 * it expired and refuses the download (a new request from the customer brings a new export).
 */
export const DATA_REQUEST_ANSWER_DAYS = 30;

const DAY_MS = 86_400_000;

/** The moment the merchant's time to answer ends (ISO 8601): the request's arrival plus 30 days. */
export function dataRequestDeadline(receivedAt: string): string {
  return new Date(Date.parse(receivedAt) + DATA_REQUEST_ANSWER_DAYS * DAY_MS).toISOString();
}

/** True once the 30 days have passed at `now`. */
export function isDataRequestExpired(receivedAt: string, now: Date): boolean {
  return now.getTime() >= Date.parse(dataRequestDeadline(receivedAt));
}

/** One CSV line of an export: which part of it, which record, which field, and the value as text. */
export type ExportCsvRow = [section: string, record: string, field: string, value: string];

export const exportCsvColumns = ["section", "record", "field", "value"] as const;

const cell = (value: unknown): string =>
  value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);

/**
 * An export as CSV lines, one per field of each record ("ledgerEntries", "3", "points", "120"), so one flat file holds
 * sections with different columns and a spreadsheet can filter by section. A section that is a single record (the
 * customer) uses record "1"; a nested object (referral) becomes "referral.codes" sections. Empty sections are left
 * out. Values that are objects are written as JSON.
 */
export function exportCsvRows(data: Record<string, unknown>): ExportCsvRow[] {
  const rows: ExportCsvRow[] = [];
  const walk = (section: string, value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((record, index) => {
        if (record && typeof record === "object") {
          for (const [field, v] of Object.entries(record)) rows.push([section, String(index + 1), field, cell(v)]);
        } else rows.push([section, String(index + 1), "value", cell(record)]);
      });
    } else if (value && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      // An object of lists (the referral part) is sections; any other object is one record.
      const nested = entries.length > 0 && entries.every(([, v]) => Array.isArray(v));
      if (nested) for (const [key, v] of entries) walk(`${section}.${key}`, v);
      else for (const [field, v] of entries) rows.push([section, "1", field, cell(v)]);
    } else if (value !== null && value !== undefined) {
      rows.push(["request", "1", section, cell(value)]);
    }
  };
  for (const [key, value] of Object.entries(data)) walk(key, value);
  return rows;
}
