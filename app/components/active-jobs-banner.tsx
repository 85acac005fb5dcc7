import { useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Link, Text } from "@shopify/polaris";
import { useEffect } from "react";
import {
  activeJobsTitle,
  PROGRESS_POLL_PARAM,
  resumingText,
  waitingText,
  type TaskView,
} from "~/domain/background-jobs";
import { useFormat } from "./format-context";
import { POLL_MS, progressText } from "./job-progress";
import { ReconnectingNote } from "./reconnecting-note";
import { usePoll } from "./use-poll";

/**
 * What a line of the banner says of its job: its title and link, how far it is, what it waits for, when it resumes;
 * and its kind, by which a page leaves out a job it shows in its own way (the directory's Sync customers).
 */
export type ActiveJob = Pick<TaskView, "id" | "kind" | "title" | "status" | "progress" | "waitsFor" | "resumesAt">;

/** How many of the shop's queued and running jobs the banner lists, newest first. */
export const ACTIVE_JOBS_SHOWN = 3;

/** What `/app/jobs/active` answers: the shop's active jobs (at most ACTIVE_JOBS_SHOWN) and the server's clock. */
export interface ActiveJobsPayload {
  jobs: ActiveJob[];
  now: string;
}

/** The parts of a job's view its banner line uses, and no more. */
export function activeJobOf(job: ActiveJob): ActiveJob {
  return {
    id: job.id,
    kind: job.kind,
    title: job.title,
    status: job.status,
    progress: job.progress,
    ...(job.waitsFor === undefined ? {} : { waitsFor: job.waitsFor }),
    ...(job.resumesAt === undefined ? {} : { resumesAt: job.resumesAt }),
  };
}

/** The banner's poll: all its jobs in one ask (app/routes/app.jobs.active.ts), marked as a poll. */
const ACTIVE_JOBS_POLL_PATH = `/app/jobs/active?${PROGRESS_POLL_PARAM}=1`;

/**
 * The notice of jobs still queued or running, each linked to its page, on Home and in the customer directory: long
 * work is never lost from sight, and a merchant who reloads while a bulk action starts sees it began instead of
 * starting it twice. The banner asks `/app/jobs/active` for all its jobs every POLL_MS (none while the tab is hidden):
 * how far each is, what it waits for, and, while no runner holds it since Tally restarted, when it goes on (decision
 * 054). Once a job it shows is no longer active, the page loads again without it (its figures moved with the job).
 * While its asks do not reach Tally, it keeps the lines it showed and says it is reconnecting (ReconnectingNote).
 * `now` is the server's clock when the page's loader answered; `leaveOut` names kinds the page shows in its own way;
 * `onAnswer` gets each answer of the poll, for figures the page shows elsewhere (the bulk panel's warning).
 */
export function ActiveJobsBanner({
  jobs: loaded,
  now,
  leaveOut = [],
  onAnswer,
}: {
  jobs: ActiveJob[];
  now: string;
  leaveOut?: readonly string[];
  onAnswer?: (answer: ActiveJobsPayload) => void;
}) {
  const format = useFormat();
  const { revalidate } = useRevalidator();
  const shown = (jobs: ActiveJob[]) => jobs.filter((job) => !leaveOut.includes(job.kind));
  const initial = shown(loaded);
  // The page loaded again (`now` moved on): its figures show until the next answer. The first ask goes at once, while
  // Tally has just answered: it brings the poll's route (Remix discovers routes lazily), whose fetch during an outage
  // would reach the ErrorBoundary where a poll's does not (decision 054).
  const poll = usePoll<ActiveJobsPayload>({
    path: ACTIVE_JOBS_POLL_PATH,
    every: POLL_MS,
    first: 0,
    over: now,
    active: (polled) => (polled ? shown(polled.jobs) : initial).length > 0,
  });
  useEffect(() => {
    if (poll.data) onAnswer?.(poll.data);
    // Each answer once: the page passes a new `onAnswer` each render.
  }, [poll.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const polled = poll.data && { ...poll.data, jobs: shown(poll.data.jobs) };
  const jobs = polled?.jobs ?? initial;
  // A job the page listed that the answer no longer has finished (or was cancelled): the page's figures moved with it.
  const finished = polled !== undefined && initial.some((job) => !polled.jobs.some((active) => active.id === job.id));
  useEffect(() => {
    if (finished) revalidate();
  }, [finished, revalidate]);
  if (jobs.length === 0) return null;
  const answeredAt = new Date(polled?.now ?? now);
  return (
    <Banner tone="info" title={activeJobsTitle(jobs)}>
      <BlockStack gap="100">
        {jobs.map((job) => {
          const resuming = resumingText(job, answeredAt);
          return (
            <BlockStack key={job.id}>
              <Text as="p">
                <Link url={`/app/jobs/${job.id}`}>{job.title}</Link>:{" "}
                {job.status === "queued"
                  ? (waitingText(job, { midSentence: true }) ?? "waiting to start")
                  : progressText(job, format)}
              </Text>
              {resuming ? (
                <Text as="p" tone="subdued">
                  {resuming}
                </Text>
              ) : null}
            </BlockStack>
          );
        })}
        {poll.reconnecting ? <ReconnectingNote goesOn="Jobs go on" /> : null}
      </BlockStack>
    </Banner>
  );
}
