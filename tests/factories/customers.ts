import { customers } from "~/db/schema";
import type { Db } from "~/db/client.server";

let sequence = 0;

/** Inserts customers straight into Tally's table, for tests of what screens and services read. */
export async function insertCustomers(
  db: Db,
  shop: string,
  rows: Array<Partial<typeof customers.$inferInsert> & { status: "member" | "guest" }>,
) {
  return db
    .insert(customers)
    .values(
      rows.map((row) => {
        sequence += 1;
        return {
          shop,
          customerGid: `gid://shopify/Customer/${9_000_000_000_000 + sequence}`,
          email: `customer${sequence}@example.com`,
          firstName: "Test",
          lastName: `Customer ${sequence}`,
          shopifyState: row.status === "member" ? "ENABLED" : "DISABLED",
          ...row,
        };
      }),
    )
    .returning();
}
