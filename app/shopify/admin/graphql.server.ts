import type {
  AdminMutations,
  AdminOperations,
  AdminQueries,
  ApiClientRequestOptions,
  ReturnData,
} from "@shopify/admin-api-client";
import { GraphqlQueryError } from "@shopify/shopify-api";
import type { AdminGraphqlClient } from "@shopify/shopify-app-remix/server";
import { DomainError, type ProtectedField } from "~/domain/shared";
import type { CurrencyCode as ShopifyCurrencyCode } from "~/types/admin.types";
import { protectedFieldOf } from "./protected-data";

/** What Tally needs of the library's Admin client: `admin.graphql` from authenticate.* or unauthenticated.admin. */
export type AdminGraphql = AdminGraphqlClient;

/** Keys a generated interface declares, without the library's catch-all `[key: string]` signature. */
type Declared<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };

/**
 * A GraphQL document `npm run codegen` has typed (app/types/admin.generated.d.ts). Any other string, a document
 * edited since the last codegen included, does not compile here, so no Admin API answer goes untyped.
 */
export type AdminOperation = Declared<AdminQueries> | Declared<AdminMutations>;
/** The `data` an operation answers with, as generated from its selection on the 2026-10 schema. */
export type AdminData<Operation extends AdminOperation> = ReturnData<Operation, AdminOperations>;

/**
 * A currency Tally keeps (the shop's, as Shopify gave it) as the Admin API's CurrencyCode. Throws on anything that is
 * not an ISO 4217 code; Shopify refuses a code it does not know with a user error.
 */
export function shopifyCurrency(code: string): ShopifyCurrencyCode {
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`${code} is not an ISO 4217 currency code`);
  return code as ShopifyCurrencyCode;
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** A GraphQL error as Shopify sends it beside (or instead of) `data`. */
export interface ShopifyGraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string };
}

/** What the library's GraphqlQueryError carries in `body` (the client's response, `data` included when Shopify sent it). */
interface GraphqlErrorBody {
  data?: unknown;
  errors?: { graphQLErrors?: ShopifyGraphqlError[] };
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

const bodyOf = (error: unknown): GraphqlErrorBody | undefined =>
  error instanceof GraphqlQueryError ? (error.body as GraphqlErrorBody | undefined) : undefined;

/** A Shopify user error: the input field path it is about (["input", "email"]), its message and code. */
export interface ShopifyUserError {
  field?: readonly string[] | null;
  message: string;
  code?: string | null;
}

/** What a merchant reads when Shopify refuses: its own sentences, after what happened ("Shopify refused the change"). */
export function refusalMessage(userErrors: readonly ShopifyUserError[]): string {
  const reasons = userErrors.map((error) => error.message.trim()).filter(Boolean);
  return reasons.length
    ? `Shopify refused the change: ${reasons.join("; ")}`
    : "Shopify refused the change without a reason";
}

/**
 * Shopify ran the mutation and refused it (`userErrors`): nothing was created. A DomainError "shopify_refused" (422)
 * whose message is what a merchant reads (`refusalMessage`: Shopify's sentences, never the mutation's name), and whose
 * `fieldErrors` key each message by its field path joined with dots ("input.email") unless the caller keys them by its
 * form's fields, so a form can show it on its field. The mutation's name stays in `operation` and `details.operation`,
 * for the log line (app/lib/errors.server.ts, the task runner) an engineer reads.
 */
export class ShopifyUserErrors extends DomainError {
  constructor(
    readonly operation: string,
    readonly userErrors: readonly ShopifyUserError[],
    fieldErrors: Record<string, string[]> = fieldErrorsByPath(userErrors),
  ) {
    super("shopify_refused", refusalMessage(userErrors), { operation, fieldErrors, userErrors });
    this.name = "ShopifyUserErrors";
  }
}

function fieldErrorsByPath(userErrors: readonly ShopifyUserError[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const error of userErrors) {
    if (error.field?.length) (fieldErrors[error.field.join(".")] ??= []).push(error.message);
  }
  return fieldErrors;
}

function throttleWaitMs(error: unknown, attempt: number): number | null {
  const body = bodyOf(error);
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

/**
 * The protected customer fields Shopify withheld, when every error beside `data` is one: ACCESS_DENIED on a name,
 * email, phone or address field of an app not approved for it (shopify.dev, "Work with protected customer data":
 * the answer carries those fields null). Undefined for any other error.
 */
export function withheldFields(error: unknown): ProtectedField[] | undefined {
  const body = bodyOf(error);
  const errors = body?.errors?.graphQLErrors;
  if (!body?.data || !errors?.length) return undefined;
  const fields = errors.map((e) => (e.extensions?.code === "ACCESS_DENIED" ? protectedFieldOf(e) : undefined));
  return fields.every((field) => field !== undefined) ? [...new Set(fields)] : undefined;
}

/**
 * Shopify refused the whole request for a missing access scope (every error ACCESS_DENIED), as it answers a field
 * whose scope the app was not granted, or not yet: a scope added in a new app version until the merchant accepts it.
 */
export function isAccessDenied(error: unknown): boolean {
  const errors = bodyOf(error)?.errors?.graphQLErrors;
  return Boolean(errors?.length) && errors!.every((e) => e.extensions?.code === "ACCESS_DENIED");
}

export interface RequestOptions<Operation extends AdminOperation> {
  variables?: ApiClientRequestOptions<Operation, AdminOperations>["variables"];
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Collects the protected customer fields Shopify withheld, and takes the answer with them null. Without it such an
   * answer is thrown, as any error: only a caller that asks for it knows what to do without the fields.
   */
  withheld?: Set<ProtectedField>;
}

/**
 * One Admin GraphQL request for a generated operation; returns its typed `data`. Waits out THROTTLED answers (Shopify
 * reports them as a 200 with an error code) for as long as the cost extension says the bucket needs, up to
 * `maxAttempts`. Protected customer fields withheld are collected in `withheld` when given. Any other error is
 * thrown as the library raised it (GraphqlQueryError, HttpResponseError).
 */
export async function adminRequest<Operation extends AdminOperation>(
  graphql: AdminGraphql,
  query: Operation,
  options: RequestOptions<Operation> = {},
): Promise<AdminData<Operation>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await graphql(query, options.variables ? { variables: options.variables } : undefined);
      const { data } = await response.json();
      if (data === undefined) throw new Error("Shopify answered without data");
      return data;
    } catch (error) {
      const collected = options.withheld;
      const withheld = collected ? withheldFields(error) : undefined;
      if (collected && withheld) {
        for (const field of withheld) collected.add(field);
        // This operation's own data, which the library's error keeps untyped.
        return bodyOf(error)!.data as AdminData<Operation>;
      }
      const wait = throttleWaitMs(error, attempt);
      if (wait === null || attempt >= maxAttempts) throw error;
      await sleep(wait);
    }
  }
}

/** What Shopify answered a built document: its `data` (null when a non-null root field failed) and its errors. */
export interface BuiltAnswer {
  data: Record<string, unknown> | null;
  errors: ShopifyGraphqlError[];
}

/**
 * One Admin request for a document built at run time, such as one codegen-typed selection asked once per row of a page
 * under aliases (`c0`, `c1`, …): codegen cannot type a document whose length depends on the page, so the caller reads
 * each alias's value as its codegen-typed fragment, and builds the document from it (a unit test validates the built
 * document against the 2026-10 schema). Errors Shopify sends beside `data` are answered, not thrown: each names the
 * alias it is about in `path`, so one row's failure is that row's. THROTTLED answers are waited out as `adminRequest`
 * waits them out; a request that fails whole (throttled past `maxAttempts`, HTTP, network) throws.
 */
export async function adminRequestBuilt(
  graphql: AdminGraphql,
  document: string,
  options: { variables: Record<string, unknown>; maxAttempts?: number; sleep?: (ms: number) => Promise<void> },
): Promise<BuiltAnswer> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await graphql(document, { variables: options.variables });
      const { data } = (await response.json()) as { data?: Record<string, unknown> | null };
      if (data === undefined) throw new Error("Shopify answered without data");
      return { data, errors: [] };
    } catch (error) {
      const wait = throttleWaitMs(error, attempt);
      if (wait !== null) {
        if (attempt >= maxAttempts) throw error;
        await sleep(wait);
        continue;
      }
      const body = bodyOf(error);
      const errors = body?.errors?.graphQLErrors;
      if (!errors?.length) throw error;
      return { data: (body?.data as Record<string, unknown> | null | undefined) ?? null, errors };
    }
  }
}
