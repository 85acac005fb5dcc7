/*
 * The claim endpoint is public: anyone with a link can ask for a friend's discount code, so it must not become a
 * discount-code printer. Three limits, each a sliding window over what the database recorded (so they hold across
 * restarts and, on PostgreSQL, across instances):
 *
 * - per client (the network's salted hash): CLIENT_CLAIMS claims within CLIENT_WINDOW_MS, then 429;
 * - per advocate code: CODE_CLAIMS claims within CODE_WINDOW_MS, then 429;
 * - a burst on one code (BURST_REFERRALS new friends within BURST_WINDOW_MS, far above what sharing with friends
 *   produces) pauses the code until staff resume it: a link posted on a coupon site stops printing codes at once.
 *
 * A 429 says when to try again (Retry-After): when the oldest claim in the full window leaves it. The fraud score's
 * burst signal (fraud.ts, ten claims from one network within seven days) is separate: it blocks the referral itself.
 */

export const CLIENT_CLAIMS = 10;
export const CLIENT_WINDOW_MS = 10 * 60 * 1000;
export const CODE_CLAIMS = 30;
export const CODE_WINDOW_MS = 60 * 60 * 1000;
export const BURST_REFERRALS = 10;
export const BURST_WINDOW_MS = 15 * 60 * 1000;

export type ClaimAllowance =
  { allowed: true } | { allowed: false; scope: "client" | "code"; retryAfterSeconds: number };

/** Seconds until the oldest of `limit` claims in the window leaves it, at least 1. */
function retryAfter(times: readonly Date[], limit: number, windowMs: number, now: Date): number | null {
  const recent = times
    .filter((time) => now.getTime() - time.getTime() < windowMs)
    .sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < limit) return null;
  const freesAt = recent[recent.length - limit]!.getTime() + windowMs;
  return Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
}

/**
 * Whether one more claim may go ahead, given the earlier claims from the same client and on the same code (each list
 * need hold no more than its limit's most recent claims).
 */
export function claimAllowance(input: {
  clientClaims: readonly Date[];
  codeClaims: readonly Date[];
  now: Date;
}): ClaimAllowance {
  const client = retryAfter(input.clientClaims, CLIENT_CLAIMS, CLIENT_WINDOW_MS, input.now);
  if (client !== null) return { allowed: false, scope: "client", retryAfterSeconds: client };
  const code = retryAfter(input.codeClaims, CODE_CLAIMS, CODE_WINDOW_MS, input.now);
  if (code !== null) return { allowed: false, scope: "code", retryAfterSeconds: code };
  return { allowed: true };
}

/** Whether the new referrals on one code (this one included) are a burst that pauses the code for review. */
export function isBurst(newReferrals: readonly Date[], now: Date): boolean {
  return newReferrals.filter((time) => now.getTime() - time.getTime() < BURST_WINDOW_MS).length >= BURST_REFERRALS;
}
