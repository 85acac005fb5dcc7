import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeAuditChange } from "~/components/audit-log";
import { auditEvents, customers } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { BULK_FROM_ROWS } from "~/jobs/tasks/import-customers-bulk.server";
import { createFormatter } from "~/lib/format";
import { action as importPage, loader as importPreview } from "~/routes/app.import.$id";
import { action as importUpload } from "~/routes/app.import._index";
import { loader as directoryLoader } from "~/routes/app.customers";
import { listImportProblems } from "~/services/imports/apply-import.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { callAdminRoute } from "../helpers/signed-requests";

/*
 * A merchant re-imports Shopify's own customer export (or one from an app that writes its format): each customer's
 * "Default Address …" columns become their default address in Shopify, and the directory's Location column and
 * country filter show them, as they do for customers the sync brought. Before, the import read the names, email and
 * phone and dropped every address. An address Shopify cannot take (a country code it does not know, a province its
 * country does not have) refuses its row in the preview, with the line and the reason, and nothing of the row is sent.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const format = createFormatter({ locale: "en-US", pointsNames: { singular: "point", plural: "points" } });

/** Shopify's customer export header (help.shopify.com, "Using CSV files to import and export customers"). */
const shopifyExportHeader =
  "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1," +
  "Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code," +
  "Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags";

const exportFile = [
  shopifyExportHeader,
  "'8779761975521,Amélie,Tremblay,amelie@example.com,no,,150 Elgin St,Unit 202,Ottawa,ON,CA,K2P 1L4,'+16135550142,,no,0.00,0,,no,",
  ',Oliver,Hughes,oliver@example.com,yes,Hughes & Co,10 Downing Street,,London,,GB,SW1A 2AA,020 7946 0958,,no,0.00,0,,no,"vip"',
  ",Bad,Country,bad.country@example.com,no,,1 Main St,,Springfield,,XX,12345,,,no,0.00,0,,no,",
  ",Bad,Province,bad.province@example.com,no,,1 Rue Sainte-Catherine,,Montréal,ZZ,CA,H2X 1Y4,,,no,0.00,0,,no,",
  ",Rosa,Rivera,rosa@example.com,no,,1 Calle Luna,,San Juan,,PR,00901,,,no,0.00,0,,no,",
  // A customer Shopify and Tally already have, in Ottawa: the file moves her to Toronto.
  ",Maya,Okafor,maya.demo@example.com,no,,1 Front St W,,Toronto,ON,CA,M5J 2X6,,,no,0.00,0,,no,",
  "",
].join("\n");

async function importFile(shop: string, csv: string) {
  const form = new FormData();
  form.set("intent", "customers");
  form.set("existing", "update");
  form.set("file", new File([csv], "customers_export.csv", { type: "text/csv" }));
  const uploaded = (await callAdminRoute(importUpload, shop, "/app/import", {
    method: "POST",
    body: form,
  })) as Response;
  expect(uploaded.status).toBe(302);
  await createTaskRunner({ shops: [shop] }).drain();
  const importId = Number(/\/app\/import\/(\d+)/.exec(uploaded.headers.get("Location") ?? "")?.[1]);
  const preview = await callAdminRoute(importPreview, shop, `/app/import/${importId}`);
  const problems: [number, string][] = [];
  for await (const problem of listImportProblems({ ctx: contextFor(shop, "test"), input: { importId } }))
    problems.push([problem.line, problem.message]);
  const started = (await callAdminRoute(importPage, shop, `/app/import/${importId}`, {
    method: "POST",
    body: new URLSearchParams({ intent: "start" }),
  })) as Response;
  expect(started.status).toBe(302);
  await createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
  await sandboxOf().control.idle();
  return { preview, problems };
}

/** The directory as the merchant filters it: each listed customer's email with its Location column's words. */
async function directory(shop: string, search: string) {
  const page = await callAdminRoute(directoryLoader, shop, `/app/customers${search}`);
  return Object.fromEntries(
    page.page.customers.map((c: { email: string | null; city: string | null; countryCode: string | null }) => [
      c.email,
      [c.city, c.countryCode].filter(Boolean).join(", "),
    ]),
  );
}

/** The customer's default address as Shopify answers an app. */
async function shopifyAddress(shop: string, email: string) {
  const { admin } = await unauthenticated.admin(shop);
  const answer = await admin.graphql(
    `query ($q: String) { customers(first: 2, query: $q) { nodes { defaultAddress {
      firstName lastName company address1 address2 city province provinceCode countryCodeV2 zip phone } } } }`,
    { variables: { q: `email:${email}` } },
  );
  const { data } = (await answer.json()) as { data: { customers: { nodes: { defaultAddress: unknown }[] } } };
  return data.customers.nodes.map((node) => node.defaultAddress);
}

/** Maya Okafor in Shopify and in Tally's copy, at home in Ottawa. */
async function shopWithMayaInOttawa() {
  const shop = await installedSandboxShop(sandboxOf());
  const maya = sandboxOf().control.createCustomer({
    shop,
    email: "maya.demo@example.com",
    firstName: "Maya",
    lastName: "Okafor",
    address: { address1: "150 Elgin St", city: "Ottawa", province: "Ontario", provinceCode: "ON", zip: "K2P 1L4" },
  });
  await db.insert(customers).values({
    shop,
    customerGid: `gid://shopify/Customer/${maya.id}`,
    email: "maya.demo@example.com",
    firstName: "Maya",
    lastName: "Okafor",
    city: "Ottawa",
    province: "Ontario",
    countryCode: "CA",
  });
  await sandboxOf().control.idle();
  return shop;
}

describe("a customer file in Shopify's export format brings each customer's default address", () => {
  it("sets it in Shopify and shows it in the directory's Location and country filter; a bad address refuses its row", async () => {
    const shop = await shopWithMayaInOttawa();
    const { preview, problems } = await importFile(shop, exportFile);
    expect(preview.summary).toMatchObject({ rows: 6, problems: 3, create: 2, update: 1, unchanged: 0 });
    expect(problems).toEqual([
      [4, `"XX" is not a country Shopify knows: write its two-letter ISO code, such as CA, US or GB`],
      [5, `"ZZ" is not a province code of Canada: use its code, such as AB, BC, MB`],
      [6, `"PR" is filed by Shopify as a region of United States: write US as the country and PR as the province code`],
    ]);
    // The preview names the move ("… will be updated: Location on 1"), from the check's count per field.
    expect(preview.summary["changed.address"]).toBe(1);

    // The directory, filtered by country as the merchant filters it.
    expect(await directory(shop, "?country=CA")).toEqual({
      "amelie@example.com": "Ottawa, CA",
      "maya.demo@example.com": "Toronto, CA",
    });
    expect(await directory(shop, "?country=GB")).toEqual({ "oliver@example.com": "London, GB" });
    const [amelie] = await db
      .select({ province: customers.province })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "amelie@example.com")));
    expect(amelie?.province).toBe("Ontario");

    // In Shopify: the whole address, the customer's name on it, its phone read in its own country.
    expect(await shopifyAddress(shop, "amelie@example.com")).toEqual([
      {
        firstName: "Amélie",
        lastName: "Tremblay",
        company: null,
        address1: "150 Elgin St",
        address2: "Unit 202",
        city: "Ottawa",
        province: "Ontario",
        provinceCode: "ON",
        countryCodeV2: "CA",
        zip: "K2P 1L4",
        phone: "+16135550142",
      },
    ]);
    expect(await shopifyAddress(shop, "oliver@example.com")).toEqual([
      expect.objectContaining({ company: "Hughes & Co", countryCodeV2: "GB", phone: "+442079460958" }),
    ]);
    expect(await shopifyAddress(shop, "maya.demo@example.com")).toEqual([
      expect.objectContaining({ address1: "1 Front St W", city: "Toronto", provinceCode: "ON", zip: "M5J 2X6" }),
    ]);
    // The refused rows reached no one.
    for (const email of ["bad.country@example.com", "bad.province@example.com", "rosa@example.com"])
      expect(await shopifyAddress(shop, email)).toEqual([]);

    // Maya's own trail names the move.
    const lines = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "customer.import")))
      .orderBy(asc(auditEvents.id));
    const words = lines.map((event) =>
      describeAuditChange({ ...event, actorName: null } as Parameters<typeof describeAuditChange>[0], format),
    );
    expect(words).toContainEqual(expect.stringContaining("Location: Ottawa, Canada \u2192 Toronto, Canada"));
  });

  it("reads Shopify's older headers and a country written by name; the same file imported again changes nothing", async () => {
    const shop = await installedSandboxShop(sandboxOf());
    const older = [
      "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,Country Code,Zip,Phone",
      "Lina,Berg,lina@example.com,,Storgatan 1,,Stockholm,,,Sweden,SE,111 22,",
      "Tom,Lee,tom@example.com,,1 George St,,Sydney,New South Wales,NSW,Australia,,2000,",
      "",
    ].join("\n");
    const first = await importFile(shop, older);
    expect(first.problems).toEqual([]);
    expect(await directory(shop, "?country=SE&country=AU")).toEqual({
      "lina@example.com": "Stockholm, SE",
      "tom@example.com": "Sydney, AU",
    });
    const again = await importFile(shop, older);
    expect(again.preview.summary).toMatchObject({ create: 0, update: 2, unchanged: 2 });
  });

  it("does the same for a file large enough to go to Shopify as a bulk mutation", { timeout: 120_000 }, async () => {
    const shop = await shopWithMayaInOttawa();
    const lines = exportFile.trim().split("\n");
    for (let i = 0; i < BULK_FROM_ROWS; i++)
      lines.push(`,Guest,${i},guest${i}@example.com,no,,${i} King St,,Kingston,ON,CA,K7L 2Z4,,,no,0.00,0,,no,`);
    const { preview, problems } = await importFile(shop, `${lines.join("\n")}\n`);
    expect(preview.summary).toMatchObject({ create: 2 + BULK_FROM_ROWS, update: 1, problems: 3 });
    expect(problems.map(([line]) => line)).toEqual([4, 5, 6]);
    expect(await shopifyAddress(shop, "guest999@example.com")).toEqual([
      expect.objectContaining({ address1: "999 King St", city: "Kingston", provinceCode: "ON" }),
    ]);
    expect(await shopifyAddress(shop, "maya.demo@example.com")).toEqual([
      expect.objectContaining({ address1: "1 Front St W", city: "Toronto" }),
    ]);
    const page = await directory(shop, "?country=GB");
    expect(page).toEqual({ "oliver@example.com": "London, GB" });
    const ca = await directory(shop, "?country=CA&q=maya");
    expect(ca).toEqual({ "maya.demo@example.com": "Toronto, CA" });
  });
});
