import type { AdminContext } from "../context";

/** bulkOperationRunQuery and the operation's status; the work itself is the BulkRunner's (bulk.ts). */
export const bulkOperationQueries = (ctx: AdminContext) => ({
  currentBulkOperation: () => ctx.bulk.current(ctx.shop),
  bulkOperation: ({ id }: { id: string }) => ctx.bulk.find(ctx.shop, id),
});

export const bulkOperationMutations = (ctx: AdminContext) => {
  const { shop } = ctx;
  return {
    bulkOperationRunQuery: ({ query }: { query: string }) => {
      const started = ctx.bulk.start(shop, query);
      if (started.error)
        return { bulkOperation: null, userErrors: [{ field: ["query"], message: started.error, code: "INVALID" }] };
      return { bulkOperation: ctx.bulk.find(shop, started.id), userErrors: [] };
    },
  };
};
