import { nfc, searchColumnsOf } from "./search";

/*
 * Which contact details a version of a Shopify customer writes (decision 010): the newest dated version wins, an
 * undated one only fills blanks, and an erased customer stays erased. One rule for every payload that carries the
 * customer: customers/* webhooks and Admin API reads (syncCustomer), and the customer an order or a checkout embeds
 * (Shopify's checkouts/create and orders/* payloads carry the customer's email, name, phone and default address, and
 * their own updated_at), so a guest made from a checkout or an order has the email the shopper typed.
 */

/** A customer's contact details as Shopify holds them; null for a field Shopify leaves empty. */
export interface CustomerContact {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
}

/** One version of a customer, as a payload or an Admin API read carries it. */
export interface CustomerContactVersion {
  contact: CustomerContact;
  /** Shopify's updated_at for this version; null when the payload carries none (it then only fills blanks). */
  updatedAt: string | null;
  /** Shopify's created_at, the directory's "Date joined". */
  createdAt: string | null;
  /** Shopify's tax exemption; undefined when the source does not say. */
  taxExempt?: boolean;
  /** The customer's language ("fr"); undefined when the source does not say (customer webhooks carry none). */
  locale?: string;
  /** Read from the Admin API at this moment: a read of the same second as what Tally holds is the newer one. */
  readNow?: boolean;
}

/** What Tally holds of the customer that the rule reads. */
export interface HeldCustomerContact extends CustomerContact {
  shopifyUpdatedAt: string | null;
  joinedAt: string | null;
  deletedAt: string | null;
  redactedAt: string | null;
}

function isNewer(incoming: string, stored: string | null): boolean {
  return stored === null || Date.parse(incoming) > Date.parse(stored);
}

/**
 * The columns `version` changes on the customer Tally holds as `held`, and whether it is the newest dated version
 * (`applied`): then its contact details (empty ones included), tax exemption, locale, created_at and updated_at are written,
 * and a customer deleted before it exists again. An older or undated version only fills blank contact fields. Nothing
 * of an erased (redacted) customer's contact is written back. Values are NFC-normalised; the search columns follow
 * the name, email and phone.
 */
export function contactVersionChanges(
  held: HeldCustomerContact,
  version: CustomerContactVersion,
): {
  applied: boolean;
  changes: Partial<CustomerContact> & {
    searchText?: string;
    nameSort?: string;
    taxExempt?: boolean;
    locale?: string;
    shopifyUpdatedAt?: string;
    joinedAt?: string | null;
    deletedAt?: null;
  };
} {
  const { updatedAt } = version;
  const contact: CustomerContact = {
    ...version.contact,
    email: nfc(version.contact.email),
    firstName: nfc(version.contact.firstName),
    lastName: nfc(version.contact.lastName),
  };
  const applied =
    updatedAt !== null &&
    (isNewer(updatedAt, held.shopifyUpdatedAt) || (version.readNow === true && updatedAt === held.shopifyUpdatedAt));
  const fillBlanks = Object.fromEntries(
    Object.entries(contact).filter(([key, value]) => value !== null && held[key as keyof CustomerContact] === null),
  ) as Partial<CustomerContact>;
  const written = held.redactedAt ? {} : applied ? contact : fillBlanks;
  return {
    applied,
    changes: {
      ...written,
      ...(Object.keys(written).length > 0 ? searchColumnsOf({ ...held, ...written }) : {}),
      ...(applied && version.taxExempt !== undefined ? { taxExempt: version.taxExempt } : {}),
      ...(applied && version.locale !== undefined ? { locale: version.locale } : {}),
      ...(applied
        ? {
            shopifyUpdatedAt: updatedAt,
            joinedAt: version.createdAt ?? held.joinedAt,
            // Only a version newer than the deletion says the customer exists again.
            ...(held.deletedAt && isNewer(updatedAt, held.deletedAt) ? { deletedAt: null } : {}),
          }
        : { joinedAt: held.joinedAt ?? version.createdAt }),
    },
  };
}
