import { z } from "zod";
import { factTagKey, memberSince, statusAt, tagsAt, type CustomerFacts } from "~/domain/customers/facts";
import { formatMinor, formatRecordMoney } from "~/domain/shared";
import {
  formatPoints,
  hasExcludedTag,
  orderLabel,
  pointsForOrder,
  signupBonus,
  type CustomerEarningContext,
  type Earning,
  type Program,
} from "~/domain/program";
import { applyEntry, withBalanceNote, type LedgerEntry, type LedgerTotals } from "./entries";
import { ledgerKeys } from "./keys";
import { normalizeOrderState, redecideOrder, type OrderPointsState } from "./order-events";

/*
 * Earnings that depend on who the customer was (a Member, tagged with an excluded tag) are decided at the moment they
 * belong to: the sign-up bonus at the moment the customer became a Member, an order at the moment it was paid. The
 * customer's facts (app/domain/customers/facts.ts) answer for any moment from the set of facts alone. A fact that
 * arrives late can change that answer for a moment already decided; then the earning is decided again and the
 * difference written as a `correct` entry that says why ("taken back: the customer already had the excluded tag
 * wholesale when order #1042 was paid"). So whatever order the facts arrive in, the ledger ends as if they had all
 * been known from the start: the same net points per earning, the same totals, only more lines on the way.
 *
 * What is decided again: earnings decided on customer facts (paid, or skipped for an excluded tag or for being a
 * guest). What is not: earnings skipped because the program was off, the customer blocked in Tally, or the order paid
 * before install: those are not Shopify's facts about the customer, and are final as decided.
 * A re-decision uses the program version of the first decision, so a later change of rules is never applied backwards.
 */

const timestampSchema = z.iso.datetime({ offset: true });

/** How the sign-up bonus was decided, kept on the customer so a late fact can decide it again. */
export const signupDecisionSchema = z.object({
  /** The moment the bonus belongs to: when the customer became a Member. */
  at: timestampSchema,
  /** What the ledger holds for the bonus now (the bonus entry plus its corrections). */
  points: z.int().min(0),
  wouldHaveEarned: z.int().min(0),
  skippedReason: z.enum(["program_off", "blocked", "excluded_tag", "guest", "before_install"]).nullable(),
  programVersion: z.int().min(1),
  revision: z.int().min(0),
});
export type SignupDecision = z.infer<typeof signupDecisionSchema>;

const redecidable = new Set<string | null>([null, "excluded_tag", "guest"]);

/**
 * A sign-up is judged on the customer as created: what Shopify dates within this long after the moment the customer
 * became a Member counts as part of it. Since 2025-01 a customer created with tags reaches apps as customers/create
 * plus customer.tags_added, and apps and imports that create B2B customers tag them in a second call right after.
 */
export const signupSettlesWithinMs = 60_000;

/** Who the customer was at `at` for earning purposes; `blocked` is Tally's own flag, as it is now. */
export function earningContextAt(facts: CustomerFacts, at: string, blocked: boolean): CustomerEarningContext {
  return { customerTags: tagsAt(facts, at), blocked, status: statusAt(facts, at) };
}

class Writer {
  entries: LedgerEntry[] = [];
  constructor(public totals: LedgerTotals) {}
  emit(entry: LedgerEntry): void {
    this.totals = applyEntry(this.totals, entry);
    this.entries.push({ ...entry, explanation: withBalanceNote(entry.explanation, this.totals) });
  }
}

/** The excluded tags the customer had, as the merchant spells them, for explanations. */
function excludedTagsOf(program: Program, tags: readonly string[]): string {
  const excluded = new Set(program.settings.excludedTags.map(factTagKey));
  const found = tags.filter((tag) => excluded.has(factTagKey(tag)));
  return found.map((tag) => `"${tag}"`).join(", ");
}

export interface SignupPlan {
  decision: SignupDecision | null;
  entries: LedgerEntry[];
  totals: LedgerTotals;
  /** Present when this plan decided the bonus (paid, skipped, or taken back), for the service to log a skip. */
  signup?: Earning;
}

/**
 * The sign-up bonus for the customer as the facts now stand: decided the first time the facts show the customer as
 * a Member (dated), at that moment; decided again when a late fact moves that moment or changes who the customer was
 * then. `settled` marks customers whose bonus was settled before decisions were recorded (members before install):
 * final, never paid.
 */
export function planSignup(input: {
  customerGid: string;
  facts: CustomerFacts;
  decision: SignupDecision | null;
  settled: boolean;
  blocked: boolean;
  /** The program now, for a first decision. */
  program: Program;
  /** The program version a decision was made under, for a second one. */
  programOf: (version: number) => Program;
  totals: LedgerTotals;
}): SignupPlan {
  const since = memberSince(input.facts);
  const out = new Writer(input.totals);
  if (since === null || (input.settled && !input.decision)) {
    return { decision: input.decision, entries: [], totals: input.totals };
  }
  const tags = tagsAt(input.facts, new Date(Date.parse(since) + signupSettlesWithinMs).toISOString());

  if (!input.decision) {
    const signup = signupBonus({ program: input.program, customerTags: tags, blocked: input.blocked });
    const decision: SignupDecision = {
      at: since,
      points: signup.points,
      wouldHaveEarned: signup.wouldHaveEarned,
      skippedReason: signup.skippedReason ?? null,
      programVersion: input.program.version,
      revision: 0,
    };
    if (signup.points > 0) {
      out.emit({
        kind: "earn",
        source: "signup",
        idempotencyKey: ledgerKeys.signup(input.customerGid),
        points: signup.points,
        pending: false,
        programVersion: input.program.version,
        explanation: signup.explanation,
      });
    }
    return { decision, entries: out.entries, totals: out.totals, signup };
  }

  const decision = input.decision;
  if (!redecidable.has(decision.skippedReason)) return { decision, entries: [], totals: input.totals };
  const program = input.programOf(decision.programVersion);
  const excluded = hasExcludedTag(program, tags);
  const target = excluded ? 0 : decision.wouldHaveEarned;
  const next: SignupDecision = { ...decision, at: since, skippedReason: excluded ? "excluded_tag" : null };
  const delta = target - decision.points;
  // A blocked customer is paid nothing more; what is taken back is taken back regardless.
  if (delta > 0 && input.blocked) return { decision, entries: [], totals: input.totals };
  if (delta === 0) return { decision: next, entries: [], totals: input.totals };
  next.revision = decision.revision + 1;
  next.points = target;
  out.emit({
    kind: "correct",
    idempotencyKey: ledgerKeys.correctSignup(input.customerGid, next.revision),
    points: delta,
    pending: false,
    explanation:
      delta < 0
        ? `${formatPoints(delta)}: sign-up bonus taken back: the customer already had the excluded tag ` +
          `${excludedTagsOf(program, tags)} when they became a member (Shopify told Tally later)`
        : `${formatPoints(delta)}: sign-up bonus paid after all: the customer had no excluded tag when they ` +
          `became a member (Shopify told Tally later)`,
  });
  const signup: Earning = excluded
    ? {
        points: 0,
        wouldHaveEarned: decision.wouldHaveEarned,
        skippedReason: "excluded_tag",
        explanation: out.entries[0]!.explanation,
      }
    : { points: target, wouldHaveEarned: target, explanation: out.entries[0]!.explanation };
  return { decision: next, entries: out.entries, totals: out.totals, signup };
}

export interface OrderCorrectionPlan {
  state: OrderPointsState;
  entries: LedgerEntry[];
  totals: LedgerTotals;
  /** The order's earning decided again, when it changed: what it earns now, or would have and why not. */
  earning?: Earning;
}

function isHeld(state: OrderPointsState): boolean {
  return state.paid !== null && state.paid.holdDays !== null && !state.released;
}

/**
 * Decides a paid order's earning again, from who the customer was when it was paid (`paidAt`) as the facts now
 * stand, under the program version it was first decided with. Refunds and a closing already seen keep taking their
 * share of the new figure. Returns the state unchanged and no entries when nothing changes.
 */
export function planOrderCorrection(
  stored: OrderPointsState,
  input: { paidAt: string; facts: CustomerFacts; blocked: boolean; program: Program; totals: LedgerTotals },
): OrderCorrectionPlan {
  const current = normalizeOrderState(stored);
  const paid = current.paid;
  const unchanged = { state: current, entries: [], totals: input.totals };
  if (!paid || !redecidable.has(paid.skippedReason)) return unchanged;
  const customer = earningContextAt(input.facts, input.paidAt, false);
  // Decided again as at payment: the payment's own rate and earning base, whatever the program says today.
  const { pointsPerUnit, unitMinor } = paid.rate;
  const atPayment = { ...input.program, settings: { ...input.program.settings, pointsPerUnit, unitMinor } };
  const decided = pointsForOrder({
    program: atPayment,
    subtotalMinor: paid.baseMinor,
    currency: paid.currency,
    orderName: current.orderName ?? undefined,
    ...customer,
  });
  const base = formatRecordMoney(paid.baseMinor, paid.currency);
  // A basis recorded before amounts carried their currency ("120.00") is the same base: written the new way.
  const basis =
    paid.basis === base || paid.basis === formatMinor(paid.baseMinor, paid.currency) ? base : `${paid.basis},`;
  const earning: Earning = {
    ...decided,
    explanation: decided.explanation.replace(`${base} at `, `${basis} at `),
  };
  const skippedReason = earning.skippedReason ?? null;
  if (earning.points === paid.earned) {
    if (skippedReason === paid.skippedReason) return unchanged;
    return { ...unchanged, state: { ...current, paid: { ...paid, skippedReason } } };
  }
  // A blocked customer is paid nothing more; what is taken back is taken back regardless.
  if (earning.points > paid.earned && input.blocked) return unchanged;

  // Every refund and edit seen applied again to the payment as now decided; the difference is the correction.
  const redecided = redecideOrder(current, { earned: earning.points, skippedReason });
  const delta = redecided.heldAfter - redecided.heldBefore;
  const corrections = (current.corrections ?? 0) + 1;
  const state: OrderPointsState = { ...redecided.state, corrections };
  const out = new Writer(input.totals);
  if (delta !== 0) {
    const order = orderLabel(current.orderName ?? undefined);
    const why =
      skippedReason === "excluded_tag"
        ? `the customer already had the excluded tag ${excludedTagsOf(input.program, customer.customerTags)} when it was paid`
        : skippedReason === "guest"
          ? "the customer was a guest when it was paid, and guests do not earn"
          : customer.status === "member"
            ? "the customer was a member with no excluded tag when it was paid"
            : "the customer had no excluded tag when it was paid";
    out.emit({
      kind: "correct",
      idempotencyKey: ledgerKeys.correctOrder(current.orderGid, corrections),
      points: delta,
      pending: isHeld(current),
      orderGid: current.orderGid,
      explanation:
        delta < 0
          ? `${formatPoints(delta)}: taken back from ${order}: ${why} (Shopify told Tally later)`
          : `${formatPoints(delta)}: ${order} earns after all: ${why} (Shopify told Tally later; ` +
            `${earning.explanation.replace(/^[^:]*: /, "")})`,
    });
  }
  return { state, entries: out.entries, totals: out.totals, earning };
}

/** Whether the decision can be made again by a late fact; exported for the service's order query. */
export function isRedecidable(skippedReason: string | null): boolean {
  return redecidable.has(skippedReason);
}
