import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordUninstall } from "~/services/shops/record-uninstall.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, z.unknown(), ({ ctx, tx }) => recordUninstall({ ctx, tx }));
