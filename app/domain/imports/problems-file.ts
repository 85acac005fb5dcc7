/*
 * The layout of a file's "rows with problems" download, to fix and upload again (newcomer round 15, finding 6). Each
 * row is written whole, as it was read. A row with more values than the header has columns (a value holding the
 * delimiter without quotes) keeps them all: its first values under the header's columns, the rest under extra
 * columns "Extra value 1", "Extra value 2"… placed before "Problems", so the reason stays in one column on every
 * row. In a spreadsheet the merchant joins the split value and shifts the rest left, and no value is lost: cutting
 * the row to the header's width dropped its last value (the points), and the values after the split sat one column
 * right. An extra column's header is one the import ignores, as it ignores "Problems". Trailing empty values (the
 * delimiters some spreadsheets add) make no extra column. The CSV writer neutralises cells that start like a formula.
 */

/**
 * How many columns a row's values take: up to its last non-empty one. The download's values take the header's
 * width, or the widest row's when one has more.
 */
export function problemRowWidth(cells: readonly string[]): number {
  let width = cells.length;
  while (width > 0 && cells[width - 1]!.trim() === "") width -= 1;
  return width;
}

/** The download's header: the file's own, the extra columns up to `width`, then "Problems". */
export function problemsFileHeader(headers: readonly string[], width: number): string[] {
  const extra = Array.from({ length: Math.max(0, width - headers.length) }, (_, i) => `Extra value ${i + 1}`);
  return [...headers, ...extra, "Problems"];
}

/** A row of the download: every value as read, padded to `width`, then the reason. */
export function problemsFileRow(cells: readonly string[], message: string, width: number): string[] {
  const values = cells.slice(0, Math.max(width, problemRowWidth(cells)));
  while (values.length < width) values.push("");
  return [...values, message];
}

/**
 * The download's file name, which the page names too ("Upload the file again" did not say which file: newcomer round
 * 19): "big-rows-with-problems.csv" for big.csv, written as the download's header writes it (letters, digits, dots
 * and dashes), so the page and the browser's Downloads say the same name.
 */
export function problemsFileName(fileName: string): string {
  return `${fileName.replace(/\.csv$/i, "")} rows with problems.csv`.replace(/[^\w.-]+/g, "-");
}
