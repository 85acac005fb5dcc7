import { z } from "zod";
import { DomainError } from "~/domain/shared";

/**
 * Parses untrusted input at a route's edge. A bad request is thrown as DomainError("bad_request") listing each bad
 * field (`issues`; a 400 through `withErrors`), so nothing downstream ever sees unvalidated data.
 */
export function parseOr400<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  throw new DomainError("bad_request", "Bad request", { issues });
}

/**
 * A record's id from the URL's path (`/app/customers/:id`): a whole number up to 15 digits. A path naming no record
 * ("abc", "1.5") is answered as an id of another shop is, DomainError("not_found") (404: the page's "not in Tally" with
 * its way back), not as a bad request in a schema's words (found by a newcomer). `what` names the record ("customer").
 */
export function pathIdOr404(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d{1,15}$/.test(value) || Number(value) === 0)
    throw new DomainError("not_found", `No such ${what}`, { id: value ?? null });
  return Number(value);
}

/**
 * Parses a form a person filled in. A mistake is theirs to correct, not a bad request: it is thrown as an
 * `invalid_input` DomainError with `fieldErrors`, which the action returns (a thrown Response would replace the page
 * with the error boundary) so each message lands on its field.
 */
export function parseFormFields<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) (fieldErrors[issue.path.join(".")] ??= []).push(issue.message);
  throw new DomainError("invalid_input", "Correct the fields marked and try again", { fieldErrors });
}

const formTypes = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * Reads a form post's fields. Anything else posted to a form action (JSON, text, a broken multipart body) is the
 * caller's mistake, not the server's: DomainError("unsupported_media_type") when the content type is not a form's
 * (415), "bad_request" when the body does not parse (400).
 */
export async function readForm(request: Request): Promise<Record<string, FormDataEntryValue>> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!formTypes.includes(type)) {
    throw new DomainError(
      "unsupported_media_type",
      "Send the form as application/x-www-form-urlencoded or multipart/form-data",
    );
  }
  try {
    return Object.fromEntries(await request.formData());
  } catch {
    throw new DomainError("bad_request", "The form body could not be read");
  }
}

/** A form field holding JSON text (a settings draft, a job's input), parsed for a schema to `.pipe` into. */
export const jsonField = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.issues.push({ code: "custom", message: "must be JSON", input: text });
    return z.NEVER;
  }
});

/**
 * Parses a page's URL query, leaving out what it cannot use: each top-level parameter a problem names is dropped and
 * the rest parsed again, so an old bookmark or a hand-edited link (`?sort=bogus`, `?tab=nope`) still opens the page
 * with what it could read. Answers the parsed query, the names of the parameters left out and, by name, the first
 * reason the schema gave for each (its message, for the page to put in words). A problem with the query as a whole
 * (no parameter named), or one of the schema's own refusals in words (a custom issue, such as a reversed range), is
 * still a 400, as `parseOr400` throws.
 */
export function parseQueryLeavingOut<Schema extends z.ZodType>(
  schema: Schema,
  input: Record<string, unknown>,
): { data: z.infer<Schema>; leftOut: string[]; reasons: Record<string, string> } {
  const kept = { ...input };
  const leftOut: string[] = [];
  const reasons: Record<string, string> = {};
  for (;;) {
    const result = schema.safeParse(kept);
    if (result.success) return { data: result.data, leftOut, reasons };
    // Our own refusals ("the range is reversed; swap them") say more than leaving the value out would: still a 400.
    if (result.error.issues.some((issue) => issue.code === "custom"))
      return { data: parseOr400(schema, kept), leftOut, reasons };
    const names = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? "")))].filter(
      (name) => name !== "" && name in kept,
    );
    if (names.length === 0) return { data: parseOr400(schema, kept), leftOut, reasons };
    for (const name of names) {
      reasons[name] = result.error.issues.find((issue) => String(issue.path[0]) === name)!.message;
      delete kept[name];
      leftOut.push(name);
    }
  }
}
