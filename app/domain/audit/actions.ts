import { z } from "zod";

/**
 * The staff actions Tally records in its audit trail (issue 11), each a dotted name, `<subject>.<verb>`, and the words
 * the Audit page shows for it. A feature that lets staff change something adds its action here and calls
 * `recordAudit` in the transaction that makes the change (app/services/audit/record-audit.server.ts). A background job
 * that changes customers writes each customer's line too, as the single action would (`recordAudits`, a chunk's lines
 * in multi-row inserts): tests/unit/audit-coverage.test.ts registers which line each job kind writes.
 */
export const auditActionLabels = {
  "points.adjust": "Adjusted points",
  // Each customer a points file, a customer file's Points, or Points for past orders gave points to, and its undo.
  "points.import": "Imported points",
  "points.import_undo": "Took back imported points",
  "points.backfill": "Gave points for a past order",
  "points.backfill_undo": "Took back points for a past order",
  "customer.block": "Blocked a customer",
  "customer.unblock": "Unblocked a customer",
  "customer.tags_add": "Added tags to a customer",
  "customer.tags_remove": "Removed tags from a customer",
  "customer.sync": "Synced a customer from Shopify",
  "customer.import": "Imported a customer from a file",
  "customer.edit": "Edited a customer",
  "customer.delete": "Deleted a customer",
  "customer.delete_refused": "Tried to delete a customer Shopify kept",
  "customer.erasure_request": "Requested a customer's data erasure",
  "points.recalculate": "Applied a recalculation from Shopify",
  "store_credit.issue": "Issued store credit",
  "store_credit.deduct": "Deducted store credit",
  "group.create": "Created a group",
  "group.update": "Edited a group",
  "group.discount": "Gave a group a discount",
  "group.discount_remove": "Removed a group's discount",
  "group.remove": "Removed a group",
  "privacy.export_download": "Downloaded a customer's data request export",
  "program.save": "Saved the program",
  "referral_program.save": "Saved the referral program",
  "referral.approve": "Approved a referral",
  "referral.cancel": "Cancelled a referral",
  "referral.resume_code": "Resumed a paused referral code",
  "email_template.save": "Saved an email template",
  "email_template.keep": "Kept an email template as written",
  "email_template.remove": "Removed an email translation",
  "delivery.retry": "Retried a webhook delivery",
  "task.start": "Started a job",
  "task.cancel": "Cancelled a job",
  "import.check": "Checked a file to import",
  "import.customers": "Imported customers",
  "import.points": "Moved points from another app",
  "import.orders": "Gave points for past orders",
  "import.undo": "Undid an import of points",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof auditActionLabels;

export const auditActionSchema = z.enum(Object.keys(auditActionLabels) as [AuditAction, ...AuditAction[]]);

/** The words for an action, or the dotted name itself for one recorded by a version of Tally that knew it. */
export function auditActionLabel(action: string): string {
  return (auditActionLabels as Record<string, string>)[action] ?? action;
}
