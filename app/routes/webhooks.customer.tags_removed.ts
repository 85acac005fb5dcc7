import type { ActionFunctionArgs } from "@remix-run/node";
import { applyTagEvent } from "~/services/customers/customer-facts.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";
import { customerTagsPayload } from "~/shopify/webhook-payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerTagsPayload, ({ ctx, tx, payload }) =>
    applyTagEvent({
      ctx,
      tx,
      input: { customerGid: payload.customerId, tags: payload.tags, present: false, occurredAt: payload.occurredAt },
    }),
  );
