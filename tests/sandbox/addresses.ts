import { normalizePhone } from "./contact";
import { SandboxError } from "./operations/base";
import { countryName } from "./payloads";
import type { AddressRecord } from "./store/index";

/*
 * MailingAddressInput as Shopify's Admin API takes it on customerCreate, customerUpdate, customerSet (`addresses`)
 * and customerAddressCreate (shopify.dev/docs/api/admin-graphql/2026-10/input-objects/MailingAddressInput). The
 * sandbox keeps one address per customer, their default (CustomerRecord.address): a list's first entry, or an address
 * created as the default. The region's name is Shopify's for the codes of Canada and Australia
 * (Shopify/worldwide, db/data/regions), the code itself elsewhere; the country's name is its English one.
 */

export interface MailingAddressInput {
  id?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  country?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  phone?: string | null;
}

const regionNames: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CA: {
    AB: "Alberta",
    BC: "British Columbia",
    MB: "Manitoba",
    NB: "New Brunswick",
    NL: "Newfoundland and Labrador",
    NT: "Northwest Territories",
    NS: "Nova Scotia",
    NU: "Nunavut",
    ON: "Ontario",
    PE: "Prince Edward Island",
    QC: "Quebec",
    SK: "Saskatchewan",
    YT: "Yukon",
  },
  AU: {
    ACT: "Australian Capital Territory",
    NSW: "New South Wales",
    NT: "Northern Territory",
    QLD: "Queensland",
    SA: "South Australia",
    TAS: "Tasmania",
    VIC: "Victoria",
    WA: "Western Australia",
  },
};

/**
 * The stored address for an input; `id` the MailingAddress id to give it. Refuses, as Shopify does, a region code
 * the country does not have (for the countries whose regions the sandbox names) and a phone it cannot read.
 */
export function addressRecordOf(input: MailingAddressInput, id: string, shopCountry: string): AddressRecord {
  const countryCode = (input.countryCode ?? shopCountry).toUpperCase();
  const provinceCode = input.provinceCode?.toUpperCase() ?? "";
  const regions = regionNames[countryCode];
  if (provinceCode && regions && !regions[provinceCode])
    throw new SandboxError("Province is not valid", ["addresses", "0", "provinceCode"], "INVALID");
  const phone = input.phone ? normalizePhone(input.phone, countryCode) : null;
  if (input.phone && !phone) throw new SandboxError("Phone is invalid", ["addresses", "0", "phone"], "INVALID");
  return {
    id,
    firstName: input.firstName ?? "",
    lastName: input.lastName ?? "",
    company: input.company ?? null,
    address1: input.address1 ?? "",
    address2: input.address2 ?? null,
    city: input.city ?? "",
    province: (provinceCode && regions?.[provinceCode]) || input.province || provinceCode,
    provinceCode,
    country: countryName(countryCode),
    countryCode,
    zip: input.zip ?? "",
    phone,
  };
}
