import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Page } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { CustomerGroups } from "~/components/customer-groups";
import { customerQueryParamsSchema, paramsOf } from "~/domain/customers";
import {
  groupDiscountRetitleWarning,
  groupEditSeenSchema,
  groupFormSchema,
  type GroupDiscountDoubt,
} from "~/domain/groups";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseFormFields, parseOr400, readForm } from "~/lib/parse.server";
import { getShopCurrency } from "~/services/shops/get-shop.server";
import {
  attachGroupDiscount,
  countGroupMembers,
  createGroup,
  createGroupFromFilters,
  listGroupMembers,
  listGroups,
  removeGroup,
  removeGroupDiscount,
  updateGroup,
} from "~/services/groups/customer-groups.server";
import { shopifyGroups } from "~/shopify/admin/customer-groups.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const id = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const querySchema = z.object({ group: id.optional(), after: z.string().min(1).max(500).optional() });

/** Groups: the shop's customer groups (Shopify segments named in Tally), one group's members, its discount. */
export const meta: MetaFunction = () => pageTitle("Groups");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const query = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const shopify = shopifyGroups(admin.graphql);
  const groups = await listGroups({ ctx });
  const selected =
    query.group !== undefined
      ? await listGroupMembers({ ctx, input: { groupId: query.group, after: query.after }, shopify })
      : null;
  return {
    groups,
    selected,
    currency: await getShopCurrency({ ctx }),
    // Streamed after the page (single fetch, decision 049): the list shows at once, each count as Shopify answers.
    counts: countGroupMembers({ ctx, input: { groups }, shopify }),
  };
});

const intentSchema = z.object({
  intent: z.enum(["create", "create-from-filters", "edit", "discount", "remove-discount", "remove"]),
});
/** `search` is the directory's URL query string when staff pressed Save as group. */
const fromFiltersSchema = z.object({ name: groupFormSchema.shape.name, search: z.string().max(4_000) });
const groupIdSchema = z.object({ groupId: id });

export type GroupsActionData =
  | {
      ok: true;
      intent: z.infer<typeof intentSchema>["intent"];
      groupId: number;
      /** Saved, and something the merchant must still hear: a renamed group's discount kept its old title. */
      warning?: string;
    }
  | { doubt: GroupDiscountDoubt; groupId: number }
  | DomainErrorBody;

export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { admin, session, sessionToken, redirect } = await authenticate.admin(request);
  const form = await readForm(request);
  const { intent } = parseOr400(intentSchema, form);
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  const shopify = shopifyGroups(admin.graphql);
  if (intent === "create") {
    const group = await createGroup({ ctx, input: parseFormFields(groupFormSchema, form), shopify });
    return { ok: true, intent, groupId: group.id } satisfies GroupsActionData;
  }
  if (intent === "create-from-filters") {
    const { name, search } = parseFormFields(fromFiltersSchema, form);
    const params = parseOr400(customerQueryParamsSchema, paramsOf(new URLSearchParams(search)));
    const group = await createGroupFromFilters({ ctx, input: { name, params }, shopify });
    return redirect(`/app/groups?group=${group.id}`);
  }
  const { groupId } = parseOr400(groupIdSchema, form);
  if (intent === "edit") {
    const { seenName, seenQuery } = parseOr400(groupEditSeenSchema, form);
    const { discountRetitle } = await updateGroup({
      ctx,
      input: { groupId, ...parseFormFields(groupFormSchema, form), seen: { name: seenName, query: seenQuery } },
      shopify,
    });
    const warning = groupDiscountRetitleWarning(discountRetitle);
    return { ok: true, intent, groupId, ...(warning ? { warning } : {}) } satisfies GroupsActionData;
  }
  if (intent === "discount") {
    // The service reads the form on the shop's day, so a past end date is refused with the other fields' mistakes.
    const { doubt } = await attachGroupDiscount({ ctx, input: { groupId, form }, shopify });
    if (doubt) return { doubt, groupId } satisfies GroupsActionData;
    return { ok: true, intent, groupId } satisfies GroupsActionData;
  }
  if (intent === "remove-discount") {
    await removeGroupDiscount({ ctx, input: { groupId }, shopify });
    return { ok: true, intent, groupId } satisfies GroupsActionData;
  }
  await removeGroup({ ctx, input: { groupId }, shopify });
  return { ok: true, intent, groupId } satisfies GroupsActionData;
});

export default function Groups() {
  const { groups, selected, currency, counts } = useLoaderData<typeof loader>();
  const actionData = useActionData<GroupsActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const location = useLocation();
  const shopify = useAppBridge();
  // Counts the actions that succeeded: the forms empty on each success (a second Edit of the same group closes its form
  // as the first did) and on nothing else, so a refusal, or the navigation after a success, keeps what staff typed.
  const [succeeded, setSucceeded] = useState({ actionData, count: 0 });
  if (succeeded.actionData !== actionData)
    setSucceeded({ actionData, count: succeeded.count + (actionData && "ok" in actionData ? 1 : 0) });
  // Removing the open group lands on the list: the page for its ?group= would be "no such page" once it is gone.
  // Editing it lands on its first members: a page of the old query's (?after=) is not one of the new query's.
  const actionFor = (values: Record<string, string>) => {
    if (values.groupId !== String(selected?.group.id)) return undefined;
    if (values.intent !== "remove" && values.intent !== "edit") return undefined;
    const search = new URLSearchParams(location.search);
    if (values.intent === "remove") search.delete("group");
    search.delete("after");
    return `${location.pathname}?${search}`;
  };
  useEffect(() => {
    if (!actionData) return;
    if ("ok" in actionData) {
      const done = {
        create: "Group created",
        "create-from-filters": "Group created",
        edit: "Group saved",
        discount: "Group discount created",
        "remove-discount": "Group discount removed",
        remove: "Group removed",
      } as const;
      shopify.toast.show(done[actionData.intent]);
    } else if ("doubt" in actionData) return;
    else if (!actionData.fieldErrors) shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);
  const fieldErrors = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? {}) : {};
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent")) : null;
  return (
    <Page>
      <TitleBar title="Groups" />
      <CustomerGroups
        groups={groups}
        counts={counts}
        selected={selected}
        currency={currency}
        fieldErrors={fieldErrors}
        doubt={actionData && "doubt" in actionData ? actionData.doubt : null}
        warning={
          actionData && "ok" in actionData && actionData.warning
            ? { groupId: actionData.groupId, text: actionData.warning }
            : null
        }
        busy={busy}
        doneKey={String(succeeded.count)}
        onSelect={(groupId) => navigate(groupId === null ? "?" : `?group=${groupId}`)}
        onNextMembers={(groupId, after) => navigate(`?group=${groupId}&after=${encodeURIComponent(after)}`)}
        onSubmit={(values) => submit(values, { method: "post", action: actionFor(values) })}
      />
    </Page>
  );
}
