import { updateScopes } from "~/services/shops/update-scopes.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { scopesUpdatePayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("app/scopes_update", scopesUpdatePayload, ({ ctx, tx, payload }) =>
  updateScopes({ ctx, tx, input: { scopes: payload.current } }),
);
