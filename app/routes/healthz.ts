import { env } from "~/lib/env.server";
import { checkHealth } from "~/services/operations/check-health.server";
import { contextForAllShops } from "~/shopify.server";

/** GET /healthz, for operators' probes (decision 025): 200 when healthy, 503 with its reasons otherwise. */
export async function loader() {
  const health = await checkHealth({
    ctx: contextForAllShops("healthz"),
    input: {
      maxWebhookLagSeconds: env().HEALTHZ_MAX_WEBHOOK_LAG_SECONDS,
      maxTaskLagSeconds: env().HEALTHZ_MAX_TASK_LAG_SECONDS,
      maxJobLagSeconds: env().HEALTHZ_MAX_JOB_LAG_SECONDS,
    },
  });
  return Response.json(health, { status: health.healthy ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
