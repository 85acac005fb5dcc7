import { countryName, readCountry, readRegion, tooLongWordsFor } from "~/domain/shared";
import { checkPhone } from "./cells";

/*
 * A customer row's default address (Shopify's customer CSV: "Default Address Company", "Default Address Address1",
 * "Default Address Address2", "Default Address City", "Default Address Province Code", "Default Address Country
 * Code", "Default Address Zip", "Default Address Phone"; before them "Company", "Address1", "Address2", "City",
 * "Province Code", "Country" and "Country Code", "Zip"), checked as a whole: an address Shopify would refuse or file
 * under another country refuses the row, so a customer never arrives without the address their row gave.
 */

/** The address cells of a row, trimmed, undefined when empty. `country` is a name or code, `countryCode` a code. */
export interface AddressCells {
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  provinceCode?: string;
  country?: string;
  countryCode?: string;
  zip?: string;
  phone?: string;
}

/** A checked address, as Shopify's `MailingAddressInput` takes it: `countryCode` ISO 3166-1 alpha-2, `phone` E.164. */
export interface ImportedAddress {
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  provinceCode?: string;
  countryCode: string;
  zip?: string;
  phone?: string;
}

/** The most characters Shopify keeps in an address line, city, company or zip. */
const MAX_ADDRESS_TEXT = 255;

const textLabels = {
  company: "Company",
  address1: "Address line 1",
  address2: "Address line 2",
  city: "City",
  zip: "Zip",
} as const;

/**
 * The row's address, or why it cannot be imported (each reason a sentence the merchant reads beside the row);
 * `undefined` when the row has no address cell at all. The country comes from the code column, else from a country
 * column (a code or an English name); a region code is checked against the country where Tally holds its regions
 * (`readRegion`); the address phone is read as the row's phone is (decision 053), in the address's country, where
 * its national numbers are written. `shopCountry` is the fallback for the phone only. Pure.
 */
export function checkAddress(
  cells: AddressCells,
  shopCountry: string | null,
): { ok: true; address: ImportedAddress | undefined } | { ok: false; errors: string[] } {
  if (Object.values(cells).every((cell) => cell === undefined)) return { ok: true, address: undefined };
  const errors: string[] = [];
  const written = cells.countryCode ?? cells.country;
  let countryCode: string | undefined;
  if (written === undefined) {
    errors.push(
      "The address has no country: write its two-letter code (such as CA, US or GB) in Default Address Country Code",
    );
  } else {
    const reading = readCountry(written);
    if (reading.ok) countryCode = reading.code;
    else if (reading.filedUnder)
      errors.push(
        `"${written}" is filed by Shopify as a region of ${countryName(reading.filedUnder)}: write ${reading.filedUnder} as the country and ${written.toUpperCase()} as the province code`,
      );
    else
      errors.push(`"${written}" is not a country Shopify knows: write its two-letter ISO code, such as CA, US or GB`);
  }
  let provinceCode: string | undefined;
  if (cells.provinceCode && countryCode) {
    const region = readRegion(countryCode, cells.provinceCode);
    if (region.ok) provinceCode = region.code;
    else
      errors.push(
        `"${cells.provinceCode}" is not a province code of ${countryName(countryCode)}: use its code, such as ${region.examples.join(", ")}`,
      );
  }
  for (const [field, label] of Object.entries(textLabels) as [keyof typeof textLabels, string][]) {
    const tooLong = tooLongWordsFor(label, cells[field] ?? "", MAX_ADDRESS_TEXT);
    if (tooLong) errors.push(tooLong);
  }
  const phone = cells.phone ? checkPhone(cells.phone, countryCode ?? shopCountry) : undefined;
  if (phone && !phone.ok) errors.push(`Address phone: ${phone.error}`);
  if (errors.length > 0 || !countryCode) return { ok: false, errors };
  return {
    ok: true,
    address: {
      ...(cells.company && { company: cells.company }),
      ...(cells.address1 && { address1: cells.address1 }),
      ...(cells.address2 && { address2: cells.address2 }),
      ...(cells.city && { city: cells.city }),
      ...(provinceCode && { provinceCode }),
      countryCode,
      ...(cells.zip && { zip: cells.zip }),
      ...(phone?.ok && { phone: phone.value }),
    },
  };
}

/** A customer's default address as Shopify answered it: `countryCode` ISO 3166-1 alpha-2, `province` its name. */
export interface AnsweredAddress {
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  zip: string | null;
}
