/** How the ledger and version history name who did something; "staff:42" is the session token's user id. */
export function actorLabel(actor: string): string {
  const staff = /^staff:(.+)$/.exec(actor);
  if (staff) return `Staff member ${staff[1]}`;
  return actorNames[actor] ?? actor;
}

const actorNames: Readonly<Record<string, string>> = {
  staff: "Staff",
  shopify: "Shopify",
  storefront: "Customer",
  tally: "Tally",
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
