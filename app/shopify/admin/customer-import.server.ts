import { z } from "zod";
import type { AnsweredAddress, ImportedCustomer } from "~/domain/imports";
import type { CountryCode } from "~/types/admin.types";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

// Creating or updating the customers of an imported CSV (issue 12, decision 023). `customerSet` with the email as its
// identifier is Shopify's own upsert: a customer with that email is updated, else created with it, so an import
// resumed after a crash (the call made, its result not yet committed) updates the customer it made rather than
// creating a second one. https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerSet

const CUSTOMER_SET = `#graphql
  mutation TallyImportCustomer($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {
    customerSet(identifier: $identifier, input: $input) {
      customer {
        id email firstName lastName phone state createdAt updatedAt tags
        defaultAddress { address1 address2 city province countryCodeV2 zip }
      }
      userErrors { field message code }
    }
  }
`;

// A customer Shopify already has gets the row's address as a new default one: customerSet replaces a customer's
// whole address list ("all existing entries not included will be deleted"), which would throw away the others.
// https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerAddressCreate
const DEFAULT_ADDRESS = `#graphql
  mutation TallyImportDefaultAddress($customerId: ID!, $address: MailingAddressInput!) {
    customerAddressCreate(customerId: $customerId, address: $address, setAsDefault: true) {
      address { address1 address2 city province countryCodeV2 zip }
      userErrors { field message }
    }
  }
`;

const EMAIL_CONSENT = `#graphql
  mutation TallyImportEmailConsent($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }
`;

const ACCOUNT_INVITE = `#graphql
  mutation TallyImportAccountInvite($customerId: ID!) {
    customerSendAccountInviteEmail(customerId: $customerId) {
      customer { id state }
      userErrors { field message code }
    }
  }
`;

/** The customer as Shopify answered after the upsert. */
export interface UpsertedCustomer {
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  state: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  defaultAddress: AnsweredAddress | null;
}

/**
 * Creates the customer, or updates the one Shopify has with that email (`customerSet`), then sets email marketing
 * consent when the row said (consent has its own mutation: CustomerSetInput has no consent). The row's address is the
 * default address of a customer it creates (`addresses` of customerSet); a customer Shopify has (`known`) whose
 * address the row changes (`newAddress`) gets it as a new default address beside their others. Throws
 * ShopifyUserErrors (DomainError "shopify_refused") with Shopify's reasons for a row it refused (an email or phone
 * taken by another customer, an address it cannot take); other errors as adminRequest throws them.
 */
export async function upsertCustomer(
  graphql: AdminGraphql,
  customer: ImportedCustomer,
  { known, newAddress }: { known: boolean; newAddress: boolean },
): Promise<UpsertedCustomer> {
  const data = await adminRequest(graphql, CUSTOMER_SET, { variables: customerSetVariables(customer, { known }) });
  const result = data.customerSet;
  if (!result?.customer || result.userErrors.length > 0) {
    throw new ShopifyUserErrors("customerSet", result?.userErrors ?? [{ message: "No customer in the answer" }]);
  }
  const c = result.customer;
  let defaultAddress = answeredAddress(c.defaultAddress);
  if (known && newAddress && customer.address) {
    const added = await adminRequest(graphql, DEFAULT_ADDRESS, {
      variables: defaultAddressVariables(c.id, customer),
    });
    const errors = added.customerAddressCreate?.userErrors ?? [];
    if (errors.length > 0 || !added.customerAddressCreate?.address)
      throw new ShopifyUserErrors(
        "customerAddressCreate",
        errors.length ? errors : [{ message: "No address in the answer" }],
      );
    defaultAddress = answeredAddress(added.customerAddressCreate.address);
  }
  if (customer.emailMarketing !== undefined) {
    const consent = await adminRequest(graphql, EMAIL_CONSENT, {
      variables: emailConsentVariables(c.id, customer.emailMarketing),
    });
    const errors = consent.customerEmailMarketingConsentUpdate?.userErrors ?? [];
    if (errors.length > 0) throw new ShopifyUserErrors("customerEmailMarketingConsentUpdate", errors);
  }
  return { ...upserted(c), defaultAddress };
}

function answeredAddress(
  a:
    | {
        address1?: string | null;
        address2?: string | null;
        city?: string | null;
        province?: string | null;
        countryCodeV2?: string | null;
        zip?: string | null;
      }
    | null
    | undefined,
): AnsweredAddress | null {
  if (!a) return null;
  return {
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    countryCode: a.countryCodeV2 ?? null,
    zip: a.zip ?? null,
  };
}

function upserted(c: {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  state: string;
  tags: string[];
  createdAt: unknown;
  updatedAt: unknown;
  defaultAddress?: Parameters<typeof answeredAddress>[0];
}): UpsertedCustomer {
  return {
    customerGid: c.id,
    email: c.email ?? null,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    phone: c.phone ?? null,
    state: c.state,
    tags: c.tags,
    createdAt: c.createdAt as string,
    updatedAt: c.updatedAt as string,
    defaultAddress: answeredAddress(c.defaultAddress),
  };
}

/**
 * A row's address as Shopify's MailingAddressInput: the customer's name on it, as Shopify's own customer CSV import
 * puts it, and the codes the row's check read (`provinceCode` Shopify's region code, `phone` E.164).
 */
function mailingAddressInput(customer: ImportedCustomer) {
  const a = customer.address!;
  return {
    firstName: customer.firstName,
    lastName: customer.lastName,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    provinceCode: a.provinceCode,
    // Checked against the schema's CountryCode enum (app/domain/shared/countries.ts).
    countryCode: a.countryCode as CountryCode,
    zip: a.zip,
    phone: a.phone,
  };
}

/**
 * customerSet's variables for a row: the email is both the identifier (the upsert's key) and the customer's email.
 * A customer Tally does not know (`known` false) is created with the row's address as their only, default, one; a
 * known one keeps their addresses (customerSet would replace the list: the address follows with DEFAULT_ADDRESS).
 */
export function customerSetVariables(customer: ImportedCustomer, { known }: { known: boolean }) {
  return {
    identifier: { email: customer.email },
    input: {
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      tags: customer.tags,
      taxExempt: customer.taxExempt,
      ...(!known && customer.address ? { addresses: [mailingAddressInput(customer)] } : {}),
    },
  };
}

/** customerAddressCreate's variables: the row's address, made the customer's default one. */
export function defaultAddressVariables(customerGid: string, customer: ImportedCustomer) {
  return { customerId: customerGid, address: mailingAddressInput(customer) };
}

/** customerEmailMarketingConsentUpdate's variables: subscribed (single opt-in) or not, as the row said. */
export function emailConsentVariables(customerGid: string, subscribed: boolean) {
  return {
    input: {
      customerId: customerGid,
      emailMarketingConsent: {
        marketingState: subscribed ? ("SUBSCRIBED" as const) : ("NOT_SUBSCRIBED" as const),
        marketingOptInLevel: "SINGLE_OPT_IN" as const,
      },
    },
  };
}

/** customerSendAccountInviteEmail's variables. */
export const accountInviteVariables = (customerGid: string) => ({ customerId: customerGid });

/**
 * The mutations a large import runs in bulk (bulkOperationRunMutation), one line of variables each: the same typed
 * documents the row-by-row import sends, so both paths ask Shopify the same thing.
 */
export const bulkImportMutations = {
  customerSet: CUSTOMER_SET,
  defaultAddress: DEFAULT_ADDRESS,
  emailConsent: EMAIL_CONSENT,
  accountInvite: ACCOUNT_INVITE,
} as const;

const userErrorsSchema = z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() }));
const resultLineSchema = z.object({
  __lineNumber: z.number().int().nonnegative(),
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string() })).nullish(),
});
/** A MailingAddress as customerSet and customerAddressCreate answer it (AnsweredAddress once read). */
const answeredAddressSchema = z
  .object({
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    province: z.string().nullish(),
    countryCodeV2: z.string().nullish(),
    zip: z.string().nullish(),
  })
  .nullish();

const customerSetAnswer = z.object({
  customer: z
    .object({
      id: z.string(),
      email: z.string().nullish(),
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      phone: z.string().nullish(),
      state: z.string(),
      tags: z.array(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
      defaultAddress: answeredAddressSchema,
    })
    .nullish(),
  userErrors: userErrorsSchema,
});
const payloadAnswer = z.object({ userErrors: userErrorsSchema });
const addressAnswer = z.object({
  address: answeredAddressSchema,
  userErrors: userErrorsSchema,
});

/** One line of a bulk mutation's result: the input line it answers, and what Shopify did or why it refused. */
export type BulkImportLine =
  | { lineNumber: number; ok: true; customer: UpsertedCustomer | null; address?: AnsweredAddress }
  | { lineNumber: number; ok: false; reasons: string[] };

/**
 * Reads one line of the result of `bulkImportMutations[kind]`: its `__lineNumber` (0-based, the variables' line) and
 * the customer customerSet answered, or the reasons Shopify refused the line (userErrors, or a GraphQL error of the
 * line). Throws Error for a line that is not a result line at all.
 */
export function readBulkImportLine(kind: keyof typeof bulkImportMutations, text: string): BulkImportLine {
  const line = resultLineSchema.parse(JSON.parse(text));
  const lineNumber = line.__lineNumber;
  if (line.errors?.length) return { lineNumber, ok: false, reasons: line.errors.map((error) => error.message) };
  const field = {
    customerSet: "customerSet",
    defaultAddress: "customerAddressCreate",
    emailConsent: "customerEmailMarketingConsentUpdate",
    accountInvite: "customerSendAccountInviteEmail",
  }[kind];
  const answer = line.data?.[field];
  if (kind === "customerSet") {
    const parsed = customerSetAnswer.safeParse(answer);
    if (!parsed.success) return { lineNumber, ok: false, reasons: ["Shopify answered without the customer"] };
    if (parsed.data.userErrors.length > 0 || !parsed.data.customer)
      return { lineNumber, ok: false, reasons: parsed.data.userErrors.map((error) => error.message) };
    return { lineNumber, ok: true, customer: upserted(parsed.data.customer) };
  }
  if (kind === "defaultAddress") {
    const parsed = addressAnswer.safeParse(answer);
    if (!parsed.success || (!parsed.data.address && parsed.data.userErrors.length === 0))
      return { lineNumber, ok: false, reasons: ["Shopify answered without the address"] };
    if (parsed.data.userErrors.length > 0 || !parsed.data.address)
      return { lineNumber, ok: false, reasons: parsed.data.userErrors.map((error) => error.message) };
    return { lineNumber, ok: true, customer: null, address: answeredAddress(parsed.data.address)! };
  }
  const parsed = payloadAnswer.safeParse(answer);
  if (!parsed.success) return { lineNumber, ok: false, reasons: [`Shopify answered without ${field}`] };
  if (parsed.data.userErrors.length > 0)
    return { lineNumber, ok: false, reasons: parsed.data.userErrors.map((error) => error.message) };
  return { lineNumber, ok: true, customer: null };
}

/**
 * Sends Shopify's account invitation (legacy customer accounts: the customer sets a password from the email), which
 * stands in for the passwords the Admin API cannot import. Throws ShopifyUserErrors when Shopify refuses (no email,
 * an account already enabled).
 */
export async function sendAccountInvite(graphql: AdminGraphql, customerGid: string): Promise<void> {
  const data = await adminRequest(graphql, ACCOUNT_INVITE, { variables: { customerId: customerGid } });
  const errors = data.customerSendAccountInviteEmail?.userErrors ?? [];
  if (errors.length > 0) throw new ShopifyUserErrors("customerSendAccountInviteEmail", errors);
}
