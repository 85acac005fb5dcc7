import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customerCounts, customerFacets, customers, customerViews, memberGrowth, shops } from "~/db/schema";
import {
  anonymousNameSort,
  customerQueryParamsSchema,
  emptyCustomerQuery,
  noCustomersFoundHint,
  paramsOf,
  viewNameKey,
  type DirectorySort,
} from "~/domain/customers";
import { action as directoryAction, loader as directoryLoader } from "~/routes/app.customers";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { action as checkoutCreate } from "~/routes/webhooks.checkouts.create";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as purchasingSummary } from "~/routes/webhooks.customers.purchasing_summary";
import { action as consentUpdate } from "~/routes/webhooks.customers_email_marketing_consent.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { containsText, idsContainingAll } from "~/db/customer-search";
import { isUniqueViolation } from "~/db/dialect";
import { exportColumnsFor } from "~/domain/background-jobs";
import { countSelectedCustomers, readSelectionPage } from "~/services/customers/bulk-customers.server";
import { listMatchingCustomerIds, selectCustomerPage } from "~/services/customers/customer-query.server";
import { getDirectoryColumns, saveDirectoryColumns } from "~/services/customers/directory-views.server";
import { customerQueryOf } from "~/services/customers/load-customer-directory.server";
import { backfillCustomerSearch } from "~/services/customers/backfill-customer-search.server";
import { repairCustomerCounts } from "~/services/customers/repair-customer-counts.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { orderJson } from "../factories/orders";
import { installOfflineSession, newShopDomain, testStaff } from "../factories/shops";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { onPostgres } from "../helpers/dialect";
import { rerunMigration, runStatements } from "../helpers/migrations";
import { samplePayload } from "../helpers/shopify-samples";

const { db } = contextFor("any", "test");
type Row = typeof customers.$inferSelect;

const isViewNameViolation = (error: unknown) =>
  isUniqueViolation(error, customerViews, "customer_views_shop_name_key_uq");

async function newShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

async function directory(shop: string, search = "") {
  const request = await sessionTokenRequest(shop, `/app/customers${search}`);
  return directoryLoader({ request, params: {}, context: {} });
}

async function post(shop: string, fields: Record<string, string>) {
  const request = await sessionTokenRequest(shop, "/app/customers", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  const answer = await directoryAction({ request, params: {}, context: {} });
  return answer instanceof Response
    ? { status: answer.status, body: await answer.json() }
    : { status: 200, body: answer };
}

async function rejection(shop: string, search: string) {
  const thrown = await directory(shop, search).then(
    () => undefined,
    (error: unknown) => error,
  );
  return thrown instanceof Response ? thrown.status : thrown;
}

/** Every customer the directory lists for the search, in its order, following the next-page cursor to the end. */
async function everyPage(shop: string, search: string) {
  const separator = search ? "&" : "?";
  let page = await directory(shop, search);
  const rows = [...page.page.customers];
  while (page.page.nextCursor) {
    page = await directory(shop, `${search}${separator}after=${page.page.nextCursor}`);
    rows.push(...page.page.customers);
  }
  return { rows, count: await page.count, tabCounts: page.tabCounts };
}

let customerNumber = 0;
/** A customer as Shopify's customers/create webhook describes them, delivered signed to the real route. */
async function createCustomer(shop: string, fields: Record<string, unknown>) {
  customerNumber += 1;
  const gid = `gid://shopify/Customer/${8_100_000_000_000 + customerNumber}`;
  const response = await deliverWebhook(customerCreate, "customers/create", shop, {
    ...samplePayload("customers/create"),
    admin_graphql_api_id: gid,
    id: 8_100_000_000_000 + customerNumber,
    phone: null,
    updated_at: "2026-10-01T10:00:00Z",
    created_at: "2026-01-01T10:00:00Z",
    ...fields,
  });
  expect(response.status).toBe(200);
  return gid;
}

const namesOf = (page: { page: { customers: Array<{ name: string }> } }) =>
  page.page.customers.map((customer) => customer.name).toSorted();

describe("Customer directory: search", () => {
  it("finds any part of a name, in any order, whatever the case and accents, NFC on write and query", async () => {
    const shop = await newShop();
    await createCustomer(shop, { first_name: "Łukasz", last_name: "Nowak", email: "l.n@example.pl" });
    await createCustomer(shop, { first_name: "Émile", last_name: "Durand", email: "ed@example.fr" });
    // José as a Mac keyboard may send it: e followed by U+0301 COMBINING ACUTE ACCENT.
    await createCustomer(shop, { first_name: "Jose\u0301", last_name: "Garci\u0301a", email: "jg@example.es" });
    await createCustomer(shop, { first_name: "Anna", last_name: "Petrova", email: "anna.petrova@example.com" });
    await createCustomer(shop, {
      first_name: "Maria",
      last_name: "Rossi",
      email: "maria@gmail.com",
      phone: "+48 601 234 567",
    });
    await createCustomer(shop, { first_name: "Søren", last_name: "Kierkegaard", email: "sk@example.dk" });

    const cases: Array<[string, string[]]> = [
      ["łukasz", ["Łukasz Nowak"]],
      ["LUKASZ", ["Łukasz Nowak"]],
      ["Łukasz Nowak", ["Łukasz Nowak"]],
      ["nowak łukasz", ["Łukasz Nowak"]],
      ["owa", ["Łukasz Nowak"]],
      ["émile", ["Émile Durand"]],
      ["EMILE", ["Émile Durand"]],
      ["durand émile", ["Émile Durand"]],
      ["josé", ["José García"]],
      ["jose\u0301", ["José García"]],
      ["garcia", ["José García"]],
      ["petrova", ["Anna Petrova"]],
      ["Petrova", ["Anna Petrova"]],
      ["rossi", ["Maria Rossi"]],
      ["example.com", ["Anna Petrova"]],
      ["gmail", ["Maria Rossi"]],
      ["601 234", ["Maria Rossi"]],
      ["+48601234567", ["Maria Rossi"]],
      ["soren", ["Søren Kierkegaard"]],
      ["kierke søren", ["Søren Kierkegaard"]],
      ["example", ["Anna Petrova", "José García", "Søren Kierkegaard", "Émile Durand", "Łukasz Nowak"]],
      ["zzz", []],
    ];
    for (const [search, expected] of cases) {
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}`)), search).toEqual(expected.toSorted());
    }
    const [jose] = await db.select().from(customers).where(eq(customers.email, "jg@example.es"));
    expect(jose?.firstName).toBe("José".normalize("NFC"));
  });

  it("finds one- and two-letter terms, broad or rare, and counts what it finds", async () => {
    const shop = await newShop();
    // Enough customers that a rare two-letter run is under 1% of them: found through the trigram index's vocabulary.
    await insertCustomers(
      db,
      shop,
      Array.from({ length: 150 }, () => ({ status: "guest" as const, firstName: "Pat", lastName: "Lee" })),
    );
    await createCustomer(shop, { first_name: "Zqa", last_name: "Mbe", email: "zq@example.net" });
    await createCustomer(shop, { first_name: "Ola", last_name: "Duarte", email: "o@example.net" });

    expect(namesOf(await directory(shop, "?q=zq"))).toEqual(["Zqa Mbe"]);
    expect(namesOf(await directory(shop, "?q=qa"))).toEqual(["Zqa Mbe"]);
    expect(namesOf(await directory(shop, "?q=du"))).toEqual(["Ola Duarte"]);
    // "e" is everywhere ("Lee"): the whole shop, a page at a time.
    const broad = await everyPage(shop, "?q=e");
    expect(broad.rows).toHaveLength(152);
    expect(broad.count).toEqual({ count: 152, precision: "exact" });
    expect(await (await directory(shop, "?q=zq")).count).toEqual({ count: 1, precision: "exact" });
  });

  it("reads a term's candidates through its rarest trigrams: every row holding the term, whatever its trigrams", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, randomCustomers(300, 23));
    const rows = await db.select().from(customers).where(eq(customers.shop, shop));
    // Every 3- to 8-character piece of a few customers' search texts: common trigrams ('com', '.co'), rare ones,
    // accents folded, pieces across the name and the email.
    const terms = new Set<string>();
    for (const row of rows.slice(0, 12)) {
      const text = Array.from(row.searchText ?? "");
      for (let at = 0; at + 3 <= text.length; at += 5) terms.add(text.slice(at, at + 3 + (at % 6)).join(""));
    }
    for (const term of [...terms].filter((each) => each.trim().length >= 3)) {
      const ids = await idsContainingAll(db, [term]);
      const found = await db
        .select({ id: customers.id })
        .from(customers)
        .where(
          sql`${customers.shop} = ${shop} and ${customers.id} in (${ids}) and ${containsText(db, customers.searchText, term)}`,
        );
      expect(
        found.map((row) => row.id).sort((a, b) => a - b),
        term,
      ).toEqual(
        rows
          .filter((row) => (row.searchText ?? "").includes(term))
          .map((row) => row.id)
          .sort((a, b) => a - b),
      );
    }
  });

  it("never searches another shop's customers, and forgets an erased customer", async () => {
    const shop = await newShop();
    const other = await newShop();
    await createCustomer(other, { first_name: "Ingrid", last_name: "Theirs", email: "ingrid@theirs.example" });
    expect(namesOf(await directory(shop, "?q=ingrid"))).toEqual([]);
    expect(namesOf(await directory(other, "?q=ingrid"))).toEqual(["Ingrid Theirs"]);

    const gid = await createCustomer(shop, { first_name: "Xavqz", last_name: "Wyjqu", email: "xw@erased.example" });
    expect(namesOf(await directory(shop, "?q=wyjqu"))).toEqual(["Xavqz Wyjqu"]);
    const redact = await deliverWebhook(customersRedact, "customers/redact", shop, {
      ...samplePayload("customers/redact"),
      shop_domain: shop,
      customer: { id: Number(gid.split("/").pop()), email: "xw@erased.example", phone: null },
      orders_to_redact: [],
    });
    expect(redact.status).toBe(200);
    expect(namesOf(await directory(shop, "?q=wyjqu"))).toEqual([]);
    // No fragment of the erased name is left in the trigram index. SQLite: its vocabulary; PostgreSQL's pg_trgm index
    // reads the row itself, whose search text the erasure emptied (decision 034).
    const traces = onPostgres
      ? await db
          .select({ id: customers.id })
          .from(customers)
          .where(sql`${customers.searchText} like '%wyj%' or ${customers.searchText} like '%xav%'`)
      : await db
          .select({ term: sql<string>`term` })
          .from(sql`customer_search_vocab`)
          .where(sql`term in ('wyj', 'yjq', 'jqu', 'xav', 'avq', 'vqz')`);
    expect(traces).toEqual([]);
  });

  it("finds a name whichever apostrophe or hyphen was typed, and whichever one Shopify holds", async () => {
    const shop = await newShop();
    await createCustomer(shop, { first_name: "Zoë", last_name: "O'Neill, Jr", email: "zo@example.ie" });
    // U+2019, as iOS typed it into the storefront's account form; Shopify keeps it.
    await createCustomer(shop, { first_name: "Siobhán", last_name: "O\u2019Neill", email: "sn@example.ie" });
    await createCustomer(shop, { first_name: "Marco", last_name: "D\u2019Angelo", email: "md@example.it" });
    await createCustomer(shop, { first_name: "Jean\u2011Luc", last_name: "Picard", email: "jlp@example.fr" });
    await createCustomer(shop, { first_name: "Anne\u2013Marie", last_name: "Duval", email: "amd@example.fr" });
    await createCustomer(shop, { first_name: "Leilani", last_name: "Kaʻahumanu", email: "lk@example.us" });

    const oneills = ["Siobhán O\u2019Neill", "Zoë O'Neill, Jr"];
    const cases: Array<[string, string[]]> = [
      ["O\u2019Neill", oneills],
      ["o'neill", oneills],
      ["O\u2018NEILL", oneills],
      ["o\u00B4neill", oneills],
      ["zoe o\u2019neill", ["Zoë O'Neill, Jr"]],
      ["o\u2019neil", oneills],
      ["d'angelo", ["Marco D\u2019Angelo"]],
      ["D\u2019Angelo", ["Marco D\u2019Angelo"]],
      ["d\u02BCangelo", ["Marco D\u2019Angelo"]],
      ["jean-luc", ["Jean\u2011Luc Picard"]],
      ["Jean\u2010Luc", ["Jean\u2011Luc Picard"]],
      ["anne-marie", ["Anne\u2013Marie Duval"]],
      ["kaʻahumanu", ["Leilani Kaʻahumanu"]],
      ["ka'ahumanu", ["Leilani Kaʻahumanu"]],
      // Typed without the apostrophe or hyphen, or with spaces for the hyphen.
      ["oneill", oneills],
      ["zoe oneill", ["Zoë O'Neill, Jr"]],
      ["dangelo", ["Marco D\u2019Angelo"]],
      ["jeanluc", ["Jean\u2011Luc Picard"]],
      ["jean luc", ["Jean\u2011Luc Picard"]],
      ["annemarie", ["Anne\u2013Marie Duval"]],
      ["kaahumanu", ["Leilani Kaʻahumanu"]],
    ];
    for (const [search, expected] of cases) {
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}`)), search).toEqual(expected.toSorted());
    }
  });

  it("finds a customer stored with a typographic apostrophe before the fold, once migrated and backfilled", async () => {
    const shop = await newShop();
    const [niamh, rosa, jeanPierre, aoife] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Niamh", lastName: "O\u2019Brien", email: "nob@example.ie" },
      { status: "member", firstName: "Rosa", lastName: "D\u00B4Amico", email: "rda@example.it" },
      { status: "guest", firstName: "Jean\u2011Pierre", lastName: "Roux", email: "jpr@example.fr" },
      { status: "guest", firstName: "Aoife", lastName: "O'Shea", email: "aos@example.ie" },
    ]);
    // What the fold before migration 0026 wrote: ’ kept, ´ decomposed to a space, U+2011 decomposed to U+2010.
    const before = new Map([
      [niamh!.id, { searchText: "niamh o\u2019brien nob@example.ie  ", nameSort: "niamh o\u2019brien" }],
      [rosa!.id, { searchText: "rosa d amico rda@example.it  ", nameSort: "rosa d amico" }],
      [jeanPierre!.id, { searchText: "jean\u2010pierre roux jpr@example.fr  ", nameSort: "jean\u2010pierre roux" }],
    ]);
    for (const [id, columns] of before) await db.update(customers).set(columns).where(eq(customers.id, id));
    expect(namesOf(await directory(shop, "?q=o'brien"))).toEqual([]);
    expect(namesOf(await directory(shop, "?q=d'amico"))).toEqual([]);

    await rerunMigration({ sqlite: "0026_search-apostrophes", postgres: "0013_search-apostrophes" });
    const rowsOf = async () =>
      new Map((await db.select().from(customers).where(eq(customers.shop, shop))).map((row) => [row.id, row] as const));
    const migrated = await rowsOf();
    for (const id of before.keys()) expect(migrated.get(id)!.searchText).toBeNull();
    // A name with the ASCII apostrophe already had its search text: the migration leaves it be.
    expect(migrated.get(aoife!.id)!.searchText).toBe("aoife oshea aos@example.ie  ");

    expect(await backfillCustomerSearch({ ctx: contextForAllShops("test") })).toBeGreaterThanOrEqual(3);
    const backfilled = await rowsOf();
    expect(backfilled.get(niamh!.id)).toMatchObject({
      searchText: "niamh obrien nob@example.ie  ",
      nameSort: "niamh o'brien",
    });
    expect(backfilled.get(rosa!.id)).toMatchObject({ nameSort: "rosa d'amico" });
    expect(backfilled.get(jeanPierre!.id)).toMatchObject({ nameSort: "jean-pierre roux" });
    for (const [search, expected] of [
      ["O\u2019Brien", ["Niamh O\u2019Brien"]],
      ["o'brien", ["Niamh O\u2019Brien"]],
      ["O\u2018BRIEN", ["Niamh O\u2019Brien"]],
      ["d'amico", ["Rosa D\u00B4Amico"]],
      ["jean-pierre", ["Jean\u2011Pierre Roux"]],
      ["o'shea", ["Aoife O'Shea"]],
    ] as const) {
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}`)), search).toEqual(expected);
    }
    // The search index followed the column (SQLite: the FTS table, by its update trigger; PostgreSQL: pg_trgm).
    const indexed = await db
      .select({ id: customers.id })
      .from(customers)
      .where(sql`${customers.shop} = ${shop} and ${customers.id} in (${await idsContainingAll(db, ["obrien"])})`);
    expect(indexed).toEqual([{ id: niamh!.id }]);
    expect(
      await db
        .select({ id: customers.id })
        .from(customers)
        .where(
          sql`${customers.shop} = ${shop} and ${customers.id} in (${await idsContainingAll(db, ["o\u2019brien"])})`,
        ),
    ).toEqual([]);
  });
});

describe("Customer directory: search without the apostrophe or hyphen", () => {
  it("finds names and emails whether or not the apostrophe or hyphen is typed", async () => {
    const shop = await newShop();
    await createCustomer(shop, { first_name: "Marco", last_name: "D'Angelo", email: "marco@example.it" });
    await createCustomer(shop, { first_name: "Jean-Luc", last_name: "Picard", email: "jean-luc@example.fr" });
    await createCustomer(shop, { first_name: "Róisín", last_name: "O\u2019Neill", email: "r.o'neill@example.ie" });
    await createCustomer(shop, { first_name: "Dan", last_name: "Gelo", email: "dg@my-shop.example" });
    for (const [search, expected] of [
      ["dangelo", ["Marco D'Angelo"]],
      ["d'angelo", ["Marco D'Angelo"]],
      ["D\u2019ANGELO", ["Marco D'Angelo"]],
      ["oneill", ["Róisín O\u2019Neill"]],
      ["o'neill", ["Róisín O\u2019Neill"]],
      ["O\u2019Neill", ["Róisín O\u2019Neill"]],
      ["jeanluc", ["Jean-Luc Picard"]],
      ["jean luc", ["Jean-Luc Picard"]],
      ["jean-luc", ["Jean-Luc Picard"]],
      // By email, typed as it is written or without its punctuation.
      ["jean-luc@", ["Jean-Luc Picard"]],
      ["jean-luc@example.fr", ["Jean-Luc Picard"]],
      ["r.o'neill@", ["Róisín O\u2019Neill"]],
      ["my-shop", ["Dan Gelo"]],
      ["myshop.example", ["Dan Gelo"]],
    ] as const) {
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}`)), search).toEqual(expected);
    }
  });

  it("finds a customer indexed with the apostrophe or hyphen once the boot backfill rewrote them, found meanwhile by the rest", async () => {
    const shop = await newShop();
    const [marco, jeanLuc, plain] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Marco", lastName: "D'Angelo", email: "md@example.it" },
      { status: "guest", firstName: "Ann", lastName: "Lee", email: "jean-luc@example.fr" },
      { status: "guest", firstName: "Ola", lastName: "Nordmann", email: "ola@example.no" },
    ]);
    // What the fold before migration 0030 (SQLite) / 0017 (PostgreSQL) wrote: apostrophes and hyphens kept.
    const before = new Map([
      [marco!.id, "marco d'angelo md@example.it  "],
      [jeanLuc!.id, "ann lee jean-luc@example.fr  "],
    ]);
    for (const [id, searchText] of before) await db.update(customers).set({ searchText }).where(eq(customers.id, id));
    expect(namesOf(await directory(shop, "?q=dangelo"))).toEqual([]);
    expect(namesOf(await directory(shop, "?q=d'angelo"))).toEqual([]);
    // Until the backfill reaches them (migration 0030 only indexes them), the rest of their text still finds them.
    expect(namesOf(await directory(shop, "?q=marco"))).toEqual(["Marco D'Angelo"]);
    expect(namesOf(await directory(shop, "?q=example.fr"))).toEqual(["Ann Lee"]);
    const rowsOf = async () =>
      new Map((await db.select().from(customers).where(eq(customers.shop, shop))).map((row) => [row.id, row] as const));

    expect(await backfillCustomerSearch({ ctx: contextForAllShops("test") })).toBeGreaterThanOrEqual(2);
    const backfilled = await rowsOf();
    expect(backfilled.get(marco!.id)).toMatchObject({
      searchText: "marco dangelo md@example.it  ",
      nameSort: "marco d'angelo",
    });
    expect(backfilled.get(jeanLuc!.id)!.searchText).toBe("ann lee jeanluc@example.fr  ");
    // Nothing to drop: left be.
    expect(backfilled.get(plain!.id)!.searchText).toBe("ola nordmann ola@example.no  ");
    for (const [search, expected] of [
      ["dangelo", ["Marco D'Angelo"]],
      ["d'angelo", ["Marco D'Angelo"]],
      ["D\u2019Angelo", ["Marco D'Angelo"]],
      ["jean-luc@", ["Ann Lee"]],
      ["jeanluc", ["Ann Lee"]],
    ] as const) {
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}`)), search).toEqual(expected);
    }
  });
});

describe("Customer directory: a search pasted with punctuation around its words", () => {
  it("finds a name pasted from a spreadsheet with its comma, quotes or brackets, and an email with a full stop after it", async () => {
    const shop = await newShop();
    await createCustomer(shop, { first_name: "Théo", last_name: "Lambert", email: "theo.lambert+vip@example.fr" });
    await createCustomer(shop, { first_name: "Anne-Marie", last_name: "O'Neil", email: "am_oneil@example.ie" });
    await createCustomer(shop, { first_name: "Zoë", last_name: "Lamb", email: "zoe@example.be" });
    for (const [search, expected] of [
      ["Lambert", ["Théo Lambert"]],
      ["Lambert,", ["Théo Lambert"]],
      ["Lambert, Théo", ["Théo Lambert"]],
      ['"Lambert"; (Théo)!', ["Théo Lambert"]],
      ["theo.lambert+vip@example.fr.", ["Théo Lambert"]],
      ["+vip@", ["Théo Lambert"]],
      ["O'Neil, Anne-Marie", ["Anne-Marie O'Neil"]],
      ["am_oneil@", ["Anne-Marie O'Neil"]],
      ["Lamb,", ["Théo Lambert", "Zoë Lamb"]],
      ["Lamb, Zoë", ["Zoë Lamb"]],
    ] as const) {
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}`)), search).toEqual(expected);
    }
  });
});

describe("Customer directory: a search of punctuation alone", () => {
  it("finds no one for a search with no letters or digits, says why, and an export or bulk action of all that match it reaches no one", async () => {
    const shop = await newShop();
    await createCustomer(shop, { first_name: "Róisín", last_name: "O\u2019Neill", email: "r.o'neill@example.ie" });
    await createCustomer(shop, { first_name: "Jean-Luc", last_name: "Picard", email: "jean-luc@example.fr" });
    await createCustomer(shop, { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" });
    const ctx = contextFor(shop, "test");
    for (const search of ["'", "-", '"', "'  .", ".", "@", "\u2019", "--", "#!", "\u200B"]) {
      const loaded = await directory(shop, `?q=${encodeURIComponent(search)}`);
      expect(namesOf(loaded), search).toEqual([]);
      expect(await loaded.count, search).toEqual({ count: 0, precision: "exact" });
      const query = { ...emptyCustomerQuery, search };
      expect(await listMatchingCustomerIds({ ctx, input: { query, limit: 100 } }), search).toEqual([]);
      expect(await countSelectedCustomers({ ctx, input: { selection: { query } } }), search).toBe(0);
      const exported = await readSelectionPage({
        ctx,
        input: { selection: { query }, after: null, limit: 100, readKey: `punctuation ${search}` },
      });
      expect(exported.rows, search).toEqual([]);
      // With a filter too, the search still finds no one.
      expect(namesOf(await directory(shop, `?q=${encodeURIComponent(search)}&status=member`)), search).toEqual([]);
    }
    expect(noCustomersFoundHint({ ...emptyCustomerQuery, search: "'" })).toBe(
      "Search for a name, email or phone: “'” has no letters or digits.",
    );
    // A letter or digit beside the punctuation is a search as before; a blank one is no search.
    expect(namesOf(await directory(shop, `?q=${encodeURIComponent("o'n")}`))).toEqual(["Róisín O\u2019Neill"]);
    expect(namesOf(await directory(shop, `?q=${encodeURIComponent("   ")}`))).toHaveLength(3);
  });
});

describe("Customer directory: the list", () => {
  it("reads a Date joined range as whole days of the shop's time zone, as its dates are shown", async () => {
    const shop = await newShop();
    await db.update(shops).set({ timezone: "America/Toronto" }).where(eq(shops.shop, shop));
    await insertCustomers(db, shop, [
      // 21:00 on Nov 27 in Toronto, already Nov 28 in UTC.
      { status: "member", firstName: "Late", lastName: "Evening", joinedAt: "2026-11-28T02:00:00Z" },
      // 00:00 on Nov 28 in Toronto, to the second as Shopify dates it, and to the millisecond as Tally does.
      { status: "member", firstName: "Just", lastName: "Midnight", joinedAt: "2026-11-28T05:00:00Z" },
      { status: "member", firstName: "Tally", lastName: "Midnight", joinedAt: "2026-11-28T05:00:00.000Z" },
      // 23:30 on Nov 28 in Toronto, Nov 29 in UTC.
      { status: "member", firstName: "Night", lastName: "Owl", joinedAt: "2026-11-29T04:30:00Z" },
    ]);
    const names = async (search: string) => (await everyPage(shop, search)).rows.map((row) => row.name).toSorted();

    expect(await names("?joined_from=2026-11-28")).toEqual(["Just Midnight", "Night Owl", "Tally Midnight"]);
    expect(await names("?joined_to=2026-11-27")).toEqual(["Late Evening"]);
    expect(await names("?joined_from=2026-11-28&joined_to=2026-11-28")).toEqual([
      "Just Midnight",
      "Night Owl",
      "Tally Midnight",
    ]);
    // And the list's count agrees with its rows.
    expect((await (await directory(shop, "?joined_to=2026-11-27")).count).count).toBe(1);
    // The calendar's last day is a day: its end in Toronto falls in the year 10000, which threw (a 500, not a list).
    expect(await names("?joined_to=9999-12-31")).toHaveLength(4);
    expect(await names("?joined_from=1900-01-01&joined_to=9999-12-31")).toHaveLength(4);
    // A day as a merchant writes it in words is the same day.
    expect(await names("?joined_to=Nov 27, 2026")).toEqual(["Late Evening"]);
  });

  it("filters by Points activity: none in the last N days, or ever, read through its index when few match", async () => {
    const shop = await newShop();
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    // A points import five days ago reached nearly everyone: few have had no points activity for 30 days.
    await insertCustomers(db, shop, [
      ...Array.from({ length: 40 }, (_, n) => ({
        status: "member" as const,
        firstName: "Recent",
        lastName: `${n}`,
        pointsActivityAt: daysAgo(5),
      })),
      { status: "member", firstName: "Quiet", lastName: "Sixty", pointsActivityAt: daysAgo(60), tags: ["VIP"] },
      { status: "member", firstName: "Recent", lastName: "VIP", pointsActivityAt: daysAgo(2), tags: ["VIP"] },
      { status: "member", firstName: "Quiet", lastName: "Hundred", pointsActivityAt: daysAgo(100) },
      { status: "guest", firstName: "Never", lastName: "Earned", pointsActivityAt: null },
    ]);
    const names = async (search: string) => (await everyPage(shop, search)).rows.map((row) => row.name).toSorted();
    expect(await names("?idle_days=30")).toEqual(["Never Earned", "Quiet Hundred", "Quiet Sixty"]);
    expect(await names("?idle_days=90")).toEqual(["Never Earned", "Quiet Hundred"]);
    expect(await names("?idle_days=1,000")).toEqual(["Never Earned"]);
    expect(await names("?idle_days=3&status=guest")).toEqual(["Never Earned"]);
    // With another narrow condition, both ranges meet its ids (an intersect), not only the second.
    expect(await names("?idle_days=30&tag=VIP")).toEqual(["Quiet Sixty"]);
    expect((await (await directory(shop, "?idle_days=30")).count).count).toBe(3);
    // Few match: they drive the page, read by their own index's two ranges (never, and before the day).
    const ctx = contextFor(shop, "test");
    const query = { ...emptyCustomerQuery, idleDays: 30 };
    const { plan } = await selectCustomerPage({ ctx, input: { query, limit: 50 } });
    expect(plan).toMatch(/^drive:idle\(~3\)/);
    const withTag = await selectCustomerPage({ ctx, input: { query: { ...query, tags: ["VIP"] }, limit: 50 } });
    expect(withTag.plan).toMatch(/^intersect:tags\+idle/);
    expect(withTag.rows.map((row) => row.lastName)).toEqual(["Sixty"]);
    // SQLite's plan of those two ranges (PostgreSQL's planner reads its statistics, and a few rows are one page).
    if (!onPostgres) {
      const before = daysAgo(30);
      const explain = `explain query plan select id from customers where shop = ? and points_activity_at is null union all select id from customers where shop = ? and points_activity_at < ?`;
      // eslint-disable-next-line tally/async-data-access -- SQLite only: the driver's own query plan is what is checked
      const rows = db.$client.prepare(explain).all(shop, shop, before) as Array<{ detail: string }>;
      const steps = rows.map((step) => step.detail);
      expect(steps.filter((step) => step.includes("customers_shop_points_activity_idx"))).toEqual([
        "SEARCH customers USING COVERING INDEX customers_shop_points_activity_idx (shop=? AND points_activity_at=?)",
        "SEARCH customers USING COVERING INDEX customers_shop_points_activity_idx (shop=? AND points_activity_at<?)",
      ]);
    }
    // Days it cannot use are left out of a link, said in the filter's words, as any filter's are.
    const refused = await directory(shop, "?idle_days=0");
    expect(refused.leftOutWords).toEqual(["Points activity: Can't be below 1"]);
    expect(refused.page.customers).toHaveLength(44);
    const empty = await directory(shop, "?idle_days=");
    expect(empty.leftOutWords).toEqual(["Points activity: Enter a whole number, like 50"]);
    expect(empty.page.customers).toHaveLength(44);
  });

  it("sorts by points both ways", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 40 },
      { status: "guest", pointsBalance: -5 },
      { status: "member", pointsBalance: 900 },
      { status: "guest", pointsBalance: 0 },
    ]);

    const high = await directory(shop, "?sort=points-desc");
    const low = await directory(shop, "?sort=points-asc");

    expect(high.page.customers.map((customer) => customer.pointsBalance)).toEqual([900, 40, 0, -5]);
    expect(low.page.customers.map((customer) => customer.pointsBalance)).toEqual([-5, 0, 40, 900]);
  });

  it("shows each customer's store credit in its own currency, unknown apart from zero, and sorts by it", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", storeCreditMinor: 2_550, storeCreditCurrency: "USD" },
      { status: "member", firstName: "Ben", storeCreditMinor: 0, storeCreditCurrency: "USD" },
      { status: "guest", firstName: "Cleo" },
      { status: "member", firstName: "Dan", storeCreditMinor: 12_000, storeCreditCurrency: "JPY" },
    ]);

    const high = await directory(shop, "?sort=store_credit-desc");
    expect(
      high.page.customers.map((customer) => [
        customer.name.split(" ")[0],
        customer.storeCreditMinor,
        customer.storeCreditCurrency,
      ]),
    ).toEqual([
      ["Dan", 12_000, "JPY"],
      ["Ana", 2_550, "USD"],
      // Ben was read as zero; Cleo's accounts were never read, so the directory shows "—", not $0.00.
      ["Cleo", 0, null],
      ["Ben", 0, "USD"],
    ]);
    // Not a default column (seeds 000 and 004 put it after the nine a merchant reads first): a tick in the picker.
    expect(high.columns).not.toContain("store_credit");
    const low = await directory(shop, "?sort=store_credit-asc");
    expect(low.page.customers.map((customer) => customer.storeCreditMinor)).toEqual([0, 0, 2_550, 12_000]);
  });

  it("pages through every customer exactly once, forwards and back, on ties too", async () => {
    const shop = await newShop();
    const inserted = await insertCustomers(
      db,
      shop,
      Array.from({ length: 123 }, (_, index) => ({
        status: "member" as const,
        pointsBalance: index % 7,
        ordersCount: index % 3,
        lastOrderAt: index % 4 === 0 ? null : `2026-0${1 + (index % 5)}-01T00:00:00.000Z`,
      })),
    );

    for (const sort of ["points-desc", "joined-asc", "name-asc", "orders-desc", "spent-asc", "last_order-desc"]) {
      const pages = [];
      let page = await directory(shop, `?sort=${sort}`);
      pages.push(page.page);
      while (page.page.nextCursor) {
        page = await directory(shop, `?sort=${sort}&after=${page.page.nextCursor}`);
        pages.push(page.page);
      }
      const seen = pages.flatMap(({ customers: rows }) => rows.map((customer) => customer.id));
      expect(pages.map(({ customers: rows }) => rows.length)).toEqual([50, 50, 23]);
      expect(seen.toSorted((a, b) => a - b)).toEqual(inserted.map((row) => row.id).toSorted((a, b) => a - b));

      const back = await directory(shop, `?sort=${sort}&before=${page.page.previousCursor}`);
      expect(back.page.customers).toEqual(pages[1]?.customers);
    }
  });

  it("writes every customer's total spent the same way: in the shop's currency until Shopify gives one", async () => {
    const shop = await newShop();
    const [imported, seeded] = await insertCustomers(db, shop, [
      // Created by an import a moment ago: Shopify has not sent an amount spent (no currency) yet.
      { status: "guest", firstName: "New", lastName: "Import", currency: null },
      { status: "member", firstName: "Seeded", lastName: "Customer", currency: "USD" },
    ]);
    const { page } = await directory(shop, "?sort=name-asc");
    expect(page.customers.map((customer) => [customer.name, customer.amountSpentMinor, customer.currency])).toEqual([
      ["New Import", 0, "USD"],
      ["Seeded Customer", 0, "USD"],
    ]);
    // The profile's "0 orders, $0.00 spent" follows the same rule.
    for (const customer of [imported!, seeded!]) {
      const profile = await getCustomerProfile({ ctx: contextFor(shop, "staff"), input: { customerId: customer.id } });
      expect(profile.customer.currency).toBe("USD");
    }
  });

  it("sorts 'Guest (no email)' last from Z to A too, on every page", async () => {
    const shop = await newShop();
    const named = Array.from({ length: 57 }, (_, index) => ({
      status: "member" as const,
      firstName: `Name${String(index).padStart(2, "0")}`,
      lastName: null,
    }));
    const guests = Array.from({ length: 3 }, () => ({
      status: "guest" as const,
      firstName: null,
      lastName: null,
      email: null,
    }));
    await insertCustomers(db, shop, [guests[0]!, ...named.slice(0, 30), guests[1]!, ...named.slice(30), guests[2]!]);
    for (const sort of ["name-asc", "name-desc"]) {
      const first = await directory(shop, `?sort=${sort}`);
      const second = await directory(shop, `?sort=${sort}&after=${first.page.nextCursor}`);
      const names = [...first.page.customers, ...second.page.customers].map((customer) => customer.name);
      expect(names, sort).toHaveLength(60);
      expect(names.slice(-3), sort).toEqual(["Guest (no email)", "Guest (no email)", "Guest (no email)"]);
      const expected = named.map((customer) => customer.firstName).sort();
      expect(names.slice(0, 57), sort).toEqual(sort === "name-asc" ? expected : expected.toReversed());
      // Back from the second page to the first.
      const back = await directory(shop, `?sort=${sort}&before=${second.page.previousCursor}`);
      expect(back.page.customers.map((customer) => customer.id)).toEqual(first.page.customers.map((c) => c.id));
    }
  });

  it("reads 'Guest (no email)' for a customer with neither name nor email, sorted last from A to Z", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "guest", firstName: null, lastName: null, email: null },
      { status: "member", firstName: "Zoë", lastName: "Adams" },
      { status: "guest", firstName: null, lastName: null, email: "only-email@example.com" },
      { status: "member", firstName: "Émile", lastName: "Zola" },
    ]);
    const page = await directory(shop, "?sort=name-asc");
    expect(page.page.customers.map((customer) => customer.name)).toEqual([
      "Émile Zola",
      "only-email@example.com",
      "Zoë Adams",
      "Guest (no email)",
    ]);
    expect(anonymousNameSort > "zzzz").toBe(true);
  });

  it("leaves out a sort, cursor or filter value it does not understand, says which, and lists the rest", async () => {
    const shop = await newShop();
    await insertCustomers(
      db,
      shop,
      Array.from({ length: 51 }, () => ({ status: "member" as const })),
    );
    const { page } = await directory(shop, "?sort=points-desc");

    for (const [search, leftOut] of [
      ["?sort=favourite", ["sort"]],
      ["?sort=bogus&tab=nope", ["tab", "sort"]],
      ["?after=not-a-cursor", ["after"]],
      ["?tab=vip", ["tab"]],
      ["?orders_min=many", ["orders_min"]],
      ["?country=Poland", ["country"]],
      ["?joined_from=yesterday", ["joined_from"]],
      ["?blocked=maybe", ["blocked"]],
      ["?blocked=maybe&points_min=100", ["blocked"]],
    ] as const) {
      const answer = await directory(shop, search);
      expect(new Set(answer.leftOutParams), search).toEqual(new Set(leftOut));
      // What was understood still filters: 51 customers with 0 points match none of points_min=100.
      expect(answer.page.customers.length, search).toBe(search.includes("points_min") ? 0 : 50);
    }
    expect((await directory(shop, "?sort=points-desc")).leftOutParams).toEqual([]);
    // What was left out is said in the directory's words, with why (a huge number typed into the Points filter was
    // "Left out: points_max", and the page blamed a link: found by a newcomer).
    for (const [search, words] of [
      ["?points_max=99999999999999999999", ["Points, to: Enter a whole number from −2,000,000,000 to 2,000,000,000"]],
      ["?joined_from=0001-01-01", ["Date joined, from: Enter a year from 1900 to 9999"]],
      ["?joined_to=2026-02-30", ["Date joined, to: February 2026 has 28 days"]],
      ["?orders_min=many", ["Number of orders, from: Enter a whole number, like 50"]],
      ["?orders_min=-1", ["Number of orders, from: Can't be below 0"]],
      // A minus typed as the true minus the list writes, or as a hyphen: the bound, not "not a number".
      ["?orders_max=\u22121", ["Number of orders, to: Can't be below 0"]],
      [`?spent_min=${encodeURIComponent("\u22125")}`, ["Total spent, from: Can't be below 0"]],
      ["?spent_max=-5", ["Total spent, to: Can't be below 0"]],
      ["?sort=bogus&tab=nope", ["Tab: not one the directory knows", "Sort: not one the directory knows"]],
      ["?country=Poland", ["Country: Use a two-letter country code"]],
      ["?after=not-a-cursor", ["Page: the link's place in the list is out of date"]],
      [`?q=${"a".repeat(150)}`, ["Search: Keep it to 100 characters or fewer (this is 150)"]],
    ] as const) {
      expect(new Set((await directory(shop, search)).leftOutWords), search).toEqual(new Set(words));
    }
    // A cursor made for another order, and an amount finer than the currency, are refused in words.
    expect(await rejection(shop, `?sort=name-asc&after=${page.nextCursor}`)).toBe(400);
    expect(await rejection(shop, "?spent_min=12.345")).toBe(400);
  });

  it("filters Points by a bound typed with the true minus, as the list writes a debt", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", firstName: "Owes", lastName: "Ten", pointsBalance: -10 },
      { status: "member", firstName: "Owes", lastName: "Three", pointsBalance: -3 },
      { status: "member", firstName: "Has", lastName: "Five", pointsBalance: 5 },
    ]);
    for (const search of ["?points_min=\u22125&points_max=\u22121", "?points_min=-5&points_max=-1"]) {
      const answer = await directory(shop, search.replace(/\u2212/g, encodeURIComponent("\u2212")));
      expect(answer.leftOutParams, search).toEqual([]);
      expect(namesOf(answer), search).toEqual(["Owes Three"]);
    }
  });

  it("filters by amounts and counts typed with their thousands grouped, as the list prints them", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", firstName: "Spent", lastName: "Little", amountSpentMinor: 100_049, ordersCount: 999 },
      {
        status: "member",
        firstName: "Spent",
        lastName: "Much",
        amountSpentMinor: 229_537,
        ordersCount: 1_000,
        pointsBalance: 1_500,
      },
    ]);
    const grouped = (search: string) => directory(shop, search.replace(/,/g, "%2C"));
    expect(namesOf(await grouped("?spent_min=1,000.50"))).toEqual(["Spent Much"]);
    expect(namesOf(await grouped("?spent_max=2,295.36"))).toEqual(["Spent Little"]);
    expect(namesOf(await grouped("?orders_min=1,000&points_min=1,000"))).toEqual(["Spent Much"]);
    // A comma out of place is left out, in words, and the rest still filters.
    const misplaced = await grouped("?spent_min=1,00&orders_min=1,000");
    expect(misplaced.leftOutWords).toEqual(["Total spent, from: Use commas for thousands only, like 1,000.50"]);
    expect(namesOf(misplaced)).toEqual(["Spent Much"]);
  });

  it("says a reversed range is reversed, for every range filter, instead of answering an empty list", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [{ status: "member", pointsBalance: 500, ordersCount: 3 }]);
    for (const [search, words] of [
      ["?points_min=900&points_max=100", "Points: the range is reversed (from 900 to 100); swap them"],
      ["?orders_min=10&orders_max=2", "Number of orders: the range is reversed (from 10 to 2); swap them"],
      ["?points_min=-5&points_max=-1500", "Points: the range is reversed (from −5 to −1,500); swap them"],
      ["?spent_min=100.50&spent_max=99", "Total spent: the range is reversed (from 100.50 to 99); swap them"],
      ["?joined_from=2026-05-02&joined_to=2026-05-01", "Date joined: the range is reversed"],
    ] as const) {
      const thrown = await directory(shop, search).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown instanceof Response && thrown.status, search).toBe(400);
      expect(JSON.stringify(await (thrown as Response).json()), search).toContain(words);
    }
    // An equal or open-ended range is a range.
    for (const search of ["?points_min=500&points_max=500", "?points_min=900", "?orders_min=2&orders_max=10"]) {
      expect((await directory(shop, search)).page.customers.length, search).toBeLessThanOrEqual(1);
    }
    expect((await directory(shop, "?points_min=500&points_max=500")).page.customers).toHaveLength(1);
  });
});

/** A seeded generator, so the kind tests below test the same shop every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = Date.parse("2026-11-30T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** Customers of every kind the filters tell apart, at random but the same every run. */
function randomCustomers(count: number, seed: number) {
  const next = random(seed);
  const pick = <Value>(values: readonly Value[]) => values[Math.floor(next() * values.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const orders = next() < 0.4 ? 0 : 1 + Math.floor(next() * 12);
    const anonymous = next() < 0.05;
    return {
      status: pick(["member", "guest"] as const),
      firstName: anonymous ? null : pick(["Anna", "Łukasz", "Émile", "José", "Zoë", "Ben"]),
      lastName: anonymous ? null : pick(["Nowak", "Durand", "Petrova", "Rossi", `Lee${index}`]),
      email: anonymous ? null : `c${index}@${pick(["gmail.com", "example.com", "shop.net"])}`,
      blocked: next() < 0.1,
      pointsBalance: Math.floor(next() * 3_000) - 200,
      pointsActivityAt: next() < 0.2 ? null : iso(NOW - Math.floor(next() * 90) * 86_400_000),
      ordersCount: orders,
      amountSpentMinor: orders === 0 ? 0 : Math.floor(next() * 100_000),
      currency: "USD",
      countryCode: pick(["US", "PL", "FR", null] as const),
      tags: ["VIP", "wholesale", "newsletter"].filter(() => next() < 0.3),
      emailMarketingState: pick(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", null] as const),
      joinedAt: next() < 0.05 ? null : iso(NOW - Math.floor(next() * 700) * 86_400_000),
      memberSince: null,
      taxExempt: next() < 0.15,
      lastOrderAt: orders === 0 ? null : iso(NOW - Math.floor(next() * 300) * 86_400_000),
      lastCheckoutAt: next() < 0.3 ? iso(NOW - Math.floor(next() * 100) * 86_400_000) : null,
      referralJoinedAt: next() < 0.25 ? iso(NOW - Math.floor(next() * 100) * 86_400_000) : null,
      successfulReferrals: next() < 0.15 ? 1 + Math.floor(next() * 3) : 0,
      referrerRevenueMinor: next() < 0.1 ? Math.floor(next() * 40_000) : 0,
      refereeRevenueMinor: next() < 0.15 ? Math.floor(next() * 60_000) : 0,
      // Store credit as Shopify answered it: unknown (never read), or a balance in the shop's or another currency.
      ...(next() < 0.3
        ? {}
        : { storeCreditMinor: Math.floor(next() * 20_000), storeCreditCurrency: next() < 0.9 ? "USD" : "EUR" }),
    };
  });
}

/** What each filter means, said again in plain TypeScript: the oracle the directory is checked against. */
const tabs: Record<string, (row: Row) => boolean> = {
  all: () => true,
  members: (row) => row.status === "member",
  guests: (row) => row.status === "guest",
  paying: (row) => row.amountSpentMinor > 0,
  "non-converting": (row) => row.lastCheckoutAt !== null && row.ordersCount === 0,
  "opted-in": (row) => row.emailMarketingState === "SUBSCRIBED",
  blocked: (row) => row.blocked,
};
const filterCases: Array<[string, (row: Row) => boolean]> = [
  ["status=member", (row) => row.status === "member"],
  ["status=guest", (row) => row.status === "guest"],
  ["type=paying", tabs.paying!],
  ["type=non-converting", tabs["non-converting"]!],
  ["tag=VIP", (row) => row.tags.includes("VIP")],
  ["tag=VIP&tag=wholesale", (row) => row.tags.includes("VIP") || row.tags.includes("wholesale")],
  ["tax_exempt=yes", (row) => row.taxExempt],
  ["tax_exempt=no", (row) => !row.taxExempt],
  ["consent=UNSUBSCRIBED", (row) => row.emailMarketingState === "UNSUBSCRIBED"],
  ["consent=SUBSCRIBED&consent=PENDING", (row) => ["SUBSCRIBED", "PENDING"].includes(row.emailMarketingState ?? "")],
  ["orders_min=3&orders_max=6", (row) => row.ordersCount >= 3 && row.ordersCount <= 6],
  ["orders_max=0", (row) => row.ordersCount <= 0],
  ["spent_min=250.50", (row) => row.amountSpentMinor >= 25_050],
  ["spent_min=100&spent_max=500", (row) => row.amountSpentMinor >= 10_000 && row.amountSpentMinor <= 50_000],
  ["points_min=1000&points_max=2000", (row) => row.pointsBalance >= 1_000 && row.pointsBalance <= 2_000],
  ["points_max=-1", (row) => row.pointsBalance <= -1],
  [
    "joined_from=2026-01-01&joined_to=2026-06-30",
    (row) => row.joinedAt !== null && row.joinedAt >= "2026-01-01" && row.joinedAt <= "2026-06-30T23:59:59.999Z",
  ],
  ["country=PL", (row) => row.countryCode === "PL"],
  ["country=PL&country=FR", (row) => row.countryCode === "PL" || row.countryCode === "FR"],
  ["blocked=yes", (row) => row.blocked],
  ["blocked=no", (row) => !row.blocked],
  ["referral_joined=yes", (row) => row.referralJoinedAt !== null],
  ["referral_joined=no", (row) => row.referralJoinedAt === null],
  ["has_referrals=yes", (row) => row.successfulReferrals > 0],
  ["has_referrals=no", (row) => row.successfulReferrals === 0],
  [
    "points_min=500&idle_days=30",
    (row) =>
      row.pointsBalance >= 500 &&
      (row.pointsActivityAt === null || row.pointsActivityAt < iso(Date.now() - 30 * 86_400_000)),
  ],
  ["idle_days=30", (row) => row.pointsActivityAt === null || row.pointsActivityAt < iso(Date.now() - 30 * 86_400_000)],
  [
    "idle_days=60&tab=members&country=PL",
    (row) =>
      (row.pointsActivityAt === null || row.pointsActivityAt < iso(Date.now() - 60 * 86_400_000)) &&
      row.status === "member" &&
      row.countryCode === "PL",
  ],
  ["q=petrova", (row) => row.lastName === "Petrova"],
  ["q=example.com&country=PL", (row) => (row.email ?? "").endsWith("example.com") && row.countryCode === "PL"],
  // Terms whose trigrams are common ('.co', 'com', 'il.') are read through their rarest ones, then tested on the row.
  ["q=mple.co", (row) => (row.email ?? "").includes("mple.co")],
  ["q=gmail.com&tag=VIP", (row) => (row.email ?? "").endsWith("gmail.com") && row.tags.includes("VIP")],
  ["q=.net&status=member", (row) => (row.email ?? "").endsWith(".net") && row.status === "member"],
  [
    "q=a&tab=paying&tag=newsletter",
    (row) => (row.searchText ?? "").includes("a") && tabs.paying!(row) && row.tags.includes("newsletter"),
  ],
  ["q=emile&status=member&blocked=no", (row) => row.firstName === "Émile" && row.status === "member" && !row.blocked],
  [
    "tab=opted-in&country=US&orders_min=1",
    (row) => tabs["opted-in"]!(row) && row.countryCode === "US" && row.ordersCount >= 1,
  ],
];

const sortValue: Record<string, (row: Row) => string | number> = {
  name: (row) => row.nameSort ?? "",
  points: (row) => row.pointsBalance,
  joined: (row) => row.joinedAt ?? "",
  orders: (row) => row.ordersCount,
  spent: (row) => row.amountSpentMinor,
  last_order: (row) => row.lastOrderAt ?? "",
  referrals: (row) => row.successfulReferrals,
  referrer: (row) => row.referrerRevenueMinor,
  referee: (row) => row.refereeRevenueMinor,
  store_credit: (row) => row.storeCreditMinor,
};
/** The order the directory promises: the sort key, then the id, both in the sort's direction (BINARY text order). */
function oracleOrder(rows: Row[], sort: DirectorySort): number[] {
  const at = sort.lastIndexOf("-");
  const value = sortValue[sort.slice(0, at)]!;
  const sign = sort.endsWith("desc") ? -1 : 1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.toSorted((a, b) => sign * (compare(value(a), value(b)) || a.id - b.id)).map((row) => row.id);
}

describe("Customer directory: tabs and filters, against their plain meaning", () => {
  it("lists and counts exactly the customers of every filter, alone and combined, in every sort", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, randomCustomers(160, 7));
    const rows = await db.select().from(customers).where(eq(customers.shop, shop));
    const sorts: DirectorySort[] = [
      "name-asc",
      "points-desc",
      "joined-asc",
      "last_order-desc",
      "spent-asc",
      "orders-desc",
      "referrals-desc",
      "referrer-asc",
      "referee-desc",
      "store_credit-desc",
      "store_credit-asc",
    ];

    for (const [index, [search, meaning]] of filterCases.entries()) {
      const sort = sorts[index % sorts.length]!;
      const expected = rows.filter(meaning);
      const listed = await everyPage(
        shop,
        `?${search.replace(/q=([^&]+)/, (_, term: string) => `q=${encodeURIComponent(term)}`)}&sort=${sort}`,
      );
      expect(
        listed.rows.map((row) => row.id),
        `${search} (${sort})`,
      ).toEqual(oracleOrder(expected, sort));
      expect(listed.count, search).toEqual({ count: expected.length, precision: "exact" });

      // "All that match", as a bulk action or an export reads them: every id once, in id order, a batch at a time.
      const params = new URLSearchParams(search);
      const { query } = await customerQueryOf({
        ctx: contextFor(shop, "test"),
        input: { params: customerQueryParamsSchema.parse(paramsOf(params)) },
      });
      const ids: number[] = [];
      for (let batch = [0]; batch.length > 0;) {
        batch = await listMatchingCustomerIds({
          ctx: contextFor(shop, "test"),
          input: { query, limit: 7, ...(ids.length > 0 ? { afterId: ids.at(-1)! } : {}) },
        });
        ids.push(...batch);
      }
      expect(ids, `${search}: all that match`).toEqual(expected.map((row) => row.id).toSorted((a, b) => a - b));
    }

    // The referral filters under the referral sorts, whose index is also the "has successful referrals" range.
    for (const [search, sort] of [
      ["has_referrals=yes", "referrals-asc"],
      ["has_referrals=yes", "referrals-desc"],
      ["has_referrals=no", "referrals-desc"],
      ["referral_joined=yes", "referee-asc"],
      ["referral_joined=yes&has_referrals=no", "referrer-desc"],
    ] as const) {
      const expected = rows.filter((row) =>
        filterCases.filter(([name]) => search.split("&").includes(name)).every(([, meaning]) => meaning(row)),
      );
      const listed = await everyPage(shop, `?${search}&sort=${sort}`);
      expect(
        listed.rows.map((row) => row.id),
        `${search} (${sort})`,
      ).toEqual(oracleOrder(expected, sort));
      expect(listed.count, search).toEqual({ count: expected.length, precision: "exact" });
    }
  });

  it("counts every tab live, as the rows change, and the repair path recounts the same", async () => {
    const shop = await newShop();
    const inserted = await insertCustomers(db, shop, randomCustomers(90, 11));
    const next = random(5);
    // Changes of every kind the counted facts can take, written as any service writes them.
    for (const row of inserted.slice(0, 40)) {
      await db
        .update(customers)
        .set({
          status: next() < 0.5 ? "member" : "guest",
          blocked: next() < 0.2,
          amountSpentMinor: next() < 0.5 ? 0 : 5_000,
          ordersCount: next() < 0.5 ? 0 : 2,
          emailMarketingState: next() < 0.5 ? "SUBSCRIBED" : "UNSUBSCRIBED",
          lastCheckoutAt: next() < 0.5 ? null : "2026-11-01T00:00:00.000Z",
          pointsBalance: Math.floor(next() * 1_000),
          tags: next() < 0.5 ? ["VIP"] : ["newsletter", "wholesale"],
          countryCode: next() < 0.5 ? "PL" : null,
          memberSince: next() < 0.5 ? "2026-11-02T00:00:00.000Z" : null,
        })
        .where(eq(customers.id, row.id));
    }
    await db.delete(customers).where(eq(customers.id, inserted[89]!.id));
    // Shopify deletes some (customers/delete keeps the row, decision 036), changes some while deleted, brings some back
    // with other facts, and a deleted row may be erased outright or arrive already deleted (a stub).
    const deletedAt = "2026-11-05T00:00:00.000Z";
    for (const row of inserted.slice(30, 60)) {
      await db
        .update(customers)
        .set({ deletedAt, ...(next() < 0.5 ? { pointsBalance: Math.floor(next() * 500) - 100 } : {}) })
        .where(eq(customers.id, row.id));
    }
    for (const row of inserted.slice(45, 60)) {
      await db
        .update(customers)
        .set({
          status: next() < 0.5 ? "member" : "guest",
          blocked: next() < 0.3,
          amountSpentMinor: next() < 0.5 ? 0 : 7_000,
          emailMarketingState: next() < 0.5 ? "SUBSCRIBED" : null,
          lastCheckoutAt: next() < 0.5 ? null : "2026-11-03T00:00:00.000Z",
          pointsBalance: Math.floor(next() * 600) - 200,
          tags: next() < 0.5 ? ["VIP", "wholesale"] : [],
          countryCode: next() < 0.5 ? "FR" : "PL",
          memberSince: next() < 0.5 ? "2026-11-04T00:00:00.000Z" : null,
          // Two thirds come back (a newer customers/update or create); the rest change while still deleted.
          ...(next() < 0.67 ? { deletedAt: null } : {}),
        })
        .where(eq(customers.id, row.id));
    }
    await db.delete(customers).where(eq(customers.id, inserted[31]!.id));
    await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 40, tags: ["VIP"], countryCode: "PL", deletedAt, email: "stub@example.com" },
    ]);
    const rows = (await db.select().from(customers).where(eq(customers.shop, shop))).filter(
      (row) => row.deletedAt === null,
    );
    const deletedRows = await db
      .select({ id: customers.id })
      .from(customers)
      .where(sql`${customers.shop} = ${shop} and ${customers.deletedAt} is not null`);
    expect(deletedRows.length, "some customers stay deleted").toBeGreaterThan(10);
    expect(rows.length, "some came back").toBeGreaterThan(60);

    const page = await directory(shop);
    for (const [tab, meaning] of Object.entries(tabs)) {
      const expected = rows.filter(meaning).length;
      expect(page.tabCounts[tab as keyof typeof page.tabCounts], tab).toBe(expected);
      const listed = await everyPage(shop, tab === "all" ? "" : `?tab=${tab}`);
      expect(listed.rows, tab).toHaveLength(expected);
      expect(listed.count, tab).toEqual({ count: expected, precision: "exact" });
    }
    const [counters] = await db.select().from(customerCounts).where(eq(customerCounts.shop, shop));
    // Points outstanding is what customers may spend: debts are kept apart, never netted against it (decision 022),
    // and a blocked customer's points are left out, as they cannot redeem them (decision 062); their debts still count.
    const owing = rows.filter((row) => row.pointsBalance < 0);
    expect(owing.length, "the seeded rows include debts").toBeGreaterThan(0);
    expect(
      rows.filter((row) => row.blocked && row.pointsBalance > 0).length,
      "the seeded rows include blocked balances",
    ).toBeGreaterThan(0);
    expect(counters?.pointsOutstanding).toBe(
      rows.reduce((sum, row) => sum + (row.blocked ? 0 : Math.max(row.pointsBalance, 0)), 0),
    );
    expect(counters?.pointsOwed).toBe(owing.reduce((sum, row) => sum - row.pointsBalance, 0));
    expect(counters?.customersOwing).toBe(owing.length);

    const facets = await db.select().from(customerFacets).where(eq(customerFacets.shop, shop));
    const facetCount = (facet: string, value: string) =>
      facets.find((each) => each.facet === facet && each.value === value)?.customers ?? 0;
    for (const tag of ["VIP", "newsletter", "wholesale"]) {
      expect(facetCount("tag", tag), tag).toBe(rows.filter((row) => row.tags.includes(tag)).length);
    }
    for (const country of ["PL", "US", "FR"]) {
      expect(facetCount("country", country), country).toBe(rows.filter((row) => row.countryCode === country).length);
    }
    const growth = await db.select().from(memberGrowth).where(eq(memberGrowth.shop, shop));
    expect(growth.reduce((sum, day) => sum + day.members, 0)).toBe(
      rows.filter((row) => row.status === "member" && (row.memberSince ?? row.joinedAt ?? row.createdAt)).length,
    );

    const everyone = await everyPage(shop, "?sort=points-asc");
    expect(everyone.rows.map((row) => row.id).toSorted((a, b) => a - b)).toEqual(
      rows.map((row) => row.id).toSorted((a, b) => a - b),
    );
    const ctx = contextFor(shop, "test");
    expect(await listMatchingCustomerIds({ ctx, input: { query: emptyCustomerQuery, limit: 500 } })).toEqual(
      rows.map((row) => row.id).toSorted((a, b) => a - b),
    );
    expect(await repairCustomerCounts({ ctx })).toEqual({ drifted: false });
    await db.update(customerCounts).set({ members: 999_999, blocked: -3 }).where(eq(customerCounts.shop, shop));
    await db.update(customerFacets).set({ customers: 0 }).where(eq(customerFacets.shop, shop));
    expect(await repairCustomerCounts({ ctx })).toEqual({ drifted: true });
    const repaired = await directory(shop);
    expect(repaired.tabCounts).toEqual(page.tabCounts);
    expect(await db.select().from(customerFacets).where(eq(customerFacets.shop, shop))).toEqual(
      expect.arrayContaining(facets.filter((each) => each.customers > 0)),
    );
  });

  it("keeps each customer type, tax exemption and last order date from the webhooks that change them", async () => {
    const shop = await newShop();
    const gid = await createCustomer(shop, {
      first_name: "Nadia",
      last_name: "Checkout",
      email: "nadia@example.com",
      state: "enabled",
      tax_exempt: true,
    });
    const other = await createCustomer(shop, { first_name: "Omar", last_name: "Browsing", email: "omar@example.com" });
    const tabsNow = async () => (await directory(shop)).tabCounts;
    expect(await tabsNow()).toMatchObject({ all: 2, members: 1, guests: 1, paying: 0, "non-converting": 0 });
    expect(namesOf(await directory(shop, "?tax_exempt=yes"))).toEqual(["Nadia Checkout"]);

    const checkout = (customerGid: string, token: string) => ({
      ...samplePayload("checkouts/create"),
      token,
      email: null,
      completed_at: null,
      updated_at: "2026-11-01T10:00:00-00:00",
      customer: { admin_graphql_api_id: customerGid },
    });
    expect((await deliverWebhook(checkoutCreate, "checkouts/create", shop, checkout(gid, "t-nadia"))).status).toBe(200);
    expect((await deliverWebhook(checkoutCreate, "checkouts/create", shop, checkout(other, "t-omar"))).status).toBe(
      200,
    );
    expect(await tabsNow()).toMatchObject({ "non-converting": 2, paying: 0 });

    const order = orderJson({
      lines: [{ id: 1n, price: "40.00" }],
      customer: { admin_graphql_api_id: gid, state: "enabled" },
    });
    expect((await deliverWebhook(orderPaid, "orders/paid", shop, order)).status).toBe(200);
    const summary = {
      customerId: gid,
      numberOfOrders: 1,
      amountSpent: { amount: "40.00", currencyCode: "USD" },
      occurredAt: "2026-11-02T16:00:00Z",
    };
    expect((await deliverWebhook(purchasingSummary, "customers/purchasing_summary", shop, summary)).status).toBe(200);
    expect(await tabsNow()).toMatchObject({ paying: 1, "non-converting": 1 });
    expect(namesOf(await directory(shop, "?tab=non-converting"))).toEqual(["Omar Browsing"]);
    const [nadia] = (await directory(shop, "?tab=paying")).page.customers;
    expect(nadia).toMatchObject({ name: "Nadia Checkout", lastOrderAt: "2026-11-02T15:00:00.000Z", taxExempt: true });

    const consent = {
      customer_id: Number(gid.split("/").pop()),
      email_address: "nadia@example.com",
      email_marketing_consent: { state: "subscribed", consent_updated_at: "2026-11-03T10:00:00Z" },
    };
    expect(
      (await deliverWebhook(consentUpdate, "customers_email_marketing_consent/update", shop, consent)).status,
    ).toBe(200);
    expect((await tabsNow())["opted-in"]).toBe(1);
  });

  it("never shows another shop's customers, whatever the filter", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [{ status: "member", email: "mine@example.com", pointsBalance: 1 }]);
    await insertCustomers(db, await newShopDomain(), [
      {
        status: "member",
        email: "theirs@example.com",
        pointsBalance: -1,
        blocked: true,
        tags: ["VIP"],
        countryCode: "PL",
      },
    ]);

    for (const search of [
      "",
      "?q=theirs",
      "?tab=blocked",
      "?points_max=-1",
      "?sort=points-asc",
      "?tag=VIP",
      "?country=PL",
    ]) {
      const page = await directory(shop, search);
      expect(page.page.customers.map((customer) => customer.email)).not.toContain("theirs@example.com");
    }
    expect((await directory(shop, "?tag=VIP")).facets.tags).toEqual([]);
  });
});

describe("Customer directory: saved views and columns", () => {
  it("saves the current search, tab, filters and sort as a named view of the shop, renames and deletes it", async () => {
    const shop = await newShop();
    const other = await newShop();
    const saved = await post(shop, {
      intent: "save-view",
      name: "VIPs in Poland",
      search: "q=nowak&tab=paying&tag=VIP&country=PL&spent_min=25.50&sort=spent-desc",
    });
    expect(saved.status).toBe(200);
    const { views } = await directory(shop);
    expect(views).toEqual([
      {
        id: expect.any(Number),
        name: "VIPs in Poland",
        query: expect.objectContaining({
          search: "nowak",
          tab: "paying",
          tags: ["VIP"],
          countries: ["PL"],
          spent: { min: 2_550 },
          sort: "spent-desc",
        }),
      },
    ]);
    expect((await directory(other)).views).toEqual([]);

    const id = String(views[0]!.id);
    // "Save" on the view replaces its query rather than adding a second tab.
    await post(shop, { intent: "save-view", id, name: "VIPs in Poland", search: "tab=members" });
    expect((await directory(shop)).views).toMatchObject([
      { name: "VIPs in Poland", query: { tab: "members", tags: [] } },
    ]);
    await post(shop, { intent: "save-view", name: "Big spenders", search: "tab=paying" });
    expect((await post(shop, { intent: "rename-view", id, name: "big SPENDERS" })).status).toBe(409);
    // A view may take its own name in another case.
    expect((await post(shop, { intent: "rename-view", id, name: "vips in poland" })).status).toBe(200);
    expect((await post(shop, { intent: "rename-view", id, name: "Loyal" })).status).toBe(200);
    expect((await directory(shop)).views.map((view) => view.name)).toEqual(["Loyal", "Big spenders"]);
    expect((await post(other, { intent: "delete-view", id })).status).toBe(404);
    expect((await post(shop, { intent: "delete-view", id })).status).toBe(200);
    expect((await directory(shop)).views.map((view) => view.name)).toEqual(["Big spenders"]);
    expect((await post(shop, { intent: "save-view", name: " ", search: "" })).status).toBe(400);
    // A name too long is refused in the words the name field shows while it is typed, counted once trimmed.
    expect(await post(shop, { intent: "save-view", name: ` ${"x".repeat(41)} `, search: "" })).toMatchObject({
      status: 400,
      body: { fieldErrors: { name: ["Keep it to 40 characters or fewer (this is 41)"] } },
    });
  });

  it("opens a view's link without its terms (a bookmark of ?view=N, a reload, Back) on the view's own terms", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", ordersCount: 3 },
      { status: "member", ordersCount: 2 },
      { status: "member", ordersCount: 1 },
      { status: "guest", ordersCount: 5 },
    ]);
    await post(shop, { intent: "save-view", name: "Repeat buyers", search: "tab=members&orders_min=2" });
    const [view] = (await directory(shop)).views;
    const id = view!.id;
    const redirected = async (search: string) => {
      const thrown = await directory(shop, search).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown, search).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(302);
      return new URL((thrown as Response).headers.get("Location")!, "https://tally.test").searchParams;
    };
    const opened = await redirected(`?view=${id}`);
    expect(Object.fromEntries(opened)).toMatchObject({ tab: "members", orders_min: "2", view: String(id) });
    const shown = await directory(shop, `?${opened.toString()}`);
    expect(shown.selectedView).toEqual({ id, fit: "same" });
    expect(await shown.count).toEqual({ count: 2, precision: "exact" });
    expect(shown.page.customers).toHaveLength(2);
    // A sort chosen over the view stays; the view is still the one shown.
    const sorted = await redirected(`?view=${id}&sort=name-asc`);
    expect(Object.fromEntries(sorted)).toMatchObject({ tab: "members", orders_min: "2", sort: "name-asc" });

    // The view's terms with a search typed over them are part of the view: its tab stays, without the view's count.
    expect((await directory(shop, `?tab=members&orders_min=2&q=test&view=${id}`)).selectedView).toEqual({
      id,
      fit: "narrowed",
    });
    // Terms the view does not hold (a filter edited, or the view saved over since the link) are not named by it.
    const edited = await directory(shop, `?tab=members&orders_min=3&view=${id}`);
    expect(edited.selectedView).toBeNull();
    expect(edited.viewNotice).toEqual({ kind: "differs", view: { id, name: "Repeat buyers" } });
    expect(await edited.count).toEqual({ count: 1, precision: "exact" });
    // A view of every customer in its own order (only a sort) opens in that order: its bookmark listed them newest
    // first. Its link with a sort keeps the link's, and one in the default order is its own link, not redirected.
    await post(shop, { intent: "save-view", name: "By name", search: "sort=name-asc" });
    const byName = (await directory(shop)).views.find((each) => each.name === "By name")!;
    expect(Object.fromEntries(await redirected(`?view=${byName.id}`))).toEqual({
      sort: "name-asc",
      view: String(byName.id),
    });
    const everyone = await directory(shop, `?sort=name-asc&view=${byName.id}`);
    expect(everyone.selectedView).toEqual({ id: byName.id, fit: "same" });
    expect(everyone.query.sort).toBe("name-asc");
    expect(await everyone.count).toEqual({ count: 4, precision: "exact" });
    expect((await directory(shop, `?sort=spent-desc&view=${byName.id}`)).query.sort).toBe("spent-desc");
    await post(shop, { intent: "save-view", name: "Everyone", search: "" });
    const plain = (await directory(shop)).views.find((each) => each.name === "Everyone")!;
    expect((await directory(shop, `?view=${plain.id}`)).selectedView).toEqual({ id: plain.id, fit: "same" });
  });

  it("says a deleted view's link names a view that is gone, and shows every customer", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", ordersCount: 3 },
      { status: "guest", ordersCount: 0 },
    ]);
    await post(shop, { intent: "save-view", name: "Repeat buyers", search: "tab=members&orders_min=2" });
    const id = (await directory(shop)).views[0]!.id;
    expect((await post(shop, { intent: "delete-view", id: String(id) })).status).toBe(200);
    const gone = await directory(shop, `?view=${id}`);
    expect(gone.viewNotice).toEqual({ kind: "deleted" });
    expect(gone.selectedView).toBeNull();
    expect(gone.query.tab).toBe("all");
    expect(await gone.count).toEqual({ count: 2, precision: "exact" });
    expect((await directory(shop)).viewNotice).toBeNull();
  });

  it("refuses to create, save as or rename a view under a tab's name, built-in or saved, whatever its case", async () => {
    const shop = await newShop();
    const taken = {
      status: 409,
      body: { fieldErrors: { name: ["A view with this name already exists. Please choose a different name."] } },
    };
    for (const name of ["All", "Members", "guests", " PAYING ", "Non-converting", "opted-in", "Blocked"]) {
      expect(await post(shop, { intent: "save-view", name, search: "tab=members" })).toMatchObject(taken);
    }
    expect((await post(shop, { intent: "save-view", name: "VIPs", search: "tag=VIP" })).status).toBe(200);
    expect(await post(shop, { intent: "save-view", name: "vips", search: "tab=paying" })).toMatchObject(taken);
    expect(await post(shop, { intent: "save-view", name: "VIPs", search: "tab=paying" })).toMatchObject(taken);
    const { views } = await directory(shop);
    expect(await post(shop, { intent: "rename-view", id: String(views[0]!.id), name: "Guests" })).toMatchObject(taken);
    // The one view is still there, with the query it was saved with.
    expect((await directory(shop)).views).toMatchObject([{ name: "VIPs", query: { tags: ["VIP"], tab: "all" } }]);
  });

  it("refuses a view named as a look-alike of a tab's name: full-width letters, ligatures, odd spaces, decomposed", async () => {
    const shop = await newShop();
    const taken = {
      status: 409,
      body: { fieldErrors: { name: ["A view with this name already exists. Please choose a different name."] } },
    };
    // Ｍembers (full-width Ｍ) beside the built-in Members tab, drawn "▯embers" where the admin's font lacks it.
    expect(await post(shop, { intent: "save-view", name: "\uFF2Dembers", search: "tab=members" })).toMatchObject(taken);
    expect((await post(shop, { intent: "save-view", name: "\uFB01rst buyers", search: "" })).status).toBe(200);
    expect((await post(shop, { intent: "save-view", name: "Café", search: "" })).status).toBe(200);
    for (const name of ["First  buyers", "first\u00A0buyers", "Cafe\u0301"]) {
      expect(await post(shop, { intent: "save-view", name, search: "" }), JSON.stringify(name)).toMatchObject(taken);
    }
    const { views } = await directory(shop);
    expect(views.map((view) => view.name)).toEqual(["\uFB01rst buyers", "Café"]);
    expect(await post(shop, { intent: "rename-view", id: String(views[1]!.id), name: "FIRST BUYERS" })).toMatchObject(
      taken,
    );
    // The database holds the same key, so a write that skips the service is refused too.
    const now = new Date().toISOString();
    await expect(
      db.insert(customerViews).values({
        shop,
        query: emptyCustomerQuery,
        createdAt: now,
        updatedAt: now,
        name: "First buyers",
        nameKey: viewNameKey("First buyers"),
      }),
    ).rejects.toSatisfy(isViewNameViolation);
  });

  it("keeps one tab per name whatever its case against a write that skips the service and its lock", async () => {
    const shop = await newShop();
    const taken = {
      status: 409,
      body: { fieldErrors: { name: ["A view with this name already exists. Please choose a different name."] } },
    };
    expect((await post(shop, { intent: "save-view", name: "VIPs", search: "tag=VIP" })).status).toBe(200);
    const now = new Date().toISOString();
    const direct = { shop, query: emptyCustomerQuery, createdAt: now, updatedAt: now };
    await expect(
      db.insert(customerViews).values({ ...direct, name: "vips", nameKey: viewNameKey("vips") }),
    ).rejects.toSatisfy(isViewNameViolation);
    // The key is JavaScript's lower case, which folds the capitals SQLite's lower() leaves ("É").
    expect((await post(shop, { intent: "save-view", name: "Été", search: "tab=members" })).status).toBe(200);
    await expect(
      db.insert(customerViews).values({ ...direct, name: "ÉTÉ", nameKey: viewNameKey("ÉTÉ") }),
    ).rejects.toSatisfy(isViewNameViolation);
    await db.delete(customerViews).where(and(eq(customerViews.shop, shop), eq(customerViews.name, "Été")));
    // A writer that renames the view without its key leaves the name "VIPs" still taken: the database refuses the
    // service's insert, and the merchant reads the same words as when the service itself refuses.
    await db.update(customerViews).set({ name: "Best buyers" }).where(eq(customerViews.shop, shop));
    expect(await post(shop, { intent: "save-view", name: "VIPs", search: "tab=paying" })).toMatchObject(taken);
    const [view] = (await directory(shop)).views;
    expect(await post(shop, { intent: "rename-view", id: String(view!.id), name: "Loyal" })).toMatchObject({
      status: 200,
    });
    expect((await post(shop, { intent: "save-view", name: "VIPs", search: "tab=paying" })).status).toBe(200);
    expect((await directory(shop)).views.map((each) => each.name)).toEqual(["Loyal", "VIPs"]);
  });

  it("keeps every view once migrated, renaming the later of two that are one tab whatever the case", async () => {
    const shop = await newShop();
    expect((await post(shop, { intent: "save-view", name: "VIPs", search: "tag=VIP" })).status).toBe(200);
    expect((await post(shop, { intent: "save-view", name: "Loyal", search: "tab=members" })).status).toBe(200);
    // The table as before migration 0043 (SQLite) / 0030 (PostgreSQL): unique on the exact name, no key.
    await runStatements([
      `DROP INDEX "customer_views_shop_name_key_uq"`,
      `ALTER TABLE "customer_views" DROP COLUMN "name_key"`,
      `CREATE UNIQUE INDEX "customer_views_shop_name_uq" ON "customer_views" ("shop", "name")`,
      // What views saved past the service's lock could hold: three spellings of one tab, and a tab "vips (3)".
      ...["vips", "Vips", "vips (3)"].map(
        (name) => `INSERT INTO "customer_views" ("shop", "name", "query", "created_at", "updated_at")
          SELECT "shop", '${name}', "query", "created_at", "updated_at" FROM "customer_views"
          WHERE "shop" = '${shop}' AND "name" = 'VIPs'`,
      ),
    ]);

    await rerunMigration({
      sqlite: "0043_view-names-whatever-the-case",
      postgres: "0030_view-names-whatever-the-case",
    });

    const { views } = await directory(shop);
    const third = views[3]!;
    expect(views.map((view) => view.name)).toEqual(["VIPs", "Loyal", "vips (2)", `Vips (${third.id})`, "vips (3)"]);
    expect(views.map((view) => view.query.tags)).toEqual([["VIP"], [], ["VIP"], ["VIP"], ["VIP"]]);
    const taken = { status: 409 };
    expect(await post(shop, { intent: "save-view", name: "VIPS (2)", search: "" })).toMatchObject(taken);
    expect(await post(shop, { intent: "save-view", name: "loyal", search: "" })).toMatchObject(taken);
    await expect(
      db.insert(customerViews).values({
        shop,
        name: "VIPS (3)",
        nameKey: viewNameKey("VIPS (3)"),
        query: emptyCustomerQuery,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
      }),
    ).rejects.toSatisfy(isViewNameViolation);
  });

  it("remembers the columns each staff member chose, for them only", async () => {
    const shop = await newShop();
    // Until they choose, what merchants read first (seeds 000 and 004) and successful referrals: nine with Name.
    expect((await directory(shop)).columns).toEqual([
      "email",
      "status",
      "points",
      "joined",
      "orders",
      "spent",
      "location",
      "referrals",
    ]);
    expect((await post(shop, { intent: "save-columns", columns: "tags,points,email,referrals" })).status).toBe(200);
    expect((await directory(shop)).columns).toEqual(["email", "points", "tags", "referrals"]);
    const ctx = contextFor(shop, "test");
    expect(await getDirectoryColumns({ ctx, input: { staffId: String(testStaff.id) } })).toEqual([
      "email",
      "points",
      "tags",
      "referrals",
    ]);
    // Another staff member of the same shop still sees the default set until they choose.
    expect(await getDirectoryColumns({ ctx, input: { staffId: "another-staff" } })).toHaveLength(8);
    await saveDirectoryColumns({ ctx, input: { staffId: "another-staff", columns: ["consent"] } });
    // Staff who chose the earlier, wider default set keep every column of it.
    const earlier = ["last_order", "store_credit", "referrer", "referee", "email"] as const;
    await saveDirectoryColumns({ ctx, input: { staffId: "earlier-staff", columns: [...earlier] } });
    expect(await getDirectoryColumns({ ctx, input: { staffId: "earlier-staff" } })).toEqual([
      "email",
      "last_order",
      "store_credit",
      "referrer",
      "referee",
    ]);
    expect((await directory(shop)).columns).toEqual(["email", "points", "tags", "referrals"]);
    expect((await post(shop, { intent: "save-columns", columns: "email,favourite" })).status).toBe(400);
  });

  it("offers a Phone column, each phone written as the shop's staff write it, remembered like the others", async () => {
    const shop = await newShop();
    await db.update(shops).set({ country: "CA" }).where(eq(shops.shop, shop));
    await insertCustomers(db, shop, [
      { status: "member", firstName: "Home", lastName: "Phone", phone: "+16135550123" },
      { status: "member", firstName: "Away", lastName: "Phone", phone: "+442079460958" },
      { status: "member", firstName: "No", lastName: "Phone", phone: null },
    ]);
    const phones = (answer: Awaited<ReturnType<typeof directory>>) =>
      answer.page.customers.map((customer) => [customer.name, customer.phone]);
    // Search finds a customer by the phone the column now shows.
    expect(phones(await directory(shop, "?sort=name-asc"))).toEqual([
      ["Away Phone", "+44 20 7946 0958"],
      ["Home Phone", "(613) 555-0123"],
      ["No Phone", null],
    ]);
    expect(phones(await directory(shop, `?q=${encodeURIComponent("(613) 555-0123")}`))).toEqual([
      ["Home Phone", "(613) 555-0123"],
    ]);
    // The column is the staff member's to choose and keep, and the export starts with it (in E.164: decision 053).
    expect((await post(shop, { intent: "save-columns", columns: "phone,email" })).status).toBe(200);
    expect((await directory(shop)).columns).toEqual(["email", "phone"]);
    expect(exportColumnsFor(["email", "phone"])).toEqual(["name", "email", "phone"]);
  });
});
