/** What Tally needs of the library's Admin client: `admin.graphql` from authenticate.* or unauthenticated.admin. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlErrorShape {
  body?: {
    errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> };
    extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
  };
}

export class ShopifyUserErrors extends Error {
  constructor(
    readonly operation: string,
    readonly userErrors: Array<{ field?: string[] | null; message: string; code?: string | null }>,
  ) {
    super(`${operation}: ${userErrors.map((error) => error.message).join("; ")}`);
    this.name = "ShopifyUserErrors";
  }
}

function throttleWaitMs(error: unknown, attempt: number): number | null {
  const body = (error as GraphqlErrorShape).body;
  const throttled = body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED");
  if (!throttled) return null;
  const cost = body?.extensions?.cost;
  const status = cost?.throttleStatus;
  if (status && cost.requestedQueryCost !== undefined && status.restoreRate > 0) {
    // Wait exactly until the bucket holds what this query costs, as Shopify's cost-based limiter refills.
    const missing = Math.max(0, cost.requestedQueryCost - status.currentlyAvailable);
    return Math.ceil((missing / status.restoreRate) * 1000) + 50;
  }
  return Math.min(10_000, 500 * 2 ** attempt);
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One Admin GraphQL request that waits out THROTTLED answers (Shopify reports them as a 200 with an error code) for
 * as long as the cost extension says the bucket needs, up to `maxAttempts`. Any other error is thrown as is.
 */
export async function adminRequest<Data>(graphql: AdminGraphql, query: string, options: RequestOptions = {}) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await graphql(query, options.variables ? { variables: options.variables } : undefined);
      const body = (await response.json()) as { data: Data };
      return body.data;
    } catch (error) {
      const wait = throttleWaitMs(error, attempt);
      if (wait === null || attempt >= maxAttempts) throw error;
      await sleep(wait);
    }
  }
}
