import { SAMPLE_CUSTOMERS_FILE_NAME, sampleCustomersCsv } from "~/domain/imports";

/**
 * GET /app/import/sample-customers.csv: the Import customers page's sample file (app/domain/imports/sample-customers.ts),
 * the columns Tally reads and two example rows. The same for every shop and holding no shop's data, so it needs no
 * session: a resource route, which the /app layout's authentication does not run for.
 */
export const loader = () =>
  new Response(sampleCustomersCsv(), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${SAMPLE_CUSTOMERS_FILE_NAME}"`,
      "Cache-Control": "public, max-age=3600",
    },
  });
