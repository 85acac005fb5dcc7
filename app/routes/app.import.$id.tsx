import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/confirm-modal";
import { downloadFrom } from "~/components/download";
import { useFormat } from "~/components/format-context";
import { NotAnsweringNote, ReconnectingNote } from "~/components/reconnecting-note";
import { pollClientLoader } from "~/components/use-poll";
import { usePolledLoaderData } from "~/components/use-polled-loader-data";
import wrapping from "~/components/wrapping-table.module.css";
import { describeFieldChanges, fieldLabel } from "~/domain/audit";
import { resumingText, waitingText } from "~/domain/background-jobs";
import {
  backfillLeft,
  backfillLines,
  checkFailedBadge,
  checkFailedWords,
  customerChangesSection,
  customerColumns,
  customerImportRanLine,
  customerPreviewLines,
  importChangesNothing,
  importedCustomersStatusLine,
  moreRowsLine,
  pointsSourceColumns,
  pointsSourceNames,
  pointsSourceSchema,
  problemsFileName,
} from "~/domain/imports";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseOr400, pathIdOr404, readForm } from "~/lib/parse.server";
import { signDownload } from "~/lib/signed-url.server";
import { getTask } from "~/services/background-jobs/get-task.server";
import { getImport, importUndoneBy, listImportProblems, undoImport } from "~/services/imports/apply-import.server";
import { listImportChanges, listImportCreates } from "~/services/imports/check-import.server";
import { getProgram } from "~/services/program/get-program.server";
import { KEEP_UPLOADS_DAYS } from "~/services/imports/prune-uploads.server";
import { startImport } from "~/services/imports/start-import.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

/** Problems shown on the page; the download has them all. */
const SHOWN = 50;

/** The dry run's preview: how the columns were read, what will happen, and the rows refused with their reasons. */
export const meta: MetaFunction = () => pageTitle("Preview", "Import");

export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "import");
  const ctx = contextFor(session.shop, "staff");
  const row = await getImport({ ctx, input: { importId: id } });
  const problems = [];
  // While a file is being checked, its problems and changes so far are part of a preview not yet made.
  const checked = row.status !== "checking";
  for await (const problem of checked ? listImportProblems({ ctx, input: { importId: id } }) : []) {
    problems.push({ line: problem.line, cells: problem.cells, message: problem.message });
    if (problems.length >= SHOWN) break;
  }
  // A file's check and a backfill's preview run in the background (decisions 033, 048): the page shows how far it is
  // and asks again until it is done, or says why it stopped.
  const check = row.status === "checking" && row.taskId ? await getTask({ ctx, input: { taskId: row.taskId } }) : null;
  const counting = check && check.status !== "failed" && check.status !== "cancelled" ? check.progress : null;
  const checkFailed = check && (check.status === "failed" || check.status === "cancelled") ? (check.error ?? "") : null;
  // After a customer file ran, the page says what it did (the import's results), not what the check said it would do.
  const ran =
    row.kind === "customers" && row.status === "imported" && row.taskId
      ? await getTask({ ctx, input: { taskId: row.taskId } })
      : null;
  // Whether Guests earn and spend: what the customers a file creates can do until they have an account.
  const program = row.kind === "customers" ? (await getProgram({ ctx })).settings : null;
  const guests = program ? { guestsEarn: program.guestsEarn, guestsRedeem: program.guestsRedeem } : null;
  const source = pointsSourceSchema.safeParse(row.source);
  const fields = source.success ? pointsSourceColumns[source.data] : customerColumns;
  const labelOf = new Map<number, string>(
    Object.entries(row.columns).map(([field, index]) => [index, fields.find((f) => f.field === field)?.label ?? field]),
  );
  return {
    id: row.id,
    kind: row.kind,
    source: source.success ? pointsSourceNames[source.data] : null,
    fileName: row.fileName,
    status: row.status,
    taskId: row.taskId,
    options: row.options,
    summary: row.summary,
    // A file whose every row matches what Shopify and Tally hold says so instead of offering an import of nothing.
    nothingToImport: row.status === "checked" && importChangesNothing(row.kind, row.summary),
    counting,
    // Queued behind another job of its lane (a backfill's preview behind a sync): the page says which, as the job's does.
    waiting: (check && waitingText(check)) ?? null,
    // Left without a runner by a restart: the bar stands still, and the page says when it goes on (decision 054).
    resuming: (check && resumingText(check, ctx.now)) ?? null,
    checkFailed,
    ran: ran ? ran.items : null,
    guests,
    mapping: row.headers.map((header, index) => ({ header, field: labelOf.get(index) ?? null })),
    problems,
    changes: row.kind === "customers" && checked ? await listImportChanges({ ctx, input: { importId: id } }) : [],
    // Who the import will write into Shopify, before it runs (after, the job's results list them).
    creates:
      row.kind === "customers" && row.status === "checked"
        ? await listImportCreates({ ctx, input: { importId: id } })
        : [],
    hasPointsColumn: row.columns.points !== undefined,
    // Its rows went with the file (decision 062): the page says so rather than show an empty preview.
    prunedAfterDays: row.filePrunedAt !== null ? KEEP_UPLOADS_DAYS : null,
    // "Undone by Sam Owner on …": the badge alone did not say who or when (found by a newcomer).
    undone:
      row.status === "undone"
        ? ((await importUndoneBy({ ctx, input: { importId: id, fileName: row.fileName } })) ?? {
            by: null,
            at: row.undoneAt,
          })
        : null,
  };
});

// The page polls itself while a file is checked, and loads itself again after a refusal: an ask that does not reach
// Tally says so on the page (usePoll), which keeps what it showed.
export const clientLoader = pollClientLoader;

const actionSchema = z.object({
  intent: z.enum(["start", "download", "undo"]),
  requestId: z.string().max(100).optional(),
});

type ImportActionData = { ok: true; intent: "download"; url: string } | { ok: true; intent: "undo" } | DomainErrorBody;

/** Start the import (then its job page), a signed link to the bad rows' CSV, or the undo of a points batch. */
export const action = withFormErrors(async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "import");
  const form = parseOr400(actionSchema, await readForm(request));
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  if (form.intent === "start") {
    const { task } = await startImport({ ctx, input: { importId: id } });
    return redirect(`/app/jobs/${task.id}`);
  }
  if (form.intent === "undo") {
    const undone = await undoImport({ ctx, input: { importId: id, requestId: form.requestId ?? crypto.randomUUID() } });
    // A large batch is taken back by a job: its page shows the check, then the progress.
    if (undone.taskId) return redirect(`/app/jobs/${undone.taskId}`);
    return { ok: true, intent: "undo" } satisfies ImportActionData;
  }
  await getImport({ ctx, input: { importId: id } });
  const signed = signDownload({ shop: session.shop, resource: `import:${id}:problems`, now: ctx.now });
  return { ok: true, intent: "download", url: `/app/import/${id}/problems.csv?${signed}` } satisfies ImportActionData;
});

export default function ImportPreview() {
  // While the file is checked, the page asks for itself again as a poll (?poll=1): a sync running meanwhile keeps its
  // pace (decision 030, sixth round).
  // Soon after the upload first (a small file's check is done by then), then every second.
  const { data, reconnecting, unanswered } = usePolledLoaderData<typeof loader>({
    first: 300,
    every: 1000,
    active: (shown) => shown.status === "checking" && shown.checkFailed === null,
  });
  const actionData = useActionData<ImportActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { revalidate } = useRevalidator();
  const shopify = useAppBridge();
  const format = useFormat();
  const [confirmingUndo, setConfirmingUndo] = useState(false);
  // Submitting, then loading the page the action sends to (the job's): "Give" stays busy until that page is there,
  // not only until the action answered (newcomer round 17: the button sat idle for 10 s while the job page loaded).
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const s: Record<
    | "rows"
    | "problems"
    | "create"
    | "update"
    | "skip"
    | "points"
    | "passwords"
    | "unchanged"
    | "customers"
    | "zero"
    | "notFound"
    | "pending"
    | "orders",
    number
  > = {
    rows: 0,
    problems: 0,
    create: 0,
    update: 0,
    skip: 0,
    points: 0,
    passwords: 0,
    unchanged: 0,
    customers: 0,
    zero: 0,
    notFound: 0,
    pending: 0,
    orders: 0,
    ...data.summary,
  };
  const n = (value: number | undefined) => format.number(value ?? 0);
  // "1 customer", "2 customers": every count in the import flow takes its noun through the formatter's plural rules.
  const c = (value: number | undefined, one: string, other = `${one}s`) => format.count(value ?? 0, { one, other });
  const pts = (value: number | undefined) => format.points(value ?? 0);
  const empty = data.kind !== "orders" && data.status !== "checking" && s.rows === 0;
  useEffect(() => {
    if (!actionData) return;
    if (!("ok" in actionData)) {
      shopify.toast.show(actionData.error, { isError: true });
      // A refusal means the page was behind (another backfill gave its orders since): show what stands now.
      revalidate();
    } else if (actionData.intent === "undo") shopify.toast.show("Import undone");
    else {
      downloadFrom(actionData.url);
    }
  }, [actionData, shopify, revalidate]);

  // "Last name on 2, Phone on 1": per field, how many of the updates change it (the dry run's `changed.<field>`).
  const changedFields = Object.entries(data.summary)
    .filter(([key, count]) => key.startsWith("changed.") && count > 0)
    .map(([key, count]) => `${fieldLabel(key.slice("changed.".length))} on ${n(count)}`)
    .join(", ");
  const changing = s.update - s.unchanged;
  // Once the check is done (a preview), and once the job ran: never while rows are still being checked or imported.
  const statusLine =
    data.kind === "customers" && data.guests && (data.status === "checked" || data.ran)
      ? importedCustomersStatusLine(data.summary, {
          invite: Boolean(data.options.invite),
          ...data.guests,
          ran: Boolean(data.ran),
        })
      : null;
  const changesSection = customerChangesSection(changing, data.changes.length, data.ran, format);
  const moreChanges = moreRowsLine(changing, data.changes.length, format);
  const moreCreates = moreRowsLine(s.create, data.creates.length, format);
  const outcome =
    data.status === "checking"
      ? []
      : data.kind === "orders"
        ? backfillLines(data.status, data.summary, format)
        : data.kind === "customers" && data.ran
          ? [customerImportRanLine(data.summary, data.ran, format)]
          : data.kind === "customers" && data.status === "importing"
            ? ["Importing now: its progress and results list each row as it is done."]
            : data.kind === "customers"
              ? customerPreviewLines(data.summary, { changedFields, invite: Boolean(data.options.invite) }, format)
              : [
                  `${c(s.customers, "customer")}, ${pts(s.points)}; ${c(s.notFound, "email")} not found in Shopify`,
                  ...(s.zero ? [`${c(s.zero, "customer")} ${s.zero === 1 ? "has" : "have"} no points to move`] : []),
                  ...(s.pending
                    ? [`${c(s.pending, "pending point")} not moved (they wait on orders Tally did not see)`]
                    : []),
                ];

  return (
    <Page>
      <TitleBar
        title={
          data.kind === "customers"
            ? "Import customers"
            : data.kind === "orders"
              ? "Points for past orders"
              : `Move points from ${data.source}`
        }
      >
        <Link variant="breadcrumb" to="/app/import">
          Import
        </Link>
      </TitleBar>
      <Layout>
        {unanswered ? (
          <Layout.Section>
            <NotAnsweringNote />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {data.fileName}
                </Text>
                <Badge
                  tone={
                    data.checkFailed !== null
                      ? "critical"
                      : data.status === "imported"
                        ? "success"
                        : data.status === "undone"
                          ? "warning"
                          : "info"
                  }
                >
                  {data.checkFailed !== null
                    ? checkFailedBadge(data.kind)
                    : {
                        checking: data.kind === "orders" ? "Counting" : "Checking",
                        checked: "Checked",
                        importing: "Importing",
                        imported: "Imported",
                        undoing: "Undoing",
                        undone: "Undone",
                      }[data.status]}
                </Badge>
              </InlineStack>
              {data.undone ? (
                <Text as="p" data-testid="import-undone">
                  Undone{data.undone.by ? ` by ${data.undone.by}` : ""}
                  {data.undone.at ? ` on ${format.dateTime(data.undone.at)}` : ""}:{" "}
                  {data.kind === "orders"
                    ? "the points it gave for past orders were taken back."
                    : "the points it moved in were taken back."}
                </Text>
              ) : null}
              {empty ? (
                <Banner tone="warning" title="No customers in this file">
                  <p>The file has a header row and nothing under it. Add a row per customer and upload it again.</p>
                </Banner>
              ) : null}
              {data.nothingToImport && !empty ? (
                <Banner tone="info" title={data.kind === "orders" ? "Nothing to give" : "Nothing to import"}>
                  <p>
                    {data.kind === "customers"
                      ? "Every row of this file either has a problem or matches what Shopify and Tally already hold: importing it would change nothing."
                      : data.kind === "orders" && backfillLeft(data.summary).taken > 0
                        ? "Another Points for past orders gave these orders their points since this preview was counted. Nothing is given twice."
                        : data.kind === "orders"
                          ? "No order since this date has points to give. Choose an earlier date on the Import page to look further back."
                          : "No row of this file has points to move."}
                  </p>
                </Banner>
              ) : null}
              {data.checkFailed !== null ? (
                <Banner
                  tone="critical"
                  title={data.kind === "orders" ? "Tally could not count these orders" : "This file cannot be imported"}
                >
                  <p data-testid="import-check-failed">{checkFailedWords(data.kind, data.checkFailed)}</p>
                </Banner>
              ) : null}
              {data.kind !== "orders" && data.status !== "checking" ? (
                <Text as="p" data-testid="import-summary">
                  {c(s.rows, "row")} read: {n(s.rows - s.problems)} ready, {n(s.problems)} with problems.
                </Text>
              ) : null}
              {data.prunedAfterDays !== null ? (
                <Text as="p" tone="subdued" data-testid="import-file-pruned">
                  {`The uploaded file and the rows read from it (rows with problems, the customers it named) were deleted after ${data.prunedAfterDays} days; the figures stay.`}
                </Text>
              ) : null}
              {data.counting ? (
                <BlockStack gap="200">
                  <div data-testid="import-checking">
                    <Text as="p">
                      {data.kind === "orders"
                        ? `Counting what each order earns under today's program: ${n(data.counting.done)}${data.counting.total !== null ? ` of ${n(data.counting.total)}` : ""} orders read`
                        : `Checking rows… ${n(data.counting.done)}${data.counting.total !== null ? ` of ${n(Math.max(data.counting.total, data.counting.done))}` : ""}`}
                    </Text>
                    {data.waiting ? (
                      <Text as="p" tone="subdued">
                        {data.waiting}
                      </Text>
                    ) : null}
                    {data.resuming ? (
                      <Text as="p" tone="subdued">
                        {data.resuming}
                      </Text>
                    ) : null}
                  </div>
                  {reconnecting ? (
                    <ReconnectingNote goesOn={data.kind === "orders" ? "The count goes on" : "The check goes on"} />
                  ) : null}
                  <ProgressBar
                    progress={
                      data.counting.total
                        ? Math.min(100, Math.round((100 * data.counting.done) / Math.max(1, data.counting.total)))
                        : 0
                    }
                    size="small"
                  />
                </BlockStack>
              ) : null}
              <BlockStack gap="100">
                {outcome.map((line) => (
                  <Text as="p" key={line}>
                    {line}
                  </Text>
                ))}
              </BlockStack>
              {data.creates.length > 0 ? (
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    {`New customers (${n(s.create)})`}
                  </Text>
                  <div className={wrapping.wrap} data-testid="import-creates">
                    <DataTable
                      columnContentTypes={
                        data.hasPointsColumn ? ["numeric", "text", "text", "numeric"] : ["numeric", "text", "text"]
                      }
                      headings={data.hasPointsColumn ? ["Line", "Name", "Email", "Points"] : ["Line", "Name", "Email"]}
                      rows={data.creates.map((created) => [
                        created.line,
                        [created.firstName, created.lastName].filter(Boolean).join(" ") || "No name",
                        created.email,
                        ...(data.hasPointsColumn ? [n(created.points ?? 0)] : []),
                      ])}
                    />
                  </div>
                  {moreCreates ? (
                    <div data-testid="import-creates-more">
                      <Text as="p" tone="subdued">
                        {moreCreates}
                      </Text>
                    </div>
                  ) : null}
                </BlockStack>
              ) : null}
              {statusLine && !empty && !data.nothingToImport ? (
                <Banner tone="info" title="Imported customers are Guests until they have an account">
                  <p data-testid="import-guests">{statusLine}</p>
                </Banner>
              ) : null}
              {data.kind === "customers" && s.passwords ? (
                <Banner tone="info" title={`${c(s.passwords, "row")} ${s.passwords === 1 ? "has" : "have"} a password`}>
                  <p>
                    Shopify does not let apps set customer passwords, so they are not imported.
                    {data.options.invite
                      ? " Shopify emails each new customer its account invitation to choose their own (Shopify sends it, not Tally)."
                      : " Go back and tick the account invitation to let new customers choose their own."}
                  </p>
                </Banner>
              ) : null}
              {busy === "start" ? (
                // The job is being started: shown at once, as a started job's page shows its bar, until that page opens.
                <BlockStack gap="200">
                  <Text as="p" data-testid="import-starting">
                    {data.kind === "orders"
                      ? "Giving points: the job's progress opens in a moment…"
                      : "Starting the import: its progress opens in a moment…"}
                  </Text>
                  <ProgressBar progress={0} size="small" animated />
                </BlockStack>
              ) : null}
              <InlineStack gap="200">
                {data.status === "checked" && !empty && !data.nothingToImport ? (
                  <Button
                    variant="primary"
                    loading={busy === "start"}
                    onClick={() => submit({ intent: "start" }, { method: "post" })}
                  >
                    {data.kind === "customers"
                      ? // The counts are the preview's: a button's own count read "Import 3" for 2 changes.
                        "Import customers"
                      : data.kind === "orders"
                        ? // What is left: another backfill may have given some of the preview's orders since.
                          `Give ${pts(backfillLeft(data.summary).points)}`
                        : `Move ${pts(s.points)}`}
                  </Button>
                ) : null}
                {/* A file's check task is the preview itself; a backfill's lists what each order would earn. */}
                {data.taskId &&
                (data.kind === "orders" || (data.status !== "checking" && data.status !== "checked")) ? (
                  <Link to={`/app/jobs/${data.taskId}`}>See the import&apos;s progress and results</Link>
                ) : null}
                {data.kind !== "customers" && data.status === "imported" && s.points > 0 ? (
                  <Button tone="critical" loading={busy === "undo"} onClick={() => setConfirmingUndo(true)}>
                    Undo this import
                  </Button>
                ) : null}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        {data.mapping.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  How the columns were read
                </Text>
                <DataTable
                  columnContentTypes={["text", "text"]}
                  headings={["Column in your file", "Imported as"]}
                  rows={data.mapping.map((column) => [column.header, column.field ?? "Ignored"])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        {data.changes.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {changesSection.heading}
                </Text>
                <Text as="p" tone="subdued">
                  {changesSection.note}
                </Text>
                <div className={wrapping.wrap} data-testid="import-changes">
                  <DataTable
                    columnContentTypes={["numeric", "text", "text"]}
                    headings={["Line", "Customer", "Changes"]}
                    rows={data.changes.map((change) => [
                      change.line,
                      <Link key={change.line} to={`/app/customers/${change.customerId}`}>
                        {change.email}
                      </Link>,
                      describeFieldChanges(change.before, change.after, format.number),
                    ])}
                  />
                </div>
                {moreChanges ? (
                  <div data-testid="import-changes-more">
                    <Text as="p" tone="subdued">
                      {moreChanges}
                    </Text>
                  </div>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        {data.problems.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Rows with problems ({n(s.problems)})
                  </Text>
                  <Button
                    loading={busy === "download"}
                    onClick={() => submit({ intent: "download" }, { method: "post" })}
                  >
                    Download rows with problems
                  </Button>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {`These rows are left out. Download them (${problemsFileName(data.fileName)} holds only these rows), fix them there, and upload that file to import them.`}
                  {(s.problems ?? 0) > data.problems.length
                    ? ` The first ${n(data.problems.length)} are shown here; the download has all ${n(s.problems)}.`
                    : ""}
                </Text>
                {/* Cells wrap: a long reason stays whole at 1280-1440 px, with no sideways scroll or pager. */}
                <div className={wrapping.wrap} data-testid="import-problems">
                  <DataTable
                    columnContentTypes={["numeric", "text", "text"]}
                    headings={["Line", "Row", "Problem"]}
                    rows={data.problems.map((problem) => [
                      problem.line,
                      problem.cells.join(", ").slice(0, 80),
                      problem.message,
                    ])}
                  />
                </div>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
      {data.kind !== "customers" && data.status === "imported" ? (
        <ConfirmModal
          open={confirmingUndo}
          title={`Take back ${format.points(s.points)} from ${format.count(s.customers, { one: "customer", other: "customers" })}?`}
          body={
            data.kind === "orders"
              ? "Every point this import gave for past orders is taken back. Nothing changes for anyone if a customer has spent points of it since."
              : `Every point this import moved from ${data.source ?? "the other app"} is taken back. Nothing changes for anyone if a customer has spent points of it since.`
          }
          action="Undo import"
          submitting={busy === "undo"}
          onClose={() => setConfirmingUndo(false)}
          onConfirm={() => {
            submit({ intent: "undo", requestId: crypto.randomUUID() }, { method: "post" });
            setConfirmingUndo(false);
          }}
        />
      ) : null}
    </Page>
  );
}
