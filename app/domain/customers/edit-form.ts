import { z } from "zod";
import { phoneProblemWords, readPhone, tooLongError } from "~/domain/shared";
import { customerTagSchema, splitTags } from "./tags";

/** Shopify's marketing consent states staff can set (PENDING, INVALID and REDACTED are Shopify's own to set). */
export type MarketingState = "SUBSCRIBED" | "UNSUBSCRIBED" | "NOT_SUBSCRIBED";

/** Shopify's rule for a customer (customerUpdate: "A name, phone number, or email address must be present"). */
export const NO_CONTACT_WORDS = "Enter a name, an email or a phone: Shopify keeps no customer without one of them";

const marketingSchema = z.enum(["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED"]);

/**
 * The profile's Edit form as posted, read in the shop's `country` (ISO 3166-1 alpha-2, null when unknown): the phone
 * as staff typed it becomes E.164 (readPhone, decision 053), empty stays empty (no phone); tags are a comma list.
 */
function customerEditFormSchema(country: string | null) {
  return z.object({
    firstName: z
      .string()
      .trim()
      .max(255, { error: tooLongError(255) }),
    lastName: z
      .string()
      .trim()
      .max(255, { error: tooLongError(255) }),
    email: z.union([z.literal(""), z.email({ error: "Enter an email address like pat@example.com" })]),
    phone: z
      .string()
      .trim()
      .max(40, { error: "Enter a phone number of at most 15 digits" })
      .transform((typed, check) => {
        if (typed === "") return "";
        const reading = readPhone(typed, country);
        if (reading.ok) return reading.e164;
        check.issues.push({ code: "custom", message: phoneProblemWords(typed, reading.reason, country), input: typed });
        return z.NEVER;
      }),
    tags: z
      .string()
      .transform(splitTags)
      .pipe(z.array(customerTagSchema).max(250, { error: "A customer can have at most 250 tags" })),
    taxExempt: z.enum(["true", "false"]).transform((value) => value === "true"),
    emailMarketing: marketingSchema,
    smsMarketing: marketingSchema,
  });
}

/** The customer the Edit form asks Shopify to keep: the phone in E.164 or empty. */
export type CustomerEdits = z.output<ReturnType<typeof customerEditFormSchema>>;

const contactsSchema = z.object({ firstName: z.string(), lastName: z.string(), email: z.string(), phone: z.string() });

/**
 * Reads the Edit customer form and checks every field at once, so staff see each mistake on its field in one answer
 * (a bad email no longer hides a bad phone until it is fixed): the fields' own rules, the phone read in `country`, and
 * Shopify's rule that a customer keeps a first name, last name, email or phone (NO_CONTACT_WORDS on each of the four,
 * since Shopify's own refusal names no field). `fieldErrors` are keyed by field ("tags.3" for a list's item).
 */
export function parseCustomerEditForm(
  input: unknown,
  country: string | null,
): { ok: true; edits: CustomerEdits } | { ok: false; fieldErrors: Record<string, string[]> } {
  const parsed = customerEditFormSchema(country).safeParse(input);
  const fieldErrors: Record<string, string[]> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.map(String).join(".")] ??= []).push(issue.message);
  const contacts = contactsSchema.safeParse(input);
  if (contacts.success && Object.values(contacts.data).every((value) => value.trim() === "")) {
    for (const field of Object.keys(contacts.data)) (fieldErrors[field] ??= []).push(NO_CONTACT_WORDS);
  }
  if (parsed.success && Object.keys(fieldErrors).length === 0) return { ok: true, edits: parsed.data };
  return { ok: false, fieldErrors };
}
