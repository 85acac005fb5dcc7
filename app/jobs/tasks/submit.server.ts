import { DomainError } from "~/domain/shared";
import { startTask } from "~/services/background-jobs/start-task.server";
import type { TaskView } from "~/services/background-jobs/task-view";
import type { ServiceContext } from "~/services/context";
import "./kinds.server";
import { findTaskKind } from "./registry.server";
import { wakeTaskRunner } from "./runner.server";

/**
 * Starts a background task of a registered kind for `ctx.shop`, as `ctx.actor`, from a route: validates `input` with
 * the kind's schema (DomainError("invalid_input") with field errors), queues the task once per `idempotencyKey` (a
 * form's request id: a repeated submit answers the same task) and wakes this process's runner. Answers the task and
 * whether this call created it.
 */
export async function submitTask({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: string; input: unknown; idempotencyKey: string };
}): Promise<{ task: TaskView; created: boolean }> {
  const kind = findTaskKind(input.kind);
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
      unit: kind.unit,
      input: parsed.data,
      idempotencyKey: input.idempotencyKey,
      oneAtATime: kind.oneAtATime,
    },
  });
  if (started.created) wakeTaskRunner();
  return started;
}
