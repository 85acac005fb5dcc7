/**
 * Bounds on every number a merchant types into the program and every figure the ledger stores. Each is far above what
 * a real program uses, so it never gets in a merchant's way, and far enough below 2^53 (JavaScript's last exact
 * integer, 9,007,199,254,740,991) that no sum, product or balance built from bounded numbers can lose a point or a cent
 * silently. A number past a bound is a typo or an attack: it is refused with a field error, never clamped.
 */

/**
 * The most points a sign-up bonus or a reward's cost may be: 10,000,000. Generous programs give 100 points per 1.00;
 * ten million points is a 100,000.00 reward at that rate.
 */
export const MAX_SETTING_POINTS = 10_000_000;

/** The most points one spend unit may earn: 1,000 (programs give 1 to 100 points per 1.00). */
export const MAX_POINTS_PER_UNIT = 1_000;

/**
 * The largest money amount in settings (spend unit, amount off, store credit, minimum order), in minor units:
 * 10,000,000,000, i.e. 100,000,000.00 in a two-decimal currency. Currencies with tiny units (VND, IDR, IRR) still fit
 * their largest real amounts; a 1,000,000,000,000 discount does not. Times the largest rate it stays below 2^53.
 */
export const MAX_AMOUNT_MINOR = 10_000_000_000;

/** The most points one staff adjustment may add or take: 10,000,000, as much as the largest setting. */
export const MAX_ADJUSTMENT_POINTS = MAX_SETTING_POINTS;

/**
 * The longest reason staff may give for a points adjustment, on a profile or in bulk: 500 characters once trimmed.
 * One bound for both forms and the server (the bulk form stopped at 200 where the profile took 500).
 */
export const MAX_ADJUSTMENT_REASON_LENGTH = 500;

/**
 * The most points one ledger entry may carry, whatever made it (an order's earning, a reversal, an import, a move
 * between merged customers): 1,000,000,000. An order that would earn more is refused with its reason, not recorded.
 */
export const MAX_ENTRY_POINTS = 1_000_000_000;

/**
 * The furthest a customer's balance, pending points or lifetime figures may go from zero: 10^15. A million entries of
 * the largest size still fit, and it stays below 2^53, so `recalculate` always agrees with the stored figures.
 */
export const MAX_TOTAL_POINTS = 1_000_000_000_000_000;
