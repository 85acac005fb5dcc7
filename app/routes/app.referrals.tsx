import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { z } from "zod";
import { ReferralsPage, type ReferralActionData } from "~/components/referral-list";
import { referralTabs } from "~/domain/referrals";
import { withErrors, withFormErrors } from "~/lib/errors.server";
import { parseOr400, readForm } from "~/lib/parse.server";
import { listPausedCodes, resumeAdvocateCode } from "~/services/referrals/advocates.server";
import { getReferralFigures, listReferrals } from "~/services/referrals/list-referrals.server";
import { approveReferral, cancelReferral } from "~/services/referrals/review-referral.server";
import { shopifyReferralDiscounts } from "~/shopify/admin/referral-discounts.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const id = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const querySchema = z.object({
  tab: z.enum(referralTabs).default("review"),
  q: z.string().trim().max(100).optional(),
  before: id.optional(),
});

export const meta: MetaFunction = () => pageTitle("Referrals");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const ctx = contextFor(session.shop, "staff");
  const { tab, q, before } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  return {
    tab,
    q: q ?? "",
    page: await listReferrals({ ctx, input: { tab, search: q, before, limit: 50 } }),
    figures: await getReferralFigures({ ctx }),
    paused: tab === "review" ? await listPausedCodes({ ctx }) : [],
  };
});

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), referralId: id }),
  z.object({ intent: z.literal("cancel"), referralId: id }),
  z.object({ intent: z.literal("resume"), advocateId: id }),
]);

/** The review queue's decisions, each recorded with the staff member: Approve, Cancel, Resume a paused code. */
export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, admin } = await authenticate.admin(request);
  const input = parseOr400(actionSchema, await readForm(request));
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  switch (input.intent) {
    case "approve": {
      const { status } = await approveReferral({ ctx, input });
      return { ok: true, intent: input.intent, status } satisfies ReferralActionData;
    }
    case "cancel": {
      const done = await cancelReferral({ ctx, input, gateway: shopifyReferralDiscounts(admin.graphql) });
      return {
        ok: true,
        intent: input.intent,
        status: done.status,
        codesPending: done.codesPending,
      } satisfies ReferralActionData;
    }
    case "resume":
      await resumeAdvocateCode({ ctx, input });
      return { ok: true, intent: input.intent } satisfies ReferralActionData;
  }
});

const toasts = { approve: "Referral approved", cancel: "Referral cancelled", resume: "Referral link resumed" };

export default function Referrals() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ReferralActionData>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  useEffect(() => {
    if (!actionData) return;
    if ("ok" in actionData) {
      const pending =
        actionData.intent === "cancel" && actionData.codesPending ? "; the code's deactivation is retried" : "";
      shopify.toast.show(`${toasts[actionData.intent]}${pending}`);
    } else shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("referralId") ?? "") : null;
  return <ReferralsPage {...data} busyReferralId={busy} />;
}
