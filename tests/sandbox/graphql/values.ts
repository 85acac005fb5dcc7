import { graphqlDecimal } from "../money";
import { SandboxError, SandboxErrors } from "../operations/index";

/** DateTime as Shopify prints it: whole seconds, `Z`. */
export const dt = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : null);

/** MoneyV2, its Decimal as Shopify prints it: "12.5", "12.0", "1500.0" (JPY), "1.5" (KWD). */
export const money = (cents: number, currencyCode: string) => ({
  amount: graphqlDecimal(cents, currencyCode),
  currencyCode,
});

export const moneyBag = (cents: number, currency: string) => ({
  shopMoney: money(cents, currency),
  presentmentMoney: money(cents, currency),
});

/** A refusal as a mutation's `userErrors` entry; anything but a SandboxError is a bug and is thrown. */
export const userError = (error: unknown, extra: Record<string, unknown> = {}) => {
  if (error instanceof SandboxError) return { field: error.field, message: error.message, code: error.code, ...extra };
  throw error;
};

/** Every refusal of a mutation as its `userErrors` list (one, or all a SandboxErrors names). */
export const userErrors = (error: unknown, extra: Record<string, unknown> = {}) =>
  error instanceof SandboxErrors ? error.errors.map((e) => ({ ...e, ...extra })) : [userError(error, extra)];
