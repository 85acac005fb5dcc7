import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext } from "../context";

/**
 * Bulk operations, stagedUploadsCreate for their variables, and their status; the work itself is the BulkRunner's
 * (bulk.ts).
 */
export const bulkOperationQueries = (ctx: AdminContext) => ({
  currentBulkOperation: ({ type }: { type?: "QUERY" | "MUTATION" | null }) =>
    ctx.bulk.current(ctx.shop, type ?? "QUERY"),
  bulkOperation: ({ id }: { id: string }) => ctx.bulk.find(ctx.shop, id),
  bulkOperations: (args: ConnectionArgs) =>
    connection(args, ctx, false, {
      scan: (from, rev) => fromList(ctx.bulk.list(ctx.shop), from, rev),
      view: (r) => r.view,
      search: {
        text: () => [],
        fields: {
          id: (r) => r.id,
          status: (r) => r.status,
          operation_type: (r) => r.type,
          created_at: (r) => r.createdAt,
        },
        dates: ["created_at"],
        numbers: ["id"],
      },
      sort: { CREATED_AT: (r) => r.createdAt, STATUS: (r) => r.status },
    }),
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
    bulkOperationRunMutation: async ({
      mutation,
      stagedUploadPath,
    }: {
      mutation: string;
      stagedUploadPath: string;
    }) => {
      const started = await ctx.bulk.startMutation(shop, {
        mutation,
        stagedUploadPath,
        ...(ctx.scopes ? { scopes: ctx.scopes } : {}),
      });
      if ("error" in started) return { bulkOperation: null, userErrors: [started.error] };
      return { bulkOperation: ctx.bulk.find(shop, started.id), userErrors: [] };
    },
    /** Only bulk mutation variables are staged here; a file, image or video upload fails loudly. */
    stagedUploadsCreate: ({
      input,
    }: {
      input: { resource: string; filename: string; mimeType: string; httpMethod?: "POST" | "PUT" | null }[];
    }) => {
      const unsupported = input.findIndex((i) => i.resource !== "BULK_MUTATION_VARIABLES");
      if (unsupported >= 0)
        return {
          stagedTargets: null,
          userErrors: [
            {
              field: ["input", String(unsupported), "resource"],
              message: `The sandbox stages BULK_MUTATION_VARIABLES only, not ${input[unsupported]!.resource}`,
            },
          ],
        };
      return { stagedTargets: input.map((i) => ctx.bulk.stage(shop, i)), userErrors: [] };
    },
  };
};
