/**
 * How the ledger and version history name who did something. Staff are named as Shopify named them when they acted
 * (`actorName`, stored with the action); customers redeeming are named from their record. Without a name the label
 * says what is known, never a raw id.
 */
export function actorLabel(actor: string, actorName?: string | null): string {
  if (actor === "staff" || actor.startsWith("staff:")) return actorName ?? "Staff member (name not given by Shopify)";
  if (actor.startsWith("gid://shopify/Customer/")) return actorName ? `${actorName} (customer)` : "The customer";
  return actorNames[actor] ?? actor;
}

/**
 * Who wrote a step of a referral's story. A claim comes from a signed-out shopper on the storefront (the friend, or
 * someone the claim refused): "The customer" would read as the advocate whose profile shows it.
 */
export function referralEventActorLabel(actor: string, actorName?: string | null): string {
  if (actor === "storefront") return "the shopper, on the storefront";
  return actorLabel(actor, actorName);
}

/**
 * Who gave or took a customer's points, for the activity log's By column. Points written on Shopify's webhooks (an
 * order paid or refunded, a sign-up, a merge) were computed by Tally's program from what Shopify said: Tally gave
 * them, and the Details say which event of Shopify's led to it. Store credit is Shopify's own, named as actorLabel.
 */
export function activityActorLabel(row: { actor: string; actorName: string | null; storeCredit?: unknown }): string {
  if (row.actor === "shopify" && !row.storeCredit) return "Tally (points program)";
  return actorLabel(row.actor, row.actorName);
}

const actorNames: Readonly<Record<string, string>> = {
  shopify: "Shopify",
  storefront: "The customer",
  tally: "Tally (install defaults)",
  "tally-jobs": "Tally",
  "tally-sync": "Tally (sync)",
};

/** Why an order or sign-up earned nothing, as earning_skips and the order's points state record it. */
export function skipReasonLabel(reason: string): string {
  return skipReasons[reason] ?? reason;
}

const skipReasons: Readonly<Record<string, string>> = {
  program_off: "Program was off",
  blocked: "Customer blocked",
  excluded_tag: "Excluded by a customer tag",
  guest: "Guests do not earn",
  before_install: "Before Tally was installed",
};
