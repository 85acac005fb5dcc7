import { useFetcher } from "@remix-run/react";
import { Modal, TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { splitTags, tagProblem, type CustomerCount, type DirectoryColumn } from "~/domain/customers";
import type { PointsReminderCase } from "~/domain/email";
import {
  ADJUSTMENT_REASON_REQUIRED,
  adjustmentReasonSchema,
  MAX_ADJUSTMENT_REASON_LENGTH,
  pointsChangeTextSchema,
  tooLongWords,
  characterCountWords,
  WHOLE_POINTS_CHANGE,
} from "~/domain/shared";
import { adjustReasonHelp } from "./adjust-points-modal";
import { WHAT_BLOCKING_DOES } from "./block-customer-modal";
import { useFormat } from "./format-context";
import { EnterSubmitsForm } from "./enter-submits-form";
import { reminderPanelWarning } from "./reminder-cases-notice";
import {
  bulkEditCustomersKind,
  deleteCustomersKind,
  exportColumnsFor,
  exportColumnHeaders,
  exportColumns,
  exportCustomersKind,
  inviteCustomersKind,
  remindPointsKind,
  runningActionWarning,
  runningOfPanel,
  sameWorkRefusal,
  type BulkEdit,
  type RunningBulkAction,
  type SameWorkRunning,
  type CustomerSelection,
  type ExportColumn,
} from "~/domain/background-jobs";

/** The bulk actions the directory offers (issue 10, decision 026); each starts a background job. */
export type BulkPanel =
  | "tags_add"
  | "tags_remove"
  | "block"
  | "unblock"
  | "points_adjust"
  | "invite"
  | "points_reminder"
  | "export"
  | "delete";

const bulkFields = ["tags", "points", "reason"] as const;
type BulkField = (typeof bulkFields)[number];

const titles: Record<BulkPanel, string> = {
  tags_add: "Add tags",
  tags_remove: "Remove tags",
  block: "Block customers",
  unblock: "Unblock customers",
  points_adjust: "Adjust points",
  invite: "Send referral invitation",
  points_reminder: "Email points reminder",
  export: "Export customers",
  delete: "Delete customers",
};

export const DELETE_CUSTOMERS_MODAL_ID = "delete-customers-modal";

/** "12 customers", "about 1,200 customers", "10,000+ customers": how many a deletion reaches, as counted. */
function howMany(count: CustomerCount, formatNumber: (n: number) => string): string {
  const noun = count.count === 1 && count.precision === "exact" ? "customer" : "customers";
  if (count.precision === "at_least") return `${formatNumber(count.count)}+ ${noun}`;
  if (count.precision === "estimate") return `about ${formatNumber(count.count)} ${noun}`;
  return `${formatNumber(count.count)} ${noun}`;
}

/**
 * Who a deletion of ticked rows reaches, by name: up to five names (the directory's own display name: full name, email,
 * or "Guest (no email)"), then "and 12 others".
 */
export function deletionNames(names: string[]): string {
  const shown = names.slice(0, 5);
  const others = names.length - shown.length;
  if (others > 0) return `${shown.join(", ")} and ${others} ${others === 1 ? "other" : "others"}`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

function newRequestId(): string {
  return globalThis.crypto.randomUUID();
}

/** What a points reminder would leave out, as /app/customers/reminder-preview answers. */
interface ReminderPreview {
  cheapestCost: number | null;
  selected: number | null;
  belowCheapest: number | null;
  /** The cases the shop's saved reminder reads the same to every customer (decision 031); null when none. */
  templateNotice: { version: number; missed: PointsReminderCase[] } | null;
}

/**
 * The cases of the shop's saved reminder that this send would reach: Guests always (a Guest with enough points is
 * reminded too), customers short of the cheapest reward only when "Only customers with enough points" is unticked.
 */
function missedThisTime(preview: ReminderPreview | undefined, onlyRedeemable: boolean): PointsReminderCase[] {
  return (preview?.templateNotice?.missed ?? []).filter((each) => !(onlyRedeemable && each === "below_reward"));
}

/**
 * "120 of the 450 selected customers have fewer than 500 points, the cheapest reward's cost: they are left out and
 * listed on the job's page", or what happens to them when the box is unticked.
 */
function reminderPreviewText(
  preview: ReminderPreview | undefined,
  onlyRedeemable: boolean,
  number: (value: number) => string,
): string {
  if (!preview) return "Counting who has enough points…";
  if (preview.cheapestCost === null) return "Your program offers no reward yet, so nobody has enough points for one.";
  const cost = `${number(preview.cheapestCost)} points, the cheapest reward's cost`;
  const below = preview.belowCheapest;
  if (below === 0) return `Everyone selected has at least ${cost}.`;
  const who =
    below === null
      ? "Customers with fewer than"
      : preview.selected !== null
        ? preview.selected === 1
          ? "The selected customer has fewer than"
          : `${number(below)} of the ${number(preview.selected)} selected customers ${below === 1 ? "has" : "have"} fewer than`
        : `${number(below)} of them ${below === 1 ? "has" : "have"} fewer than`;
  return onlyRedeemable
    ? `${who} ${cost}: left out, and listed on the job's page with their balance.`
    : `${who} ${cost}: those with some points are reminded too, though they cannot redeem yet (nobody with no points is).`;
}

/** Who of a points adjustment's selection it leaves out or who cannot redeem, as /app/customers/adjust-preview answers. */
export interface AdjustPreview {
  selected: number | null;
  guestsRedeem: boolean;
  guests: CustomerCount | null;
  blocked: CustomerCount;
}

/**
 * "3 of the 12 selected customers": who of the selection a note is about, as counted (`ticked` false: "matching"; a
 * count past the cap "10,000+ of them", an estimate "About 1,200 of them"), with `is` / `are` after it as `verbs` says.
 */
function whoOfSelection(
  counted: CustomerCount,
  selected: number | null,
  ticked: boolean,
  number: (value: number) => string,
  verbs: { one: string; other: string },
): string {
  const { count, precision } = counted;
  const one = count === 1 && precision === "exact";
  const are = one ? verbs.one : verbs.other;
  const chosen = ticked ? "selected" : "matching";
  return precision === "exact" && selected !== null
    ? count === selected
      ? one
        ? `The ${chosen} customer ${verbs.one}`
        : `All ${number(count)} ${chosen} customers ${verbs.other}`
      : `${number(count)} of the ${number(selected)} ${chosen} ${selected === 1 ? "customer" : "customers"} ${are}`
    : precision === "at_least"
      ? `${number(count)}+ of them ${are}`
      : precision === "estimate"
        ? `About ${number(count)} of them ${are}`
        : `${number(count)} of them ${are}`;
}

/**
 * What bulk Adjust points says of the blocked customers it leaves out (decision 065), or null when none are selected
 * or not counted yet: "3 of the 12 selected customers are blocked: they are left out, and listed as not changed on the
 * job's page. Adjust a blocked customer's points on their profile." Whatever the points: a removal leaves them out
 * too. It never stops the action.
 */
export function blockedNoteText(
  preview: AdjustPreview | undefined,
  ticked: boolean,
  number: (value: number) => string,
): string | null {
  if (!preview?.blocked) return null;
  if (preview.blocked.count === 0 && preview.blocked.precision === "exact") return null;
  const who = whoOfSelection(preview.blocked, preview.selected, ticked, number, {
    one: "is blocked",
    other: "are blocked",
  });
  return `${who}: they are left out, and listed as not changed on the job's page. Adjust a blocked customer's points on their profile.`;
}

/**
 * What bulk Adjust points says of the Guests it reaches while the program's "Guests can redeem" is off (Settings), or
 * null when there is nothing to say (not counted yet, Guests can redeem, none selected): "3 of the 12 selected
 * customers are Guests: they get the points, but can't redeem them until they create an account in your store
 * (Guests can redeem is off in Settings)"; for a search and filters (`ticked` false) "of the 12 matching customers",
 * whose count may be "10,000+" or an estimate, said so. Only for `points` (the Points field as typed) that give
 * points: a whole number above 0 as the form reads it (`pointsChangeTextSchema`); nothing for 0, points taken away or
 * a field it cannot read. It never stops the action: a merchant may mean to give Guests points to spend once they
 * sign up (a newcomer gave Guests points they could not spend, and nothing said so).
 */
export function guestsNoteText(
  preview: AdjustPreview | undefined,
  ticked: boolean,
  number: (value: number) => string,
  points: string,
): string | null {
  if (!preview?.guests || preview.guestsRedeem) return null;
  const given = pointsChangeTextSchema.safeParse(points);
  if (!given.success || given.data <= 0) return null;
  const { count, precision } = preview.guests;
  if (count === 0 && precision === "exact") return null;
  const who = whoOfSelection(preview.guests, preview.selected, ticked, number, {
    one: "is a Guest",
    other: "are Guests",
  });
  return `${who}: they get the points, but can't redeem them until they create an account in your store (Guests can redeem is off in Settings).`;
}

/**
 * The form of one bulk action over the selection (the ticked rows, or every customer matching the search and filters),
 * posted to /app/jobs with a request id made when the form opened: a double click or a resubmit starts the job once.
 * The job's page then shows its progress and each customer's result.
 */
export function CustomerBulkActionPanel({
  panel,
  selection,
  selectionText,
  nobodyText,
  shownColumns,
  lastExportColumns,
  selectedNames,
  filterText,
  matches,
  running = [],
  onClose,
}: {
  panel: BulkPanel;
  selection: CustomerSelection;
  /** "3 selected customers", "all 12,408 customers that match": what the action will reach. */
  selectionText: string;
  /**
   * What the form says when a `{ query }` selection reaches nobody, naming only what selects it ("No customer is in the
   * Guests tab: there is nothing to do. Choose another tab.", noSelectionWords).
   */
  nobodyText: string;
  /** The directory's columns the staff member sees: an export starts with them (exportColumnsFor). */
  shownColumns: readonly DirectoryColumn[];
  /** The columns of the staff member's last export, which the export starts with when there is one. */
  lastExportColumns?: readonly ExportColumn[] | null;
  /** The ticked rows' display names, from the rows on the page, in the list's order (an `{ ids }` selection). */
  selectedNames: string[];
  /** The search and filters in words ("Members · Tagged vip"), empty for none (a `{ query }` selection). */
  filterText: string;
  /** How many customers the directory's search and filters match (a `{ query }` selection reaches them all). */
  matches: Promise<CustomerCount>;
  /**
   * The shop's bulk action jobs still queued or running when the directory loaded: those of this panel's action are
   * named, each linked to its page, before the merchant starts it again (a warning; /app/jobs refuses only the same
   * terms and selection still queued or running at submit, which the form then offers to start anyway).
   */
  running?: readonly RunningBulkAction[];
  onClose: () => void;
}) {
  // A fetcher, not a navigation: when /app/jobs refuses the input, its words land in this form with the input kept;
  // when it starts the job, its redirect opens the job's page.
  const fetcher = useFetcher<{
    error?: string;
    code?: string;
    fieldErrors?: Record<string, string[]>;
    sameWork?: SameWorkRunning;
  }>();
  const [requestId] = useState(newRequestId);
  const [tags, setTags] = useState("");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [allowDebt, setAllowDebt] = useState(false);
  const [onlyRedeemable, setOnlyRedeemable] = useState(true);
  // A points reminder says, before it starts, how many of the selection are below the cheapest reward.
  const preview = useFetcher<ReminderPreview>();
  const previewRequest = panel === "points_reminder" ? JSON.stringify(selection) : undefined;
  useEffect(() => {
    if (previewRequest)
      preview.submit({ selection: previewRequest }, { method: "post", action: "/app/customers/reminder-preview" });
    // The fetcher's own identity changes on every render; the selection is what asks for a new count.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [previewRequest]);
  // A points adjustment says, before it starts, how many of the selection are Guests who cannot redeem what it gives.
  const adjustPreview = useFetcher<AdjustPreview>();
  const adjustRequest = panel === "points_adjust" ? JSON.stringify(selection) : undefined;
  useEffect(() => {
    if (adjustRequest)
      adjustPreview.submit({ selection: adjustRequest }, { method: "post", action: "/app/customers/adjust-preview" });
    // As the reminder's count above: the selection asks for a new count, not the fetcher's identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [adjustRequest]);
  const [columns, setColumns] = useState<ExportColumn[]>(() =>
    lastExportColumns?.length ? [...lastExportColumns] : exportColumnsFor(shownColumns),
  );
  const [error, setError] = useState<string | undefined>();
  // The form as last posted: "Start it again anyway" posts these very terms, the ones its banner names.
  const [lastSubmit, setLastSubmit] = useState<{ kind: string; input: string; requestId: string } | undefined>();
  // A field changed since then: the same-work refusal answered other terms, so it goes, and the form's own button
  // asks again (as useErrorsOfLastSubmit hides a field's error once edited).
  const [changedSinceSubmit, setChangedSinceSubmit] = useState(false);
  // A refusal that belongs to a field lands on it (its error, aria-invalid and aria-describedby), not in the banner.
  // Every field the form refused at once (both of an empty points adjustment), as the profile's modal says them.
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<BulkField, string>> | undefined>();
  const busy = fetcher.state !== "idle";
  const refused = fetcher.state === "idle" && fetcher.data?.error ? fetcher.data : undefined;
  const refusedField = (field: BulkField) =>
    Object.entries(refused?.fieldErrors ?? {}).find(([path]) => path.split(".").at(-1) === field)?.[1][0];
  const errorOf = (field: BulkField) => (fieldErrors ? fieldErrors[field] : refusedField(field));
  const shownOnField = bulkFields.some((field) => errorOf(field) !== undefined);
  // The same work is queued or running (another tab started it): named, linked, and the merchant may start it anyway.
  const refusedSameWork = refused?.code === "already_running" ? refused.sameWork : undefined;
  const sameWork = changedSinceSubmit ? undefined : refusedSameWork;
  const refusal =
    refused && !shownOnField && !refusedSameWork
      ? (Object.values(refused.fieldErrors ?? {}).flat()[0] ?? refused.error)
      : undefined;
  const format = useFormat();
  // Deleting asks once, in the modal, which opens with the panel: there is nothing to fill in before it.
  const [confirming, setConfirming] = useState(panel === "delete");
  const [matched, setMatched] = useState<CustomerCount | null>(null);
  useEffect(() => {
    let live = true;
    void matches.then((count) => live && setMatched(count));
    return () => {
      live = false;
    };
  }, [matches]);
  const count: CustomerCount | null =
    "ids" in selection ? { count: selection.ids.length, precision: "exact" } : matched;
  const reach = count ? howMany(count, format.number) : "the matching customers";
  // A search and filters that match nobody start no job (an export of none made a file of headings only).
  const nobody = count !== null && count.precision === "exact" && count.count === 0;
  const who =
    "ids" in selection
      ? selectedNames.length > 0
        ? deletionNames(selectedNames)
        : reach
      : `${count ? `all ${howMany(count, format.number)}` : "every customer"} ${filterText ? `that match ${filterText}` : "in the store"}`;

  const refuse = (field: BulkField, message: string) => refuseAll({ [field]: message });
  const refuseAll = (errors: Partial<Record<BulkField, string>>) => {
    setError(undefined);
    setFieldErrors(errors);
  };
  /** Any change of the form's terms: what the last submit's same-work refusal said no longer answers them. */
  const changed =
    <Value,>(set: (value: Value) => void) =>
    (value: Value) => {
      set(value);
      setChangedSinceSubmit(true);
    };
  /** A field's change clears what was said about it. */
  const edited = (field: BulkField, set: (value: string) => void) => (value: string) => {
    changed(set)(value);
    if (fieldErrors?.[field] !== undefined) {
      const { [field]: _cleared, ...rest } = fieldErrors;
      setFieldErrors(Object.keys(rest).length > 0 ? rest : undefined);
    }
  };

  /** Posts the form's action with the terms as the fields now read. */
  const start = () => {
    let kind: string;
    // `object`, not `unknown`: the compiler then refuses a branch that forgets its input (a merge once dropped one).
    let input: object;
    if (panel === "export") {
      kind = exportCustomersKind.kind;
      input = { selection, columns };
    } else if (panel === "invite") {
      kind = inviteCustomersKind.kind;
      input = { selection };
    } else if (panel === "delete") {
      kind = deleteCustomersKind.kind;
      input = { selection };
    } else if (panel === "points_reminder") {
      kind = remindPointsKind.kind;
      input = { selection, onlyRedeemable };
    } else {
      let edit: BulkEdit;
      if (panel === "tags_add" || panel === "tags_remove") {
        const list = splitTags(tags);
        if (list.length === 0) return refuse("tags", "Enter one or more tags, separated by commas");
        const problem = list.map(tagProblem).find(Boolean);
        if (problem) return refuse("tags", problem);
        edit = { action: panel, tags: list };
      } else if (panel === "points_adjust") {
        const parsed = pointsChangeTextSchema.safeParse(points);
        const why = reason.trim() ? adjustmentReasonSchema.safeParse(reason) : undefined;
        if (!parsed.success || !why?.success) {
          return refuseAll({
            ...(parsed.success ? {} : { points: parsed.error.issues[0]?.message ?? WHOLE_POINTS_CHANGE }),
            ...(why?.success
              ? {}
              : { reason: why ? (why.error.issues[0]?.message ?? "Shorten the reason") : ADJUSTMENT_REASON_REQUIRED }),
          });
        }
        edit = { action: "points_adjust", points: parsed.data, reason: why.data, ...(allowDebt ? { allowDebt } : {}) };
      } else {
        edit = { action: panel };
      }
      kind = bulkEditCustomersKind.kind;
      input = { selection, edit };
    }
    setError(undefined);
    setFieldErrors(undefined);
    const form = { kind, input: JSON.stringify(input), requestId };
    setLastSubmit(form);
    setChangedSinceSubmit(false);
    fetcher.submit(form, { method: "post", action: "/app/jobs" });
  };

  /** "Start it again anyway": the refused submit's own form again, with the merchant's confirmation. */
  const startAnyway = () => {
    if (lastSubmit) fetcher.submit({ ...lastSubmit, startAnyway: "1" }, { method: "post", action: "/app/jobs" });
  };

  const typedPoints = pointsChangeTextSchema.safeParse(points);
  const alreadyRunning = runningOfPanel(running, panel, typedPoints.success ? typedPoints.data : undefined).map(
    (job) => (
      <Banner key={job.id} tone="warning" action={{ content: "View job", url: `/app/jobs/${job.id}` }}>
        <span data-testid="bulk-already-running">{runningActionWarning(job, format.number)}</span>
      </Banner>
    ),
  );

  const sameWorkBanner = sameWork ? (
    <Banner
      tone="warning"
      action={{ content: "Start it again anyway", onAction: startAnyway, loading: busy }}
      secondaryAction={{ content: "View job", url: `/app/jobs/${sameWork.id}` }}
    >
      <span data-testid="bulk-same-running">{sameWorkRefusal(sameWork, format.number)}</span>
    </Banner>
  ) : null;

  if (panel === "delete") {
    return (
      <Modal
        id={DELETE_CUSTOMERS_MODAL_ID}
        open={confirming}
        onHide={() => {
          setConfirming(false);
          onClose();
        }}
      >
        <Box padding="400">
          <BlockStack gap="200">
            <Text as="p">
              <span data-testid="delete-customers-who">This deletes, in Shopify, {who}.</span> It cannot be undone: a
              deleted customer leaves the directory, their points stop counting, and their profile stays as history.
            </Text>
            <Text as="p" tone="subdued">
              Shopify keeps customers who have orders: the job&apos;s page says so for each, with the offer to request
              erasure of their personal data instead.
            </Text>
            {sameWork ? null : alreadyRunning}
            {sameWorkBanner}
            {error || refusal ? <Banner tone="critical">{error ?? refusal}</Banner> : null}
          </BlockStack>
        </Box>
        <TitleBar title={`Delete ${reach}?`}>
          <button variant="primary" tone="critical" onClick={() => start()} loading={busy ? "" : undefined}>
            Delete customers
          </button>
          <button onClick={onClose}>Cancel</button>
        </TitleBar>
      </Modal>
    );
  }

  const cannotStart = nobody || (panel === "export" && columns.length === 0);
  const guestsNote = guestsNoteText(adjustPreview.data, "ids" in selection, format.number, points);
  const blockedNote = blockedNoteText(adjustPreview.data, "ids" in selection, format.number);
  return (
    <Card>
      {/* Enter in a field starts the action as its button does, as in the profile's modals. */}
      <EnterSubmitsForm onSubmit={() => !busy && !cannotStart && start()}>
        <BlockStack gap="300">
          {/* Focus lands here as the form opens when it has no field (the directory's bulk actions). */}
          <div tabIndex={-1} data-bulk-panel-heading>
            <Text as="h2" variant="headingMd">
              {titles[panel]}
            </Text>
          </div>
          <Text as="p">
            {/* A search and filters' reach is counted, so staff know how many before they start (a newcomer). */}
            For {selectionText}
            {"query" in selection && count ? ` (${howMany(count, format.number)})` : ""}. It runs in the background: you
            can follow it, and {panel === "export" ? "download its file" : <>read each customer&apos;s result</>}, on
            the job&apos;s page.
          </Text>
          {nobody ? <Banner tone="warning">{nobodyText}</Banner> : null}
          {sameWork ? null : alreadyRunning}
          {sameWorkBanner}
          {error || refusal ? <Banner tone="critical">{error ?? refusal}</Banner> : null}
          {panel === "tags_add" || panel === "tags_remove" ? (
            <TextField
              label="Tags"
              helpText="Separate tags with commas. Tags are changed in Shopify."
              value={tags}
              onChange={edited("tags", setTags)}
              error={errorOf("tags")}
              autoComplete="off"
            />
          ) : null}
          {panel === "points_adjust" ? (
            <InlineStack gap="300">
              <TextField
                label="Points"
                helpText="Use a minus sign to take points away, like -20."
                type="number"
                value={points}
                // A new amount is a new question, as on a profile: the box is unticked for it (decision 022).
                onChange={(value) => {
                  edited("points", setPoints)(value);
                  setAllowDebt(false);
                }}
                error={errorOf("points")}
                autoComplete="off"
              />
              <TextField
                label="Reason"
                value={reason}
                onChange={edited("reason", setReason)}
                helpText={adjustReasonHelp}
                error={tooLongWords(reason, MAX_ADJUSTMENT_REASON_LENGTH) ?? errorOf("reason")}
                autoComplete="off"
                suffix={characterCountWords(reason, MAX_ADJUSTMENT_REASON_LENGTH)}
              />
            </InlineStack>
          ) : null}
          {panel === "points_adjust" && blockedNote ? (
            <Banner tone="info">
              <span data-testid="adjust-blocked-note">{blockedNote}</span>
            </Banner>
          ) : null}
          {panel === "points_adjust" && guestsNote ? (
            <Banner tone="info">
              <span data-testid="adjust-guests-note">{guestsNote}</span>
            </Banner>
          ) : null}
          {panel === "points_adjust" ? (
            <Checkbox
              label="Allow balances below zero"
              helpText="When you remove more points than a customer has, they owe the rest, as when you confirm it on a profile. Unticked, those customers are left unchanged and listed on the job's page."
              checked={allowDebt}
              onChange={changed(setAllowDebt)}
            />
          ) : null}
          {panel === "block" ? (
            <Text as="p">
              <span data-testid="block-words">
                {WHAT_BLOCKING_DOES} You can still adjust a blocked customer&apos;s points on their profile; bulk points
                adjustments leave them out.
              </span>
            </Text>
          ) : null}
          {panel === "invite" ? (
            <Text as="p" tone="subdued">
              Only customers subscribed to email marketing who have not unsubscribed from Tally&apos;s emails are sent
              the invitation (Settings › Emails holds its template).
            </Text>
          ) : null}
          {panel === "points_reminder" ? (
            <>
              <Text as="p" tone="subdued">
                Each customer gets their balance, the cheapest reward and a link to your store. Only customers with
                points, subscribed to email marketing and not unsubscribed from Tally&apos;s emails are sent it; the job
                lists everyone else with the reason (Settings › Emails holds its template).
              </Text>
              <Checkbox
                label="Only customers with enough points for a reward"
                helpText={
                  <span data-testid="reminder-preview">
                    {reminderPreviewText(preview.data, onlyRedeemable, format.number)}
                  </span>
                }
                checked={onlyRedeemable}
                onChange={changed(setOnlyRedeemable)}
              />
              {missedThisTime(preview.data, onlyRedeemable).length > 0 ? (
                <Banner
                  tone="warning"
                  action={{
                    content: "Review it in Settings › Emails",
                    url: "/app/settings/emails?kind=points_reminder",
                  }}
                >
                  <span data-testid="reminder-template-notice">
                    {reminderPanelWarning(missedThisTime(preview.data, onlyRedeemable))}
                  </span>
                </Banner>
              ) : null}
            </>
          ) : null}
          {panel === "export" ? (
            <ChoiceList
              title="Columns"
              allowMultiple
              choices={exportColumns.map((column) => ({ label: exportColumnHeaders[column], value: column }))}
              selected={columns}
              onChange={(selected) => changed(setColumns)(selected as ExportColumn[])}
            />
          ) : null}
          <InlineStack gap="200" align="end">
            <Button onClick={onClose}>Cancel</Button>
            <Button
              variant="primary"
              tone={panel === "block" ? "critical" : undefined}
              loading={busy}
              disabled={cannotStart}
              onClick={() => start()}
            >
              {panel === "export" ? "Export" : titles[panel]}
            </Button>
          </InlineStack>
        </BlockStack>
      </EnterSubmitsForm>
    </Card>
  );
}
