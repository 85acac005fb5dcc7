import { z } from "zod";
import { joinReferralMembersKind } from "~/domain/background-jobs";
import { countCustomers, nextCustomerRange } from "~/services/ledger/recalculate.server";
import { findAutomaticJoiningSince, joinReferralMembersInRange } from "~/services/referrals/referral-joining.server";
import type { TaskRun } from "../task-kind";
import { joinReferralMembersPacer } from "../task-pacers";

/**
 * "Add Members to the referral program": the referral program began joining Members automatically, so every current
 * Member's row says they joined (decision 019). Chunks in customer id order; the checkpoint is the last id done and
 * the count stamped so far, committed with the chunk's writes, so a restart resumes after the last committed range and
 * stamps no one twice (a stamped row is skipped anyway). Lists no customer, only the count. On SQLite a chunk holds as
 * many customers as fit the pacer's time (joinReferralMembersPacer), up to 1,000.
 */
export const joinReferralMembersTask: TaskRun<
  z.infer<typeof joinReferralMembersKind.input>,
  { afterId: number; joined: number }
> = {
  definition: joinReferralMembersKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative(), joined: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0, joined: 0 },
  begin: async ({ ctx }) => ({ total: await countCustomers({ ctx }) }),
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    const pacer = joinReferralMembersPacer(task);
    // What waited behind the last chunk (a page's next turn) runs first, to its end.
    await pacer.yieldTurn();
    const summary = { joined: checkpoint.joined };
    // The settings moved on (joining on request, or off and on again): this start's sweep ends; a new start has its own.
    if ((await findAutomaticJoiningSince({ ctx })) !== input.since) return { done: true, summary };
    const range = await nextCustomerRange({ ctx, input: { afterId: checkpoint.afterId, limit: pacer.begin() } });
    if (!range) return { done: true, summary };
    const next = { afterId: range.lastId, joined: checkpoint.joined };
    report.write(async (tx) => {
      const { joined } = await joinReferralMembersInRange({
        ctx,
        tx,
        input: { afterId: checkpoint.afterId, throughId: range.lastId, since: input.since },
      });
      // The runner stores the checkpoint and summary after these writes, in their transaction: they count them.
      next.joined += joined;
      summary.joined = next.joined;
      report.progress({ advance: range.count });
      pacer.end(range.count);
    });
    return { next, summary };
  },
};
