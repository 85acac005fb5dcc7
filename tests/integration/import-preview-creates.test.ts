import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, importCreates } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { loader as importPreview } from "~/routes/app.import.$id";
import { action as importUpload } from "~/routes/app.import._index";
import { CHECK_CHUNK, CREATES_SAMPLE } from "~/services/imports/check-import.server";
import { contextFor } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { callAdminRoute } from "../helpers/signed-requests";

/*
 * A merchant about to write hundreds of new customers into Shopify saw only "612 customers will be created": who,
 * the job's page said afterwards. Through the Import routes as the admin posts them: the preview names the first new
 * customers in file order (name, email, the file's points), leaves out rows refused and customers Shopify has, and
 * keeps only that sample however long the file is.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const installedShop = () => installedSandboxShop(sandboxOf());

async function uploadCustomers(shop: string, csv: string) {
  const form = new FormData();
  form.set("intent", "customers");
  form.set("existing", "update");
  form.set("file", new File([csv], "customers.csv", { type: "text/csv" }));
  const answer = (await callAdminRoute(importUpload, shop, "/app/import", { method: "POST", body: form })) as Response;
  expect(answer.status).toBe(302);
  await createTaskRunner({ shops: [shop] }).drain();
  return Number(/\/app\/import\/(\d+)/.exec(answer.headers.get("Location") ?? "")?.[1]);
}

const previewOf = (shop: string, importId: number) => callAdminRoute(importPreview, shop, `/app/import/${importId}`);

describe("an import's preview names the customers it will create", () => {
  it("lists the first new customers with their names and points, in file order, and counts the rest", async () => {
    const shop = await installedShop();
    await db.insert(customers).values({
      shop,
      customerGid: "gid://shopify/Customer/910001",
      email: "maya.demo@example.com",
      firstName: "Maya",
      lastName: "Okafor",
    });
    // Two chunks of rows: Shopify's Maya (an update), a refused row, then new customers to the end of the file.
    const newRows = Array.from(
      { length: CHECK_CHUNK + 100 },
      (_, index) => `Member,Number ${index},member${index}@example.com,${(index + 1) * 10}`,
    );
    const csv = [
      "First name,Last name,Email,Points",
      "Maya,Okafor,maya.demo@example.com,40",
      "Zoë,Łęcka,not-an-email,5",
      ",,Nameless@Example.com,",
      ...newRows,
      "",
    ].join("\n");
    const importId = await uploadCustomers(shop, csv);

    const preview = await previewOf(shop, importId);
    expect(preview.status).toBe("checked");
    expect(preview.summary).toMatchObject({ create: newRows.length + 1, update: 1, problems: 1 });
    expect(preview.hasPointsColumn).toBe(true);
    expect(preview.creates).toHaveLength(CREATES_SAMPLE);
    expect(preview.creates.slice(0, 3)).toEqual([
      { line: 4, email: "nameless@example.com", firstName: null, lastName: null, points: null },
      { line: 5, email: "member0@example.com", firstName: "Member", lastName: "Number 0", points: 10 },
      { line: 6, email: "member1@example.com", firstName: "Member", lastName: "Number 1", points: 20 },
    ]);
    expect(preview.creates.at(-1)).toEqual({
      line: 3 + CREATES_SAMPLE,
      email: `member${CREATES_SAMPLE - 2}@example.com`,
      firstName: "Member",
      lastName: `Number ${CREATES_SAMPLE - 2}`,
      points: (CREATES_SAMPLE - 1) * 10,
    });
    // Only the sample is kept, not a row per new customer of the file.
    const [stored] = await db
      .select({ rows: count() })
      .from(importCreates)
      .where(and(eq(importCreates.shop, shop), eq(importCreates.importId, importId)));
    expect(stored!.rows).toBe(CREATES_SAMPLE);
  });

  it("reads a full name from a Name column and has no Points column to show when the file gives none", async () => {
    const shop = await installedShop();
    const importId = await uploadCustomers(
      shop,
      ["Name,Email", "Ana Maria Silva,ana@example.com", "Théo,theo@example.com", ""].join("\n"),
    );

    const preview = await previewOf(shop, importId);
    expect(preview.hasPointsColumn).toBe(false);
    expect(preview.creates).toEqual([
      { line: 2, email: "ana@example.com", firstName: "Ana Maria", lastName: "Silva", points: null },
      { line: 3, email: "theo@example.com", firstName: "Théo", lastName: null, points: null },
    ]);
  });
});
