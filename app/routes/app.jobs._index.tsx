import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  useBreakpoints,
} from "@shopify/polaris";
import { z } from "zod";
import { useFormat } from "~/components/format-context";
import { JobStatusBadge, POLL_MS, progressText } from "~/components/job-progress";
import { actorLabel } from "~/components/labels";
import { NotAnsweringNote, ReconnectingNote } from "~/components/reconnecting-note";
import { pollClientLoader } from "~/components/use-poll";
import { usePolledLoaderData } from "~/components/use-polled-loader-data";
import {
  exportCustomersKind,
  isFinished,
  outcomeLabelsOf,
  resumingText,
  undoBadgeOf,
  undoBulkPointsKind,
  waitingText,
} from "~/domain/background-jobs";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { jsonField, parseFormFields, parseOr400, readForm } from "~/lib/parse.server";
import { undoBulkPointsInput } from "~/services/background-jobs/bulk-points-adjustment.server";
import { submitTask } from "~/services/background-jobs/submit-task.server";
import { rememberExportColumns } from "~/services/customers/directory-views.server";
import { listTasks } from "~/services/background-jobs/get-task.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const PAGE = 25;
const querySchema = z.object({
  before: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .optional(),
});

/** The shop's jobs, newest first, keyset-paged: where a merchant finds a running import again. */
export const meta: MetaFunction = () => pageTitle("Jobs");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { before } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  return {
    ...(await listTasks({ ctx, input: { before, limit: PAGE } })),
    first: before === undefined,
    // The server's clock, for how soon a job Tally's restart left is taken up again (resumingText).
    now: ctx.now.toISOString(),
  };
});

// The list polls itself while jobs run, and its pages load through it: an ask that does not reach Tally says so on the
// page (usePoll), which keeps what it showed.
export const clientLoader = pollClientLoader;

/** What an undo of a bulk points adjustment is told by the page: which job it undoes (its name is Tally's to give). */
const undoTargetSchema = z.object({ taskId: z.number().int().positive() });

const startSchema = z.object({
  kind: z.string().min(1).max(100),
  input: jsonField.optional(),
  requestId: z.string().min(1).max(100),
  /** The merchant confirmed "Start it again anyway" after the same work was found queued or running. */
  startAnyway: z.literal("1").optional(),
});

/**
 * POST /app/jobs {kind, input (JSON), requestId}: starts a job of a registered kind as the staff member, once per
 * request id, and opens its page. Any screen that starts a job posts here; the kind's schema checks the input, and a
 * refusal comes back as data (`{error, fieldErrors}`, 400), for the form that posted to show beside the input it keeps.
 * A directory bulk action whose same work is queued or running is refused (`{error, code: "already_running",
 * sameWork}`, 409) unless posted again with `startAnyway=1`.
 */
export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const { kind, input, requestId, startAnyway } = parseFormFields(startSchema, await readForm(request));
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  // An undo is named from the adjustment Tally holds, not from what the page sent.
  const undo = kind === undoBulkPointsKind.kind ? parseOr400(undoTargetSchema, input ?? {}) : null;
  const { task } = await submitTask({
    ctx,
    input: {
      kind,
      input: undo ? await undoBulkPointsInput({ ctx, input: undo }) : (input ?? {}),
      idempotencyKey: requestId,
      startAnyway: startAnyway === "1",
    },
  });
  // The export form starts with these columns next time, for this staff member (as the directory's picker keeps its own).
  if (task.kind === exportCustomersKind.kind)
    await rememberExportColumns({ ctx, input: task.input as { columns?: unknown } });
  return redirect(`/app/jobs/${task.id}`);
});

export default function Jobs() {
  const refused = useActionData<DomainErrorBody>();
  const format = useFormat();
  // Below Polaris' md breakpoint the list is one block a job, as Shopify admin's own lists are on a phone.
  const { smDown: condensed } = useBreakpoints();
  // The list follows running jobs until they finish. Its asks say they are polls (?poll=1): a running sync keeps its
  // pace while the list is open (decision 030, sixth round).
  const { data, reconnecting, unanswered } = usePolledLoaderData<typeof loader>({
    index: true,
    every: POLL_MS,
    active: ({ tasks }) => tasks.some((task) => !isFinished(task.status)),
  });
  const { tasks, nextBefore, first, undos, now } = data;

  return (
    <Page>
      <TitleBar title="Jobs" />
      <BlockStack gap="400">
        {refused?.error ? (
          <Banner tone="critical" title="The job was not started">
            {Object.values(refused.fieldErrors ?? {}).flat()[0] ?? refused.error}
          </Banner>
        ) : null}
        {unanswered ? <NotAnsweringNote /> : reconnecting ? <ReconnectingNote goesOn="Jobs go on" /> : null}
        <Text as="p" tone="subdued">
          Long work runs in the background: you can leave a job&apos;s page and come back here to follow it. Jobs and
          their results are kept for 90 days.
        </Text>
        <Card padding="0">
          {tasks.length === 0 ? (
            <Box padding="600">
              <BlockStack gap="200" inlineAlign="center">
                <Text as="h2" variant="headingMd">
                  No jobs yet
                </Text>
                <Text as="p" tone="subdued">
                  Recalculating points, imports, exports and bulk actions show up here while they run and after.
                </Text>
              </BlockStack>
            </Box>
          ) : (
            <IndexTable
              condensed={condensed}
              resourceName={{ singular: "job", plural: "jobs" }}
              itemCount={tasks.length}
              selectable={false}
              headings={[
                { title: "Job" },
                { title: "Status" },
                { title: "Progress" },
                { title: "Started by" },
                { title: "Started" },
              ]}
              pagination={{
                hasPrevious: !first,
                previousURL: "/app/jobs",
                hasNext: nextBefore !== null,
                nextURL: nextBefore !== null ? `/app/jobs?before=${nextBefore}` : undefined,
              }}
            >
              {tasks.map((task, index) => {
                const title = (
                  <Link dataPrimaryLink url={`/app/jobs/${task.id}`} monochrome removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {task.title}
                    </Text>
                  </Link>
                );
                const status = (
                  <InlineStack gap="100" wrap={false}>
                    <JobStatusBadge job={task} outcomeLabels={outcomeLabelsOf(task.kind)} />
                    {/* An adjustment undone reads so here too, not only on its page (found by a newcomer). */}
                    {undos[task.id] ? (
                      <Badge tone={undos[task.id]!.status === "succeeded" ? "info" : undefined}>
                        {undoBadgeOf(undos[task.id]!.status)}
                      </Badge>
                    ) : null}
                  </InlineStack>
                );
                const resuming = resumingText(task, new Date(now));
                const progress = (
                  <BlockStack gap="100">
                    <Text as="span">{waitingText(task) ?? progressText(task, format)}</Text>
                    {resuming ? (
                      <Text as="span" tone="subdued">
                        {resuming}
                      </Text>
                    ) : null}
                  </BlockStack>
                );
                const startedBy = actorLabel(task.actor, task.actorName);
                const started = format.dateTime(task.createdAt);
                return (
                  <IndexTable.Row id={String(task.id)} key={task.id} position={index}>
                    {condensed ? (
                      // A phone's width: each job as one block, its status beside its name, nothing cut off.
                      <Box padding="300" width="100%">
                        <BlockStack gap="100">
                          <InlineStack gap="200" align="space-between" blockAlign="start" wrap={false}>
                            {title}
                            {status}
                          </InlineStack>
                          {progress}
                          <Text as="span" tone="subdued">
                            {started} · {startedBy}
                          </Text>
                        </BlockStack>
                      </Box>
                    ) : (
                      <>
                        <IndexTable.Cell>{title}</IndexTable.Cell>
                        <IndexTable.Cell>{status}</IndexTable.Cell>
                        <IndexTable.Cell>{progress}</IndexTable.Cell>
                        <IndexTable.Cell>{startedBy}</IndexTable.Cell>
                        <IndexTable.Cell>{started}</IndexTable.Cell>
                      </>
                    )}
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
