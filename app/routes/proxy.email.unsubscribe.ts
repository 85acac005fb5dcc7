import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { withErrors } from "~/lib/errors.server";
import { parseOr400, readForm } from "~/lib/parse.server";
import { verifyUnsubscribeToken } from "~/lib/unsubscribe-token.server";
import { getUnsubscribeState, unsubscribeCustomer } from "~/services/email/unsubscribe.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import {
  liquidPage,
  unsubscribeConfirmLiquid,
  unsubscribedLiquid,
  unsubscribeLinkInvalidLiquid,
} from "~/shopify/proxy/unsubscribe-page";
import { contextFor } from "~/shopify.server";

// Shopify's signed query: the token Tally put in the email's link, and the proxy's prefix on the storefront.
const querySchema = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,120}$/)
    .optional(),
  path_prefix: z
    .string()
    .regex(/^\/[a-z]{2,10}\/[\w-]{1,30}$/)
    .catch("/apps/tally"),
});

async function linkOf(request: Request) {
  const { shop } = await authenticateStorefront(request);
  const query = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(shop, "storefront");
  const link = query.token ? verifyUnsubscribeToken(shop, query.token) : undefined;
  if (!link) return { ctx, query, link: undefined };
  const state = await getUnsubscribeState({ ctx, input: { customerId: link.customerId } });
  return { ctx, query, link: state.known ? { ...link, unsubscribed: state.unsubscribed } : undefined };
}

/** The page an email's unsubscribe link opens: a confirm button (GET never unsubscribes), or "already done". */
export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { query, link } = await linkOf(request);
  if (!link) return liquidPage(unsubscribeLinkInvalidLiquid(), 404);
  if (link.unsubscribed) return liquidPage(unsubscribedLiquid());
  return liquidPage(unsubscribeConfirmLiquid(`${query.path_prefix}/email/unsubscribe?token=${query.token}`));
});

/**
 * RFC 8058 one-click unsubscribe (a mailbox provider POSTs `List-Unsubscribe=One-Click`, form-encoded) and the page's
 * confirm button: the customer goes on the shop's unsubscribe list. Idempotent; 404 for a link that is not valid.
 */
export const action = withErrors(async ({ request }: ActionFunctionArgs) => {
  const { ctx, link } = await linkOf(request);
  const form = await readForm(request);
  if (!link) return liquidPage(unsubscribeLinkInvalidLiquid(), 404);
  const source = form["List-Unsubscribe"] === "One-Click" ? "one_click" : "page";
  await unsubscribeCustomer({ ctx, input: { customerId: link.customerId, outboxId: link.outboxId, source } });
  return liquidPage(unsubscribedLiquid());
});
