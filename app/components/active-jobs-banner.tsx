import { useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Link, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { isFinished, jobPollPath, resumingText, waitingText, type TaskView } from "~/domain/background-jobs";
import { useFormat } from "./format-context";
import { POLL_MS, progressText, type JobPayload } from "./job-progress";
import { usePoll } from "./use-poll";

type ActiveJob = Pick<TaskView, "id" | "title" | "status" | "progress" | "waitsFor" | "resumesAt">;

/**
 * Home's notice of jobs still queued or running, each linked to its page: long work is never lost from sight. Each line
 * follows its job as the directory's sync bar does (its page, asked every POLL_MS as a poll): how far it is, what it
 * waits for, and, while no runner holds it since Tally restarted, when it goes on (decision 054). Once a job finishes,
 * Home loads again without it. `now` is the server's clock when Home's loader answered.
 */
export function ActiveJobsBanner({ jobs, now }: { jobs: ActiveJob[]; now: string }) {
  return (
    <Banner tone="info" title={jobs.length === 1 ? "A job is running" : `${jobs.length} jobs are running`}>
      <BlockStack gap="100">
        {jobs.map((job) => (
          <ActiveJobLine key={job.id} initial={job} now={now} />
        ))}
      </BlockStack>
    </Banner>
  );
}

function ActiveJobLine({ initial, now }: { initial: ActiveJob; now: string }) {
  const format = useFormat();
  const { revalidate } = useRevalidator();
  // Home loaded again (`now` moved on): its figures show until the next answer. The first ask goes at once, while
  // Tally has just answered: it brings the job page's route (Remix discovers routes lazily), whose fetch during an
  // outage would reach the ErrorBoundary where a poll's does not (decision 054).
  const poll = usePoll<JobPayload>({
    path: jobPollPath(initial.id),
    every: POLL_MS,
    first: 0,
    over: now,
    active: (polled) => !isFinished((polled?.job ?? initial).status),
  });
  const polled = poll.data?.job.id === initial.id ? poll.data : undefined;
  const job: ActiveJob = polled?.job ?? initial;
  const finished = isFinished(job.status);
  useEffect(() => {
    if (finished) revalidate();
  }, [finished, revalidate]);
  const resuming = resumingText(job, new Date(polled?.now ?? now));
  return (
    <BlockStack>
      <Text as="p">
        <Link url={`/app/jobs/${job.id}`}>{job.title}</Link>:{" "}
        {job.status === "queued"
          ? (waitingText(job)?.replace(/^W/, "w") ?? "waiting to start")
          : progressText(job, format)}
      </Text>
      {resuming ? (
        <Text as="p" tone="subdued">
          {resuming}
        </Text>
      ) : null}
    </BlockStack>
  );
}
