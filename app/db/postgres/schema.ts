import { is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as sqlite from "../schema";
import { derivePgTables } from "./derive";

/*
 * The PostgreSQL schema: app/db/*.ts's tables, derived (app/db/postgres/derive.ts, decision 034). drizzle-kit reads
 * this file for drizzle/postgres/ (drizzle.postgres.config.ts). Each SQLite table is exported here under its own
 * name; tests/unit/postgres-schema.test.ts fails when one is missing, or when drizzle/postgres/ is behind it.
 */
const pg = derivePgTables(sqlite, (value): value is SQLiteTable => is(value, SQLiteTable));

export const {
  auditEvents,
  checkouts,
  complianceExports,
  customerCounts,
  customerFacets,
  customerGroups,
  customerSyncs,
  customerTags,
  customerViews,
  customers,
  earningSkips,
  emailOutbox,
  emailSuppressions,
  emailTemplateNoticesKept,
  emailTemplateVersions,
  importChanges,
  importCreates,
  importEmails,
  importProblems,
  imports,
  ledgerEntries,
  memberGrowth,
  orders,
  programVersions,
  referralAddressFingerprints,
  referralAdvocates,
  referralClaimAttempts,
  referralEvents,
  referralProgramVersions,
  referralRevenueOrders,
  referralRewards,
  referrals,
  rewards,
  sessions,
  shopJobs,
  shops,
  staffPreferences,
  storeCreditTransactions,
  taskItems,
  tasks,
  webhookDeliveries,
  webhookFailures,
} = pg;
