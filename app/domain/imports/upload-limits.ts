/**
 * The largest file staff may upload to the Import page: 200 MiB, a few million rows of a customer CSV (the upload is
 * streamed to disk, never held in memory: app/lib/uploads.server.ts). The page checks a chosen file against it before
 * sending, so a merchant reads the limit instead of a refused request.
 */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Megabytes to one decimal, rounded up, so a file just past the limit never reads as the limit itself. */
const megabytes = (bytes: number) =>
  (Math.ceil((bytes / 1024 / 1024) * 10) / 10).toLocaleString("en-US", { maximumFractionDigits: 1 });

/** What a file over the limit is told: its size when known ("The file is 250.4 MB"), the limit and what to do. */
export function uploadTooLargeWords(bytes?: number): string {
  const size = bytes === undefined ? "The file is larger than that" : `The file is ${megabytes(bytes)} MB`;
  return `Tally takes CSV files up to ${megabytes(MAX_UPLOAD_BYTES)} MB. ${size}: split it into smaller files and import each.`;
}

/** `uploadTooLargeWords(bytes)` for a file over the limit, null for one within it. */
export function uploadTooLarge(bytes: number): string | null {
  return bytes > MAX_UPLOAD_BYTES ? uploadTooLargeWords(bytes) : null;
}
