import { useFetcher, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Card, InlineStack, Link, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import {
  customerSyncSummarySchema,
  describeSyncProgress,
  isFinished,
  jobPollPath,
  syncDoneToast,
  waitingText,
  type TaskView,
} from "~/domain/background-jobs";
import type { Formatter } from "~/lib/format";
import { useFormat } from "./format-context";
import { POLL_MS, type JobPayload } from "./job-progress";
import { ReconnectingNote } from "./reconnecting-note";
import { usePoll } from "./use-poll";

/** What the directory's loader says about syncing (getCustomerSyncStatus), with the server's clock. */
export interface CustomerSyncStatusData {
  lastSyncedAt: string | null;
  installRunning: boolean;
  runningTaskId: number | null;
  now: string;
}

type SyncAnswer = { ok: true; sync?: { taskId: number; created: boolean } } | { error: string };

/**
 * The title bar's Sync customers: posts the directory's `sync` intent once per press (a request id of its own), and
 * says so politely when a sync was already running (the page then follows that one).
 */
export function useSyncCustomers() {
  const fetcher = useFetcher<SyncAnswer>();
  const shopify = useAppBridge();
  useEffect(() => {
    const answer = fetcher.data;
    if (!answer) return;
    if ("error" in answer) shopify.toast.show(answer.error, { isError: true });
    else if (answer.sync && !answer.sync.created)
      shopify.toast.show("Customers are already syncing: its progress is shown above the list");
  }, [fetcher.data, shopify]);
  return {
    start: () => fetcher.submit({ intent: "sync", requestId: crypto.randomUUID() }, { method: "post" }),
    starting: fetcher.state !== "idle",
  };
}

function syncLine(job: TaskView, format: Formatter): string {
  // Queued behind another job of the shop's writing lane (an import, a points change): which one (decision 017).
  const waiting = waitingText(job);
  if (waiting) return waiting;
  const summary = customerSyncSummarySchema.safeParse(job.summary);
  if (!summary.success) return "Asking Shopify for your customers and their orders…";
  return describeSyncProgress(summary.data, format.number, job.status === "queued");
}

/**
 * Under the directory's title: "Last synced 5 minutes ago" (the exact time on hover), or, while a Sync customers
 * runs, its progress bar (customers and orders Shopify read, and applied), following the job every POLL_MS until it finishes;
 * the directory then reloads with the synced customers.
 */
export function CustomerSyncStatus({
  status,
  installReconnecting,
}: {
  status: CustomerSyncStatusData;
  /** The directory's own polls while the install sync runs (`?poll=1`) do not reach Tally (usePoll). */
  installReconnecting: boolean;
}) {
  const format = useFormat();
  const revalidator = useRevalidator();
  const [ticked, setTicked] = useState<Date | null>(null);
  // The server's clock first (the same text on both sides), the browser's once it has ticked past it.
  const now = ticked && ticked.toISOString() > status.now ? ticked : new Date(status.now);
  const taskId = status.runningTaskId;
  // The sync's job, asked for at once and then every POLL_MS while the directory says it runs.
  const poll = usePoll<JobPayload>({
    path: jobPollPath(taskId ?? 0),
    every: POLL_MS,
    first: 0,
    over: taskId,
    active: taskId !== null,
  });
  const job = poll.data && poll.data.job.id === taskId ? poll.data.job : undefined;

  // "5 minutes ago" moves on while the page stays open: each second while the last sync is under a minute old (so
  // "1 second ago" right after a sync does not stay put), each 30 seconds after that.
  const recent = status.lastSyncedAt !== null && now.getTime() - Date.parse(status.lastSyncedAt) < 60_000;
  useEffect(() => {
    const timer = setInterval(() => setTicked(new Date()), recent ? 1_000 : 30_000);
    return () => clearInterval(timer);
  }, [recent]);

  const finished = job !== undefined && isFinished(job.status);
  // The sync the page followed has succeeded: its end is the last sync at once, not after the directory's reload
  // (which showed the old "1 minute ago" for a second after the toast).
  const followedEnd = job?.status === "succeeded" ? job.finishedAt : null;
  const lastSyncedAt =
    followedEnd && (!status.lastSyncedAt || followedEnd > status.lastSyncedAt) ? followedEnd : status.lastSyncedAt;
  const shownNow = lastSyncedAt && now.toISOString() < lastSyncedAt ? new Date(lastSyncedAt) : now;
  const { revalidate } = revalidator;
  useEffect(() => {
    if (finished) revalidate();
  }, [finished, revalidate]);
  // Said once when the sync the page followed ends, wherever the merchant scrolled to (a newcomer missed the end).
  const shopify = useAppBridge();
  const toasted = useRef<number | null>(null);
  useEffect(() => {
    if (!job || !finished || toasted.current === job.id) return;
    toasted.current = job.id;
    if (job.status === "succeeded") shopify.toast.show(syncDoneToast(job.summary, format.number));
    else shopify.toast.show("The sync stopped: its job says why", { isError: true });
  }, [job, finished, shopify, format]);

  if (taskId !== null && !(job && job.status === "succeeded")) {
    const total = job?.progress.total ?? null;
    const percent = job && total ? Math.min(100, Math.round((job.progress.done / total) * 100)) : 0;
    return (
      <Box paddingBlockEnd="400">
        <Card>
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingSm">
                Syncing customers from Shopify
              </Text>
              <Link url={`/app/jobs/${taskId}`}>View job</Link>
            </InlineStack>
            {job?.status === "failed" || job?.status === "cancelled" ? (
              <Banner tone={job.status === "failed" ? "critical" : "info"} title="The sync stopped">
                <p>{job.error ?? "It was cancelled. What it applied before stopping stays applied."}</p>
              </Banner>
            ) : (
              <>
                <ProgressBar progress={percent} tone="highlight" animated ariaLabelledBy="customer-sync-progress" />
                <Text as="p" id="customer-sync-progress" tone="subdued">
                  {job ? syncLine(job, format) : "Starting…"}
                </Text>
                {poll.reconnecting ? <ReconnectingNote goesOn="The sync goes on" /> : null}
              </>
            )}
          </BlockStack>
        </Card>
      </Box>
    );
  }

  // On a phone Polaris' Page has no inline padding (its cards run edge to edge): the line takes the padding its Page
  // header would give a title there, so it does not touch the screen's edge.
  return (
    <Box paddingBlockEnd="300" paddingInlineStart={{ xs: "400", sm: "0" }} paddingInlineEnd={{ xs: "400", sm: "0" }}>
      {/* The install sync is a scheduled job, not a task: the directory asks for itself again until it has finished. */}
      {installReconnecting ? <ReconnectingNote goesOn="Your customers keep coming in from Shopify" /> : null}
      <Text as="p" tone="subdued">
        {status.installRunning ? (
          "Bringing your customers in from Shopify after install…"
        ) : lastSyncedAt ? (
          <>
            {/* The exact time on hover as a title: Polaris' Tooltip would make it a tab stop of its own. */}
            Last synced{" "}
            <time dateTime={lastSyncedAt} title={format.dateTime(lastSyncedAt)} data-testid="last-synced">
              {format.ago(lastSyncedAt, shownNow)}
            </time>
          </>
        ) : (
          "Not synced from Shopify yet"
        )}
      </Text>
    </Box>
  );
}
