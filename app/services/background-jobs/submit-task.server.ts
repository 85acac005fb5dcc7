import { findTaskKind, taskKinds, type AnyTaskKind } from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import type { ServiceContext } from "../context";
import { startTask } from "./start-task.server";
import type { TaskView } from "./task-view";

type TaskQueuedListener = (shop: string, taskId: number) => void;
const queuedListeners = new Set<TaskQueuedListener>();

/**
 * Lets this process's task runner (app/jobs/task-runner.server.ts) start a task the moment it is queued instead of at
 * its next poll. A hint within this process only: the task itself is the committed row. Returns the unsubscribe.
 */
export function onTaskQueued(listener: TaskQueuedListener): () => void {
  queuedListeners.add(listener);
  return () => queuedListeners.delete(listener);
}

/**
 * Queues a background task of a known kind (app/domain/background-jobs/kinds.ts) for `ctx.shop`, as `ctx.actor`:
 * validates `input` with the kind's schema, queues the task once per `idempotencyKey` (a form's request id: a repeated
 * submit answers the same task), records `task.start` in the audit trail, and once committed tells this process's
 * runner. Answers the task and whether this call created it. Throws DomainError("bad_request") for an unknown kind,
 * DomainError("invalid_input") with `fieldErrors` for a bad input, DomainError("conflict") for a key reused with
 * another input, DomainError("already_running") with `sameWork` for a directory bulk action whose same work (kind,
 * terms, selection) is queued or running, unless `startAnyway` (a repeat of the same key answers its task first). `kinds` is the catalogue (tests add their own kinds).
 */
export async function submitTask({
  ctx,
  input,
  kinds = taskKinds,
}: {
  ctx: ServiceContext;
  /** `unit`: what this task counts, when not its kind's (an import's undo counts the orders of points for past orders). */
  input: {
    kind: string;
    input: unknown;
    idempotencyKey: string;
    unit?: { one: string; other: string };
    /**
     * The merchant chose "Start it again anyway": a directory bulk action starts though the same work is queued or
     * running. Without it, such a start throws DomainError("already_running") (startTask's `refuseSameWork`).
     */
    startAnyway?: boolean;
  };
  kinds?: readonly AnyTaskKind[];
}): Promise<{ task: TaskView; created: boolean }> {
  const kind = findTaskKind(input.kind, kinds);
  if (!kind) throw new DomainError("bad_request", `No kind of job is called ${input.kind}`);
  const parsed = kind.input.safeParse(input.input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".")] ??= []).push(issue.message);
    throw new DomainError("invalid_input", "The job's settings are not valid", { fieldErrors });
  }
  const started = await startTask({
    ctx,
    input: {
      kind: kind.kind,
      title: kind.title(parsed.data),
      unit: input.unit ?? kind.unit,
      input: parsed.data,
      idempotencyKey: input.idempotencyKey,
      oneAtATime: kind.oneAtATime,
      lane: kind.lane ?? "write",
      refuseSameWork: !input.startAnyway,
    },
  });
  if (started.created) for (const listener of queuedListeners) listener(ctx.shop, started.task.id);
  return started;
}
