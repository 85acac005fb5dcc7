import { DomainError } from "~/domain/shared";

/*
 * A customer Shopify deleted keeps their profile in Tally as history (decision 036): their ledger, orders and
 * referrals stay readable, but there is no one left in Shopify to edit, block, delete or credit, and their points
 * left points outstanding, since they can no longer sign in to spend them. So nothing changes their points or acts on
 * them in Shopify any more; each refusal names the action, in the profile's words.
 */

export type DeletedCustomerAction = "adjust_points" | "store_credit" | "block" | "edit" | "delete" | "recalculate";

const refusals: Readonly<Record<DeletedCustomerAction, string>> = {
  adjust_points: "their points can no longer be adjusted",
  store_credit: "store credit can no longer be issued or deducted",
  block: "there is no one left to block or unblock",
  edit: "there is nothing left in Shopify to edit",
  delete: "there is nothing left to delete",
  recalculate: "their points can no longer be recalculated",
};

/**
 * Throws DomainError("gone", 410) when the customer was deleted in Shopify (`deletedAt` set):
 * "This customer was deleted in Shopify: their points can no longer be adjusted".
 */
export function refuseIfDeleted(customer: { deletedAt: string | null }, action: DeletedCustomerAction): void {
  if (customer.deletedAt === null) return;
  throw new DomainError("gone", `This customer was deleted in Shopify: ${refusals[action]}`);
}
