import { and, desc, eq, isNull, max } from "drizzle-orm";
import type { CustomerQueryParams } from "~/domain/customers";
import {
  groupDiscountDoubt,
  groupDiscountEndsAt,
  groupDiscountRetitlePlan,
  groupDiscountTitle,
  isGroupsOwnDiscount,
  parseGroupDiscountForm,
  sameGroupDiscountTerms,
  segmentQueryOf,
  staleGroupEditWords,
  type GroupDiscountDoubt,
  type GroupDiscountRetitle,
  type GroupDiscountTerms,
  type GroupForm,
  type GroupMemberCount,
} from "~/domain/groups";
import { DomainError } from "~/domain/shared";
import { runInTurn } from "~/db/dialect";
import { customerGroups, orders } from "~/db/schema";
import { log } from "~/lib/log.server";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { findCustomerIdsByGid } from "../customers/customer-rows.server";
import { customerQueryOf } from "../customers/load-customer-directory.server";
import { getShopTimeZone } from "../shops/get-shop.server";

/** One member of a group as Shopify lists them. */
export interface GroupMember {
  customerGid: string;
  /** Tally's id of the customer, whose profile the member list links to; null while Tally has not synced them. */
  customerId: number | null;
  name: string;
  email: string | null;
  ordersCount: number;
}

/**
 * Shopify's segments and discounts for groups (app/shopify/admin/customer-groups.server.ts). Each mutation throws
 * DomainError "shopify_refused" with Shopify's userErrors on the form's fields (`name`, `query`, `code`, `value`).
 */
export interface GroupShopify {
  createSegment(name: string, query: string): Promise<{ segmentGid: string }>;
  /**
   * Renames a segment or changes its query, or both (segmentUpdate; a field left undefined stays as it is). Shopify
   * applies all or nothing: a name taken or a query it cannot read refuses the whole change.
   */
  updateSegment(segmentGid: string, change: { name?: string; query?: string }): Promise<void>;
  /** Deletes a segment; one already gone from Shopify is no refusal. */
  deleteSegment(segmentGid: string): Promise<void>;
  /** Whether Shopify still has the segment (false once a merchant deleted it in Shopify admin). */
  segmentExists(segmentGid: string): Promise<boolean>;
  /** Whether Shopify still has the discount, either kind (false once a merchant deleted it in Shopify admin). */
  discountExists(discountGid: string): Promise<boolean>;
  /** One page of a segment's members (50, `after` a cursor); null when the segment was deleted in Shopify admin. */
  members(
    segmentGid: string,
    after?: string | null,
  ): Promise<{ totalCount: number; members: Omit<GroupMember, "customerId">[]; nextCursor: string | null } | null>;
  /**
   * How many customers each segment holds now, every one asked answered by its id, in one Admin request for up to
   * 100 segments (customerSegmentMembers' totalCount under aliases), a second when Shopify could not count one. Never
   * throws: a segment deleted in Shopify admin is "deleted", one Shopify did not count (throttled, an error)
   * "unavailable".
   */
  memberCounts(segmentGids: readonly string[]): Promise<Map<string, GroupMemberCount>>;
  /** A code discount (`code` set) or an automatic one (`code` null), for the segment's members only. */
  createDiscount(discount: {
    segmentGid: string;
    title: string;
    code: string | null;
    kind: "percentage" | "amount";
    /** Whole percent, or minor units of `currency`. */
    value: number;
    currency: string;
    startsAt: string;
    endsAt: string | null;
  }): Promise<{ discountGid: string }>;
  /**
   * The code discount Shopify has under `code` (codeDiscountNodeByCode, matched as checkout matches codes), read as a
   * group discount: its title, the segments it is for (none when its buyers are not segments) and its terms (the
   * amount in minor units of its currency); null when no code discount has it, or one other than a basic discount.
   */
  codeDiscountByCode(code: string): Promise<GroupCodeDiscount | null>;
  /**
   * A discount's title in Shopify, either kind (DiscountCodeBasic, DiscountAutomaticBasic); null once it was deleted in
   * Shopify admin.
   */
  discountTitle(discountGid: string): Promise<string | null>;
  /**
   * Changes only a discount's title (discountCodeBasicUpdate or discountAutomaticBasicUpdate, by the id's type); its
   * value, dates, code and segment stay. Throws "shopify_refused" with Shopify's userErrors.
   */
  retitleDiscount(discountGid: string, title: string): Promise<void>;
  /**
   * Deletes either kind, told apart by the id's type (DiscountCodeNode, DiscountAutomaticNode); one already gone from
   * Shopify is no refusal.
   */
  deleteDiscount(discountGid: string): Promise<void>;
}

/** A code discount as Shopify holds it, read to tell whether it is a group's own (`isGroupsOwnDiscount`). */
export interface GroupCodeDiscount extends GroupDiscountTerms {
  discountGid: string;
  title: string;
  segmentGids: string[];
}

export type CustomerGroup = typeof customerGroups.$inferSelect;

async function getGroup(ctx: ServiceContext, groupId: number): Promise<CustomerGroup> {
  const [group] = await ctx.db
    .select()
    .from(customerGroups)
    .where(and(eq(customerGroups.shop, ctx.shop), eq(customerGroups.id, groupId)));
  if (!group) {
    throw new DomainError(
      "not_found",
      "This group was removed, in another tab or by another staff member. Reload to see your groups.",
      {
        groupId,
      },
    );
  }
  return group;
}

/** The shop's groups, newest first (a shop has tens, not thousands). */
export async function listGroups({ ctx }: { ctx: ServiceContext }): Promise<CustomerGroup[]> {
  return ctx.db.select().from(customerGroups).where(eq(customerGroups.shop, ctx.shop)).orderBy(desc(customerGroups.id));
}

/**
 * Creates a group: a Shopify segment (segmentCreate) from the merchant's name and segment query, then Tally's row
 * and the audit line (`group.create`). Shopify refuses a name already taken and a query its language does not know,
 * on the `name` and `query` fields; nothing is written then.
 */
export async function createGroup({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: GroupForm;
  shopify: GroupShopify;
}): Promise<CustomerGroup> {
  const { segmentGid } = await shopify.createSegment(input.name, input.query);
  return inTransaction(ctx, async (tx) => {
    const [group] = await tx
      .insert(customerGroups)
      .values({
        shop: ctx.shop,
        name: input.name,
        segmentGid,
        segmentQuery: input.query,
        createdAt: ctx.now.toISOString(),
      })
      .returning();
    await recordAudit({
      ctx,
      tx,
      input: { action: "group.create", subject: input.name, after: { segmentGid, query: input.query } },
    });
    return group!;
  });
}

/**
 * Renames a group or changes its segment query, or both. Shopify first: the segment (segmentUpdate, only what changed),
 * then, when the name changed and the group has a discount whose title in Shopify is still the one Tally gave it under
 * the old name ("VIPs group discount"), that title becomes the new name's (discountCodeBasicUpdate or
 * discountAutomaticBasicUpdate, the title only); a title the merchant wrote in Shopify admin is left alone, and a
 * discount deleted there has none to change. Then one transaction: Tally's row and one audit line (`group.update`: the
 * name and query before and after, and the discount's title before and after, or why it stayed).
 *
 * `input` is the form read as creating reads it (`groupFormSchema`), and Shopify refuses what it refuses there: a name
 * taken by another segment ("Name has already been taken") on `name`, a query its language does not know on `query`;
 * nothing changes then. Once the segment is renamed, Shopify not taking the discount's title (a refusal, an error) does
 * not undo it: the group is saved with the new name, `discountRetitle` is "failed" with the reason in words for the
 * merchant, and the audit line says the title stayed. Throws "not_found" for a group of another shop or none, "gone"
 * when the segment was deleted in Shopify admin (nothing to update: the group can be created again from its query).
 * `seen` is the name and query the merchant's form opened with: when the group has since been edited elsewhere (another
 * tab, another staff member), the save is refused with "conflict" (409) and `staleGroupEditWords` on the field that
 * changed ("This group was renamed to “VIP 2” in another tab. Reload to see it."), before Shopify is asked anything.
 * A form that changes nothing asks nothing and records nothing, so a submit repeated after it was saved does nothing
 * twice (its `seen` is then the old name: the group already reads as it asks, so it is no stale edit). Edits of one
 * group in flight at once take turns (`runInTurn`, across instances on PostgreSQL): the second reads the group as the
 * first left it, so two tabs' different renames give the first its name in Shopify and Tally and the second the 409,
 * and a second submit of the same change does nothing.
 * Members and counts are Shopify's (decision 029): the next read of the segment has the new query's customers.
 */
export async function updateGroup({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { groupId: number; seen?: { name?: string; query?: string } } & GroupForm;
  shopify: Pick<GroupShopify, "updateSegment" | "segmentExists" | "discountTitle" | "retitleDiscount">;
}): Promise<{ group: CustomerGroup; discountRetitle: GroupDiscountRetitle | null }> {
  // Edits of one group take turns from reading it to committing: of two renames in flight at once, the second reads
  // the first's name, so it is refused as stale (or, from a form that did not say what it saw, applied after it).
  return inGroupsTurn(ctx, input.groupId, () => updateGroupInTurn({ ctx, input, shopify }));
}

/**
 * Runs `work`, an edit of one group (rename, discount given or removed, removal), once every earlier edit of that group
 * has finished (`runInTurn`, across instances on PostgreSQL): each edit reads the group as the last one left it. A
 * discount given while the group is being removed in another tab then finds it gone ("not_found") instead of creating
 * a discount for a segment about to be deleted.
 */
function inGroupsTurn<T>(ctx: ServiceContext, groupId: number, work: () => Promise<T>): Promise<T> {
  return runInTurn(ctx.db, `tally-group-edit:${ctx.shop}:${groupId}`, work);
}

async function updateGroupInTurn({
  ctx,
  input,
  shopify,
}: Parameters<typeof updateGroup>[0]): Promise<{ group: CustomerGroup; discountRetitle: GroupDiscountRetitle | null }> {
  const group = await getGroup(ctx, input.groupId);
  const change = {
    name: input.name !== group.name ? input.name : undefined,
    query: input.query !== group.segmentQuery ? input.query : undefined,
  };
  if (change.name === undefined && change.query === undefined) return { group, discountRetitle: null };
  const stale = staleGroupEditWords(input.seen ?? {}, group);
  if (stale)
    throw new DomainError("conflict", stale.words, {
      groupId: group.id,
      fieldErrors: { [stale.field]: [stale.words] },
    });
  if (!(await shopify.segmentExists(group.segmentGid))) {
    throw new DomainError(
      "gone",
      "This group's segment was deleted in Shopify, so there is nothing to change: create the group again from its segment query",
      { groupId: group.id },
    );
  }
  await shopify.updateSegment(group.segmentGid, change);
  const discountRetitle =
    change.name !== undefined && group.discountGid
      ? await retitleGroupDiscount(shopify, group.discountGid, group.name, change.name)
      : null;
  return inTransaction(ctx, async (tx) => {
    // Compared with what was read before Shopify was called, as a backstop: edits take turns, so only a writer that is
    // not an edit could have changed the row meanwhile.
    const [updated] = await tx
      .update(customerGroups)
      .set({ name: input.name, segmentQuery: input.query })
      .where(
        and(
          eq(customerGroups.shop, ctx.shop),
          eq(customerGroups.id, group.id),
          eq(customerGroups.name, group.name),
          eq(customerGroups.segmentQuery, group.segmentQuery),
        ),
      )
      .returning();
    if (!updated) return { group: await getGroup({ ...ctx, db: tx }, group.id), discountRetitle: null };
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "group.update",
        subject: input.name,
        before: {
          name: group.name,
          query: group.segmentQuery,
          ...(discountRetitle ? { discountTitle: retitledFrom(discountRetitle) } : {}),
        },
        after: { name: input.name, query: input.query, ...(discountRetitle ? retitledTo(discountRetitle) : {}) },
      },
    });
    return { group: updated, discountRetitle };
  });
}

/**
 * The discount's title follows the group's new name when it still reads the old name's; null when there is nothing to
 * say (deleted in Shopify admin). Never throws: Shopify not taking the title is a "failed" retitle, in words.
 */
async function retitleGroupDiscount(
  shopify: Pick<GroupShopify, "discountTitle" | "retitleDiscount">,
  discountGid: string,
  oldName: string,
  newName: string,
): Promise<GroupDiscountRetitle | null> {
  const to = groupDiscountTitle(newName);
  // Until Shopify says otherwise, the title is the one Tally gave the discount.
  let title = groupDiscountTitle(oldName);
  try {
    const current = await shopify.discountTitle(discountGid);
    if (current === null) return null;
    title = current;
    const plan = groupDiscountRetitlePlan(title, oldName, newName);
    if (plan === "keep") return { state: "kept", title };
    if (plan === "retitle") await shopify.retitleDiscount(discountGid, to);
    return { state: "retitled", from: groupDiscountTitle(oldName), to };
  } catch (error) {
    log.warn({ err: error, discountGid }, "Retitling a renamed group's discount failed");
    const reason =
      error instanceof DomainError && error.code === "shopify_refused"
        ? error.message
        : "Shopify could not be reached to change it";
    return { state: "failed", title, to, reason };
  }
}

const retitledFrom = (retitle: GroupDiscountRetitle) => (retitle.state === "retitled" ? retitle.from : retitle.title);

/** The audit's `after` for the discount's title: the new one, or the one kept and why. */
function retitledTo(retitle: GroupDiscountRetitle) {
  if (retitle.state === "retitled") return { discountTitle: retitle.to };
  if (retitle.state === "kept") return { discountTitle: retitle.title, discountTitleKept: "edited in Shopify" };
  return { discountTitle: retitle.title, discountTitleNotChanged: retitle.reason };
}

/**
 * Creates a group from the directory's search and filters (decision 032): the directory's URL params read as its
 * customer query (amounts in the shop's currency), translated into Shopify's segment language (`segmentQueryOf`), then
 * `createGroup`. A query holding a filter Shopify's
 * segments cannot express (points, referrals, the loyalty block, a free-text search) is refused whole with
 * "invalid_input", each such filter on `fieldErrors.filters` in the merchant's words; nothing is sent to Shopify.
 */
export async function createGroupFromFilters({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { name: string; params: CustomerQueryParams };
  shopify: GroupShopify;
}): Promise<CustomerGroup> {
  const { query, currency } = await customerQueryOf({ ctx, input: { params: input.params } });
  const translation = segmentQueryOf(query, currency);
  if (!translation.ok) {
    throw new DomainError("invalid_input", "Shopify's segments cannot express some of these filters", {
      fieldErrors: { filters: translation.unexpressible.map(({ filter, reason }) => `${filter}: ${reason}`) },
    });
  }
  return createGroup({ ctx, input: { name: input.name, query: translation.query }, shopify });
}

/**
 * One page of a group's members, read from Shopify (customerSegmentMembers, 50 a page, `after` a cursor), with
 * Shopify's count of them all (`totalCount`, the figure the list of groups shows), each with Tally's id of the customer
 * (one read of the page's 50 gids) for the link to their profile; null for one Tally has not synced yet. A group whose segment was deleted in
 * Shopify admin has none: `segmentDeleted` is true, the page empty. `discountDeleted` is true when the group records a
 * discount Shopify no longer has (deleted in Shopify admin): members do not get it, and a new one can be given.
 */
export async function listGroupMembers({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { groupId: number; after?: string | null };
  shopify: Pick<GroupShopify, "members" | "discountExists">;
}) {
  const group = await getGroup(ctx, input.groupId);
  const [page, discountDeleted] = await Promise.all([
    shopify.members(group.segmentGid, input.after),
    group.discountGid ? shopify.discountExists(group.discountGid).then((exists) => !exists) : false,
  ]);
  if (!page) {
    const members: GroupMember[] = [];
    return { group, segmentDeleted: true, discountDeleted, totalCount: 0, members, nextCursor: null };
  }
  const ids = await findCustomerIdsByGid(
    { ctx },
    page.members.map((member) => member.customerGid),
  );
  const members: GroupMember[] = page.members.map((member) => ({
    ...member,
    customerId: ids.get(member.customerGid) ?? null,
  }));
  return { group, segmentDeleted: false, discountDeleted, ...page, members };
}

/**
 * How many customers each of the shop's groups holds now, by group id (decision 029: the segments are Shopify's, so
 * Shopify counts them): one Admin request for the page's groups (up to 100), and the state of any group Shopify did
 * not count ("deleted" in Shopify admin, or "unavailable" this time). Never throws.
 */
export async function countGroupMembers({
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { groups: readonly Pick<CustomerGroup, "id" | "segmentGid">[] };
  shopify: Pick<GroupShopify, "memberCounts">;
}): Promise<Record<number, GroupMemberCount>> {
  if (!input.groups.length) return {};
  const counts = await shopify.memberCounts(input.groups.map((group) => group.segmentGid));
  return Object.fromEntries(
    input.groups.map((group) => [group.id, counts.get(group.segmentGid) ?? { state: "unavailable" as const }]),
  );
}

/**
 * Attaches a group discount for everything in the cart, whose eligibility is the group's segment
 * (`context.customerSegments`): a code members enter (discountCodeBasicCreate) or one applied by itself to their
 * checkouts (discountAutomaticBasicCreate, `method` "automatic"), a percentage or an amount off, ending at the end of
 * `endsOn` in the shop's time zone (decision 050) or never. `form` is the form as posted, read on the shop's day
 * (`parseGroupDiscountForm`): every field's mistake, a day before the shop's today included, is refused at once as
 * "invalid_input" with `fieldErrors`.
 * Refused with "gone" (410) when the group's segment was deleted in Shopify admin (a discount for it would reach no
 * one, and Shopify refuses a context naming a segment it does not have), and with "conflict" when the group has a
 * discount Shopify still has on other terms (remove it first); one deleted in Shopify admin is replaced. Shopify's
 * refusals (a code already used, an end before the start) land on the form's fields. Audited (`group.discount`, the
 * replaced id before).
 * A discount that would make every member's order free (100% off, or more off than the shop's largest order in Tally,
 * `groupDiscountDoubt`) is not created until `confirmed`: the answer is then `{ doubt }`, and nothing is sent to Shopify.
 *
 * The same request submitted again (a double click, two tabs) answers as the first did, and the group has one
 * discount and one audit line (decision 056): asked once the group has that discount (`sameGroupDiscountTerms`), it
 * is the answer; asked in flight beside the first, Shopify refuses the second code as taken, and the code it holds is
 * the group's own (`isGroupsOwnDiscount`, read with codeDiscountNodeByCode) on these terms, so it is taken as the
 * group's: the first's, or one whose row Tally failed to write after Shopify created it. Shopify first, then one
 * transaction (the row and its audit line), written only while the row still records the discount read before: of
 * two submits in flight, the later one's own discount (two automatic ones) is deleted in Shopify, and it answers as
 * the first did, or "conflict" when the first asked other terms.
 */
export async function attachGroupDiscount(
  args: Parameters<typeof attachGroupDiscountInTurn>[0],
): ReturnType<typeof attachGroupDiscountInTurn> {
  return inGroupsTurn(args.ctx, args.input.groupId, () => attachGroupDiscountInTurn(args));
}

async function attachGroupDiscountInTurn({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { groupId: number; form: unknown };
  shopify: GroupShopify;
}): Promise<{ group: CustomerGroup; doubt?: never } | { doubt: GroupDiscountDoubt; group?: never }> {
  const timeZone = await getShopTimeZone({ ctx });
  const parsed = parseGroupDiscountForm(input.form, ctx.now, timeZone);
  if (!parsed.ok) {
    throw new DomainError("invalid_input", "Correct the fields marked and try again", {
      fieldErrors: parsed.fieldErrors,
    });
  }
  const form = parsed.form;
  const group = await getGroup(ctx, input.groupId);
  if (!(await shopify.segmentExists(group.segmentGid))) {
    throw new DomainError(
      "gone",
      "This group's segment was deleted in Shopify, so a discount would reach no one: remove the group, or create it again from its segment query",
      { groupId: group.id },
    );
  }
  const endsAt = groupDiscountEndsAt(form.endsOn, timeZone);
  const asked: GroupDiscountTerms = {
    code: form.code,
    kind: form.kind,
    value: form.value,
    currency: form.kind === "amount" ? form.currency : null,
    endsAt,
  };
  if (group.discountGid && (await shopify.discountExists(group.discountGid))) {
    if (recordsDiscount(group, asked)) return { group };
    throw hasDiscountAlready(group);
  }
  if (!form.confirmed) {
    const largest = form.kind === "amount" ? await largestOrderMinor(ctx, form.currency) : null;
    const doubt = groupDiscountDoubt(form, largest);
    if (doubt) return { doubt };
  }
  const { discountGid, found } = await createOrFindGroupDiscount(ctx, shopify, group, asked, {
    segmentGid: group.segmentGid,
    title: groupDiscountTitle(group.name),
    code: form.code,
    kind: form.kind,
    value: form.value,
    currency: form.currency,
    startsAt: ctx.now.toISOString(),
    endsAt,
  });
  const attached = await inTransaction(ctx, async (tx) => {
    const [updated] = await tx
      .update(customerGroups)
      .set({
        discountGid,
        discountCode: form.code,
        discountKind: form.kind,
        discountValue: form.value,
        discountCurrency: asked.currency,
        discountEndsAt: endsAt,
      })
      .where(and(eq(customerGroups.shop, ctx.shop), eq(customerGroups.id, group.id), sameDiscount(group.discountGid)))
      .returning();
    if (!updated) return null;
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "group.discount",
        subject: group.name,
        before: { discountGid: group.discountGid },
        after: {
          discountGid,
          method: form.method,
          code: form.code,
          kind: form.kind,
          value: form.value,
          currency: asked.currency,
          endsAt,
          ...(found ? { foundInShopify: true } : {}),
        },
      },
    });
    return { group: updated };
  });
  if (attached) return attached;
  // A submit in flight beside this one wrote the group's discount first.
  const now = await getGroup(ctx, group.id);
  if (now.discountGid === discountGid) return { group: now };
  // This one's own discount is not left behind in Shopify; one it found there was not its to delete.
  if (!found) await shopify.deleteDiscount(discountGid);
  if (recordsDiscount(now, asked)) return { group: now };
  throw hasDiscountAlready(group);
}

/** The group's row records a discount giving `terms`. */
function recordsDiscount(group: CustomerGroup, terms: GroupDiscountTerms): boolean {
  if (!group.discountGid || !group.discountKind || group.discountValue === null) return false;
  return sameGroupDiscountTerms(
    {
      code: group.discountCode,
      kind: group.discountKind,
      value: group.discountValue,
      currency: group.discountCurrency,
      endsAt: group.discountEndsAt,
    },
    terms,
  );
}

const hasDiscountAlready = (group: CustomerGroup) =>
  new DomainError("conflict", "This group has a discount already", { groupId: group.id });

/**
 * Creates the group's discount in Shopify, or, when Shopify refuses the code and the code it holds is this group's
 * own on the terms asked (`found`), that one: created by a submit in flight beside this one, or by one whose row Tally
 * failed to write. A code of the group's own on other terms is "conflict" when the group's row records it already;
 * otherwise Shopify's refusal stands, on the code field.
 */
async function createOrFindGroupDiscount(
  ctx: ServiceContext,
  shopify: Pick<GroupShopify, "createDiscount" | "codeDiscountByCode">,
  group: CustomerGroup,
  asked: GroupDiscountTerms,
  discount: Parameters<GroupShopify["createDiscount"]>[0],
): Promise<{ discountGid: string; found: boolean }> {
  try {
    return { ...(await shopify.createDiscount(discount)), found: false };
  } catch (error) {
    if (asked.code === null || !isCodeRefusal(error)) throw error;
    const held = await shopify.codeDiscountByCode(asked.code);
    if (!held || !isGroupsOwnDiscount(held, group)) throw error;
    if (sameGroupDiscountTerms(held, asked)) return { discountGid: held.discountGid, found: true };
    if ((await getGroup(ctx, group.id)).discountGid === held.discountGid) throw hasDiscountAlready(group);
    throw error;
  }
}

/** Shopify refused the discount on its code (taken, most often: the one case worth a second look). */
function isCodeRefusal(error: unknown): boolean {
  if (!(error instanceof DomainError) || error.code !== "shopify_refused") return false;
  const fieldErrors = error.details.fieldErrors as Record<string, unknown> | undefined;
  return Boolean(fieldErrors?.code);
}

/** The group's row still records the discount read before Shopify was called (none: null). */
const sameDiscount = (discountGid: string | null) =>
  discountGid === null ? isNull(customerGroups.discountGid) : eq(customerGroups.discountGid, discountGid);

/** The shop's largest order total in `currency` Tally holds, or null when none: one read of `orders_total_idx`. */
async function largestOrderMinor(ctx: ServiceContext, currency: string): Promise<number | null> {
  const [row] = await ctx.db
    .select({ largest: max(orders.totalMinor) })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), eq(orders.currency, currency)));
  return row?.largest ?? null;
}

/**
 * Removes only a group's discount: deleted in Shopify (discountCodeDelete or discountAutomaticDelete, by the node's
 * type), then cleared from the group, audited (`group.discount_remove`, what the discount was). The group and its
 * segment stay, and a new discount can be given. Throws DomainError "not_found" for a group of another shop or none,
 * "conflict" when the group has no discount (removed meanwhile), "shopify_refused" when Shopify refuses; nothing is
 * changed in Tally then. Of two submits in flight, only the first to commit writes the audit line.
 */
export async function removeGroupDiscount(
  args: Parameters<typeof removeGroupDiscountInTurn>[0],
): ReturnType<typeof removeGroupDiscountInTurn> {
  return inGroupsTurn(args.ctx, args.input.groupId, () => removeGroupDiscountInTurn(args));
}

async function removeGroupDiscountInTurn({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { groupId: number };
  shopify: GroupShopify;
}): Promise<CustomerGroup> {
  const group = await getGroup(ctx, input.groupId);
  if (!group.discountGid) throw new DomainError("conflict", "This group has no discount", { groupId: group.id });
  await shopify.deleteDiscount(group.discountGid);
  return inTransaction(ctx, async (tx) => {
    const [updated] = await tx
      .update(customerGroups)
      .set({
        discountGid: null,
        discountCode: null,
        discountKind: null,
        discountValue: null,
        discountCurrency: null,
        discountEndsAt: null,
      })
      .where(and(eq(customerGroups.shop, ctx.shop), eq(customerGroups.id, group.id), sameDiscount(group.discountGid)))
      .returning();
    // Removed by a submit in flight beside this one: its audit line is written.
    if (!updated) return getGroup({ ...ctx, db: tx }, group.id);
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "group.discount_remove",
        subject: group.name,
        before: {
          discountGid: group.discountGid,
          code: group.discountCode,
          kind: group.discountKind,
          value: group.discountValue,
          currency: group.discountCurrency,
          endsAt: group.discountEndsAt,
        },
        after: { discountGid: null },
      },
    });
    return updated!;
  });
}

/**
 * Removes a group: its discount (discountCodeDelete) and its segment (segmentDelete) in Shopify, then Tally's row,
 * audited (`group.remove`, what the group was). One already deleted in Shopify admin counts as removed (the group
 * stayed, unremovable, beside "Segment deleted in Shopify"); Shopify refusing to delete one it still has stops here.
 */
export async function removeGroup(args: Parameters<typeof removeGroupInTurn>[0]): ReturnType<typeof removeGroupInTurn> {
  return inGroupsTurn(args.ctx, args.input.groupId, () => removeGroupInTurn(args));
}

async function removeGroupInTurn({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { groupId: number };
  shopify: GroupShopify;
}): Promise<void> {
  const group = await getGroup(ctx, input.groupId);
  if (group.discountGid) await shopify.deleteDiscount(group.discountGid);
  await shopify.deleteSegment(group.segmentGid);
  await inTransaction(ctx, async (tx) => {
    await tx.delete(customerGroups).where(and(eq(customerGroups.shop, ctx.shop), eq(customerGroups.id, group.id)));
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "group.remove",
        subject: group.name,
        before: {
          segmentGid: group.segmentGid,
          query: group.segmentQuery,
          discountGid: group.discountGid,
          code: group.discountCode,
        },
        after: null,
      },
    });
  });
}
