import { z } from "zod";
import {
  currencyCodeSchema,
  DomainError,
  formatMinor,
  formatAdminMoney,
  MAX_AMOUNT_MINOR,
  minorUnits,
  toMinor,
  tooLongError,
  type CurrencyCode,
} from "../shared";

/**
 * Store credit staff issue or deduct from a customer's profile (issue 11, seed 004). Shopify keeps the accounts (one
 * per customer and currency) and refuses what they cannot do (a deduction past the balance, an expiry in the past,
 * a currency the shop does not sell in); Tally checks that the form says something Shopify can be asked, and a
 * deduction against the balance it has just read, so the merchant reads what the customer holds (`overDeduction`).
 */
export const storeCreditDirectionSchema = z.enum(["issue", "deduct"]);
export type StoreCreditDirection = z.infer<typeof storeCreditDirectionSchema>;

/** An amount as staff type it: a positive decimal with a point, no minus, at most 12 whole digits. */
const amountSchema = z
  .string()
  .trim()
  // "12,50" or "1,000.00": the comma is named (newcomer round 11 read "like 10.00" and did not see why).
  .refine((amount) => !amount.includes(","), {
    error: "Write the amount with a point for cents and no commas, like 12.50 or 1000.00",
    abort: true,
  })
  // "-5" to take credit away: the amount is always positive, Deduct is the way (newcomer round 15). Said the same
  // in both modals: the field cannot see which one it is in (round 16 read "use Deduct" inside Deduct).
  .refine((amount) => !/^[-\u2212]/.test(amount), {
    error: "Enter the amount without a minus sign: Issue store credit adds it, Deduct store credit takes it away",
    abort: true,
  })
  .regex(/^\d+(\.\d{1,3})?$/, { error: "Enter an amount like 10.00" })
  // Longer than any amount Tally takes: the range, not "like 10.00" (and no float of 20 digits is ever made).
  .refine((amount) => amount.split(".")[0]!.replace(/^0+/, "").length <= 12, {
    error: "Enter at most 100,000,000.00",
  });

/**
 * The issued amount above which staff confirm it with a tick (minor units of `currency`): 1,000 of a currency with
 * cents, 100,000 of one without (yen, won). A slip of two zeros ("2500" for "25.00") gives money a shopper can spend at
 * checkout, and Shopify takes up to 100,000,000.00 (newcomer round 20 issued $99,999,999.00 in one click). A tick, not a
 * ceiling: a merchant may mean a large refund as credit.
 */
export function largeIssueMinor(currency: CurrencyCode): number {
  const decimals = minorUnits(currency);
  return decimals === 0 ? 100_000 : 1_000 * 10 ** decimals;
}

/** "99,999,999.00 CAD": an amount as the form's messages write it, whatever the admin's money format. */
function amountWords(amountMinor: number, currency: CurrencyCode): string {
  const digits = Number(formatMinor(amountMinor, currency)).toLocaleString("en-US", {
    minimumFractionDigits: minorUnits(currency),
  });
  return `${digits} ${currency}`;
}

/** The longest reason staff may give for a store credit change, in characters once trimmed. */
export const MAX_STORE_CREDIT_REASON_LENGTH = 500;

export const storeCreditFormSchema = z
  .object({
    direction: storeCreditDirectionSchema,
    amount: amountSchema,
    currency: currencyCodeSchema,
    /** A day (YYYY-MM-DD): the credit can be spent until the end of that day in the shop's time zone. Issue only. */
    expiresOn: z
      .string()
      .trim()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, { error: "Enter a date like 2026-12-31" })
      .optional()
      .transform((value) => value || null),
    reason: z
      .string()
      .trim()
      .min(1, { error: "Say why the store credit changes" })
      .max(MAX_STORE_CREDIT_REASON_LENGTH, { error: tooLongError(MAX_STORE_CREDIT_REASON_LENGTH) }),
    requestId: z.string().min(1).max(100),
    /** Staff's tick confirming an issue above largeIssueMinor ("true"); absent otherwise. */
    confirmLarge: z.literal("true").optional(),
  })
  .transform((form, context) => {
    const decimals = form.amount.split(".")[1]?.length ?? 0;
    if (decimals > minorUnits(form.currency)) {
      context.addIssue({
        code: "custom",
        path: ["amount"],
        message: `${form.currency} has ${minorUnits(form.currency)} decimal places`,
      });
      return z.NEVER;
    }
    const amountMinor = toMinor(form.amount, form.currency);
    if (amountMinor <= 0 || amountMinor > MAX_AMOUNT_MINOR) {
      // Too large is refused here, so Shopify is never asked for an amount no store credit account can hold.
      const message =
        amountMinor <= 0
          ? "Enter an amount above zero"
          : `Enter at most ${amountWords(MAX_AMOUNT_MINOR, form.currency)}`;
      context.addIssue({ code: "custom", path: ["amount"], message });
      return z.NEVER;
    }
    if (form.direction === "issue" && amountMinor > largeIssueMinor(form.currency) && !form.confirmLarge) {
      context.addIssue({
        code: "custom",
        path: ["confirmLarge"],
        message: `Tick this to issue ${amountWords(amountMinor, form.currency)} of store credit, or correct the amount`,
      });
      return z.NEVER;
    }
    if (form.direction === "deduct" && form.expiresOn) {
      context.addIssue({ code: "custom", path: ["expiresOn"], message: "Only issued credit expires" });
      return z.NEVER;
    }
    return {
      direction: form.direction,
      amountMinor,
      currency: form.currency,
      /** The last day the credit can be spent (YYYY-MM-DD), a day of the shop's time zone; null: never expires. */
      expiresOn: form.expiresOn,
      reason: form.reason,
      requestId: form.requestId,
    };
  });

export type StoreCreditChange = z.output<typeof storeCreditFormSchema>;

/**
 * The one balance the directory's store credit column keeps for a customer with accounts in several currencies: the
 * account in the shop's currency, else the largest other balance (minor units compared across currencies only to pick
 * one to show; the profile shows every account). No accounts: zero and no currency.
 */
export function columnBalance(
  accounts: ReadonlyArray<{ currency: CurrencyCode; balanceMinor: number }>,
  shopCurrency: CurrencyCode | null,
): { amountMinor: number; currency: CurrencyCode | null } {
  const own = accounts.find((account) => account.currency === shopCurrency);
  const shown = own ?? [...accounts].sort((a, b) => b.balanceMinor - a.balanceMinor)[0];
  return shown ? { amountMinor: shown.balanceMinor, currency: shown.currency } : { amountMinor: 0, currency: null };
}

/**
 * Why a deduction of `amountMinor` cannot be made from an account holding `heldMinor` (both minor units of
 * `currency`), naming the customer and what they hold as the admin writes money ("Pat Lee holds $12.34 of store
 * credit; you can deduct at most that", "$12.34 USD" when the store's currency is another); null when it can.
 * Shopify's own refusal (INSUFFICIENT_FUNDS) says neither.
 */
export function overDeduction(
  customerName: string,
  {
    amountMinor,
    heldMinor,
    currency,
    storeCurrency,
  }: { amountMinor: number; heldMinor: number; currency: CurrencyCode; storeCurrency: string | null },
): string | null {
  if (amountMinor <= heldMinor) return null;
  if (heldMinor <= 0) return `${customerName} holds no store credit in ${currency}; there is nothing to deduct`;
  return `${customerName} holds ${formatAdminMoney(heldMinor, currency, { storeCurrency })} of store credit; you can deduct at most that`;
}

/**
 * The Deduct form's amount, as typed ("15.01"), checked against the balance the dialog shows (`heldMinor`, minor units
 * of `currency`) before anything is asked of Shopify: `overDeduction`'s sentence, or null when it may be asked. An
 * amount that is not one yet ("", "abc", too many decimals) is null here: the form's own rules word it.
 */
export function typedOverDeduction(
  customerName: string,
  {
    amount,
    heldMinor,
    currency,
    storeCurrency,
  }: { amount: string; heldMinor: number; currency: CurrencyCode; storeCurrency: string | null },
): string | null {
  const parsed = amountSchema.safeParse(amount);
  if (!parsed.success) return null;
  let amountMinor: number;
  try {
    amountMinor = toMinor(parsed.data, currency);
  } catch {
    return null;
  }
  return overDeduction(customerName, { amountMinor, heldMinor, currency, storeCurrency });
}

/**
 * Shopify refused a deduction past the account's balance (its INSUFFICIENT_FUNDS): the balance moved after Tally read
 * it. Thrown by the adapter with Shopify's details; the service answers with `overDeduction`'s sentence instead.
 */
export class StoreCreditShort extends DomainError {
  constructor(message: string, details: Record<string, unknown>) {
    super("shopify_refused", message, details);
    this.name = "StoreCreditShort";
  }
}
