import { asc, eq } from "drizzle-orm";
import { auditEvents } from "~/db/schema";
import { contextFor } from "~/shopify.server";

/** The shop's audit trail as its actions, oldest first: what the Audit page would list, in order. */
export async function auditActions(shop: string): Promise<string[]> {
  const { db } = contextFor(shop, "test");
  const rows = await db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.shop, shop))
    .orderBy(asc(auditEvents.id));
  return rows.map((row) => row.action);
}
