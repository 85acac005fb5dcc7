import { describe, expect, it } from "vitest";
import { loader as directoryLoader } from "~/routes/app.customers";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");

async function newShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

async function directory(shop: string, search = "") {
  const request = await sessionTokenRequest(shop, `/app/customers${search}`);
  return directoryLoader({ request, params: {}, context: {} });
}

describe("Customer directory", () => {
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

    expect(high.customers.map((customer) => customer.pointsBalance)).toEqual([900, 40, 0, -5]);
    expect(low.customers.map((customer) => customer.pointsBalance)).toEqual([-5, 0, 40, 900]);
  });

  it("pages through every customer exactly once, forwards and back, on ties too", async () => {
    const shop = await newShop();
    const inserted = await insertCustomers(
      db,
      shop,
      Array.from({ length: 123 }, (_, index) => ({ status: "member" as const, pointsBalance: index % 7 })),
    );

    for (const sort of ["points-desc", "joined-asc", "name-asc", "orders-desc", "spent-asc"]) {
      const seen: number[] = [];
      const pages = [];
      let page = await directory(shop, `?sort=${sort}`);
      pages.push(page);
      while (page.nextCursor) {
        page = await directory(shop, `?sort=${sort}&after=${page.nextCursor}`);
        pages.push(page);
      }
      for (const { customers } of pages) seen.push(...customers.map((customer) => customer.id));
      expect(pages.map(({ customers }) => customers.length)).toEqual([50, 50, 23]);
      expect(seen.toSorted((a, b) => a - b)).toEqual(inserted.map((row) => row.id).toSorted((a, b) => a - b));

      const back = await directory(shop, `?sort=${sort}&before=${page.previousCursor}`);
      expect(back.customers).toEqual(pages[1]?.customers);
    }
  });

  it("finds customers by email prefix and by name, whatever the case", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", email: "Robin.Hood@example.com", firstName: "Robin", lastName: "Hood" },
      { status: "guest", email: "maid.marian@example.com", firstName: "Marian", lastName: "Fitzwalter" },
      { status: "guest", email: "tuck@example.com", firstName: "Friar", lastName: "Tuck" },
    ]);

    const byEmail = await directory(shop, "?q=ROBIN.H");
    const byName = await directory(shop, "?q=marian%20fitz");
    const byFirstName = await directory(shop, "?q=friar");

    expect(byEmail.customers.map((customer) => customer.email)).toEqual(["Robin.Hood@example.com"]);
    expect(byName.customers.map((customer) => customer.name)).toEqual(["Marian Fitzwalter"]);
    expect(byFirstName.customers.map((customer) => customer.email)).toEqual(["tuck@example.com"]);
  });

  it("filters by status, blocked included", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", email: "member@example.com" },
      { status: "guest", email: "guest@example.com" },
      { status: "member", email: "blocked@example.com", blocked: true },
    ]);

    const emails = async (search: string) =>
      (await directory(shop, search)).customers.map((customer) => customer.email).toSorted();

    expect(await emails("?status=member")).toEqual(["blocked@example.com", "member@example.com"]);
    expect(await emails("?status=guest")).toEqual(["guest@example.com"]);
    expect(await emails("?status=blocked")).toEqual(["blocked@example.com"]);
  });

  it("shows who owes points, with and without points sorting", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [
      { status: "member", email: "owes@example.com", pointsBalance: -30 },
      { status: "member", email: "has@example.com", pointsBalance: 30 },
      { status: "guest", email: "none@example.com", pointsBalance: 0 },
    ]);

    for (const sort of ["points-asc", "name-asc"]) {
      const page = await directory(shop, `?points=negative&sort=${sort}`);
      expect(page.customers.map((customer) => customer.email)).toEqual(["owes@example.com"]);
    }
    expect((await directory(shop, "?points=zero")).customers.map((customer) => customer.email)).toEqual([
      "none@example.com",
    ]);
  });

  it("never shows another shop's customers", async () => {
    const shop = await newShop();
    await insertCustomers(db, shop, [{ status: "member", email: "mine@example.com", pointsBalance: 1 }]);
    await insertCustomers(db, await newShopDomain(), [
      { status: "member", email: "theirs@example.com", pointsBalance: -1, blocked: true },
    ]);

    for (const search of ["", "?q=theirs", "?status=blocked", "?points=negative", "?sort=points-asc"]) {
      const page = await directory(shop, search);
      expect(page.customers.map((customer) => customer.email)).not.toContain("theirs@example.com");
    }
  });

  it("answers 400 to a sort it does not know or a cursor from another sort", async () => {
    const shop = await newShop();
    await insertCustomers(
      db,
      shop,
      Array.from({ length: 51 }, () => ({ status: "member" as const })),
    );
    const { nextCursor } = await directory(shop, "?sort=points-desc");

    for (const search of ["?sort=favourite", `?sort=name-asc&after=${nextCursor}`, "?after=not-a-cursor"]) {
      const thrown = await directory(shop, search).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(400);
    }
  });
});
