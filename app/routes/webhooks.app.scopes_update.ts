import { updateScopes } from "~/services/shops/update-scopes.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { scopesUpdatePayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("app/scopes_update", scopesUpdatePayload, async ({ ctx, tx, payload }) =>
  updateScopes({ ctx, tx, input: { scopes: payload.current } }),
);
