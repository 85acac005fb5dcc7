import { Banner, BlockStack, Link, Text } from "@shopify/polaris";
import type { TaskView } from "~/domain/background-jobs";
import { useFormat } from "./format-context";
import { progressText, waitingText } from "./job-progress";

/** Home's notice of jobs still queued or running, each linked to its page: long work is never lost from sight. */
export function ActiveJobsBanner({
  jobs,
}: {
  jobs: Array<Pick<TaskView, "id" | "title" | "status" | "progress" | "waitsFor">>;
}) {
  const format = useFormat();
  return (
    <Banner tone="info" title={jobs.length === 1 ? "A job is running" : `${jobs.length} jobs are running`}>
      <BlockStack gap="100">
        {jobs.map((job) => (
          <Text as="p" key={job.id}>
            <Link url={`/app/jobs/${job.id}`}>{job.title}</Link>:{" "}
            {job.status === "queued"
              ? (waitingText(job)?.replace(/^W/, "w") ?? "waiting to start")
              : progressText(job, format)}
          </Text>
        ))}
      </BlockStack>
    </Banner>
  );
}
