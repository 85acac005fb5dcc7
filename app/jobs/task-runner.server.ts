import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { TaskLane } from "~/domain/background-jobs";
import { isDomainError } from "~/domain/shared";
import { messageOf } from "~/services/context";
import {
  claimNextTask,
  commitTaskChunk,
  failTaskAttempt,
  releaseTask,
  renewTaskLease,
  TaskLeaseLost,
  type ChunkRecord,
  type ClaimedTask,
  type ReportedItem,
  type ShopLane,
} from "~/services/background-jobs/run-task.server";
import { findRecordedItems } from "~/services/background-jobs/get-task.server";
import { onTaskQueued } from "~/services/background-jobs/submit-task.server";
import type { ServiceContext, Tx } from "~/services/context";
import { env } from "~/lib/env.server";
import { log } from "~/lib/log.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { contextFor, contextForAllShops, unauthenticated } from "~/shopify.server";
import type { AnyTaskRun, TaskReporter, TaskStep } from "./task-kind";
import { taskRuns } from "./tasks.server";

/*
 * The task runner (decision 017): claims due tasks (queued, or running under a lease that ran out because its process
 * died), runs each kind's chunks, and commits every chunk (its writes, items, progress and checkpoint) in one
 * transaction. Between chunks it yields to the event loop, so pages and webhooks are answered while a long task runs;
 * Shopify is called by the kinds outside any transaction. One task per shop's lane at a time (a writer and a reader:
 * decision 017, "Lanes"), `concurrency` in all.
 */

type Db = ServiceContext["db"];

export interface TaskRunnerOptions {
  /** Names this runner in the leases it takes; unique per process. */
  workerId?: string;
  /** Tasks run at once in this process (each of another shop's lane). */
  concurrency?: number;
  /** How long a claim holds without a committed chunk or a renewal; a dead runner's tasks wait this long. */
  leaseMs?: number;
  /** How often to look for due tasks when nothing woke the runner. */
  pollMs?: number;
  /** A pause between two chunks of a task, to leave more of the process to requests; 0 is one turn of the loop. */
  pauseMs?: number;
  /** The clock every chunk's context reads; tests move it past a lease. */
  clock?: () => Date;
  /** Only these shops' tasks (tests, which share one database file). */
  shops?: readonly string[];
  /** The shop's Admin API client; by default its offline session's. */
  shopify?: (shop: string) => Promise<AdminGraphql>;
  /** How each kind runs (app/jobs/tasks.server.ts; tests add their own). */
  tasks?: readonly AnyTaskRun[];
  /** The database every context uses; by default the process's (tests play a second instance with its own pool). */
  db?: Db;
}

export interface TaskRunner {
  /** Runs until stopped, looking for due tasks every `pollMs` and whenever a task is queued in this process. */
  start(): void;
  /** Stops claiming, lets each running task finish its chunk in hand, and hands the tasks back for the next start. */
  stop(): Promise<void>;
  /**
   * Runs due tasks until none is left, then resolves (tests, scripts). `stopAfterChunks` plays a crash: after that
   * many committed chunks in all (not counting the first commit, which records the total), the runner stops dead, its
   * leases held and its tasks unfinished, as `kill -9` would.
   */
  drain(options?: { stopAfterChunks?: number }): Promise<void>;
  /**
   * Claims this task if it is due (queued, or its lease ran out) and runs it until it finishes, fails, or the runner
   * stops (then it is handed back, its checkpoint committed): how a pg-boss job carrying the task's id runs it. Answers
   * the task's shop and lane once its run ends, or undefined when the task was not claimable: finished, held by a live
   * lease elsewhere, waiting for its retry, or its shop's lane busy with another task.
   */
  runTask(taskId: number): Promise<ShopLane | undefined>;
  /**
   * Stops dead, as `kill -9` would (tests play a killed instance): no more claims, no lease renewed, no chunk committed;
   * the tasks it held wait for their leases to run out.
   */
  abandon(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class ChunkReporter implements TaskReporter {
  private readonly items: ReportedItem[] = [];
  private readonly writes: Array<(tx: Tx) => Promise<void>> = [];
  private advance: number | undefined;
  private total: number | null | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly taskId: number,
  ) {}

  item(item: ReportedItem) {
    this.items.push(item);
  }

  progress(progress: { advance?: number; total?: number | null }) {
    if (progress.advance !== undefined) this.advance = (this.advance ?? 0) + progress.advance;
    if (progress.total !== undefined) this.total = progress.total;
  }

  write(work: (tx: Tx) => Promise<void>) {
    this.writes.push(work);
  }

  recorded(keys: readonly string[]) {
    return findRecordedItems({ ctx: this.ctx, input: { taskId: this.taskId, keys } });
  }

  /** Runs the writes inside the commit's transaction, then answers what they and the chunk reported. */
  async commit(tx: Tx): Promise<ChunkRecord> {
    for (const work of this.writes) await work(tx);
    return {
      items: this.items,
      ...(this.advance !== undefined ? { advance: this.advance } : {}),
      ...(this.total !== undefined ? { total: this.total } : {}),
    };
  }
}

/** Thrown inside a run to stop it dead, as a crash would (drain's stopAfterChunks). */
class SimulatedCrash extends Error {}

export function createTaskRunner(options: TaskRunnerOptions = {}): TaskRunner {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const concurrency = options.concurrency ?? 3;
  const leaseMs = options.leaseMs ?? env().TASK_LEASE_SECONDS * 1000;
  const pollMs = options.pollMs ?? 1000;
  const pauseMs = options.pauseMs ?? env().TASK_PAUSE_MS;
  const clock = options.clock ?? (() => new Date());
  const shopifyFor = options.shopify ?? (async (shop: string) => (await unauthenticated.admin(shop)).admin.graphql);
  const kinds = options.tasks ?? taskRuns;
  const running = new Map<number, { shop: string; lane: TaskLane; done: Promise<void> }>();
  const heartbeats = new Set<NodeJS.Timeout>();
  let stopping = false;
  let started = false;
  let crashAfter = Infinity;
  let crashed = false;
  let wakeUp: (() => void) | undefined;
  // Set when a run ends or a task is queued while the loop is claiming rather than waiting: its next wait is skipped,
  // so a lane's next task is claimed as soon as its previous one ends (a claim's `busy` may predate that end).
  let wokenMeanwhile = false;
  // Runs ended so far: drain claims again when one ended while it was claiming.
  let ended = 0;
  let loop: Promise<void> | undefined;

  // Spread, not Map.values(): the lint rule reads `.values()` as better-sqlite3's.
  const runs = () => [...running].map(([, run]) => run);
  // The shops' lanes this runner's tasks hold: its claims skip them even before their leases are read.
  const heldHere = () => runs().map(({ shop, lane }) => ({ shop, lane }));
  const withDb = <T extends { db: Db }>(ctx: T): T => (options.db ? { ...ctx, db: options.db } : ctx);
  const allShops = () => withDb({ ...contextForAllShops("tally-tasks"), now: clock() });

  function track(task: ClaimedTask) {
    const done = run(task)
      .catch((error: unknown) => {
        if (!(error instanceof SimulatedCrash))
          log.error({ err: error, taskId: task.id, kind: task.kind }, `Tally's task ${task.id} failed`);
      })
      .finally(() => {
        running.delete(task.id);
        ended += 1;
        wake();
      });
    running.set(task.id, { shop: task.shop, lane: task.lane, done });
    return done;
  }

  async function fill() {
    while (!stopping && !crashed && running.size < concurrency) {
      const task = await claimNextTask({
        ctx: allShops(),
        input: {
          workerId,
          leaseMs,
          busy: heldHere(),
          ...(options.shops ? { onlyShops: options.shops } : {}),
        },
      });
      if (!task) return;
      void track(task);
    }
  }

  async function run(task: ClaimedTask) {
    const ctxOf = (): ServiceContext =>
      withDb({ ...contextFor(task.shop, { actor: task.actor, actorName: task.actorName }), now: clock() });
    const kind = kinds.find((candidate) => candidate.definition.kind === task.kind);
    const fail = (error: string, permanent: boolean, refused = false) =>
      failTaskAttempt({ ctx: ctxOf(), input: { taskId: task.id, workerId, error, permanent, refused } });
    if (!kind) return void (await fail(`Tally no longer knows this kind of job (${task.kind})`, true));
    const input = kind.definition.input.safeParse(task.input);
    if (!input.success)
      return void (await fail(`The job's stored settings are not valid: ${input.error.message}`, true));

    const abort = new AbortController();
    const shopify = () => shopifyFor(task.shop);
    // A chunk that waits on Shopify for long keeps its lease; a lost lease (or a cancel) aborts the wait.
    const heartbeat = setInterval(
      () => {
        renewTaskLease({ ctx: ctxOf(), input: { taskId: task.id, workerId, leaseMs } })
          .then(({ held }) => {
            if (!held) abort.abort(new TaskLeaseLost(task.id));
          })
          .catch((error: unknown) => log.error({ err: error, taskId: task.id }, "Renewing a task's lease failed"));
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    heartbeats.add(heartbeat);

    const commit = async (step: TaskStep<unknown>, checkpoint: unknown, reporter: ChunkReporter) => {
      if (crashed) throw new SimulatedCrash();
      const result = await commitTaskChunk({
        ctx: ctxOf(),
        input: {
          taskId: task.id,
          workerId,
          leaseMs,
          checkpoint: "done" in step ? checkpoint : step.next,
          done: "done" in step,
          ...(step.summary !== undefined ? { summary: step.summary } : {}),
        },
        apply: (tx: Tx) => reporter.commit(tx),
      });
      return result.status;
    };

    try {
      let checkpoint: unknown;
      if (task.checkpoint === null || task.checkpoint === undefined) {
        const begun = (await kind.begin?.({ ctx: ctxOf(), task, input: input.data, shopify })) ?? {};
        checkpoint = begun.checkpoint ?? kind.initialCheckpoint;
        const reporter = new ChunkReporter(ctxOf(), task.id);
        if (begun.total !== undefined) reporter.progress({ advance: 0, total: begun.total });
        if ((await commit({ next: checkpoint }, checkpoint, reporter)) !== "running") return;
      } else {
        checkpoint = kind.checkpoint.parse(task.checkpoint);
      }
      for (;;) {
        if (crashed) throw new SimulatedCrash();
        if (stopping) return void (await releaseTask({ ctx: ctxOf(), input: { taskId: task.id, workerId } }));
        const ctx = ctxOf();
        const reporter = new ChunkReporter(ctx, task.id);
        const step = await kind.chunk({
          ctx,
          task,
          input: input.data,
          checkpoint,
          report: reporter,
          shopify,
          signal: abort.signal,
        });
        const status = await commit(step, checkpoint, reporter);
        crashAfter -= 1;
        if (crashAfter <= 0) crashed = true;
        if (status !== "running" || "done" in step) return;
        checkpoint = step.next;
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        else await yieldToEventLoop();
      }
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error;
      // Another runner has it now (this one was paused past its lease): nothing of this chunk was committed.
      if (error instanceof TaskLeaseLost || abort.signal.aborted) return;
      const message = messageOf(error);
      const refused = isDomainError(error);
      const { status } = await fail(message, refused, refused);
      // A rule's refusal (a bad file) is the merchant's to read on the task; anything else is a fault for operators.
      if (status === "failed" && !refused)
        log.error({ err: error, taskId: task.id, kind: task.kind }, `Tally's task ${task.id} failed for good`);
      // The merchant reads Shopify's sentences on the task; the mutation that drew them is kept for engineers.
      else if (refused && typeof error.details.operation === "string")
        log.info({ err: error, taskId: task.id, kind: task.kind }, `Shopify refused ${error.details.operation}`);
    } finally {
      clearInterval(heartbeat);
      heartbeats.delete(heartbeat);
    }
  }

  function wake() {
    if (wakeUp) wakeUp();
    else wokenMeanwhile = true;
  }

  async function waitForWork() {
    if (wokenMeanwhile) {
      wokenMeanwhile = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      timer.unref();
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopping = false;
      const unsubscribe = onTaskQueued((shop) => {
        if (!options.shops || options.shops.includes(shop)) wake();
      });
      loop = (async () => {
        while (!stopping) {
          await fill().catch((error: unknown) =>
            log.error({ err: error }, "Tally's task runner could not claim a task"),
          );
          await waitForWork();
        }
        unsubscribe();
      })();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      await Promise.all(runs().map((run) => run.done));
      started = false;
    },
    abandon() {
      stopping = true;
      crashed = true;
      for (const heartbeat of heartbeats) clearInterval(heartbeat);
      heartbeats.clear();
      wakeUp?.();
    },
    async runTask(taskId: number) {
      if (stopping) return undefined;
      const task = await claimNextTask({
        ctx: allShops(),
        input: {
          workerId,
          leaseMs,
          taskId,
          busy: heldHere(),
          ...(options.shops ? { onlyShops: options.shops } : {}),
        },
      });
      if (!task) return undefined;
      await track(task);
      return { shop: task.shop, lane: task.lane };
    },
    async drain({ stopAfterChunks }: { stopAfterChunks?: number } = {}) {
      crashAfter = stopAfterChunks ?? Infinity;
      crashed = false;
      for (;;) {
        const endedBefore = ended;
        await fill();
        if (crashed) break;
        // A run that ended while fill was claiming may have freed its lane for a task fill passed over.
        if (ended !== endedBefore) continue;
        if (running.size === 0) break;
        await Promise.race(runs().map((run) => run.done));
      }
      await Promise.all(runs().map((run) => run.done));
    },
  };
}

/**
 * Starts a task runner for this process (startScheduler does, with the server): at once it claims what is due, which
 * includes any task a previous process left running, as soon as that task's lease has run out. Returns the runner.
 */
export function startTaskRunner(options: TaskRunnerOptions = {}): TaskRunner {
  const runner = createTaskRunner(options);
  runner.start();
  return runner;
}
