import type { DomainError, DomainErrorCode } from "~/domain/shared";

const statusByCode: Record<DomainErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  insufficient_points: 409,
  blocked: 403,
  guest_cannot_redeem: 403,
  program_disabled: 409,
  conflict: 409,
};

export interface DomainErrorBody {
  error: string;
  code: DomainErrorCode;
  /** Per field path ("redeemOptions.0.percent"), for the Polaris field's `error` prop. */
  fieldErrors?: Record<string, string[]>;
}

/** The one place a rule's refusal becomes HTTP: the status for its code, and a JSON body a form or widget can show. */
export function responseForDomainError(error: DomainError): Response {
  const fieldErrors = error.details.fieldErrors as Record<string, string[]> | undefined;
  const body: DomainErrorBody = { error: error.message, code: error.code, ...(fieldErrors ? { fieldErrors } : {}) };
  return Response.json(body, { status: statusByCode[error.code] });
}
