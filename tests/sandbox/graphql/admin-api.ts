import {
  GraphQLError,
  Kind,
  execute,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isAbstractType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { ShopRecord } from "../shops";
import type { AdminContext, AdminRequestContext } from "./context";
import { rootResolvers, views } from "./root";
import { adminSchema } from "./schema";
import { accessDenied, missingScope } from "./scopes";

export type { AdminContext, AdminRequestContext, BulkRunner } from "./context";

const MAX_QUERY_COST = 1000;

/** Reports fields the sandbox does not model, instead of silently answering null. */
const sandboxFieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, context, info) => {
  if (source && typeof source === "object") {
    const value = (source as Record<string, unknown>)[info.fieldName];
    if (typeof value === "function")
      return (value as (a: unknown, c: AdminContext, i: unknown) => unknown)(args, context, info);
    if (value !== undefined) return value;
  }
  if (info.fieldName === "__typename") return info.parentType.name;
  throw new GraphQLError(`The sandbox does not implement ${info.parentType.name}.${info.fieldName}`, {
    extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
  });
};

/** The Customer fields that hold protected customer data (level 2), by the access Shopify approves separately. */
const PROTECTED_CUSTOMER_FIELDS: Record<string, "name" | "email" | "phone" | "address"> = {
  firstName: "name",
  lastName: "name",
  email: "email",
  defaultEmailAddress: "email",
  phone: "phone",
  defaultPhoneNumber: "phone",
  defaultAddress: "address",
};

/**
 * Shopify's answer to an app not approved for some protected customer fields (shopify.dev, "Work with protected
 * customer data"): each such field of a Customer resolves to null with an ACCESS_DENIED error at its path, beside
 * the rest of the data. The shop's `withheldCustomerFields` (control: withholdProtectedData) says which.
 */
const protectedDataResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, context, info) => {
  const access = info.parentType.name === "Customer" ? PROTECTED_CUSTOMER_FIELDS[info.fieldName] : undefined;
  if (access && context.shop.withheldCustomerFields.has(access)) {
    throw new GraphQLError(
      `This app is not approved to use the ${info.fieldName} field. See https://partners.shopify.com/apps/customer_data for more details.`,
      { extensions: { code: "ACCESS_DENIED" } },
    );
  }
  return sandboxFieldResolver(source, args, context, info);
};

// Cost --------------------------------------------------------------------------------------------------------------

/**
 * Shopify's calculated query cost, simplified: objects cost 1, scalars and enums 0, a connection 2 plus its page size
 * times the cost of one node, a mutation field 10. Good enough to make the throttle behave like Shopify's.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
) {
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const argValue = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) return variables[node.name.value];
    return undefined;
  };
  const walk = (set: SelectionSetNode | undefined, type: GraphQLOutputType): number => {
    if (!set) return 0;
    const named = getNamedType(type);
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const cond = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : named;
        total += walk(selection.selectionSet, (cond ?? named) as GraphQLOutputType);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment)
          total += walk(
            fragment.selectionSet,
            (schema.getType(fragment.typeCondition.name.value) ?? named) as GraphQLOutputType,
          );
      } else {
        total += fieldCost(selection, named);
      }
    }
    return total;
  };
  const fieldCost = (field: FieldNode, parent: ReturnType<typeof getNamedType>): number => {
    if (!isObjectType(parent) && !isAbstractType(parent)) return 0;
    const def = isObjectType(parent) ? parent.getFields()[field.name.value] : undefined;
    const fieldType = def?.type;
    if (!fieldType) return field.selectionSet ? 1 + walk(field.selectionSet, parent as GraphQLOutputType) : 0;
    const named = getNamedType(fieldType);
    if (!isObjectType(named) && !isAbstractType(named)) return 0;
    if (named.name.endsWith("Connection") && isObjectType(named)) {
      const first = argValue(field.arguments?.find((a) => a.name.value === "first")?.value);
      const last = argValue(field.arguments?.find((a) => a.name.value === "last")?.value);
      const size = Number(first ?? last ?? 0) || 0;
      const nodeType = named.getFields().nodes?.type;
      let perNode = 0;
      for (const sel of field.selectionSet?.selections ?? []) {
        if (sel.kind !== Kind.FIELD || !nodeType) continue;
        if (sel.name.value === "nodes") perNode += 1 + walk(sel.selectionSet, nodeType);
        if (sel.name.value === "edges")
          for (const inner of sel.selectionSet?.selections ?? [])
            if (inner.kind === Kind.FIELD && inner.name.value === "node")
              perNode += 1 + walk(inner.selectionSet, nodeType);
      }
      return 2 + size * Math.max(1, perNode);
    }
    const list = isListType(getNullableType(fieldType));
    return (list ? 1 : 1) + walk(field.selectionSet, fieldType);
  };
  let cost = 0;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    cost += operation.operation === "mutation" ? 10 : fieldCost(selection, root);
  }
  return cost;
}

// Request handling --------------------------------------------------------------------------------------------------

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** Maps graphql-js validation messages to the `extensions.code` names Shopify reports for the same mistake. */
function validationCode(message: string): string {
  if (message.startsWith("Cannot query field")) return "undefinedField";
  if (message.startsWith("Unknown argument")) return "argumentNotAccepted";
  if (message.includes("argument") && message.includes("required")) return "missingRequiredArguments";
  if (message.startsWith("Variable")) return "variableMismatch";
  if (message.startsWith("Unknown type")) return "undefinedType";
  if (message.startsWith("Field") && message.includes("must have a selection")) return "selectionMismatch";
  return "GRAPHQL_VALIDATION_FAILED";
}

/** A document parsed and validated against the schema once, to run many times (a bulk mutation's lines). */
export interface PreparedDocument {
  schema: GraphQLSchema;
  document: DocumentNode;
}

/** Parses and validates a document, or gives the errors Shopify answers for it (PARSE_ERROR, undefinedField...). */
export function prepareAdminDocument(
  query: unknown,
  apiVersion = "2026-10",
): PreparedDocument | { errors: Record<string, unknown>[] } {
  const schema = adminSchema(apiVersion === "unstable" ? "unstable" : "2026-10");
  if (typeof query !== "string" || !query.trim()) {
    return { errors: [{ message: "No query string was present", extensions: { code: "BAD_REQUEST" } }] };
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const e = error as GraphQLError;
    return { errors: [{ message: e.message, locations: e.locations, extensions: { code: "PARSE_ERROR" } }] };
  }
  const errors = validate(schema, document, specifiedRules);
  if (errors.length) {
    return {
      errors: errors.map((e) => ({
        message: e.message,
        locations: e.locations,
        path: e.path,
        extensions: { code: validationCode(e.message) },
      })),
    };
  }
  return { schema, document };
}

/**
 * Runs a prepared document for the request's shop, unthrottled: the root fields the token's scopes do not cover
 * answer null with ACCESS_DENIED, as Shopify's do.
 */
export function executeAdminDocument(
  prepared: PreparedDocument,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  request: AdminRequestContext,
) {
  const ctx: AdminContext = { ...request, views };
  const root: Record<string, unknown> = rootResolvers(ctx);
  if (request.scopes) {
    for (const name of Object.keys(root)) {
      const scope = missingScope(name, request.scopes);
      if (scope)
        root[name] = () => {
          throw accessDenied(name, scope);
        };
    }
  }
  return execute({
    schema: prepared.schema,
    document: prepared.document,
    rootValue: root,
    contextValue: ctx,
    variableValues: variables,
    operationName,
    fieldResolver: protectedDataResolver,
  });
}

/** How many requests each shop keeps in `adminRequests`: enough for a test, bounded for a long benchmark. */
const KEPT_REQUESTS = 1000;

/**
 * Notes an Admin request the app sent over HTTP in its shop's `adminRequests` (control: adminRequests), so a test can
 * tell one request for a page from one per row. A document that does not parse is noted without root fields.
 */
export function recordAdminRequest(shop: ShopRecord, body: GraphqlRequestBody) {
  let operationName: string | null = typeof body.operationName === "string" ? body.operationName : null;
  let rootFields: string[] = [];
  try {
    const document = parse(typeof body.query === "string" ? body.query : "");
    const operation = document.definitions.find(
      (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
    );
    if (operation?.kind === Kind.OPERATION_DEFINITION) {
      operationName ??= operation.name?.value ?? null;
      rootFields = operation.selectionSet.selections.flatMap((selection) =>
        selection.kind === Kind.FIELD
          ? [selection.alias ? `${selection.alias.value}: ${selection.name.value}` : selection.name.value]
          : [],
      );
    }
  } catch {
    // Noted as sent; runAdminGraphql answers the PARSE_ERROR.
  }
  shop.adminRequests.push({ operationName, rootFields });
  if (shop.adminRequests.length > KEPT_REQUESTS)
    shop.adminRequests.splice(0, shop.adminRequests.length - KEPT_REQUESTS);
}

/** One Admin API request: parsed, validated, charged against the shop's leaky bucket, executed. */
export function runAdminGraphql(
  body: GraphqlRequestBody,
  request: AdminRequestContext,
  apiVersion = "2026-10",
): Promise<Record<string, unknown>> | Record<string, unknown> {
  const prepared = prepareAdminDocument(body.query, apiVersion);
  if ("errors" in prepared) return { errors: prepared.errors };
  const { schema, document } = prepared;
  const shop = request.shop;
  const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
    string,
    unknown
  >;
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const requested = estimateCost(schema, document, variables, operationName);
  const bucket = drain(shop);
  const throttleStatus = () => ({
    maximumAvailable: shop.throttle.maximumAvailable,
    currentlyAvailable: Math.floor(shop.bucket.available),
    restoreRate: shop.throttle.restoreRate,
  });
  if (requested > MAX_QUERY_COST) {
    return {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
    };
  }
  if (bucket.available < requested) {
    return {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
    };
  }
  bucket.available -= requested;
  const resolved = executeAdminDocument(prepared, variables, operationName, request);
  const finish = (result: Awaited<typeof resolved>) => {
    // Shopify charges the requested cost up front and refunds what the answer did not use (fewer nodes than `first`).
    const mutation = document.definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === "mutation",
    );
    const actual = mutation ? requested : Math.min(requested, objectsIn(result.data));
    bucket.available = Math.min(shop.throttle.maximumAvailable, bucket.available + requested - actual);
    return {
      ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
      data: result.data ?? null,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() },
      },
    };
  };
  return resolved instanceof Promise ? resolved.then(finish) : finish(resolved);
}

/** The objects an answer holds, each costing 1 as in `estimateCost`: what a query actually used. */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + objectsIn(item), 0);
  if (!value || typeof value !== "object") return 0;
  return 1 + Object.values(value).reduce((sum: number, item) => sum + objectsIn(item), 0);
}

/** Leaky bucket: restores `restoreRate` points a second up to the maximum. */
function drain(shop: ShopRecord) {
  const now = Date.now();
  const { bucket, throttle } = shop;
  bucket.available = Math.min(
    throttle.maximumAvailable,
    bucket.available + ((now - bucket.at) / 1000) * throttle.restoreRate,
  );
  bucket.at = now;
  return bucket;
}
