import { z } from "zod";
import { shopifyCustomerStateSchema } from "~/domain/shared";
import { signupBonus, type Earning, type Program } from "~/domain/program";
import { applyEntry, withBalanceNote, type LedgerEntry, type LedgerTotals } from "./entries";
import { ledgerKeys } from "./keys";

const timestampSchema = z.iso.datetime({ offset: true });

/** A customers/create or customers/update webhook, reduced to what points depend on. */
export const customerUpdateSchema = z.object({
  customerGid: z.string().min(1),
  shopifyState: shopifyCustomerStateSchema,
  /** Shopify's `updated_at`: the version of the customer this payload describes. */
  updatedAt: timestampSchema,
});
export type CustomerUpdate = z.infer<typeof customerUpdateSchema>;

export const customerSyncStateSchema = customerUpdateSchema.extend({
  /** The earliest `updatedAt` at which the customer was seen ENABLED. */
  memberSince: timestampSchema.nullable(),
  /**
   * The sign-up bonus was decided (paid, or skipped because the program was off or the customer blocked or excluded).
   * Customers who were already members when the shop installed Tally start settled, so install is not a bonus day.
   */
  signupBonusSettled: z.boolean(),
});
export type CustomerSyncState = z.infer<typeof customerSyncStateSchema>;

/** An older update never overwrites a newer one; an equal `updatedAt` is the same version, so it is a duplicate. */
export function shouldApplyCustomerUpdate(
  current: { updatedAt: string } | null | undefined,
  incoming: { updatedAt: string },
): boolean {
  if (!current) return true;
  return Date.parse(incoming.updatedAt) > Date.parse(current.updatedAt);
}

export interface CustomerUpdatePlan {
  /** Whether the incoming fields (state, updatedAt) replaced the stored ones. */
  applied: boolean;
  state: CustomerSyncState;
  entries: LedgerEntry[];
  totals: LedgerTotals;
  /** Present when this update settled the sign-up bonus, paid or skipped, for the service to log. */
  signup?: Earning;
}

function earlier(a: string | null, b: string): string {
  return a !== null && Date.parse(a) <= Date.parse(b) ? a : b;
}

/**
 * Applies a customer webhook. Which fields win is decided by `updatedAt`, but having been ENABLED is a fact even in an
 * update that arrives too late to win: the sign-up bonus and `memberSince` are taken from every update seen, so
 * "ENABLED at 10:00" arriving after "DISABLED at 11:00" still pays the bonus once. The ledger's unique key
 * `signup:<customer>` is the last line against paying twice.
 */
export function planCustomerUpdate(
  current: CustomerSyncState | null,
  input: CustomerUpdate,
  ctx: { program: Program; customerTags: readonly string[]; blocked: boolean; totals: LedgerTotals },
): CustomerUpdatePlan {
  const incoming = customerUpdateSchema.parse(input);
  const applied = shouldApplyCustomerUpdate(current, incoming);
  const base: CustomerSyncState = current ?? { ...incoming, memberSince: null, signupBonusSettled: false };
  const isMemberNow = incoming.shopifyState === "ENABLED";
  const state: CustomerSyncState = {
    ...base,
    ...(applied ? { shopifyState: incoming.shopifyState, updatedAt: incoming.updatedAt } : {}),
    memberSince: isMemberNow ? earlier(base.memberSince, incoming.updatedAt) : base.memberSince,
  };
  if (!isMemberNow || state.signupBonusSettled) return { applied, state, entries: [], totals: ctx.totals };

  const signup = signupBonus(ctx);
  state.signupBonusSettled = true;
  if (signup.points === 0) return { applied, state, entries: [], totals: ctx.totals, signup };
  const entry: LedgerEntry = {
    kind: "earn",
    source: "signup",
    idempotencyKey: ledgerKeys.signup(incoming.customerGid),
    points: signup.points,
    pending: false,
    programVersion: ctx.program.version,
    explanation: signup.explanation,
  };
  const totals = applyEntry(ctx.totals, entry);
  return {
    applied,
    state,
    entries: [{ ...entry, explanation: withBalanceNote(entry.explanation, totals) }],
    totals,
    signup,
  };
}
