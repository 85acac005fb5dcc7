import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { customers } from "./customers";

/**
 * Every email Tally queued, one row per (shop, customer, kind, batch): the durable outbox the send-emails job drains,
 * and, once sent, the record of what was sent (the rendered parts, the SMTP server's message id and answer). A
 * skipped customer gets a row too, with its reason, so a batch's result counts everyone asked for (decision 021).
 */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** Who asked and when, chosen by the caller: a resubmitted batch id queues nothing twice. */
    batch: text("batch").notNull(),
    status: text("status", { enum: ["queued", "sending", "sent", "failed", "skipped"] }).notNull(),
    skipReason: text("skip_reason"),
    recipient: text("recipient"),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    /** The template version the parts were rendered from. */
    templateVersion: integer("template_version"),
    /**
     * The language of that template: "" for the shop's default template, else the locale of the translation the
     * customer's locale chose ("fr"; decision 057).
     */
    templateLocale: text("template_locale"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at"),
    lastError: text("last_error"),
    lastResponseCode: integer("last_response_code"),
    messageId: text("message_id"),
    smtpResponse: text("smtp_response"),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    sentAt: text("sent_at"),
  },
  (table) => [
    uniqueIndex("email_outbox_key_uq").on(table.shop, table.customerId, table.kind, table.batch),
    // The job's next sends: queued rows due by next_attempt_at, only they are in the index.
    index("email_outbox_due_idx")
      .on(table.shop, table.nextAttemptAt, table.id)
      .where(sql`${table.status} = 'queued'`),
    // Rows a crash left mid-send, few at any time.
    index("email_outbox_sending_idx")
      .on(table.shop, table.updatedAt)
      .where(sql`${table.status} = 'sending'`),
    // The rate limit: sends of the last minute.
    index("email_outbox_sent_idx")
      .on(table.shop, table.sentAt)
      .where(sql`${table.status} = 'sent'`),
    index("email_outbox_customer_idx").on(table.shop, table.customerId, table.id),
    index("email_outbox_batch_idx").on(table.shop, table.batch, table.status),
  ],
);

/**
 * Tally's own unsubscribe list: a customer here gets no email from Tally again, whatever Shopify's marketing consent
 * says. Keyed by customer; the address is kept (lowercased) so a second customer record with the same mailbox is
 * skipped too. customers/redact erases the address and keeps the customer's suppression.
 */
export const emailSuppressions = sqliteTable(
  "email_suppressions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    email: text("email"),
    /** one_click (RFC 8058 POST from the mailbox provider) or page (the confirm button). */
    source: text("source").notNull(),
    /** The outbox row whose link was used. */
    outboxId: integer("outbox_id"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("email_suppressions_customer_uq").on(table.shop, table.customerId),
    index("email_suppressions_email_idx").on(table.shop, table.email),
  ],
);

/**
 * Every saved version of a shop's email templates, never updated; the newest of each language is in use. `locale` is
 * "" for the default template (every customer whose language has no translation) or the storefront locale a
 * translation is for ("fr", "pt-BR"); versions are numbered per (kind, locale) (decision 057).
 */
export const emailTemplateVersions = sqliteTable(
  "email_template_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    kind: text("kind").notNull(),
    locale: text("locale").notNull().default(""),
    version: integer("version").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [uniqueIndex("email_template_versions_uq").on(table.shop, table.kind, table.locale, table.version)],
);

/**
 * A notice about a shop's saved email template that staff answered "Keep mine" (Settings › Emails; decision 031): the
 * notice is not shown again for that email, whatever version is saved later. One row per (shop, kind, notice), never
 * updated; `version` is the template version in use when it was kept.
 */
export const emailTemplateNoticesKept = sqliteTable(
  "email_template_notices_kept",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    kind: text("kind").notNull(),
    notice: text("notice").notNull(),
    version: integer("version").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [uniqueIndex("email_template_notices_kept_uq").on(table.shop, table.kind, table.notice)],
);
