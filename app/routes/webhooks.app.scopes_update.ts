import { updateScopes } from "~/services/shops/update-scopes.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { scopesUpdatePayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("app/scopes_update", scopesUpdatePayload, async ({ ctx, tx, payload }) =>
  updateScopes({ ctx, tx, input: { scopes: payload.current } }),
);
