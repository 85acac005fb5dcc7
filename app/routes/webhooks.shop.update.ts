import { updateShopFacts } from "~/services/shops/update-shop-facts.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { shopUpdatePayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("shop/update", shopUpdatePayload, async ({ ctx, tx, payload, triggeredAt }) =>
  updateShopFacts({
    ctx,
    tx,
    input: {
      currency: payload.currency,
      timezone: payload.iana_timezone,
      name: payload.name,
      moneyFormat: payload.money_format,
      moneyWithCurrencyFormat: payload.money_with_currency_format,
      country: payload.country_code,
      at: payload.updated_at ?? triggeredAt,
    },
  }),
);
