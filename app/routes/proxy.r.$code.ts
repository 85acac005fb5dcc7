import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { checkFriendEmail } from "~/domain/referrals";
import { isDomainError } from "~/domain/shared";
import { withErrors } from "~/lib/errors.server";
import { parseOr400, readForm } from "~/lib/parse.server";
import { claimReferral } from "~/services/referrals/claim-referral.server";
import { getReferralLanding, type ReferralLanding } from "~/services/referrals/referral-storefront.server";
import { shopifyReferralDiscounts } from "~/shopify/admin/referral-discounts.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { clientFingerprint } from "~/shopify/proxy/client-fingerprint.server";
import { liquidResponse } from "~/shopify/proxy/liquid";
import {
  referralCodeLiquid,
  referralLandingLiquid,
  referralOwnLinkLiquid,
  referralUnavailableLiquid,
  type LandingProblem,
  type LandingWait,
} from "~/shopify/proxy/referral-landing";
import { referralShareLiquid } from "~/shopify/proxy/rewards-page.server";
import { contextFor } from "~/shopify.server";

// Any text: what is not a code (too long, other letters) answers the same friendly page as a code nobody holds.
const paramsSchema = z.object({ code: z.string() });
const formSchema = z.object({ email: z.string().max(1000).default("") });

function unavailable(landing: Extract<ReferralLanding, { kind: "unavailable" }>) {
  return liquidResponse(referralUnavailableLiquid(landing.why), { status: 404 });
}

/**
 * The advocate's link, answered as a page of the shop's theme (Liquid): the offer and a form; the link's own advocate,
 * signed in, is shown how to share it instead; a friendly 404 for a link that leads nowhere.
 */
export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, proxyPath, customerGid } = await authenticateStorefront(request);
  const { code } = parseOr400(paramsSchema, params);
  const landing = await getReferralLanding({
    ctx: contextFor(shop, "storefront"),
    input: { code, viewerGid: customerGid, proxyPath },
  });
  if (landing.kind === "unavailable") return unavailable(landing);
  if (landing.viewerIsAdvocate) {
    return liquidResponse(
      referralOwnLinkLiquid(landing, (fallback) => referralShareLiquid(proxyPath, fallback), proxyPath),
    );
  }
  return liquidResponse(
    referralLandingLiquid(landing, { action: `${proxyPath}/r/${landing.code}`, signedIn: customerGid !== null }),
  );
});

/**
 * The landing page's form: the same claim as POST {proxy}/v1/referral/claim, answered as a page: the friend's code,
 * or the form again with the reason (400 bad email, 409 blocked or paused); a 429 says how many minutes to wait (its
 * Retry-After) and that it is too many tries, not a review; a signed-in shopper
 * claims as their account, whatever email is posted.
 */
export const action = withErrors(async ({ request, params }: ActionFunctionArgs) => {
  const { shop, admin, proxyPath, customerGid } = await authenticateStorefront(request);
  const { code } = parseOr400(paramsSchema, params);
  const { email } = parseOr400(formSchema, await readForm(request));
  const ctx = contextFor(shop, "storefront");
  const landing = await getReferralLanding({ ctx, input: { code } });
  if (landing.kind === "unavailable") return unavailable(landing);
  const again = (problem: LandingProblem, status: number, headers: Record<string, string> = {}, wait?: LandingWait) =>
    liquidResponse(
      referralLandingLiquid(landing, {
        action: `${proxyPath}/r/${landing.code}`,
        problem,
        wait,
        email,
        signedIn: customerGid !== null,
      }),
      { status, headers },
    );
  const checked = checkFriendEmail(email);
  if (!checked.ok && !customerGid) return again(email.trim() === "" ? "email_missing" : "email", 400);
  if (!admin) return again("busy", 503);
  try {
    const offer = await claimReferral({
      ctx,
      input: {
        code: landing.code,
        email: checked.ok ? checked.email : null,
        clientFingerprint: clientFingerprint(request, shop),
        customerGid,
      },
      gateway: shopifyReferralDiscounts(admin.graphql),
    });
    return liquidResponse(referralCodeLiquid(offer));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const retry = error.details.retryAfterSeconds;
    if (error.code === "rate_limited" && typeof retry === "number") {
      const seconds = Math.max(1, Math.ceil(retry));
      const scope = error.details.scope === "code" ? "code" : "client";
      return again("busy", 429, { "Retry-After": String(seconds) }, { scope, retryAfterSeconds: seconds });
    }
    const why = error.details.why;
    const problem: LandingProblem =
      error.code === "bad_request"
        ? "email_missing"
        : error.code === "conflict" && typeof why === "string"
          ? (why as LandingProblem)
          : error.code === "not_found"
            ? "inactive"
            : "busy";
    const status = { bad_request: 400, conflict: 409, not_found: 404 }[error.code as string] ?? 503;
    return again(problem, status);
  }
});
