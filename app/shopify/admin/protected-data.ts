import type { ProtectedField } from "~/domain/shared";

/** The Admin API fields Tally reads, by the protected customer field each belongs to. */
const adminFields: Record<string, ProtectedField> = {
  firstName: "name",
  lastName: "name",
  displayName: "name",
  email: "email",
  defaultEmailAddress: "email",
  emailAddress: "email",
  phone: "phone",
  defaultPhoneNumber: "phone",
  phoneNumber: "phone",
  defaultAddress: "address",
  addresses: "address",
};

/**
 * The protected field an ACCESS_DENIED error is about, from the last name in its `path` (["customers", "nodes", 0,
 * "firstName"]) or else from its message ("This app is not approved to use the email field."); undefined when it
 * names none (a missing access scope, or protected customer data itself, level 1, not granted).
 */
export function protectedFieldOf(error: {
  message: string;
  path?: ReadonlyArray<string | number>;
}): ProtectedField | undefined {
  const last = [...(error.path ?? [])].reverse().find((step): step is string => typeof step === "string");
  const named = /not approved to use the (\w+) field/i.exec(error.message)?.[1];
  return (last ? adminFields[last] : undefined) ?? (named ? adminFields[named] : undefined);
}

/**
 * A bulk query without the selections of the withheld fields (`firstName`, `defaultEmailAddress { emailAddress }`):
 * a bulk operation that asks for one fails whole with ACCESS_DENIED, where a normal query answers it null.
 */
export function withoutWithheldFields(query: string, withheld: Iterable<ProtectedField>): string {
  const gone = new Set(withheld);
  let out = query;
  for (const [name, field] of Object.entries(adminFields)) {
    if (gone.has(field)) out = out.replace(new RegExp(`\\b${name}\\b(\\s*\\{[^{}]*\\})?`, "g"), "");
  }
  return out;
}
