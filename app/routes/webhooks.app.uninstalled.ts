import { z } from "zod";
import { recordUninstall } from "~/services/shops/record-uninstall.server";
import { webhookAction } from "~/shopify/handle-webhook.server";

export const action = webhookAction("app/uninstalled", z.unknown(), ({ ctx, tx }) => recordUninstall({ ctx, tx }));
