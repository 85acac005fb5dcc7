/*
 * The sample CSV the Import customers page offers (newcomer: its column rules were 110 words of text; apps offer a file
 * to copy instead). Its headers are Shopify's own customer export's, every column the importer reads (customerColumns)
 * but Full name (First and Last name say the same) and Password (which cannot be imported), and its two rows pass the
 * importer's checks in any shop: a phone written with its country code is read the same in every country.
 */

/** The sample's header, Shopify's customer export spelling of each column Tally reads. */
export const sampleCustomersHeader = [
  "First Name",
  "Last Name",
  "Email",
  "Phone",
  "Tags",
  "Tax Exempt",
  "Accepts Email Marketing",
  "Points",
  "Default Address Company",
  "Default Address Address1",
  "Default Address Address2",
  "Default Address City",
  "Default Address Province Code",
  "Default Address Country Code",
  "Default Address Country",
  "Default Address Zip",
  "Default Address Phone",
] as const;

/** Two example customers, one in Canada and one in the UK, with fictional numbers (555-01xx, Ofcom's drama range). */
export const sampleCustomersRows: readonly (readonly string[])[] = [
  [
    "Ada",
    "Lovelace",
    "ada@example.com",
    "+1 613 555 0123",
    "VIP, Newsletter",
    "no",
    "yes",
    "250",
    "",
    "100 Queen Street",
    "Suite 200",
    "Ottawa",
    "ON",
    "CA",
    "Canada",
    "K1P 1J9",
    "+1 613 555 0123",
  ],
  [
    "Théo",
    "Martin",
    "theo@example.com",
    "+44 20 7946 0958",
    "",
    "no",
    "no",
    "0",
    "Martin & Daughters",
    "1 Example Street",
    "",
    "London",
    "",
    "GB",
    "United Kingdom",
    "SW1A 1AA",
    "+44 20 7946 0958",
  ],
];

/** The file's name when downloaded. */
export const SAMPLE_CUSTOMERS_FILE_NAME = "tally-sample-customers.csv";

/** The sample as CSV text (RFC 4180: comma separated, CRLF line ends, a cell with a comma or quote in quotes). */
export function sampleCustomersCsv(): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [sampleCustomersHeader, ...sampleCustomersRows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
