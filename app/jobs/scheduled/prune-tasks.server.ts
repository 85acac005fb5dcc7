import { KEEP_FINISHED_TASKS_DAYS, pruneFinishedTasks } from "~/services/background-jobs/prune-tasks.server";
import { contextForAllShops } from "~/shopify.server";
import type { AllShopsJob } from "../scheduled-job";

/** A background task and its results go 90 days after it finished; a few tasks a tick, their rows in batches. */
export const pruneTasksJob: AllShopsJob = {
  name: "prune finished tasks",
  scope: "all shops",
  every: "tick",
  perform: () =>
    pruneFinishedTasks({
      ctx: contextForAllShops("tally-jobs"),
      input: { keepDays: KEEP_FINISHED_TASKS_DAYS, limit: 20 },
    }),
};
