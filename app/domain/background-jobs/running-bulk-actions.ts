import {
  bulkEditCustomersKind,
  deleteCustomersKind,
  exportCustomersKind,
  inviteCustomersKind,
  remindPointsKind,
  type BulkEdit,
  type CustomerSelection,
} from "./customer-bulk";
import type { TaskStatus } from "./progress";

/*
 * The directory's bulk actions panel warns when the action it is about to start is already queued or running for the
 * shop (a merchant who came back to the panel, not seeing the job, once added the same points twice). It warns and
 * never refuses: a different selection may be meant. The same work (terms and selection too) is refused at submit,
 * below, since the warning is only as fresh as the page.
 */

/** A directory bulk action as a running job is one: points added and points removed are told apart. */
export type DirectoryBulkAction =
  | "tags_add"
  | "tags_remove"
  | "block"
  | "unblock"
  | "points_add"
  | "points_remove"
  | "invite"
  | "points_reminder"
  | "export"
  | "delete";

const directoryKinds = [
  bulkEditCustomersKind,
  inviteCustomersKind,
  remindPointsKind,
  exportCustomersKind,
  deleteCustomersKind,
] as const;

/** The task kinds the directory's bulk actions start: what the directory's loader reads of the shop's active jobs. */
export const directoryBulkActionKinds: readonly string[] = directoryKinds.map((kind) => kind.kind);

/** A queued or running job of a directory bulk action, as the panel's warning reads it. */
export interface RunningBulkAction {
  id: number;
  action: DirectoryBulkAction;
  status: TaskStatus;
  /** Customers done so far, and in all once counted (null before). */
  progress: { done: number; total: number | null };
}

/** Which directory bulk action a job is, from its kind and input; undefined for any other job. */
export function directoryActionOf(job: { kind: string; input: unknown }): DirectoryBulkAction | undefined {
  switch (job.kind) {
    case bulkEditCustomersKind.kind: {
      const parsed = bulkEditCustomersKind.input.safeParse(job.input);
      if (!parsed.success) return undefined;
      const { edit } = parsed.data;
      if (edit.action === "points_adjust") return edit.points > 0 ? "points_add" : "points_remove";
      return edit.action;
    }
    case inviteCustomersKind.kind:
      return "invite";
    case remindPointsKind.kind:
      return "points_reminder";
    case exportCustomersKind.kind:
      return "export";
    case deleteCustomersKind.kind:
      return "delete";
    default:
      return undefined;
  }
}

/** What each action is called while it runs ("Adding points to"), and what starting another does. */
const runningWords: Record<DirectoryBulkAction, { doing: string; again: string }> = {
  points_add: { doing: "Adding points to", again: "Starting another adds them again." },
  points_remove: { doing: "Removing points from", again: "Starting another removes them again." },
  tags_add: { doing: "Adding tags to", again: "Starting another runs beside it." },
  tags_remove: { doing: "Removing tags from", again: "Starting another runs beside it." },
  block: { doing: "Blocking", again: "Starting another runs beside it." },
  unblock: { doing: "Unblocking", again: "Starting another runs beside it." },
  invite: { doing: "Sending the referral invitation to", again: "Starting another may email them again." },
  points_reminder: { doing: "Emailing a points reminder to", again: "Starting another may email them again." },
  export: { doing: "Exporting", again: "Starting another makes a second file." },
  delete: { doing: "Deleting", again: "Starting another runs beside it." },
};

/**
 * The panel's warning for one job of the same action: "Adding points to 1,000 customers is still running (250 done).
 * Starting another adds them again." ("… is waiting to start." while queued; "the selected customers" before the job
 * has counted them). `number` formats as the staff member reads numbers.
 */
export function runningActionWarning(job: RunningBulkAction, number: (value: number) => string): string {
  const words = runningWords[job.action];
  const { done, total } = job.progress;
  const whom = total === null ? "the selected customers" : `${number(total)} ${total === 1 ? "customer" : "customers"}`;
  const where = job.status === "queued" ? "is waiting to start" : `is still running (${number(done)} done)`;
  return `${words.doing} ${whom} ${where}. ${words.again}`;
}

/**
 * The running jobs as last polled: the directory's loader read `running` at `loadedAt` (ISO); the active jobs banner
 * asks how far the shop's jobs are every few seconds (`polled`, answered at its `now`). A job the newer answer lists
 * takes its status and progress from it, so the panel's "still running (900 done)" says what the banner beside it says,
 * not the figure of when the page loaded. An answer older than the page (a poll answered before the page loaded
 * again) changes nothing; a job the answer does not list (beyond the banner's few, or finished) keeps the page's figure.
 */
export function withPolledProgress(
  running: readonly RunningBulkAction[],
  loadedAt: string,
  polled:
    | {
        now: string;
        jobs: ReadonlyArray<{ id: number; status: TaskStatus; progress: { done: number; total: number | null } }>;
      }
    | undefined,
): RunningBulkAction[] {
  if (!polled || Date.parse(polled.now) <= Date.parse(loadedAt)) return [...running];
  return running.map((job) => {
    const latest = polled.jobs.find((each) => each.id === job.id);
    if (!latest) return job;
    return { ...job, status: latest.status, progress: { done: latest.progress.done, total: latest.progress.total } };
  });
}

/**
 * The running jobs a panel warns of: those of its action; for Adjust points, of the direction the Points field asks
 * (`points`, as typed: above 0 adds, below removes), or of both while it asks neither yet.
 */
export function runningOfPanel(
  running: readonly RunningBulkAction[],
  panel: string,
  points?: number,
): RunningBulkAction[] {
  return running.filter((job) =>
    panel === "points_adjust"
      ? points === undefined || points === 0
        ? job.action === "points_add" || job.action === "points_remove"
        : job.action === (points > 0 ? "points_add" : "points_remove")
      : job.action === panel,
  );
}

/*
 * At submit time the same work is refused, not only warned of (two tabs each submitted "Add 2 points ('twice')" and
 * every customer got 4): a directory bulk action is "the same" as a queued or running job when its kind, its terms and
 * whom it reaches all match. Terms: the points (signed) and reason of an adjustment (allowing debt or not, it adds or
 * removes them again); the tags of a tag action, in any order or case (Shopify's tags ignore case); the columns of an
 * export; nothing else for block, unblock, invite, delete, and the points reminder (ticking "Only customers with
 * enough points" or not, it emails the same customers again). Whom: the ticked ids in any order, or the search and
 * filters without their sort. A different selection is another task the merchant may well mean, which the loader's
 * warning already names; only the deliberate "start it anyway" starts the same work twice.
 */

/** Whom a selection reaches, in one canonical shape: ids sorted, a query without its sort. */
function whomOf(selection: CustomerSelection): unknown {
  if ("ids" in selection) return { ids: [...new Set(selection.ids)].sort((a, b) => a - b) };
  const { sort: _sort, ...query } = selection.query;
  return { query };
}

/**
 * The key two starts of the same work share (kind, action, terms, whom as above), compared as a string; undefined for
 * a job that is no directory bulk action or whose input does not parse (it is never refused as a repeat).
 */
export function sameWorkKeyOf(job: { kind: string; input: unknown }): string | undefined {
  const action = directoryActionOf(job);
  if (!action) return undefined;
  const kind = directoryKinds.find((each) => each.kind === job.kind);
  const parsed = kind?.input.safeParse(job.input);
  if (!parsed?.success) return undefined;
  const input = parsed.data as { selection: CustomerSelection; edit?: BulkEdit; columns?: readonly string[] };
  const edit = input.edit;
  const terms =
    edit?.action === "points_adjust"
      ? { points: edit.points, reason: edit.reason.trim() }
      : edit?.action === "tags_add" || edit?.action === "tags_remove"
        ? { tags: [...new Set(edit.tags.map((tag) => tag.trim().toLowerCase()))].sort() }
        : job.kind === exportCustomersKind.kind
          ? { columns: input.columns }
          : {};
  return JSON.stringify([job.kind, action, terms, whomOf(input.selection)]);
}

/** The queued or running job a start was refused for, as the panel's refusal names it (the error's `sameWork`). */
export interface SameWorkRunning {
  id: number;
  action: DirectoryBulkAction;
  status: TaskStatus;
  /** An adjustment's points (signed) and reason, a tag action's tags as the job has them. */
  terms: { points?: number; reason?: string; tags?: string[] };
  /** Customers it reaches, once counted (null before). */
  total: number | null;
  /** Seconds since it was submitted, at the refusal. */
  ageSeconds: number;
}

/**
 * What the refusal says of the job doing the same work: its id, action and terms from its input, how far it is, and
 * its age from `createdAt` (ISO) to `now`. Undefined for a job that is no directory bulk action.
 */
export function sameWorkRunningOf(
  job: {
    id: number;
    kind: string;
    input: unknown;
    status: TaskStatus;
    createdAt: string;
    progress: { total: number | null };
  },
  now: Date,
): SameWorkRunning | undefined {
  const action = directoryActionOf(job);
  if (!action) return undefined;
  const parsed = bulkEditCustomersKind.input.safeParse(job.input);
  const edit = job.kind === bulkEditCustomersKind.kind && parsed.success ? parsed.data.edit : undefined;
  const terms =
    edit?.action === "points_adjust"
      ? { points: edit.points, reason: edit.reason }
      : edit?.action === "tags_add" || edit?.action === "tags_remove"
        ? { tags: edit.tags }
        : {};
  const ageSeconds = Math.max(0, Math.floor((now.getTime() - Date.parse(job.createdAt)) / 1000));
  return { id: job.id, action, status: job.status, terms, total: job.progress.total, ageSeconds };
}

/** "12 s", "3 min", "2 h", "3 days": how long ago a job was submitted, whole units, rounded down. */
function ageWords(seconds: number, number: (value: number) => string): string {
  if (seconds < 60) return `${number(seconds)} s`;
  if (seconds < 3_600) return `${number(Math.floor(seconds / 60))} min`;
  if (seconds < 86_400) return `${number(Math.floor(seconds / 3_600))} h`;
  const days = Math.floor(seconds / 86_400);
  return `${number(days)} ${days === 1 ? "day" : "days"}`;
}

/**
 * The refusal of a start that repeats `job`'s work: "Add 2 points ('twice') to 1,000 customers is already running
 * (started 12 s ago). Start it again anyway?" ("is already waiting to start" while queued; "the selected customers"
 * before the job counted them). `number` formats as the staff member reads numbers.
 */
export function sameWorkRefusal(job: SameWorkRunning, number: (value: number) => string): string {
  const whom =
    job.total === null
      ? "the selected customers"
      : `${number(job.total)} ${job.total === 1 ? "customer" : "customers"}`;
  const { points = 0, reason = "", tags = [] } = job.terms;
  const pointsWords = `${number(Math.abs(points))} ${Math.abs(points) === 1 ? "point" : "points"} ('${reason}')`;
  const what: Record<DirectoryBulkAction, string> = {
    points_add: `Add ${pointsWords} to ${whom}`,
    points_remove: `Remove ${pointsWords} from ${whom}`,
    tags_add: `Add tags ${tags.join(", ")} to ${whom}`,
    tags_remove: `Remove tags ${tags.join(", ")} from ${whom}`,
    block: `Block ${whom}`,
    unblock: `Unblock ${whom}`,
    invite: `Send referral invitation to ${whom}`,
    points_reminder: `Email points reminder to ${whom}`,
    export: `Export ${whom}`,
    delete: `Delete ${whom}`,
  };
  const state = job.status === "queued" ? "is already waiting to start" : "is already running";
  return `${what[job.action]} ${state} (started ${ageWords(job.ageSeconds, number)} ago). Start it again anyway?`;
}
