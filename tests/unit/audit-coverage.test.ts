import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { taskKinds } from "~/domain/background-jobs";
import { auditActionLabels, type AuditAction } from "~/domain/audit";

/*
 * Every staff action that changes a customer or the program is in the audit trail (issue 11). This is the register
 * of the admin's actions: each route with an action, each intent its form can post, and either the audit line it
 * writes, with the integration test that posts it through the route and asserts that line, or why it writes none.
 * A new route action or intent that is not registered here fails the first test, so no staff action can land
 * without an answer to "is it audited?".
 */

type Entry = { writes: AuditAction; provenBy: string } | { exempt: string };

const NOTHING_CHANGES = "reads only: a download or a preview changes no customer and not the program";

const register: Record<string, Record<string, Entry>> = {
  "app._index.tsx": { "retry-delivery": { writes: "delivery.retry", provenBy: "webhooks-parking.test.ts" } },
  "app.customers.tsx": {
    "save-view": { exempt: "a saved view is a way of looking at the directory; it changes no customer" },
    "rename-view": { exempt: "a saved view is a way of looking at the directory; it changes no customer" },
    "delete-view": { exempt: "a saved view is a way of looking at the directory; it changes no customer" },
    "save-columns": { exempt: "the staff member's own choice of columns" },
    sync: { writes: "task.start", provenBy: "customer-sync.test.ts" },
  },
  "app.customers_.$id.tsx": {
    adjust: { writes: "points.adjust", provenBy: "audit-and-jobs-admin.test.ts" },
    block: { writes: "customer.block", provenBy: "audit-and-jobs-admin.test.ts" },
    unblock: { writes: "customer.unblock", provenBy: "audit-and-jobs-admin.test.ts" },
    sync: { writes: "customer.sync", provenBy: "customer-sync-recalculate.test.ts" },
    recalculate: { exempt: "the preview of a recalculation; applying it is audited" },
    "apply-recalculation": { writes: "points.recalculate", provenBy: "customer-sync-recalculate.test.ts" },
    delete: { writes: "customer.delete_refused", provenBy: "customer-edit-delete.test.ts" },
    "request-erasure": { writes: "customer.erasure_request", provenBy: "customer-edit-delete.test.ts" },
    "store-credit": { writes: "store_credit.issue", provenBy: "store-credit.test.ts" },
  },
  "app.customers_.reminder-preview.ts": { "*": { exempt: NOTHING_CHANGES } },
  "app.customers_.adjust-preview.ts": { "*": { exempt: NOTHING_CHANGES } },
  "app.customers_.$id_.edit.tsx": { "*": { writes: "customer.edit", provenBy: "customer-edit-delete.test.ts" } },
  "app.groups.tsx": {
    create: { writes: "group.create", provenBy: "customer-groups.test.ts" },
    "create-from-filters": { writes: "group.create", provenBy: "groups-from-filters.test.ts" },
    edit: { writes: "group.update", provenBy: "customer-groups.test.ts" },
    discount: { writes: "group.discount", provenBy: "customer-groups.test.ts" },
    "remove-discount": { writes: "group.discount_remove", provenBy: "customer-groups.test.ts" },
    remove: { writes: "group.remove", provenBy: "customer-groups.test.ts" },
  },
  "app.import.$id.tsx": {
    start: { writes: "task.start", provenBy: "audit-through-routes.test.ts" },
    download: { exempt: NOTHING_CHANGES },
    undo: { writes: "import.undo", provenBy: "audit-through-routes.test.ts" },
  },
  "app.import._index.tsx": {
    customers: { writes: "import.check", provenBy: "audit-through-routes.test.ts" },
    points: { writes: "import.check", provenBy: "audit-through-routes.test.ts" },
    orders: { writes: "task.start", provenBy: "audit-through-routes.test.ts" },
  },
  "app.jobs.$id.tsx": {
    cancel: { writes: "task.cancel", provenBy: "audit-through-routes.test.ts" },
    download: { exempt: NOTHING_CHANGES },
    "download-export": { exempt: NOTHING_CHANGES },
  },
  "app.jobs._index.tsx": { "*": { writes: "task.start", provenBy: "audit-through-routes.test.ts" } },
  "app.referrals.tsx": {
    approve: { writes: "referral.approve", provenBy: "referrals-review.test.ts" },
    cancel: { writes: "referral.cancel", provenBy: "referrals-review.test.ts" },
    resume: { writes: "referral.resume_code", provenBy: "referrals-guards.test.ts" },
  },
  "app.settings.tsx": { "*": { writes: "program.save", provenBy: "audit-and-jobs-admin.test.ts" } },
  "app.settings_.emails.tsx": {
    preview: { exempt: NOTHING_CHANGES },
    save: { writes: "email_template.save", provenBy: "email-invitations.test.ts" },
    keep: { writes: "email_template.keep", provenBy: "email-reminder-cases.test.ts" },
    remove: { writes: "email_template.remove", provenBy: "email-footer.test.ts" },
  },
  "app.settings_.referrals.tsx": {
    "*": { writes: "referral_program.save", provenBy: "referrals-review.test.ts" },
  },
};

/*
 * The jobs' register: each background job kind, and the line it writes in the audit trail of each customer it changes,
 * as the single action on the customer's profile would, or why it writes none. Starting a job is its task.start line
 * (the register above); this is what the job then does to each customer. A new kind fails the test until registered.
 */
type JobEntry = { writes: AuditAction[]; provenBy: string } | { exempt: string };

const jobRegister: Record<string, JobEntry> = {
  "customers.bulk-edit": {
    writes: ["customer.tags_add", "customer.tags_remove", "customer.block", "customer.unblock", "points.adjust"],
    provenBy: "customer-audit-trail.test.ts",
  },
  "customers.bulk-points-undo": { writes: ["points.adjust"], provenBy: "customer-audit-trail.test.ts" },
  "customers.import": { writes: ["customer.import", "points.import"], provenBy: "customer-import.test.ts" },
  "points.import": { writes: ["points.import"], provenBy: "customer-audit-trail.test.ts" },
  // Points for past orders taken back are points.backfill_undo, by the same code (backfill-orders.test.ts).
  "imports.undo": { writes: ["points.import_undo"], provenBy: "undo-import-chunks.test.ts" },
  "orders.backfill": { writes: ["points.backfill"], provenBy: "backfill-orders.test.ts" },
  "customers.delete": {
    writes: ["customer.delete", "customer.delete_refused"],
    provenBy: "customer-bulk-delete.test.ts",
  },
  "customers.invite": {
    exempt: "emails an invitation and changes nothing of the customer; the profile lists the job's line, sent or not",
  },
  "customers.points-reminder": {
    exempt: "emails a reminder and changes nothing of the customer; the profile lists the job's line, sent or not",
  },
  "customers.export": { exempt: NOTHING_CHANGES },
  "imports.check": { exempt: "checks a file (its import.check line); changes no customer" },
  "orders.backfill.preview": { exempt: "counts what past orders would give (its import.check line); changes no one" },
  "customers.sync": { exempt: "brings in what Shopify holds: Shopify's changes, not a staff member's" },
  "points.recalculate": {
    exempt: "repairs Tally's stored totals to what each customer's ledger rows already say; the job lists each repair",
  },
  "referrals.join-members": {
    exempt: "dates each Member's joining as the saved referral program (referral_program.save) says; lists no one",
  },
};

const here = path.dirname(fileURLToPath(import.meta.url));
const routesDir = path.join(here, "../../app/routes");
const integrationDir = path.join(here, "../integration");

/** The admin routes with an action, and the intents each one's form schema names ("*": the route has no intents). */
function staffActionRoutes(): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const file of readdirSync(routesDir)) {
    if (!file.startsWith("app.")) continue;
    const source = readFileSync(path.join(routesDir, file), "utf8");
    if (!/export const action\b|export async function action\b/.test(source)) continue;
    const intents = new Set<string>();
    for (const match of source.matchAll(/intent:\s*z\.(?:literal\(\s*"([^"]+)"\s*\)|enum\(\s*\[([^\]]*)\])/g)) {
      if (match[1]) intents.add(match[1]);
      for (const quoted of match[2]?.matchAll(/"([^"]+)"/g) ?? []) intents.add(quoted[1]!);
    }
    found[file] = intents.size > 0 ? [...intents].sort() : ["*"];
  }
  return found;
}

describe("the audit trail's register of staff actions", () => {
  it("answers for every admin route action and every intent its form can post", () => {
    const registered = Object.fromEntries(
      Object.entries(register).map(([route, intents]) => [route, Object.keys(intents).sort()]),
    );
    expect(registered).toEqual(staffActionRoutes());
  });

  it("names, for each audited one, an integration test that posts through the route and asserts its audit line", () => {
    for (const [route, intents] of Object.entries(register)) {
      for (const [intent, entry] of Object.entries(intents)) {
        if ("exempt" in entry) continue;
        const where = `${route} ${intent}`;
        expect(Object.keys(auditActionLabels), where).toContain(entry.writes);
        const test = readFileSync(path.join(integrationDir, entry.provenBy), "utf8");
        expect(test, `${where}: ${entry.provenBy} goes through the route`).toContain(
          `~/routes/${route.replace(/\.tsx$/, "")}"`,
        );
        expect(test, `${where}: ${entry.provenBy} asserts the line`).toContain(`"${entry.writes}"`);
      }
    }
  });
});

describe("the audit trail's register of background jobs", () => {
  it("answers for every job kind staff can start", () => {
    expect(Object.keys(jobRegister).sort()).toEqual(taskKinds.map((kind) => kind.kind).sort());
  });

  it("names, for each job that changes customers, an integration test asserting each customer's line", () => {
    for (const [kind, entry] of Object.entries(jobRegister)) {
      if ("exempt" in entry) continue;
      const test = readFileSync(path.join(integrationDir, entry.provenBy), "utf8");
      for (const action of entry.writes) {
        expect(Object.keys(auditActionLabels), `${kind} ${action}`).toContain(action);
        expect(test, `${kind}: ${entry.provenBy} asserts ${action}`).toContain(`"${action}"`);
      }
    }
  });
});
