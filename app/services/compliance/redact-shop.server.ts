import { forgetShop } from "~/db/shop-cache.server";
import { eq } from "drizzle-orm";
import {
  auditEvents,
  storeCreditTransactions,
  customerGroups,
  customerSyncs,
  checkouts,
  complianceExports,
  customerCounts,
  customerFacets,
  customers,
  customerTags,
  customerViews,
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
  rewards,
  sessions,
  shopJobs,
  staffPreferences,
  shops,
  taskItems,
  tasks,
  webhookDeliveries,
  webhookFailures,
} from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { redactShopReferrals } from "../referrals/referral-customers.server";

/**
 * shop/redact, 48 hours after an uninstall: deletes every row of the shop, children before the customers they point
 * at. The delivery record of this very webhook goes too, so nothing of the shop remains; a redelivery deletes nothing
 * again. A new table with a `shop` column must be added here (the integration test checks every table).
 */
export async function redactShop({ ctx, tx }: { ctx: ServiceContext; tx: Tx }) {
  await tx.delete(taskItems).where(eq(taskItems.shop, ctx.shop));
  await tx.delete(tasks).where(eq(tasks.shop, ctx.shop));
  await tx.delete(auditEvents).where(eq(auditEvents.shop, ctx.shop));
  await tx.delete(storeCreditTransactions).where(eq(storeCreditTransactions.shop, ctx.shop));
  await tx.delete(customerGroups).where(eq(customerGroups.shop, ctx.shop));
  await tx.delete(customerSyncs).where(eq(customerSyncs.shop, ctx.shop));
  await tx.delete(importProblems).where(eq(importProblems.shop, ctx.shop));
  await tx.delete(importChanges).where(eq(importChanges.shop, ctx.shop));
  await tx.delete(importCreates).where(eq(importCreates.shop, ctx.shop));
  await tx.delete(importEmails).where(eq(importEmails.shop, ctx.shop));
  await tx.delete(imports).where(eq(imports.shop, ctx.shop));
  await redactShopReferrals({ ctx, tx });
  await tx.delete(emailOutbox).where(eq(emailOutbox.shop, ctx.shop));
  await tx.delete(emailSuppressions).where(eq(emailSuppressions.shop, ctx.shop));
  await tx.delete(emailTemplateVersions).where(eq(emailTemplateVersions.shop, ctx.shop));
  await tx.delete(emailTemplateNoticesKept).where(eq(emailTemplateNoticesKept.shop, ctx.shop));
  await tx.delete(ledgerEntries).where(eq(ledgerEntries.shop, ctx.shop));
  await tx.delete(earningSkips).where(eq(earningSkips.shop, ctx.shop));
  await tx.delete(rewards).where(eq(rewards.shop, ctx.shop));
  await tx.delete(orders).where(eq(orders.shop, ctx.shop));
  await tx.delete(checkouts).where(eq(checkouts.shop, ctx.shop));
  await tx.delete(complianceExports).where(eq(complianceExports.shop, ctx.shop));
  await tx.delete(customers).where(eq(customers.shop, ctx.shop));
  // The directory's kept figures (their triggers zeroed them with the customers) and its views and preferences.
  await tx.delete(customerTags).where(eq(customerTags.shop, ctx.shop));
  await tx.delete(customerFacets).where(eq(customerFacets.shop, ctx.shop));
  await tx.delete(customerCounts).where(eq(customerCounts.shop, ctx.shop));
  await tx.delete(memberGrowth).where(eq(memberGrowth.shop, ctx.shop));
  await tx.delete(customerViews).where(eq(customerViews.shop, ctx.shop));
  await tx.delete(staffPreferences).where(eq(staffPreferences.shop, ctx.shop));
  await tx.delete(programVersions).where(eq(programVersions.shop, ctx.shop));
  await tx.delete(shopJobs).where(eq(shopJobs.shop, ctx.shop));
  await tx.delete(webhookDeliveries).where(eq(webhookDeliveries.shop, ctx.shop));
  await tx.delete(webhookFailures).where(eq(webhookFailures.shop, ctx.shop));
  await tx.delete(sessions).where(eq(sessions.shop, ctx.shop));
  await tx.delete(shops).where(eq(shops.shop, ctx.shop));
  forgetShop(tx, ctx.shop);
}
