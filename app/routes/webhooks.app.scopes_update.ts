import type { ActionFunctionArgs } from "@remix-run/node";
import { updateScopes } from "~/services/shops/update-scopes.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";
import { scopesUpdatePayload } from "~/shopify/webhook-payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, scopesUpdatePayload, ({ ctx, tx, payload }) =>
    updateScopes({ ctx, tx, input: { scopes: payload.current } }),
  );
