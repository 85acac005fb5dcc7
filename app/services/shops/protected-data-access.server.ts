import { eq } from "drizzle-orm";
import { protectedFields, protectedFieldSchema, type ProtectedField } from "~/domain/shared";
import { shops } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";

/**
 * Records which protected customer fields Shopify withheld from Tally in this shop (an empty list: none), as the
 * reconciliation found them (decision 012). Replaces the previous finding: access Shopify grants later shows at the
 * next run. Returns the fields withheld before, so the caller can fill in what it could not read then.
 */
export async function recordProtectedDataAccess({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { withheld: Iterable<ProtectedField> };
}): Promise<{ previouslyWithheld: ProtectedField[] }> {
  const withheld = new Set(input.withheld);
  return inTransaction(ctx, async (tx) => {
    const previouslyWithheld = (await getProtectedDataAccess({ ctx, tx }))?.withheld ?? [];
    await tx
      .update(shops)
      .set({
        protectedDataWithheld: protectedFields.filter((field) => withheld.has(field)),
        protectedDataCheckedAt: ctx.now.toISOString(),
      })
      .where(eq(shops.shop, ctx.shop));
    return { previouslyWithheld };
  });
}

/** What Shopify withheld at the last check, in `protectedFields` order; undefined before the first check. */
export async function getProtectedDataAccess({
  ctx,
  tx,
}: {
  ctx: ServiceContext;
  tx?: Tx;
}): Promise<{ withheld: ProtectedField[]; checkedAt: string } | undefined> {
  const [row] = await (tx ?? ctx.db)
    .select({ withheld: shops.protectedDataWithheld, checkedAt: shops.protectedDataCheckedAt })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  if (!row?.withheld || !row.checkedAt) return undefined;
  return {
    withheld: row.withheld.flatMap((field) => protectedFieldSchema.safeParse(field).data ?? []),
    checkedAt: row.checkedAt,
  };
}
