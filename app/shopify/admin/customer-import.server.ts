import type { ImportedCustomer } from "~/domain/imports";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

// Creating or updating the customers of an imported CSV (issue 12, decision 023). `customerSet` with the email as its
// identifier is Shopify's own upsert: a customer with that email is updated, else created with it, so an import
// resumed after a crash (the call made, its result not yet committed) updates the customer it made rather than
// creating a second one. https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerSet

const CUSTOMER_SET = `#graphql
  mutation TallyImportCustomer($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {
    customerSet(identifier: $identifier, input: $input) {
      customer { id email firstName lastName phone state createdAt updatedAt tags }
      userErrors { field message code }
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
}

/**
 * Creates the customer, or updates the one Shopify has with that email (`customerSet`), then sets email marketing
 * consent when the row said (consent has its own mutation: CustomerSetInput has no consent). Throws ShopifyUserErrors
 * (DomainError "shopify_refused") with Shopify's reasons for a row it refused (an email or phone taken by another
 * customer); other errors as adminRequest throws them.
 */
export async function upsertCustomer(graphql: AdminGraphql, customer: ImportedCustomer): Promise<UpsertedCustomer> {
  const data = await adminRequest(graphql, CUSTOMER_SET, {
    variables: {
      identifier: { email: customer.email },
      input: {
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: customer.phone,
        tags: customer.tags,
        taxExempt: customer.taxExempt,
      },
    },
  });
  const result = data.customerSet;
  if (!result?.customer || result.userErrors.length > 0) {
    throw new ShopifyUserErrors("customerSet", result?.userErrors ?? [{ message: "No customer in the answer" }]);
  }
  const c = result.customer;
  if (customer.emailMarketing !== undefined) {
    const consent = await adminRequest(graphql, EMAIL_CONSENT, {
      variables: {
        input: {
          customerId: c.id,
          emailMarketingConsent: {
            marketingState: customer.emailMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
            marketingOptInLevel: "SINGLE_OPT_IN",
          },
        },
      },
    });
    const errors = consent.customerEmailMarketingConsentUpdate?.userErrors ?? [];
    if (errors.length > 0) throw new ShopifyUserErrors("customerEmailMarketingConsentUpdate", errors);
  }
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
  };
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
