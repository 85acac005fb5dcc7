import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Link, useActionData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/confirm-modal";
import { downloadFrom } from "~/components/download";
import { NotFoundPage } from "~/components/request-error-page";
import { RequestErasureButton } from "~/components/delete-customer";
import { useFormat } from "~/components/format-context";
import { JobProgress, type JobPayload } from "~/components/job-progress";
import { pollClientLoader } from "~/components/use-poll";
import { useAnsweredLoaderData } from "~/components/use-polled-loader-data";
import { WordsWithCustomers } from "~/components/words-with-customers";
import {
  backfillOrdersKind,
  bulkEditCustomersKind,
  importCustomersKind,
  importPointsKind,
  deleteCustomersKind,
  EXPORT_DOWNLOAD_DAYS,
  EXPORT_LINK_MS,
  exportCustomersKind,
  exportDownloadEndsAt,
  isFinished,
  KEPT_HAS_ORDERS,
  itemOutcomeSchema,
  spentSinceAdjustmentParts,
  undoBulkPointsKind,
  undoBadgeOf,
  undoKeyOf,
  undoConfirmation,
  undoStateText,
  type TaskView,
} from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseOr400, pathIdOr404, readForm } from "~/lib/parse.server";
import { signDownload } from "~/lib/signed-url.server";
import { outcomeLabelsOf } from "~/domain/background-jobs";
import {
  checkBulkPointsUndo,
  type SpentSinceAdjustment,
} from "~/services/background-jobs/bulk-points-adjustment.server";
import { cancelTask } from "~/services/background-jobs/cancel-task.server";
import { findTaskByKey, getTask, listTaskItems } from "~/services/background-jobs/get-task.server";
import { getImport } from "~/services/imports/apply-import.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const idSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const querySchema = z.object({
  outcome: itemOutcomeSchema.optional(),
  after: idSchema.optional(),
  before: idSchema.optional(),
});
const RESULTS_PAGE = 25;

/** The job and a page of its results: the page's data, and the JSON the progress card polls. */
export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.job.title ?? "Job", "Jobs");

export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "job");
  const { outcome, after, before } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const job = await getTask({ ctx, input: { taskId: id } });
  const results = await listTaskItems({ ctx, input: { taskId: id, outcome, after, before, limit: RESULTS_PAGE } });
  // A bulk points adjustment that was undone says so, and offers no second undo (found by a newcomer).
  const undo = isPointsAdjustment(job) ? await findTaskByKey({ ctx, input: { idempotencyKey: undoKeyOf(id) } }) : null;
  // Who spent points of it since: before Undo is offered (it is not, then), and on an undo a run refused, for links.
  const undoneId = undoTargetOf(job);
  const spentSince =
    (undoableAdjustment(job) && !undo) || (undoneId !== undefined && job.status === "failed" && job.refused)
      ? (await checkBulkPointsUndo({ ctx, input: { taskId: undoneId ?? id } })).spent
      : null;
  // An import's job says when the import was undone since, and offers no undo then.
  const batch = importBatchOf(job);
  const importUndoneAt = batch ? (await getImport({ ctx, input: { importId: batch.importId } })).undoneAt : null;
  return {
    job,
    outcomeLabels: outcomeLabelsOf(job.kind),
    results: { outcome: outcome ?? null, ...results },
    now: ctx.now.toISOString(),
    undo,
    spentSince,
    importUndoneAt,
  } satisfies JobPayload & {
    undo: TaskView | null;
    spentSince: SpentSinceAdjustment | null;
    importUndoneAt: string | null;
  };
});

// The progress card (and the directory's sync) poll this page, and its results tabs and pages load through it: an ask
// that does not reach Tally says so (usePoll), and the page keeps what it showed.
export const clientLoader = pollClientLoader;

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("download"), outcome: z.union([itemOutcomeSchema, z.literal("")]).optional() }),
  z.object({ intent: z.literal("download-export") }),
]);

export type JobActionData =
  { ok: true; intent: "cancel"; cancelled: boolean } | { ok: true; intent: "download"; url: string } | DomainErrorBody;

/** Cancel (recorded in the audit trail), or a fresh signed link to the results' CSV. */
export const action = withFormErrors(async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "job");
  const form = parseOr400(actionSchema, await readForm(request));
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  if (form.intent === "cancel") {
    const { cancelled } = await cancelTask({ ctx, input: { taskId: id } });
    return { ok: true, intent: "cancel", cancelled } satisfies JobActionData;
  }
  const job = await getTask({ ctx, input: { taskId: id } });
  if (form.intent === "download-export") {
    if (job.kind !== exportCustomersKind.kind) throw new DomainError("bad_request", "This job is not an export");
    if (job.status !== "succeeded") throw new DomainError("conflict", "The export is not finished yet");
    if (!job.finishedAt || exportDownloadEndsAt(job.finishedAt) <= ctx.now) {
      throw new DomainError(
        "gone",
        `This export's file was deleted ${EXPORT_DOWNLOAD_DAYS} days after it finished, as it holds customers' personal data: export again from the directory`,
      );
    }
    const signed = signDownload({
      shop: session.shop,
      resource: `export:${job.id}`,
      now: ctx.now,
      ttlMs: EXPORT_LINK_MS,
    });
    return { ok: true, intent: "download", url: `/app/jobs/${job.id}/export.csv?${signed}` } satisfies JobActionData;
  }
  const outcome = form.outcome || null;
  const signed = signDownload({ shop: session.shop, resource: `task:${job.id}:${outcome ?? "all"}`, now: ctx.now });
  if (outcome) signed.set("outcome", outcome);
  return { ok: true, intent: "download", url: `/app/jobs/${job.id}/results.csv?${signed}` } satisfies JobActionData;
});

export default function JobPage() {
  // A load of this page that did not reach Tally (a revalidation after Cancel) keeps the job as it was shown.
  const { data: payload, unanswered } = useAnsweredLoaderData<typeof loader>();
  const actionData = useActionData<JobActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const format = useFormat();
  const [confirmingUndo, setConfirmingUndo] = useState(false);
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : undefined;

  useEffect(() => {
    if (!actionData) return;
    if (!("ok" in actionData)) shopify.toast.show(actionData.error, { isError: true });
    else if (actionData.intent === "cancel")
      shopify.toast.show(actionData.cancelled ? "Cancelling: the job stops after its current step" : "Already stopped");
    else downloadFrom(actionData.url);
  }, [actionData, shopify]);

  return (
    <Page>
      <TitleBar title={payload.job.title}>
        <Link variant="breadcrumb" to="/app/jobs">
          Jobs
        </Link>
      </TitleBar>
      <JobProgress
        key={payload.job.id}
        initial={payload}
        unanswered={unanswered}
        onCancel={() => submit({ intent: "cancel" }, { method: "post" })}
        cancelling={busy === "cancel"}
        onDownload={(_, outcome) => submit({ intent: "download", outcome: outcome ?? "" }, { method: "post" })}
        downloading={busy === "download"}
        resultsDownload={payload.job.kind !== exportCustomersKind.kind}
        refusal={
          payload.spentSince && payload.spentSince.count > 0 && undoTargetOf(payload.job) !== undefined ? (
            <WordsWithCustomers
              parts={spentSinceAdjustmentParts(payload.spentSince.named, payload.spentSince.count, "refused")}
            />
          ) : undefined
        }
        // Its undo job running (Undo pressed, or the page reloaded meanwhile): the page follows it to "Undone".
        following={(latest) => latest.undo !== null && !isFinished(latest.undo.status)}
        undo={(job, latest) => {
          const found = importBatchOf(job);
          const batch = found && latest.importUndoneAt ? { ...found, undoable: false } : found;
          if (batch)
            return (
              <Card>
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <Text as="p">
                    {latest.importUndoneAt
                      ? `${batch.pastOrders ? "These points for past orders were" : "This import was"} undone on ${format.dateTime(latest.importUndoneAt)}: its points were taken back.`
                      : batch.pastOrders
                        ? `This job gave points for past orders. The import's page shows its preview${batch.undoable ? ", and Undo takes back every point it gave while none has been spent" : ""}.`
                        : batch.undoable
                          ? "This job applied an import. Its page shows what the file held, and Undo takes back every point it gave while none has been spent."
                          : "This job applied an import. Its page shows what the file held and the rows left out."}
                  </Text>
                  <Button url={`/app/import/${batch.importId}`}>
                    {batch.undoable ? "Open the import to undo it" : "Open the import"}
                  </Button>
                </InlineStack>
              </Card>
            );
          const undone = latest.undo;
          if (undone && isPointsAdjustment(job)) {
            return (
              <Card>
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <BlockStack gap="100">
                    <Text as="p">Reason: {isPointsAdjustment(job)!.reason}</Text>
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone={undone.status === "succeeded" ? "info" : undefined}>
                        {undoBadgeOf(undone.status)}
                      </Badge>
                      <Text as="p">{undoStateText(undone, format)}</Text>
                    </InlineStack>
                  </BlockStack>
                  <Button url={`/app/jobs/${undone.id}`}>See the undo</Button>
                </InlineStack>
              </Card>
            );
          }
          const adjustment = undoableAdjustment(job);
          if (!adjustment) return null;
          const confirmation = undoConfirmation(adjustment, job.items.done, format, job.progress.unit);
          const spent = latest.spentSince;
          // Someone spent points of it since: the undo could only be refused, so it is not offered (newcomer round).
          if (spent && spent.count > 0)
            return (
              <Card>
                <BlockStack gap="200">
                  <Text as="p">Reason: {adjustment.reason}</Text>
                  <Banner tone="warning" title="This adjustment cannot be undone">
                    <p>
                      <WordsWithCustomers parts={spentSinceAdjustmentParts(spent.named, spent.count, "before")} />
                    </p>
                  </Banner>
                </BlockStack>
              </Card>
            );
          return (
            <Card>
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <BlockStack gap="100">
                  <Text as="p">Reason: {adjustment.reason}</Text>
                  <Text as="p">{confirmation.note}</Text>
                </BlockStack>
                <Button onClick={() => setConfirmingUndo(true)}>Undo this adjustment</Button>
              </InlineStack>
              <ConfirmModal
                open={confirmingUndo}
                title={confirmation.title}
                body={confirmation.body}
                action="Undo adjustment"
                submitting={navigation.state !== "idle" && navigation.formAction === "/app/jobs"}
                onClose={() => setConfirmingUndo(false)}
                onConfirm={() =>
                  submit(
                    {
                      kind: undoBulkPointsKind.kind,
                      input: JSON.stringify({ taskId: job.id }),
                      requestId: undoKeyOf(job.id),
                    },
                    { method: "post", action: "/app/jobs" },
                  )
                }
              />
            </Card>
          );
        }}
        file={
          payload.job.kind === exportCustomersKind.kind
            ? (job) => (
                <ExportFileCard
                  job={job}
                  downloading={busy === "download-export"}
                  onDownload={() => submit({ intent: "download-export" }, { method: "post" })}
                />
              )
            : undefined
        }
        itemAction={
          payload.job.kind === deleteCustomersKind.kind
            ? (item) =>
                item.message === KEPT_HAS_ORDERS && item.customerId !== null ? (
                  <RequestErasureButton customerId={item.customerId} customerName={item.label} />
                ) : null
            : undefined
        }
      />
    </Page>
  );
}

/** The export's CSV file: where it will be while the export runs, the one download once it is done. */
function ExportFileCard({
  job,
  downloading,
  onDownload,
}: {
  job: TaskView;
  downloading: boolean;
  onDownload: () => void;
}) {
  const format = useFormat();
  if (job.status !== "succeeded" || !job.finishedAt) {
    return (
      <Card>
        <Text as="p">
          {isFinished(job.status)
            ? "This export did not finish, so it made no file."
            : "The CSV file can be downloaded here when the export has finished."}
        </Text>
      </Card>
    );
  }
  return (
    <Card>
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <Text as="p">
          The CSV file can be downloaded until {format.date(exportDownloadEndsAt(job.finishedAt).toISOString())}; then
          it is deleted, as it holds customers&apos; personal data.
        </Text>
        <Button variant="primary" loading={downloading} onClick={onDownload}>
          Download CSV file
        </Button>
      </InlineStack>
    </Card>
  );
}

/** The points and reason of a bulk points adjustment job, whatever its state; undefined for any other job. */
function isPointsAdjustment(job: TaskView): { points: number; reason: string } | undefined {
  if (job.kind !== bulkEditCustomersKind.kind) return undefined;
  const parsed = bulkEditCustomersKind.input.safeParse(job.input);
  return parsed.success && parsed.data.edit.action === "points_adjust" ? parsed.data.edit : undefined;
}

/**
 * A finished bulk points adjustment that changed at least one customer: the job a merchant may undo as a batch, with
 * its points and reason. Undefined for any other job, and for one that changed nobody (nothing to undo).
 */
function undoableAdjustment(job: TaskView): { points: number; reason: string } | undefined {
  return job.status === "succeeded" && job.items.done > 0 ? isPointsAdjustment(job) : undefined;
}

/** The bulk points adjustment an undo job undoes; undefined for any other job. */
function undoTargetOf(job: TaskView): number | undefined {
  if (job.kind !== undoBulkPointsKind.kind) return undefined;
  const parsed = undoBulkPointsKind.input.safeParse(job.input);
  return parsed.success ? parsed.data.taskId : undefined;
}

/** The import a job applies (a customers file, a points move, points for past orders), and whether it can be undone. */
function importBatchOf(job: TaskView): { importId: number; undoable: boolean; pastOrders: boolean } | undefined {
  const kind = [importCustomersKind, importPointsKind, backfillOrdersKind].find((each) => each.kind === job.kind);
  if (!kind) return undefined;
  const parsed = kind.input.safeParse(job.input);
  if (!parsed.success) return undefined;
  // Points moved in or given for past orders are taken back from the import's page once the job has finished.
  return {
    importId: parsed.data.importId,
    undoable: kind !== importCustomersKind && job.status === "succeeded",
    pastOrders: kind === backfillOrdersKind,
  };
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404)
    return (
      <NotFoundPage
        what="Job"
        why="It may belong to another store, or finished long ago and was cleared."
        backTo="/app/jobs"
        backLabel="Jobs"
      />
    );
  return boundary.error(error);
}
