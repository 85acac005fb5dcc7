/**
 * When a Member joined the referral program by joining automatically (decision 018: with joining "automatic", every
 * Member is an advocate; their code is made the first time the widget, the profile or an invitation needs it,
 * decision 019). The date a merchant reads ("Joined the referral program") and the directory filters on is when they
 * became an advocate, not when someone first looked: the later of when they became a Member and when the program
 * began making Members advocates, never after `now`.
 */

/** A saved version of the referral settings, as far as joining goes. */
export interface JoiningVersion {
  /** When the version was saved (ISO 8601); the install's defaults carry the install's time. */
  createdAt: string;
  enabled: boolean;
  joining: "automatic" | "on_request";
}

/**
 * Since when the program has made every Member an advocate without a break: the time of the oldest version of the
 * newest run of versions with the program on and joining automatic. `versions` newest first (as
 * listReferralProgramVersions answers them). Null when the newest version does not join automatically.
 */
export function automaticJoiningSince(versions: readonly JoiningVersion[]): string | null {
  let since: string | null = null;
  for (const version of versions) {
    if (!version.enabled || version.joining !== "automatic") break;
    since = version.createdAt;
  }
  return since;
}

/**
 * The time a Member joined automatically (ISO 8601): the later of `memberSince` (their account's first enabled state,
 * app/domain/customers/facts.ts) and `automaticSince` (automaticJoiningSince), and `now` when either is unknown or both
 * lie after it (a clock ahead of ours).
 */
export function automaticJoinedAt(input: {
  memberSince: string | null;
  automaticSince: string | null;
  now: Date;
}): string {
  const now = input.now.toISOString();
  if (!input.memberSince || !input.automaticSince) return now;
  const later =
    Date.parse(input.memberSince) > Date.parse(input.automaticSince) ? input.memberSince : input.automaticSince;
  return Date.parse(later) > input.now.getTime() ? now : new Date(Date.parse(later)).toISOString();
}

/** The columns of a customer row that say whether the program makes them an advocate without asking. */
export interface AutomaticJoiner {
  status: "member" | "guest";
  blocked: boolean;
  mergedIntoId: number | null;
  deletedAt: string | null;
}

/**
 * Whether, with joining automatic, this customer is in the referral program: a Member (status, derived from their
 * account state) whom staff have not blocked, not merged into another customer, not deleted in Shopify. A Guest never
 * is; a customer who stops being one keeps the date they joined (they did join).
 */
export function isAutomaticJoiner(customer: AutomaticJoiner): boolean {
  return (
    customer.status === "member" && !customer.blocked && customer.mergedIntoId === null && customer.deletedAt === null
  );
}
