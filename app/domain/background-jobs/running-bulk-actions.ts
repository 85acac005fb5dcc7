import {
  bulkEditCustomersKind,
  deleteCustomersKind,
  exportCustomersKind,
  inviteCustomersKind,
  remindPointsKind,
} from "./customer-bulk";
import type { TaskStatus } from "./progress";

/*
 * The directory's bulk actions panel warns when the action it is about to start is already queued or running for the
 * shop (a merchant who came back to the panel, not seeing the job, once added the same points twice). It warns and
 * never refuses: a different selection may be meant.
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

/** The task kinds the directory's bulk actions start: what the directory's loader reads of the shop's active jobs. */
export const directoryBulkActionKinds: readonly string[] = [
  bulkEditCustomersKind.kind,
  inviteCustomersKind.kind,
  remindPointsKind.kind,
  exportCustomersKind.kind,
  deleteCustomersKind.kind,
];

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
