import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Link,
  ProgressBar,
  Tabs,
  Text,
} from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import {
  describeFinished,
  describeFinishedNote,
  describePhase,
  elapsedMs,
  taskRemainingMs,
  isFinished,
  jobPollPath,
  nothingDoneLabelOf,
  refusedLabelOf,
  resumingText,
  waitingText,
  type ItemOutcome,
  type TaskItemView,
  type TaskStatus,
  type TaskView,
} from "~/domain/background-jobs";
import type { Formatter } from "~/lib/format";
import { useFormat } from "./format-context";
import { actorLabel } from "./labels";
import { NotAnsweringNote, ReconnectingNote } from "./reconnecting-note";
import { usePoll } from "./use-poll";

/** What `/app/jobs/:id` answers (as JSON to a fetcher, or to the page): the job and one page of its results. */
export interface JobPayload {
  job: TaskView;
  /** The kind's words for each outcome: { done: "Repaired", … }. */
  outcomeLabels: Record<ItemOutcome, string>;
  results: {
    /** The tab shown: null for All. */
    outcome: ItemOutcome | null;
    items: TaskItemView[];
    hasPrevious: boolean;
    hasNext: boolean;
  };
  /** The server's clock when it answered, for the elapsed time. */
  now: string;
}

/** How often the card asks for fresh figures while its job runs. */
export const POLL_MS = 1500;

// In progress is info with the progress pip (Polaris Badge: "partiallyComplete"), not attention's yellow, which reads as
// a warning beside "Done with failures" (newcomer round 19, P5).
const statusBadges: Record<
  TaskStatus,
  {
    label: string;
    tone?: "info" | "success" | "critical";
    progress?: "incomplete" | "partiallyComplete";
  }
> = {
  queued: { label: "Queued", tone: "info", progress: "incomplete" },
  running: { label: "Running", tone: "info", progress: "partiallyComplete" },
  succeeded: { label: "Done", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
  cancelled: { label: "Cancelled" },
};

/**
 * The job's status as a badge. A job that ran to its end but failed for some of what it reached is not plainly
 * "Done": "Nothing changed" (critical) when it failed for everything, "Done with failures" (warning) otherwise. A job a
 * rule refused did not break: it says what did not happen ("Not undone"), without the crash's red.
 */
export function JobStatusBadge({
  job,
  outcomeLabels,
}: {
  job: Pick<TaskView, "kind" | "status" | "refused" | "cancelRequested" | "items">;
  outcomeLabels?: Record<ItemOutcome, string>;
}) {
  if (job.status === "running" && job.cancelRequested) return <Badge tone="attention">Cancelling</Badge>;
  if (job.status === "failed" && job.refused) return <Badge>{refusedLabelOf(job.kind)}</Badge>;
  if (job.status === "succeeded" && job.items.failed > 0) {
    return job.items.done === 0 ? (
      <Badge tone="critical">{`Nothing ${(outcomeLabels?.done ?? "Done").toLowerCase()}`}</Badge>
    ) : (
      <Badge tone="warning">Done with failures</Badge>
    );
  }
  const nothingDone = nothingDoneLabelOf(job.kind);
  if (job.status === "succeeded" && nothingDone && job.items.done === 0 && job.items.skipped > 0) {
    return <Badge tone="warning">{nothingDone}</Badge>;
  }
  const badge = statusBadges[job.status];
  return (
    <Badge tone={badge.tone} {...(badge.progress ? { progress: badge.progress } : {})}>
      {badge.label}
    </Badge>
  );
}

/** "1,204 of 4,210 customers", "37 customers" while the total is not known yet. */
export function progressText(job: Pick<TaskView, "progress">, format: Formatter): string {
  const { done, total, unit } = job.progress;
  if (total === null) return `${format.number(done)} ${done === 1 ? unit.one : unit.other}`;
  return `${format.number(done)} of ${format.number(total)} ${total === 1 ? unit.one : unit.other}`;
}

/** A duration as people say it: "less than a second", "45 seconds", "3 minutes", "1 hour 5 minutes". */
export function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return "less than a second";
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} ${hours === 1 ? "hour" : "hours"}${rest ? ` ${rest} ${rest === 1 ? "minute" : "minutes"}` : ""}`;
}

const tabs: Array<{ id: string; outcome: ItemOutcome | null }> = [
  { id: "all", outcome: null },
  { id: "failed", outcome: "failed" },
  { id: "skipped", outcome: "skipped" },
];

/**
 * A background job as a merchant follows it: title, status, a progress bar with what is counted ("1,204 of 4,210
 * customers"), time spent and left, Cancel, and the results (All / Failed / Skipped, paged) with a CSV download.
 * While the job is queued or running, or `following` says the page waits for more (its undo job runs), it asks
 * `/app/jobs/:id` for fresh figures every POLL_MS, and stops once both are done. `onCancel` and `onDownload` are the
 * page's (a form post); `cancelling` shows the Cancel in progress. `Payload` is what the page's loader answers.
 */
export function JobProgress<Payload extends JobPayload>({
  initial,
  onCancel,
  cancelling = false,
  onDownload,
  downloading = false,
  itemAction,
  file,
  undo,
  resultsDownload = true,
  refusal,
  unanswered = false,
  following,
}: {
  initial: Payload;
  onCancel: (jobId: number) => void;
  cancelling?: boolean;
  onDownload: (jobId: number, outcome: ItemOutcome | null) => void;
  downloading?: boolean;
  /** What staff can do next about one result (Request erasure for a customer Shopify kept), in a column of its own. */
  itemAction?: (item: TaskItemView) => ReactNode;
  /** What the job made (an export's CSV file), above the progress, told the job as it is now. */
  file?: (job: TaskView) => ReactNode;
  /** What undoes the job (a bulk points adjustment's Undo), told the job and the page's last answer as they are now. */
  undo?: (job: TaskView, payload: Payload) => ReactNode;
  /** Offer the results as CSV; off where the job's own file is the download (an export). */
  resultsDownload?: boolean;
  /** A refused job's reason as the page tells it (customers linked), in place of its error's plain text. */
  refusal?: ReactNode;
  /** A load of the page (after Cancel, a revalidation) did not reach Tally: the card says so, as for its own tabs. */
  unanswered?: boolean;
  /** Whether the page still waits for work beyond the finished job (its undo job runs): the asks go on meanwhile. */
  following?: (payload: Payload) => boolean;
}) {
  const format = useFormat();
  const [view, setView] = useState<{ outcome: ItemOutcome | null; after?: number; before?: number }>({
    outcome: initial.results.outcome,
  });
  const paramsOf = (next: typeof view) => {
    const params = new URLSearchParams();
    if (next.outcome) params.set("outcome", next.outcome);
    if (next.after !== undefined) params.set("after", String(next.after));
    if (next.before !== undefined) params.set("before", String(next.before));
    return params;
  };
  // Fresh figures every POLL_MS while the job runs (or its undo does), none once it is done. The poll says it is one
  // (jobPollPath): a running sync keeps its pace while its progress is watched.
  const poll = usePoll<Payload>({
    path: jobPollPath(initial.job.id, paramsOf(view)),
    every: POLL_MS,
    over: initial.job.id,
    active: (polled) => {
      const shown = polled && polled.now >= initial.now ? polled : initial;
      return !isFinished(shown.job.status) || (following?.(shown) ?? false);
    },
  });
  // The newer of the page's data (revalidated after Cancel) and the last poll.
  const polled = poll.data && poll.data.job.id === initial.job.id ? poll.data : undefined;
  const payload = polled && polled.now >= initial.now ? polled : initial;
  const { job, results, outcomeLabels } = payload;
  const running = !isFinished(job.status);

  const show = (next: typeof view) => {
    setView(next);
    poll.load(`/app/jobs/${job.id}?${paramsOf(next).toString()}`);
  };

  const total = job.progress.total;
  const refused = job.status === "failed" && job.refused;
  // A refused job did what it counted and no more: its bar is not filled in red as a crash's is.
  const percent = total ? Math.min(100, Math.round((job.progress.done / total) * 100)) : running || refused ? 0 : 100;
  const now = new Date(payload.now);
  const elapsed = elapsedMs(job.startedAt, job.finishedAt, now);
  const phase = describePhase(job, format.number);
  const remaining = taskRemainingMs(job, phase);
  const resuming = resumingText(job, now);
  const counts = job.items;
  const finished = describeFinished(job, format.number);
  const finishedNote = describeFinishedNote(job);
  const tabCount = (outcome: ItemOutcome | null) =>
    outcome === null ? counts.done + counts.skipped + counts.failed : counts[outcome];
  const selected = Math.max(
    0,
    tabs.findIndex((tab) => tab.outcome === results.outcome),
  );

  return (
    <BlockStack gap="400">
      {undo ? undo(job, payload) : null}
      {file ? file(job) : null}
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {job.title}
              </Text>
              <JobStatusBadge job={job} outcomeLabels={outcomeLabels} />
            </InlineStack>
            {running ? (
              <Button
                tone="critical"
                variant="secondary"
                onClick={() => onCancel(job.id)}
                loading={cancelling}
                disabled={job.cancelRequested}
              >
                {job.cancelRequested ? "Cancelling…" : "Cancel"}
              </Button>
            ) : null}
          </InlineStack>
          <BlockStack gap="200">
            <ProgressBar
              progress={percent}
              tone={
                (job.status === "failed" && !refused) ||
                (job.status === "succeeded" && job.items.failed > 0 && job.items.done === 0)
                  ? "critical"
                  : job.status === "succeeded"
                    ? "success"
                    : "highlight"
              }
              animated={running}
              ariaLabelledBy={`job-${job.id}-progress`}
            />
            <InlineStack align="space-between" gap="200">
              <Text as="p" id={`job-${job.id}-progress`}>
                {progressText(job, format)}
              </Text>
              <Text as="p" tone="subdued">
                {timingText(job, elapsed, remaining)}
              </Text>
            </InlineStack>
            {phase ? (
              <Text as="p" tone="subdued" id={`job-${job.id}-phase`}>
                {phase.text}
              </Text>
            ) : null}
            {finished ? (
              <Text
                as="p"
                fontWeight="semibold"
                tone={job.items.failed > 0 ? "critical" : undefined}
                id={`job-${job.id}-finished`}
              >
                {finished}
              </Text>
            ) : null}
            {finished && finishedNote ? (
              <Text as="p" tone="subdued" id={`job-${job.id}-finished-note`}>
                {finishedNote}
              </Text>
            ) : null}
            <Text as="p" tone="subdued" variant="bodySm">
              Started by {actorLabel(job.actor, job.actorName)} on {format.dateTime(job.createdAt)}.
              {running ? " You can leave this page: the job goes on, and you'll find it under Jobs." : ""}
            </Text>
            {unanswered || poll.unanswered ? (
              <NotAnsweringNote />
            ) : poll.reconnecting ? (
              <ReconnectingNote goesOn="The job goes on" />
            ) : null}
          </BlockStack>
          {refused ? (
            <Banner tone="warning" title={refusedLabelOf(job.kind)}>
              <p>{refusal ?? job.error}</p>
            </Banner>
          ) : job.status === "failed" && job.error ? (
            <Banner tone="critical" title="The job stopped">
              <p>{job.error}</p>
            </Banner>
          ) : resuming ? (
            <Banner tone="info">
              <p>{resuming}</p>
            </Banner>
          ) : running && job.error ? (
            <Banner tone="warning" title="Retrying">
              <p>The last step failed and will be tried again shortly: {job.error}</p>
            </Banner>
          ) : null}
          {job.status === "cancelled" ? (
            <Banner tone="info">
              <p>Cancelled. What was done before it stopped stays done and is listed below.</p>
            </Banner>
          ) : null}
        </BlockStack>
        <Box paddingBlockStart="400">
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h3" variant="headingSm">
                Results
              </Text>
              {resultsDownload ? (
                <Button
                  onClick={() => onDownload(job.id, results.outcome)}
                  loading={downloading}
                  disabled={tabCount(results.outcome) === 0}
                >
                  Download results (CSV)
                </Button>
              ) : null}
            </InlineStack>
            <Tabs
              tabs={tabs.map((tab) => ({
                id: `job-${job.id}-${tab.id}`,
                content: `${tab.outcome ? outcomeLabels[tab.outcome] : "All"} (${format.number(tabCount(tab.outcome))})`,
                accessibilityLabel: tab.outcome ? outcomeLabels[tab.outcome] : "All",
              }))}
              selected={selected}
              onSelect={(index) => show({ outcome: tabs[index]!.outcome })}
            />
            {results.items.length === 0 ? (
              <Box paddingBlock="400">
                <BlockStack gap="100" inlineAlign="center">
                  <Text as="p" fontWeight="semibold">
                    {emptyHeading(job, results.outcome)}
                  </Text>
                  <Text as="p" tone="subdued">
                    {emptyText(job, outcomeLabels)}
                  </Text>
                </BlockStack>
              </Box>
            ) : (
              <IndexTable
                resourceName={{ singular: "result", plural: "results" }}
                itemCount={results.items.length}
                selectable={false}
                headings={[
                  // A job that makes a file (an export) lists the file, not a customer.
                  { title: file ? "File" : job.progress.unit.one[0]!.toUpperCase() + job.progress.unit.one.slice(1) },
                  { title: "Outcome" },
                  { title: "What happened" },
                  ...(itemAction ? [{ title: "Next step" }] : []),
                ]}
                pagination={{
                  hasPrevious: results.hasPrevious,
                  onPrevious: () => show({ outcome: results.outcome, before: results.items[0]!.id }),
                  hasNext: results.hasNext,
                  onNext: () => show({ outcome: results.outcome, after: results.items.at(-1)!.id }),
                }}
              >
                {results.items.map((item, index) => (
                  <IndexTable.Row id={String(item.id)} key={item.id} position={index}>
                    <IndexTable.Cell>
                      {item.customerId !== null ? (
                        <Link url={`/app/customers/${item.customerId}`} removeUnderline>
                          {item.label}
                        </Link>
                      ) : (
                        item.label
                      )}
                      {item.detail ? (
                        <Text as="p" tone="subdued" variant="bodySm">
                          {item.detail}
                        </Text>
                      ) : null}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge
                        tone={item.outcome === "failed" ? "critical" : item.outcome === "done" ? "success" : undefined}
                      >
                        {outcomeLabels[item.outcome]}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" breakWord>
                        {item.message ?? ""}
                      </Text>
                    </IndexTable.Cell>
                    {itemAction ? <IndexTable.Cell>{itemAction(item)}</IndexTable.Cell> : null}
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </BlockStack>
        </Box>
      </Card>
    </BlockStack>
  );
}

function timingText(job: TaskView, elapsed: number | null, remaining: number | null): string {
  if (job.status === "queued") return waitingText(job) ?? "Waiting to start";
  if (elapsed === null) return "";
  if (isFinished(job.status)) return `Took ${durationText(elapsed)}`;
  if (remaining === null) return `${durationText(elapsed)} so far`;
  return `${durationText(elapsed)} so far, ${remainingText(remaining)}`;
}

/**
 * The time left as people say it: "about 3 minutes left", and "less than a second left" without the "about" (newcomer
 * round 19 read "about less than a second left").
 */
export function remainingText(ms: number): string {
  const left = durationText(ms);
  return left === "less than a second" ? `${left} left` : `about ${left} left`;
}

function emptyHeading(job: TaskView, outcome: ItemOutcome | null): string {
  if (!isFinished(job.status)) return "Nothing to list yet";
  return outcome === "failed" ? "Nothing failed" : outcome === "skipped" ? "Nothing was skipped" : "Nothing to list";
}

function emptyText(job: TaskView, labels: Record<ItemOutcome, string>): string {
  if (!isFinished(job.status)) return "Results appear here as the job goes.";
  // A job refused or stopped before its first item reached no one: "every customer was checked" would be untrue.
  if (job.status !== "succeeded" && job.items.done + job.items.skipped + job.items.failed === 0)
    return `The job ${job.refused ? "was refused" : "stopped"} before reaching any ${job.progress.unit.one}: nothing was changed.`;
  return `Every ${job.progress.unit.one} was checked; none needed listing (${labels.done.toLowerCase()}, ${labels.skipped.toLowerCase()} or ${labels.failed.toLowerCase()}).`;
}
