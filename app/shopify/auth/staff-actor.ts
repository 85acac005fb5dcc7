import type { Session } from "@shopify/shopify-api";

/** Who a staff action is recorded under: "staff:<user id>", and their name as Shopify gave it, if it gave one. */
export interface StaffActor {
  actor: string;
  actorName: string | null;
}

/**
 * Tally authenticates the admin with online sessions (decision 003), so token exchange hands the library the staff
 * member Shopify says is acting: `associated_user` with first and last name. The verified session token's `sub` is
 * the same user id, used when a session carries no user. A name is taken only from Shopify, never made up: without
 * one the action is recorded with none and history says so.
 */
export function staffActorOf(
  session: Pick<Session, "onlineAccessInfo">,
  sessionToken: { sub?: string } | undefined,
): StaffActor {
  const user = session.onlineAccessInfo?.associated_user;
  const id = user?.id ?? sessionToken?.sub;
  const name = [user?.first_name, user?.last_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return { actor: id ? `staff:${id}` : "staff", actorName: name || null };
}
