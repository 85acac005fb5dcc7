import { isEnumType } from "graphql";
import { describe, expect, it } from "vitest";
import { checkCustomerRow, customerColumns, mapColumns } from "~/domain/imports";
import { locationLabel, readCountry, readRegion, SHOPIFY_COUNTRY_CODES } from "~/domain/shared";
import { adminSchema } from "../../sandbox/graphql/schema";

const header =
  "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1," +
  "Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code," +
  "Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags";
const { columns, unknown } = mapColumns(header.split(","), customerColumns);

/** A row of Shopify's export with these address cells (company, address1, address2, city, province, country, zip, phone). */
const row = (address: string[]) =>
  checkCustomerRow(
    ["", "Amélie", "Tremblay", "amelie@example.com", "no", ...address, "", "no", "0.00", "0", "", "no", ""],
    columns,
    "CA",
  );

describe("a customer row's default address", () => {
  it("maps every Default Address column of Shopify's export, and leaves the figures it cannot import", () => {
    expect(unknown).toEqual(["Customer ID", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note"]);
    expect(columns).toMatchObject({
      company: 5,
      address1: 6,
      city: 8,
      provinceCode: 9,
      countryCode: 10,
      zip: 11,
      addressPhone: 12,
      phone: 13,
    });
  });

  it("reads the address with its codes as Shopify takes them and its phone in its own country", () => {
    expect(row(["", "10 Downing Street", "", "London", "", "gb", "SW1A 2AA", "020 7946 0958"])).toEqual({
      ok: true,
      customer: expect.objectContaining({
        address: {
          address1: "10 Downing Street",
          city: "London",
          countryCode: "GB",
          zip: "SW1A 2AA",
          phone: "+442079460958",
        },
      }),
    });
    expect(row(["", "", "", "Montréal", "pq", "CA", "", ""])).toMatchObject({
      customer: { address: { city: "Montréal", provinceCode: "QC", countryCode: "CA" } },
    });
    const none = row(["", "", "", "", "", "", "", ""]);
    expect(none.ok && none.customer).not.toHaveProperty("address");
  });

  it("refuses the whole row for an address Shopify cannot take, saying why", () => {
    expect(row(["", "1 Main St", "", "Springfield", "", "", "12345", ""])).toEqual({
      ok: false,
      errors: [
        "The address has no country: write its two-letter code (such as CA, US or GB) in Default Address Country Code",
      ],
    });
    expect(row(["", "", "", "Austin", "TEXAS", "US", "", ""])).toEqual({
      ok: false,
      errors: [`"TEXAS" is not a province code of United States: use its code, such as AL, AK, AZ`],
    });
    expect(row(["", "", "", "", "", "CA", "", "555"])).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^Address phone: “555” is too short to be a phone number: write it like/)],
    });
  });
});

describe("countries and regions as Shopify takes them", () => {
  it("knows exactly the Admin API's CountryCode values, less ZZ", () => {
    const type = adminSchema("2026-10").getType("CountryCode");
    if (!isEnumType(type)) throw new Error("CountryCode is not an enum");
    const schemaCodes = type
      .getValues()
      .map((value) => value.name)
      .filter((code) => code !== "ZZ");
    expect([...SHOPIFY_COUNTRY_CODES].sort()).toEqual(schemaCodes.sort());
  });

  it("reads names and codes, and leaves other countries' regions to Shopify", () => {
    expect(readCountry("United Kingdom")).toEqual({ ok: true, code: "GB" });
    expect(readCountry("Côte d’Ivoire")).toEqual({ ok: true, code: "CI" });
    expect(readCountry("pr")).toEqual({ ok: false, filedUnder: "US" });
    expect(readRegion("CA", "CA-on")).toEqual({ ok: true, code: "ON", known: true });
    expect(readRegion("JP", "JP-13")).toEqual({ ok: true, code: "JP-13", known: false });
  });
});

describe("a customer's location as the directory and the profile write it", () => {
  it("names the country, so Vancouver, CA is not read as California", () => {
    expect(locationLabel({ city: "Vancouver", countryCode: "CA" })).toBe("Vancouver, Canada");
    expect(locationLabel({ city: "Vancouver", province: "British Columbia", countryCode: "CA" })).toBe(
      "Vancouver, British Columbia, Canada",
    );
    expect(locationLabel({ city: "London", countryCode: "GB" })).toBe("London, United Kingdom");
    expect(locationLabel({ city: "Lyon", countryCode: null })).toBe("Lyon");
    expect(locationLabel({ countryCode: "XK" })).toBe("Kosovo");
  });

  it("keeps a code Intl has no name for as Shopify sent it, and says nothing for an empty address", () => {
    expect(locationLabel({ city: "Somewhere", countryCode: "C4" })).toBe("Somewhere, C4");
    expect(locationLabel({ city: " ", province: "", countryCode: null })).toBeNull();
    expect(locationLabel({})).toBeNull();
  });
});
