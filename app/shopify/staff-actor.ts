/**
 * Who a staff action is recorded under. With offline tokens the session carries no user, but the verified session
 * token's `sub` is the staff member's Shopify user id.
 */
export function staffActorOf(sessionToken: { sub?: string } | undefined): string {
  return sessionToken?.sub ? `staff:${sessionToken.sub}` : "staff";
}
