import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { checkFriendEmail } from "~/domain/referrals";
import { DomainError } from "~/domain/shared";
import { withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { claimReferral } from "~/services/referrals/claim-referral.server";
import { shopifyReferralDiscounts } from "~/shopify/admin/referral-discounts.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { clientFingerprint } from "~/shopify/proxy/client-fingerprint.server";
import { readStorefrontJson } from "~/shopify/proxy/read-json.server";
import { contextFor } from "~/shopify.server";

const bodySchema = z.object({ code: z.string().min(1).max(40), email: z.string().max(1000).default("") });

/**
 * A friend claims the offer behind a referral link: 200 `{discountCode, title, applyUrl}`; 400 with a `reason` for a
 * bad email (a visitor's; a signed-in shopper claims as their account, and `email` is then optional and not used to
 * make a new friend: claimReferral); 404 unknown code or program off; 409 `{reason}` blocked or paused; 429 with
 * Retry-After (README).
 */
export const action = withErrors(async ({ request }: ActionFunctionArgs) => {
  const { shop, admin, customerGid } = await authenticateStorefront(request);
  const body = parseOr400(
    bodySchema,
    await readStorefrontJson(request, '{"code": "K7QX3-9MPTR", "email": "friend@example.com"}'),
  );
  const email = checkFriendEmail(body.email);
  if (!email.ok && !customerGid) throw new DomainError("bad_request", email.reason, { reason: email.reason });
  if (!admin) throw new DomainError("shopify_unavailable", "Tally is not installed on this store");
  const offer = await claimReferral({
    ctx: contextFor(shop, "storefront"),
    input: {
      code: body.code,
      email: email.ok ? email.email : null,
      clientFingerprint: clientFingerprint(request, shop),
      customerGid,
    },
    gateway: shopifyReferralDiscounts(admin.graphql),
  });
  return Response.json(offer, { headers: { "Cache-Control": "no-store" } });
});
