import { customers } from "~/db/schema";
import type { Db } from "~/db/client.server";
import { searchColumnsOf } from "~/domain/customers";

let sequence = 0;

/**
 * Inserts customers straight into Tally's table, for tests of what screens and services read. The search columns are
 * derived as the services that write customers derive them; the counters follow through the table's triggers.
 */
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
        const values = {
          shop,
          customerGid: `gid://shopify/Customer/${9_000_000_000_000 + sequence}`,
          email: `customer${sequence}@example.com`,
          firstName: "Test",
          lastName: `Customer ${sequence}`,
          shopifyState: row.status === "member" ? "ENABLED" : "DISABLED",
          ...row,
        };
        return {
          ...searchColumnsOf({
            firstName: values.firstName ?? null,
            lastName: values.lastName ?? null,
            email: values.email ?? null,
            phone: values.phone ?? null,
          }),
          ...values,
        };
      }),
    )
    .returning();
}
