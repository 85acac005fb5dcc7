import { Readable } from "node:stream";
import { stringify } from "csv-stringify";

/**
 * A CSV file streamed as its rows are read, for downloads of any size: memory holds a page of rows, never the file.
 * csv-stringify writes it (quoting, line breaks inside cells); cells that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe (OWASP's CSV
 * injection advice), and the file starts with a UTF-8 byte order mark so Excel reads accents right.
 */
export function csvResponse({
  filename,
  header,
  rows,
}: {
  filename: string;
  header: readonly string[];
  rows: AsyncIterable<readonly unknown[]>;
}): Response {
  const csv = Readable.from(rows).pipe(
    stringify({ bom: true, header: true, columns: [...header], escape_formulas: true, record_delimiter: "windows" }),
  );
  return new Response(Readable.toWeb(csv) as ReadableStream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]+/g, "-")}"`,
      "Cache-Control": "no-store",
    },
  });
}
