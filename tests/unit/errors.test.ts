import { GraphqlQueryError } from "@shopify/shopify-api";
import { describe, expect, it, vi } from "vitest";
import { DomainError, type DomainErrorCode } from "~/domain/shared";
import { answerForError, withErrors, withFormErrors } from "~/lib/errors.server";
import { log } from "~/lib/log.server";
import { ShopifyUserErrors, withheldFields } from "~/shopify/admin/graphql.server";

const statuses: Record<DomainErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  insufficient_points: 409,
  blocked: 403,
  guest_cannot_redeem: 403,
  program_disabled: 409,
  conflict: 409,
  already_running: 409,
  gone: 410,
  bad_request: 400,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  unauthenticated: 401,
  not_installed: 403,
  rate_limited: 429,
  shopify_refused: 422,
  shopify_unavailable: 503,
};

describe("typed errors become answers in one place", () => {
  it.each(Object.entries(statuses))("%s answers %i with its message and code", async (code, status) => {
    const answer = answerForError(new DomainError(code as DomainErrorCode, "Why it was refused"));
    expect(answer.status).toBe(status);
    expect(await answer.json()).toEqual({ error: "Why it was refused", code });
  });

  it("keeps Shopify's userErrors on their fields, by path, for a form to show, in words without the mutation's name", async () => {
    const logged = vi.spyOn(log, "info").mockImplementation(() => undefined);
    const refused = new ShopifyUserErrors("customerUpdate", [
      { field: ["input", "email"], message: "Email has already been taken", code: "TAKEN" },
      { field: ["input", "email"], message: "Email is invalid", code: "INVALID" },
      { field: null, message: "Customer is being merged" },
    ]);
    const answer = answerForError(refused);
    expect(answer.status).toBe(422);
    expect(await answer.json()).toEqual({
      error: "Shopify refused the change: Email has already been taken; Email is invalid; Customer is being merged",
      code: "shopify_refused",
      fieldErrors: { "input.email": ["Email has already been taken", "Email is invalid"] },
    });
    // The engineer reading the log still learns which mutation Shopify refused.
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ operation: "customerUpdate", code: "shopify_refused" }),
      "Shopify refused customerUpdate",
    );
    logged.mockRestore();
    expect(new ShopifyUserErrors("metafieldsSet", []).message).toBe("Shopify refused the change without a reason");
  });

  it("says when to try again (429 Retry-After) and gives a shopper's reason beside the error", async () => {
    const limited = answerForError(new DomainError("rate_limited", "Too many claims", { retryAfterSeconds: 41.2 }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("42");
    const refused = answerForError(
      new DomainError("conflict", "Referral blocked", { reason: "You can't use your own referral link." }),
    );
    expect(await refused.json()).toEqual({
      error: "Referral blocked",
      code: "conflict",
      reason: "You can't use your own referral link.",
    });
  });

  it("throws a loader's typed error as its Response and returns an action's, letting everything else through", async () => {
    const refusal = new DomainError("not_found", "No such customer");
    const thrown = await withErrors(async () => Promise.reject(refusal))({}).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    const returned = await withFormErrors(async () => Promise.reject(refusal))({});
    expect((returned as Response).status).toBe(404);

    // The library's auth flow (a thrown redirect) and bugs pass untouched.
    const redirect = new Response(null, { status: 302, headers: { Location: "/auth/login" } });
    await expect(withErrors(async () => Promise.reject(redirect))({})).rejects.toBe(redirect);
    const bug = new TypeError("x is undefined");
    await expect(withFormErrors(async () => Promise.reject(bug))({})).rejects.toBe(bug);
  });
});

/** The library's error for a 200 answer with `errors` beside `data`, as its GraphQL client raises it. */
function graphqlError(data: unknown, errors: Array<{ message: string; path?: (string | number)[]; code: string }>) {
  return new GraphqlQueryError({
    message: errors[0]!.message,
    response: {},
    body: {
      data,
      errors: { graphQLErrors: errors.map(({ code, ...error }) => ({ ...error, extensions: { code } })) },
    },
  });
}

describe("an answer with protected customer fields withheld", () => {
  it("names each withheld field, by its path or its message", () => {
    const error = graphqlError({ customers: { nodes: [{ id: "gid://shopify/Customer/1", firstName: null }] } }, [
      {
        message: "This app is not approved to use the firstName field.",
        path: ["customers", "nodes", 0, "firstName"],
        code: "ACCESS_DENIED",
      },
      {
        message: "This app is not approved to use the lastName field.",
        path: ["customers", "nodes", 0, "lastName"],
        code: "ACCESS_DENIED",
      },
      { message: "This app is not approved to use the defaultPhoneNumber field.", code: "ACCESS_DENIED" },
      { message: "denied", path: ["orders", "nodes", 3, "customer", "defaultEmailAddress"], code: "ACCESS_DENIED" },
      { message: "denied", path: ["customers", "nodes", 0, "defaultAddress"], code: "ACCESS_DENIED" },
    ]);
    expect(withheldFields(error)).toEqual(["name", "phone", "email", "address"]);
  });

  it("is an ordinary error when any error is something else, or no data came", () => {
    const access = { message: "denied", path: ["customers", "nodes", 0, "firstName"], code: "ACCESS_DENIED" };
    expect(
      withheldFields(graphqlError({ customers: null }, [access, { message: "Throttled", code: "THROTTLED" }])),
    ).toBe(undefined);
    expect(
      withheldFields(
        graphqlError({ orders: null }, [
          { message: "Access denied for orders field.", path: ["orders"], code: "ACCESS_DENIED" },
        ]),
      ),
    ).toBe(undefined);
    expect(withheldFields(graphqlError(undefined, [access]))).toBe(undefined);
    expect(withheldFields(new Error("network"))).toBe(undefined);
  });
});
