import type { SameWorkRunning } from "~/domain/background-jobs";
import { isDomainError, type DomainError, type DomainErrorCode } from "~/domain/shared";
import { log } from "./log.server";

/** The one table from a typed error's code to the HTTP status Tally answers with. */
const statusByCode: Record<DomainErrorCode, number> = {
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
  // Shopify answered and created nothing (its user errors, with their field paths): the input was refused, in words
  // (decision 012 chose 502 first; a refusal of what the merchant typed is a 4xx with a reason, as the brief asks).
  shopify_refused: 422,
  // Shopify's answer was lost or Tally cannot call it for this shop yet: try again later.
  shopify_unavailable: 503,
};

export interface DomainErrorBody {
  error: string;
  code: DomainErrorCode;
  /** Per field path ("redeemOptions.0.percent", or Shopify's userErrors path joined: "input.email"). */
  fieldErrors?: Record<string, string[]>;
  /** What is wrong with a bad request, per path. */
  issues?: Array<{ path: string; message: string }>;
  /** A refusal in a shopper's words (the referral claim's 409). */
  reason?: string;
  /** The storefront shopper's view as it now stands, beside a redeem refusal (`proxy.v1.redeem`, decision 055). */
  view?: unknown;
  /** The queued or running job a start repeats (`already_running`): the form names it and offers to start anyway. */
  sameWork?: SameWorkRunning;
}

/**
 * The status and JSON body of a typed error: `{error, code, fieldErrors?, issues?, reason?}`, with Retry-After when the
 * error says when to try again (429); `more` adds what the route answers beside the refusal (`view`).
 */
export function responseForDomainError(error: DomainError, more: Pick<DomainErrorBody, "view"> = {}): Response {
  const { fieldErrors, issues, reason, sameWork, retryAfterSeconds, operation, userErrors } = error.details as Pick<
    DomainErrorBody,
    "fieldErrors" | "issues" | "reason" | "sameWork"
  > & { retryAfterSeconds?: number; operation?: string; userErrors?: unknown };
  // The merchant reads Shopify's sentences; which mutation said them is for whoever reads the log.
  if (operation) log.info({ code: error.code, operation, userErrors }, `Shopify refused ${operation}`);
  const body: DomainErrorBody = {
    error: error.message,
    code: error.code,
    ...(fieldErrors ? { fieldErrors } : {}),
    ...(issues ? { issues } : {}),
    ...(typeof reason === "string" ? { reason } : {}),
    ...(sameWork ? { sameWork } : {}),
    ...more,
  };
  const headers: Record<string, string> = {};
  if (typeof retryAfterSeconds === "number") headers["Retry-After"] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return Response.json(body, { status: statusByCode[error.code], headers });
}

/**
 * Wraps a loader, or an action that answers a program (the storefront widget, Shopify's webhooks): a typed error it
 * throws is thrown on as its Response, which Remix sends as is (a page's ErrorBoundary shows it). Everything else
 * passes untouched, the library's auth Responses and redirects above all: they are the auth flow.
 */
export function withErrors<Args, Result>(handler: (args: Args) => Promise<Result>): (args: Args) => Promise<Result> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isDomainError(error)) throw responseForDomainError(error);
      throw error;
    }
  };
}

/**
 * Wraps an admin page's action: a typed error is returned, not thrown, so the page stays and `useActionData` gets the
 * body, whose `fieldErrors` land on the Polaris fields. Everything else passes untouched, as in `withErrors`.
 */
export function withFormErrors<Args, Result>(
  handler: (args: Args) => Promise<Result>,
): (args: Args) => Promise<Result | Response> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isDomainError(error)) return responseForDomainError(error);
      throw error;
    }
  };
}

/** For code outside Remix (server.js's lean webhook path): a typed error as its Response, anything else rethrown. */
export function answerForError(error: unknown): Response {
  if (isDomainError(error)) return responseForDomainError(error);
  throw error;
}
