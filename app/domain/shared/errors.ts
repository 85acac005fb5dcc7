/**
 * Why Tally refused or could not finish a request. One code per kind; `app/lib/errors.server.ts` holds the one table
 * from code to HTTP status, so adding a kind here without a status there does not compile.
 */
export type DomainErrorCode =
  // A rule said no.
  | "not_found"
  | "insufficient_points"
  | "blocked"
  | "guest_cannot_redeem"
  | "program_disabled"
  | "invalid_input"
  | "conflict"
  // The same work is already queued or running (a directory bulk action submitted again from another tab):
  // `details.sameWork` names it, and the merchant may start it anyway.
  | "already_running"
  // What was asked for existed and is no longer offered (a data request's export after its 30 days).
  | "gone"
  // The request itself is wrong, whoever sent it.
  | "bad_request"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "unauthenticated"
  | "not_installed"
  // Too many requests from one client or on one referral code: try again after `details.retryAfterSeconds`.
  | "rate_limited"
  // Shopify said no (user errors, a refused query: nothing was created), or its answer did not arrive.
  | "shopify_refused"
  | "shopify_unavailable";

/**
 * A typed refusal. Services and adapters throw it and let it travel up; the route's `withErrors` turns it into the
 * answer. `details.fieldErrors` (field path → messages) lands on a form's fields; `details.issues` lists a bad
 * request's problems; `details.reason` is a refusal in a shopper's words (sent as `reason`), `details.retryAfterSeconds`
 * becomes a Retry-After header; `details.sameWork` names the job a start repeats; other details are for logs and tests, never sent.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
