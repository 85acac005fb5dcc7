import { parseCustomerEditForm, refuseIfDeleted, type MarketingState } from "~/domain/customers";
import { and, eq } from "drizzle-orm";
import { DomainError } from "~/domain/shared";
import { customers } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { getShopCountry } from "../shops/get-shop.server";
import { reconcileCustomer } from "./sync-customer.server";

export type { MarketingState };

/**
 * A customer as the Edit form shows and sends them: Shopify's values, contacts empty when there are none. Shopify's
 * phone is E.164; the form's is as staff typed it ("(613) 555-0123"), read in the shop's country on save.
 */
export interface EditableCustomer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  tags: string[];
  taxExempt: boolean;
  emailMarketing: MarketingState;
  smsMarketing: MarketingState;
}

/**
 * Changes one customer in Shopify (app/shopify/admin/customer-edit.server.ts): `update` is customerUpdate and returns
 * the customer as Shopify saved them; the consents have their own mutations. Each throws DomainError
 * "shopify_refused" with `fieldErrors` keyed by the form's fields when Shopify refuses.
 */
export interface CustomerEditor {
  read(customerGid: string): Promise<EditableCustomer | null>;
  update(
    customerGid: string,
    fields: Omit<EditableCustomer, "emailMarketing" | "smsMarketing">,
  ): Promise<Parameters<typeof reconcileCustomer>[0]["input"]>;
  setEmailMarketing(customerGid: string, state: Exclude<MarketingState, "NOT_SUBSCRIBED">): Promise<void>;
  setSmsMarketing(customerGid: string, state: Exclude<MarketingState, "NOT_SUBSCRIBED">): Promise<void>;
}

const sameTags = (a: string[], b: string[]) => [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * The profile's Edit: saves the fields staff changed to Shopify (customerUpdate; email and SMS consent through their
 * own mutations, and only to SUBSCRIBED or UNSUBSCRIBED, which is all Shopify lets staff set), then applies Shopify's
 * answer to Tally through `reconcileCustomer`, as a webhook would, so the profile shows it before customers/update
 * arrives. The phone is read as Shopify admin reads it, a national number in the shop's country (readPhone, decision
 * 053), and saved in E.164. `form` is the form as posted (parseCustomerEditForm), read in the shop's country. Records
 * the fields before and after in the audit trail (`customer.edit`). Returns which fields changed. Throws
 * "invalid_input" with every field's mistake at once in `fieldErrors` (an email not an email, a phone that cannot be
 * read, saying why: "“12” is too short to be a phone number." (phoneProblemWords), none of a name, an email
 * and a phone left: each of those fields named), "not_found" (no such customer in Tally or in Shopify) and
 * "shopify_refused" with Shopify's userErrors on every field they name; consent is changed only once the other fields
 * were saved.
 */
export async function editCustomer({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerId: number; form: unknown };
  shopify: CustomerEditor;
}): Promise<{ changed: (keyof EditableCustomer)[] }> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (!row) throw new DomainError("not_found", "No such customer", { customerId: input.customerId });
  refuseIfDeleted(row, "edit");
  const parsed = parseCustomerEditForm(input.form, await getShopCountry({ ctx }));
  if (!parsed.ok) {
    throw new DomainError("invalid_input", "Correct the fields marked and try again", {
      fieldErrors: parsed.fieldErrors,
    });
  }
  const edits: EditableCustomer = parsed.edits;
  const before = await shopify.read(row.customerGid);
  if (!before) throw new DomainError("not_found", "Shopify no longer has this customer", { customerId: row.id });
  const changed = (Object.keys(edits) as (keyof EditableCustomer)[]).filter((key) =>
    key === "tags" ? !sameTags(edits.tags, before.tags) : edits[key] !== before[key],
  );
  if (changed.length === 0) return { changed };

  const { emailMarketing, smsMarketing, ...fields } = edits;
  const saved = await shopify.update(row.customerGid, fields);
  if (changed.includes("emailMarketing") && emailMarketing !== "NOT_SUBSCRIBED") {
    await shopify.setEmailMarketing(row.customerGid, emailMarketing);
  }
  if (changed.includes("smsMarketing") && smsMarketing !== "NOT_SUBSCRIBED") {
    await shopify.setSmsMarketing(row.customerGid, smsMarketing);
  }
  await reconcileCustomer({ ctx, input: { ...saved, snapshot: { ...saved.snapshot, readNow: true } } });
  const pick = (values: EditableCustomer) => Object.fromEntries(changed.map((key) => [key, values[key]]));
  await inTransaction(ctx, (tx) =>
    recordAudit({
      ctx,
      tx,
      input: {
        action: "customer.edit",
        subject: customerSubject(row),
        customerId: row.id,
        before: pick(before),
        after: pick(edits),
      },
    }),
  );
  return { changed };
}
