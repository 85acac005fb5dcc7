import { applyTagEvent } from "~/services/customers/customer-facts.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { customerTagsPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("customer.tags_added", customerTagsPayload, async ({ ctx, tx, payload }) =>
  applyTagEvent({
    ctx,
    tx,
    input: { customerGid: payload.customerId, tags: payload.tags, present: true, occurredAt: payload.occurredAt },
  }),
);
