import { z } from "zod";
import { recordUninstall } from "~/services/shops/record-uninstall.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";

// The payload is the shop's record (owner's name and email); nothing in it is needed, so nothing of it is stored.
export const action = webhookAction("app/uninstalled", z.object({}), async ({ ctx, tx }) =>
  recordUninstall({ ctx, tx }),
);
