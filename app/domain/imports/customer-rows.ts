import { z } from "zod";
import { checkAddress, type ImportedAddress } from "./address-cells";
import { checkEmail, checkEmailMarketing, checkPhone, checkPoints, checkYesNo } from "./cells";
import { cellOf, type ColumnField } from "./columns";
import { NO_NAME_NO_EMAIL } from "~/domain/customers/search";
import { tagProblem } from "~/domain/customers/tags";
import { tooLongWordsFor } from "~/domain/shared";

/*
 * One row of a customer CSV (issue 12, seed 003): what it says, checked cell by cell. Columns are matched by
 * `customerColumns` (Shopify's own export headers, seed 003's "name","email","password", common variants). A row is
 * either a customer to create or update in Shopify, or the list of its problems; nothing half-valid goes through.
 * Passwords cannot be set through the Admin API (CustomerInput has no password field): a row's password is read only to
 * say so and offer Shopify's account invitation instead.
 */

export const customerFields = [
  "email",
  "firstName",
  "lastName",
  "name",
  "phone",
  "tags",
  "taxExempt",
  "emailMarketing",
  "points",
  "password",
  "company",
  "address1",
  "address2",
  "city",
  "provinceCode",
  "countryCode",
  "country",
  "zip",
  "addressPhone",
] as const;
export type CustomerField = (typeof customerFields)[number];

export const customerColumns: readonly ColumnField<CustomerField>[] = [
  { field: "email", label: "Email", synonyms: ["email", "emailaddress", "mail", "customeremail", "e"], required: true },
  { field: "firstName", label: "First name", synonyms: ["firstname", "first", "givenname", "forename", "prenom"] },
  { field: "lastName", label: "Last name", synonyms: ["lastname", "last", "surname", "familyname", "nom"] },
  { field: "name", label: "Full name", synonyms: ["name", "fullname", "customername", "customer"] },
  {
    field: "phone",
    label: "Phone",
    synonyms: ["phone", "phonenumber", "mobile", "mobilephone", "telephone", "tel", "defaultaddressphone"],
  },
  { field: "tags", label: "Tags", synonyms: ["tags", "tag", "customertags"] },
  { field: "taxExempt", label: "Tax exempt", synonyms: ["taxexempt", "taxexemption", "exemptfromtax"] },
  {
    field: "emailMarketing",
    label: "Email marketing consent",
    synonyms: [
      "acceptsemailmarketing",
      "emailmarketingconsent",
      "emailmarketing",
      "acceptsmarketing",
      "marketingconsent",
      "newsletter",
      "subscribed",
    ],
  },
  { field: "points", label: "Points", synonyms: ["points", "pointsbalance", "balance", "loyaltypoints"] },
  { field: "password", label: "Password", synonyms: ["password", "passwd", "pwd"] },
  // The default address: Shopify's export names its columns "Default Address …"; its older export, Shopify's
  // Transporter and other platforms' files name them plainly ("Address1", "Province Code", "Zip").
  { field: "company", label: "Address: company", synonyms: ["defaultaddresscompany", "company", "companyname"] },
  {
    field: "address1",
    label: "Address: line 1",
    synonyms: ["defaultaddressaddress1", "address1", "addressline1", "address", "streetaddress", "street"],
  },
  { field: "address2", label: "Address: line 2", synonyms: ["defaultaddressaddress2", "address2", "addressline2"] },
  { field: "city", label: "Address: city", synonyms: ["defaultaddresscity", "city", "town"] },
  {
    field: "provinceCode",
    label: "Address: province code",
    synonyms: ["defaultaddressprovincecode", "provincecode", "statecode", "regioncode"],
  },
  {
    field: "countryCode",
    label: "Address: country code",
    synonyms: ["defaultaddresscountrycode", "countrycode"],
  },
  { field: "country", label: "Address: country", synonyms: ["defaultaddresscountry", "country"] },
  { field: "zip", label: "Address: zip", synonyms: ["defaultaddresszip", "zip", "zipcode", "postalcode", "postcode"] },
  { field: "addressPhone", label: "Address: phone", synonyms: ["defaultaddressphone", "addressphone"] },
];

/** What the merchant chose for a row whose email Shopify already has. */
export const existingCustomerChoiceSchema = z.enum(["update", "skip"]);
export type ExistingCustomerChoice = z.infer<typeof existingCustomerChoiceSchema>;

/** A checked row: the customer as Shopify's `customerSet` input takes it, plus the points to bring in. */
export interface ImportedCustomer {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  tags?: string[];
  taxExempt?: boolean;
  /** True: SUBSCRIBED, false: NOT_SUBSCRIBED, undefined: left as Shopify has it. */
  emailMarketing?: boolean;
  /** Points to add as an `import` entry; 0 or absent adds none. */
  points?: number;
  /** The file had a password for this customer (never stored: it cannot be set in Shopify). */
  hadPassword: boolean;
  /** The row's address, to be the customer's default address in Shopify. */
  address?: ImportedAddress;
}

export type CheckedCustomerRow = { ok: true; customer: ImportedCustomer } | { ok: false; errors: string[] };

/**
 * Checks one record against the columns matched. `country` (the shop's, ISO 3166-1 alpha-2, null when unknown) is
 * where national phone numbers are read, as Shopify's admin reads them; `delimiter` is the file's, whose convention the Points column's thousands follow. Pure; the duplicate-in-file and already-in-Shopify checks need the whole file and the shop,
 * and are the caller's.
 */
export function checkCustomerRow(
  record: readonly string[],
  columns: Partial<Record<CustomerField, number>>,
  country: string | null,
  delimiter = ",",
): CheckedCustomerRow {
  const errors: string[] = [];
  const cell = (field: CustomerField) => cellOf(record, columns, field);
  const email = checkEmail(cell("email"));
  if (!email.ok) errors.push(email.error);

  let firstName = cell("firstName");
  let lastName = cell("lastName");
  // A full name that is no name: Tally's export writes the email, or "Guest (no email)", in Name for a customer
  // without one (the directory's display name); imported back, it became the first name (newcomer round 14).
  const name = cell("name");
  const isNoName = name !== undefined && (name.includes("@") || name === NO_NAME_NO_EMAIL);
  if (name && !isNoName && !firstName && !lastName) {
    const parts = name.split(/\s+/);
    lastName = parts.length > 1 ? parts.pop() : undefined;
    firstName = parts.join(" ");
  }
  const tags = cell("tags")
    ?.split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  // A name or tag starting like a formula ("=", "+", "-", "@") is taken, as Shopify and the profile's Edit take it:
  // every CSV Tally writes neutralises it (app/lib/csv.server.ts), and shoppers type such names at checkout anyway.
  for (const [what, text] of [
    ["First name", firstName],
    ["Last name", lastName],
  ] as const) {
    const tooLong = text && tooLongWordsFor(what, text, 255);
    if (tooLong) errors.push(tooLong);
  }
  for (const tag of tags ?? []) {
    const problem = tagProblem(tag);
    if (problem) errors.push(problem);
  }

  const phoneCell = cell("phone");
  const phone = phoneCell ? checkPhone(phoneCell, country) : undefined;
  if (phone && !phone.ok) errors.push(phone.error);
  const taxCell = cell("taxExempt");
  const taxExempt = taxCell ? checkYesNo(taxCell, "Tax exempt") : undefined;
  if (taxExempt && !taxExempt.ok) errors.push(taxExempt.error);
  const consentCell = cell("emailMarketing");
  const consent = consentCell ? checkEmailMarketing(consentCell) : undefined;
  if (consent && !consent.ok) errors.push(consent.error);
  const pointsCell = cell("points");
  const points = pointsCell ? checkPoints(pointsCell, delimiter) : undefined;
  if (points && !points.ok) errors.push(points.error);
  const address = checkAddress(
    {
      company: cell("company"),
      address1: cell("address1"),
      address2: cell("address2"),
      city: cell("city"),
      provinceCode: cell("provinceCode"),
      country: cell("country"),
      countryCode: cell("countryCode"),
      zip: cell("zip"),
      phone: cell("addressPhone"),
    },
    country,
  );
  if (!address.ok) errors.push(...address.errors);

  if (errors.length > 0 || !email.ok || !address.ok) return { ok: false, errors };
  return {
    ok: true,
    customer: {
      email: email.value,
      ...(firstName && { firstName }),
      ...(lastName && { lastName }),
      ...(phone?.ok && { phone: phone.value }),
      ...(tags && tags.length > 0 && { tags }),
      ...(taxExempt?.ok && { taxExempt: taxExempt.value }),
      ...(consent?.ok && consent.value !== undefined && { emailMarketing: consent.value }),
      ...(points?.ok && points.value > 0 && { points: points.value }),
      hadPassword: cell("password") !== undefined,
      ...(address.address && { address: address.address }),
    },
  };
}

/** A customer import's options, as its check stores them. */
export interface CustomerImportOptions {
  existing: "update" | "skip";
  invite: boolean;
  /** The shop's country when the check started (ISO 3166-1 alpha-2), where the file's national phones are read. */
  country: string | null;
}

/**
 * Where an import reads national phone numbers: the shop's country when its check started. A check stored before
 * decision 053 kept the calling code the merchant typed instead ("1", "44"): "1" reads +1 numbers, any other none.
 */
export function phoneCountryOf(options: Readonly<Record<string, unknown>>): string | null {
  if (typeof options.country === "string" || options.country === null) return options.country;
  return options.countryCallingCode === "1" ? "US" : null;
}
