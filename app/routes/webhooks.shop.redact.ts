import type { ActionFunctionArgs } from "@remix-run/node";
import { flushErasedData } from "~/services/compliance/flush-erased-data.server";
import { redactShop } from "~/services/compliance/redact-shop.server";
import { shopRedactPayload } from "~/shopify/compliance-payloads";
import { handleWebhook } from "~/shopify/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, shopRedactPayload, ({ ctx, tx }) => redactShop({ ctx, tx }), {
    afterCommit: (ctx) => flushErasedData({ ctx }),
  });
