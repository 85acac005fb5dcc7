import type { LoaderFunctionArgs } from "@remix-run/node";
import { activeJobOf, ACTIVE_JOBS_SHOWN, type ActiveJobsPayload } from "~/components/active-jobs-banner";
import { pollClientLoader } from "~/components/use-poll";
import { withErrors } from "~/lib/errors.server";
import { listTasks } from "~/services/background-jobs/get-task.server";
import { authenticate, contextFor } from "~/shopify.server";

/**
 * GET /app/jobs/active?poll=1: the session's shop's queued and running jobs as Home's banner follows them, the newest
 * ACTIVE_JOBS_SHOWN, each with only what its line says (ActiveJobsPayload), and the server's clock. One ask every
 * POLL_MS for the whole banner, where each line used to ask its own job's page. A job that finished is no longer
 * listed: the banner then loads Home again.
 */
export const loader = withErrors(async ({ request }: LoaderFunctionArgs): Promise<ActiveJobsPayload> => {
  const { session } = await authenticate.admin(request);
  const ctx = contextFor(session.shop, "staff");
  const { tasks } = await listTasks({ ctx, input: { active: true, limit: ACTIVE_JOBS_SHOWN } });
  return { jobs: tasks.map(activeJobOf), now: ctx.now.toISOString() };
});

// An ask while Tally restarts keeps the banner as it was instead of reaching Home's ErrorBoundary (decision 054).
export const clientLoader = pollClientLoader;
