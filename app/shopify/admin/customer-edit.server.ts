import type { CustomerEditor, EditableCustomer, MarketingState } from "~/services/customers/edit-customer.server";
import type { CustomerEraser } from "~/services/customers/delete-customers.server";
import { adminRequest, ShopifyUserErrors, type AdminGraphql, type ShopifyUserError } from "./graphql.server";
import { customerInputOf } from "./reconcile-records";

// Staff edit and delete a customer in Shopify from the profile (decision 022). Shopify is the record: each mutation's
// answer (the customer as Shopify saved them) is what Tally applies, never what the form said.

const CUSTOMER_FOR_EDIT = `#graphql
  query TallyCustomerForEdit($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      taxExempt
      tags
      numberOfOrders
      defaultEmailAddress { emailAddress marketingState }
      defaultPhoneNumber { phoneNumber marketingState }
    }
  }
`;

// The fields of a reconciliation page, so the answer goes through the same translation (customerInputOf).
const CUSTOMER_UPDATE = `#graphql
  mutation TallyCustomerUpdate($input: CustomerInput!) {
    customerUpdate(input: $input) {
      customer {
        id
        firstName
        lastName
        state
        tags
        createdAt
        updatedAt
        defaultEmailAddress { emailAddress }
        defaultPhoneNumber { phoneNumber }
        defaultAddress { city province countryCodeV2 }
        numberOfOrders
        amountSpent { amount currencyCode }
      }
      userErrors { field message }
    }
  }
`;

const EMAIL_CONSENT_UPDATE = `#graphql
  mutation TallyCustomerEmailConsent($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }
`;

const SMS_CONSENT_UPDATE = `#graphql
  mutation TallyCustomerSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }
`;

const CUSTOMER_DELETE = `#graphql
  mutation TallyCustomerDelete($input: CustomerDeleteInput!) {
    customerDelete(input: $input) {
      deletedCustomerId
      userErrors { field message }
    }
  }
`;

const CUSTOMER_REQUEST_DATA_ERASURE = `#graphql
  mutation TallyCustomerRequestDataErasure($customerId: ID!) {
    customerRequestDataErasure(customerId: $customerId) {
      customerId
      userErrors { field message code }
    }
  }
`;

/** The form field a Shopify user error names, whichever path it gives ("input.email", "email", "phone"). */
const formFields: Record<string, string> = {
  firstName: "firstName",
  lastName: "lastName",
  email: "email",
  phone: "phone",
  tags: "tags",
  taxExempt: "taxExempt",
  emailMarketingConsent: "emailMarketing",
  smsMarketingConsent: "smsMarketing",
};

/**
 * Shopify's user errors keyed by the edit form's fields, so each lands on the field it names; an error of the email
 * (or SMS) consent mutation without a field of its own lands on that consent's field.
 */
function refused(operation: string, userErrors: readonly ShopifyUserError[], fallbackField?: string): never {
  const fieldErrors: Record<string, string[]> = {};
  for (const userError of userErrors) {
    const named = (userError.field ?? []).map((segment) => formFields[segment]).find(Boolean) ?? fallbackField;
    if (named) (fieldErrors[named] ??= []).push(userError.message);
  }
  throw new ShopifyUserErrors(operation, userErrors, fieldErrors);
}

const asState = (state: string | null | undefined): MarketingState =>
  state === "SUBSCRIBED" || state === "UNSUBSCRIBED" ? state : "NOT_SUBSCRIBED";

/** Reads and changes one customer in Shopify for the profile's Edit. */
export function shopifyCustomerEditor(graphql: AdminGraphql): CustomerEditor {
  return {
    async read(customerGid): Promise<EditableCustomer | null> {
      const { customer } = await adminRequest(graphql, CUSTOMER_FOR_EDIT, { variables: { id: customerGid } });
      if (!customer) return null;
      return {
        firstName: customer.firstName ?? "",
        lastName: customer.lastName ?? "",
        email: customer.defaultEmailAddress?.emailAddress ?? "",
        phone: customer.defaultPhoneNumber?.phoneNumber ?? "",
        tags: customer.tags,
        taxExempt: customer.taxExempt,
        emailMarketing: asState(customer.defaultEmailAddress?.marketingState),
        smsMarketing: asState(customer.defaultPhoneNumber?.marketingState),
      };
    },
    async update(customerGid, fields) {
      const { customerUpdate } = await adminRequest(graphql, CUSTOMER_UPDATE, {
        variables: {
          input: {
            id: customerGid,
            firstName: fields.firstName,
            lastName: fields.lastName,
            // Shopify clears a contact with null, not with an empty string (which it refuses as invalid).
            email: fields.email || null,
            phone: fields.phone || null,
            tags: fields.tags,
            taxExempt: fields.taxExempt,
          },
        },
      });
      if (!customerUpdate) throw new Error("customerUpdate answered nothing");
      if (customerUpdate.userErrors.length || !customerUpdate.customer) {
        refused("customerUpdate", customerUpdate.userErrors);
      }
      return customerInputOf(customerUpdate.customer, false);
    },
    async setEmailMarketing(customerGid, state) {
      const { customerEmailMarketingConsentUpdate: answer } = await adminRequest(graphql, EMAIL_CONSENT_UPDATE, {
        variables: {
          input: {
            customerId: customerGid,
            emailMarketingConsent: { marketingState: state, marketingOptInLevel: "SINGLE_OPT_IN" },
          },
        },
      });
      if (answer?.userErrors.length)
        refused("customerEmailMarketingConsentUpdate", answer.userErrors, "emailMarketing");
    },
    async setSmsMarketing(customerGid, state) {
      const { customerSmsMarketingConsentUpdate: answer } = await adminRequest(graphql, SMS_CONSENT_UPDATE, {
        variables: {
          input: {
            customerId: customerGid,
            smsMarketingConsent: { marketingState: state, marketingOptInLevel: "SINGLE_OPT_IN" },
          },
        },
      });
      if (answer?.userErrors.length) refused("customerSmsMarketingConsentUpdate", answer.userErrors, "smsMarketing");
    },
  };
}

/** Deletes customers in Shopify, or asks Shopify to erase the personal data of one it keeps. */
export function shopifyCustomerEraser(graphql: AdminGraphql): CustomerEraser {
  return {
    async delete(customerGid) {
      const { customerDelete } = await adminRequest(graphql, CUSTOMER_DELETE, {
        variables: { input: { id: customerGid } },
      });
      if (customerDelete?.deletedCustomerId) return { deleted: true };
      const errors = customerDelete?.userErrors ?? [];
      return { deleted: false, reason: errors.map((error) => error.message).join("; ") || "Shopify kept the customer" };
    },
    async requestErasure(customerGid) {
      const { customerRequestDataErasure: answer } = await adminRequest(graphql, CUSTOMER_REQUEST_DATA_ERASURE, {
        variables: { customerId: customerGid },
      });
      if (answer?.userErrors.length) refused("customerRequestDataErasure", answer.userErrors);
    },
  };
}
