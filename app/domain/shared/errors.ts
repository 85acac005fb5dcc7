export type DomainErrorCode =
  | "not_found"
  | "insufficient_points"
  | "blocked"
  | "guest_cannot_redeem"
  | "program_disabled"
  | "invalid_input"
  | "conflict";

/** A rule said no. Services let it travel up; one function at the edge maps `code` to an HTTP status. */
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
