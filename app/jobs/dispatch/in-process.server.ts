import { onJobRunRequested } from "~/services/scheduled-jobs/job-state.server";
import { listInstalledShops } from "~/services/shops/list-shops.server";
import { contextForAllShops } from "~/shopify.server";
import type { DispatchOptions, Dispatcher } from "../dispatch.server";
import { logFailures, runAllShopsJobs, runShopJobs } from "../scheduler.server";
import { startTaskRunner } from "../task-runner.server";

/**
 * SQLite's dispatcher (one process owns the file): a timer ticks every `intervalMs`, running the all-shops jobs, then
 * every installed shop's jobs; a run requested in this process (an install) starts that shop's jobs at once. The task
 * runner polls the tasks table and is woken when a task is queued here (decision 017). Webhook deliveries are applied
 * between requests by the queue's own drain (app/shopify/webhooks/queue.server.ts). Stopping waits for the tick's shop
 * in hand and the tasks' chunks in hand.
 */
export function startInProcessDispatch({ intervalMs, jobs, tasks }: DispatchOptions): Dispatcher {
  const taskRunner = startTaskRunner(tasks);
  let stopped = false;
  const tick = async () => {
    (await runAllShopsJobs(jobs)).forEach(logFailures);
    for (const shop of await listInstalledShops({ ctx: contextForAllShops("tally-jobs") })) {
      if (stopped) return;
      await runShopJobs(shop, { jobs }).catch(logFailures);
    }
  };
  // What runs now, so that stopping can wait for it: a tick ends after the shop in hand.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const run = () => track(tick().catch(logFailures));
  const timer = setInterval(run, intervalMs);
  timer.unref();
  const unsubscribe = onJobRunRequested((shop) => {
    if (!stopped) track(runShopJobs(shop, { jobs }).catch(logFailures));
  });
  run();
  return {
    name: "in-process",
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await Promise.all([taskRunner.stop(), ...inFlight]);
    },
  };
}
