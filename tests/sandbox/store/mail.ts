/** An email Shopify sent on the app's behalf (an account invitation), kept so tests can read what went out. */
export interface SentEmailRecord {
  id: string;
  kind: "customer_account_invite";
  customerId: string;
  to: string;
  from: string;
  bcc: string[];
  subject: string;
  /** The custom message the app gave, or null for the store's default template. */
  customMessage: string | null;
  sentAt: string;
}

/** A customer data erasure requested through customerRequestDataErasure and not yet carried out or cancelled. */
export interface ErasureRequestRecord {
  customerId: string;
  requestedAt: string;
}
