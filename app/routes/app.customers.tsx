import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { activeJobOf, ACTIVE_JOBS_SHOWN } from "~/components/active-jobs-banner";
import { CustomerDirectory } from "~/components/customer-directory";
import { RequestErrorPage } from "~/components/request-error-page";
import { POLL_MS } from "~/components/job-progress";
import { pollClientLoader } from "~/components/use-poll";
import { usePolledLoaderData } from "~/components/use-polled-loader-data";
import {
  customerQueryParamsSchema,
  directoryColumns,
  leftOutParamWords,
  directoryPageSchema,
  hasDirectoryTerms,
  paramsOf,
  viewNameSchema,
  type SavedCustomerView,
} from "~/domain/customers";
import {
  directoryActionOf,
  directoryBulkActionKinds,
  type RunningBulkAction,
  type TaskView,
} from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseFormFields, parseOr400, parseQueryLeavingOut, readForm } from "~/lib/parse.server";
import {
  deleteCustomerView,
  renameCustomerView,
  saveCustomerView,
  saveDirectoryColumns,
} from "~/services/customers/directory-views.server";
import {
  countDirectoryMatches,
  customerQueryOf,
  customerViewParams,
  loadCustomerDirectory,
} from "~/services/customers/load-customer-directory.server";
import { getCustomerSyncStatus, startCustomerSync } from "~/services/customers/customer-syncs.server";
import { listTasks } from "~/services/background-jobs/get-task.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

/** The staff member's Shopify user id, from the actor "staff:<id>"; null when Shopify named nobody. */
function staffIdOf(actor: string): string | null {
  return actor.startsWith("staff:") ? actor.slice("staff:".length) : null;
}

/** How many of the shop's active bulk action jobs the panel is told of, newest first: more than anyone starts. */
const RUNNING_READ = 20;

/** The panel's view of active jobs: which action each is, how far it is, and nothing else of its input. */
function runningBulkActionsOf(jobs: readonly TaskView[]): RunningBulkAction[] {
  return jobs.flatMap((job) => {
    const action = directoryActionOf(job);
    if (!action) return [];
    return [
      { id: job.id, action, status: job.status, progress: { done: job.progress.done, total: job.progress.total } },
    ];
  });
}

export const meta: MetaFunction = () => pageTitle("Customers");

/** A saved view's id in the URL (`view`); anything else names no view. */
const viewIdSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number)
  .optional()
  .catch(undefined);

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const url = new URL(request.url);
  const raw = paramsOf(url.searchParams);
  const viewId = viewIdSchema.parse(raw.view);
  // A link with a value Tally cannot use still opens the directory, without that value and saying so.
  const { data: params, leftOut, reasons } = parseQueryLeavingOut(customerQueryParamsSchema, raw);
  const { data: position, leftOut: pageLeftOut } = parseQueryLeavingOut(directoryPageSchema, {
    after: raw.after,
    before: raw.before,
  });
  const staff = staffActorOf(session, sessionToken);
  const ctx = contextFor(session.shop, staff);
  // A view's link with none of its terms (a bookmark of `?view=1`, a reload, Back) opens the view's own terms: under
  // its name the list showed every customer, and a bulk action or export took the whole shop. The URL's sort stays.
  // A view the shop no longer has falls through: the page says so (viewNotice) and shows the link's terms.
  if (viewId !== undefined && !hasDirectoryTerms(raw)) {
    const viewParams = await customerViewParams({ ctx, input: { id: viewId } });
    // A view of every customer in the default order has nothing to add: its link is already its own. One of every
    // customer in its own order (only a sort) opens in that order, unless the link chose one.
    const addsSort = viewParams?.has("sort") === true && !url.searchParams.has("sort");
    if (viewParams && (hasDirectoryTerms(paramsOf(viewParams)) || addsSort)) {
      if (url.searchParams.has("sort")) viewParams.set("sort", url.searchParams.get("sort")!);
      throw redirect(`/app/customers?${viewParams.toString()}`);
    }
  }
  const directory = await loadCustomerDirectory({
    ctx,
    input: { params, ...position, staffId: staffIdOf(staff.actor), viewId },
  });
  // Streamed after the page (single fetch): the table never waits for the count.
  return {
    ...directory,
    sync: { ...(await getCustomerSyncStatus({ ctx })), now: ctx.now.toISOString() },
    // Jobs still going (a bulk action just started): a merchant who reloads sees it began and does not start it twice.
    activeJobs: {
      jobs: (await listTasks({ ctx, input: { active: true, limit: ACTIVE_JOBS_SHOWN } })).tasks.map(activeJobOf),
      now: ctx.now.toISOString(),
    },
    // The bulk actions still going, which the panel names before the same action starts again (read by the same
    // index of unfinished tasks).
    runningBulkActions: runningBulkActionsOf(
      (await listTasks({ ctx, input: { active: true, kinds: directoryBulkActionKinds, limit: RUNNING_READ } })).tasks,
    ),
    count: countDirectoryMatches({ ctx, input: { query: directory.query } }),
    leftOutParams: [...leftOut, ...pageLeftOut],
    // What was left out in the directory's words, one line each (the page's two cursors are one "Page").
    leftOutWords: [...new Set([...leftOut, ...pageLeftOut].map((name) => leftOutParamWords(name, reasons[name])))],
  };
});

const idSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const actionSchema = z.discriminatedUnion("intent", [
  /** `search` is the directory's URL query string at the moment the view is saved; `id` saves it over that view. */
  z.object({
    intent: z.literal("save-view"),
    name: viewNameSchema,
    search: z.string().max(4_000),
    id: idSchema.optional(),
  }),
  z.object({ intent: z.literal("rename-view"), id: idSchema, name: viewNameSchema }),
  z.object({ intent: z.literal("delete-view"), id: idSchema }),
  /** Sync customers, once per request id (made when the button is pressed). */
  z.object({ intent: z.literal("sync"), requestId: z.string().min(1).max(100) }),
  z.object({
    intent: z.literal("save-columns"),
    columns: z
      .string()
      .max(500)
      .transform((value) => value.split(",").filter(Boolean))
      .pipe(z.array(z.enum(directoryColumns))),
  }),
]);

export type DirectoryActionData =
  { ok: true; view?: SavedCustomerView; sync?: { taskId: number; created: boolean } } | DomainErrorBody;

/** Saved views (per shop) and the column picker (per staff member). */
export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = parseFormFields(actionSchema, await readForm(request));
  const staff = staffActorOf(session, sessionToken);
  const ctx = contextFor(session.shop, staff);
  switch (form.intent) {
    case "save-view": {
      const params = parseOr400(customerQueryParamsSchema, paramsOf(new URLSearchParams(form.search)));
      const { query } = await customerQueryOf({ ctx, input: { params } });
      return { ok: true, view: await saveCustomerView({ ctx, input: { name: form.name, query, id: form.id } }) };
    }
    case "rename-view":
      await renameCustomerView({ ctx, input: { id: form.id, name: form.name } });
      return { ok: true };
    case "delete-view":
      await deleteCustomerView({ ctx, input: { id: form.id } });
      return { ok: true };
    case "sync": {
      const { task, created } = await startCustomerSync({ ctx, input: { requestId: form.requestId } });
      return { ok: true, sync: { taskId: task.id, created } };
    }
    case "save-columns": {
      const staffId = staffIdOf(staff.actor);
      if (!staffId) throw new DomainError("bad_request", "Shopify did not say which staff member is signed in");
      await saveDirectoryColumns({ ctx, input: { staffId, columns: form.columns } });
      return { ok: true };
    }
  }
});

// The directory polls itself while the install sync runs: an ask that does not reach Tally says so (usePoll).
export const clientLoader = pollClientLoader;

export default function Customers() {
  // While the install sync runs, the directory asks for itself again every few seconds, as a poll (?poll=1): the
  // customers arriving show, and the sync keeps its pace (decision 030, sixth round).
  const { data, reconnecting, unanswered } = usePolledLoaderData<typeof loader>({
    every: POLL_MS * 2,
    active: (shown) => shown.sync.installRunning,
  });
  return <CustomerDirectory data={data} installReconnecting={reconnecting} unanswered={unanswered} />;
}

/** A refused query (a filter value out of range typed into the URL) keeps the merchant in the directory. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500)
    return (
      <RequestErrorPage
        title="Customers"
        status={error.status}
        data={error.data}
        issueWords={(path, message) => (path ? leftOutParamWords(path, message) : message)}
      />
    );
  return boundary.error(error);
}
