import { BlockStack, Box, Card, ChoiceList, Filters, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { auditActionLabel, auditActionLabels, describeFieldChanges } from "~/domain/audit";
import { outcomeLabelsOf, type CustomerBulkActionLine } from "~/domain/background-jobs";
import styles from "./audit-log.module.css";
import { DateTimeLines } from "./date-time-lines";
import type { Formatter } from "~/lib/format";
import { useFormat } from "./format-context";
import { actorLabel } from "./labels";
import { keptReminderWords } from "./reminder-cases-notice";

export interface AuditLine {
  id: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  customerId: number | null;
  subject: string;
  before: unknown;
  after: unknown;
  taskId: number | null;
  /** The title of the job that wrote the line (the Jobs list's); null when no job did or it was pruned. */
  taskTitle: string | null;
}

/** What a line's change is told from: its action, subject and what it recorded before and after. */
type AuditChange = Pick<AuditLine, "action" | "subject" | "before" | "after">;

export interface AuditFilters {
  actor: string | null;
  action: string | null;
  customerId: number | null;
  /** The customer's name when filtered by one, for the filter's tag. */
  customerLabel: string | null;
}

type Json = Record<string, unknown> | null | undefined;
const field = (value: unknown, key: string): unknown => (value as Json)?.[key];
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

/**
 * A group discount as the audit records it ("CA$10.00 off, code VIP10, ends Dec 31, 2026", "15% off, automatic"):
 * what members get, how, and until when. Lines written before the currency was recorded show a bare amount.
 */
function groupDiscountWords(record: unknown, format: Formatter): string {
  const value = num(field(record, "value"));
  const currency = field(record, "currency");
  const code = field(record, "code");
  const endsAt = field(record, "endsAt");
  const off =
    value === null
      ? null
      : field(record, "kind") === "percentage"
        ? `${value}% off`
        : `${format.money(value, typeof currency === "string" ? currency : null)} off`;
  // The end of its last day in the shop's zone (decision 050), written in that zone: that day.
  const ends = typeof endsAt === "string" ? `ends ${format.date(endsAt)}` : null;
  return [off, typeof code === "string" && code ? `code ${code}` : "automatic", ends].filter(Boolean).join(", ");
}

/**
 * A customer's points from an import batch, or taken back by its undo, in a line: "+100, balance 0 → 100, imported
 * from points.csv (import 12)"; "+50 for order #1001, balance 0 → 50, points for past orders (import 3)".
 */
function batchPointsWords(line: AuditChange, format: Formatter): string {
  const { before, after } = line;
  const points = num(field(after, "points"));
  const order = field(after, "order");
  const from = num(field(before, "balance"));
  const to = num(field(after, "balance"));
  const source = field(after, "import");
  const id = num(field(source, "id"));
  const file = field(source, "fileName");
  const imported = field(after, "from");
  const batch = {
    "points.import":
      typeof imported === "string" ? imported : `imported from ${typeof file === "string" ? file : "a file"}`,
    "points.import_undo": `undid the import of ${typeof file === "string" ? file : "a file"}`,
    "points.backfill": "points for past orders",
    "points.backfill_undo": "undid points for past orders",
  }[line.action];
  return [
    points !== null ? `${format.delta(points)}${typeof order === "string" ? ` for order ${order}` : ""}` : null,
    from !== null && to !== null ? `balance ${format.number(from)} \u2192 ${format.number(to)}` : null,
    batch ? `${batch}${id !== null ? ` (import ${id})` : ""}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

/** What changed, in a line: the parts of before and after each action records (app/domain/audit/actions.ts). */
export function describeAuditChange(line: AuditChange, format: Formatter): string {
  const { before, after } = line;
  if (before === null && after === null && line.subject === "Erased customer")
    return "Details erased with the customer";
  switch (line.action) {
    case "points.adjust": {
      const points = num(field(after, "points"));
      const from = num(field(before, "balance"));
      const to = num(field(after, "balance"));
      const reason = field(after, "reason");
      return [
        points !== null ? format.delta(points) : null,
        from !== null && to !== null ? `balance ${format.number(from)} \u2192 ${format.number(to)}` : null,
        typeof reason === "string" ? `\u201c${reason}\u201d` : null,
      ]
        .filter(Boolean)
        .join(", ");
    }
    case "points.import":
    case "points.import_undo":
    case "points.backfill":
    case "points.backfill_undo":
      return batchPointsWords(line, format);
    case "customer.tags_add":
    case "customer.tags_remove": {
      const adding = line.action === "customer.tags_add";
      const changed = field(after, adding ? "added" : "removed");
      const tags = describeFieldChanges({ tags: field(before, "tags") }, { tags: field(after, "tags") });
      return [
        Array.isArray(changed) ? `${adding ? "Added" : "Removed"} ${changed.join(", ")}` : null,
        tags ? tags.charAt(0).toLowerCase() + tags.slice(1) : null,
      ]
        .filter(Boolean)
        .join("; ");
    }
    case "store_credit.issue":
    case "store_credit.deduct": {
      const currency = field(after, "currency");
      const amount = num(field(after, "amountMinor"));
      const from = num(field(before, "balanceMinor"));
      const to = num(field(after, "balanceMinor"));
      const reason = field(after, "reason");
      if (typeof currency !== "string") return "";
      return [
        amount !== null ? format.money(amount, currency) : null,
        from !== null && to !== null
          ? `balance ${format.money(from, currency)} \u2192 ${format.money(to, currency)}`
          : null,
        typeof reason === "string" ? `\u201c${reason}\u201d` : null,
      ]
        .filter(Boolean)
        .join(", ");
    }
    case "group.create": {
      const query = field(after, "query");
      return typeof query === "string" ? `Segment: ${query}` : "Created";
    }
    case "group.update": {
      const [fromName, toName] = [field(before, "name"), field(after, "name")];
      const [fromQuery, toQuery] = [field(before, "query"), field(after, "query")];
      const [fromTitle, toTitle] = [field(before, "discountTitle"), field(after, "discountTitle")];
      const kept = field(after, "discountTitleKept");
      const notChanged = field(after, "discountTitleNotChanged");
      return (
        [
          typeof fromName === "string" && fromName !== toName ? `Renamed from \u201c${fromName}\u201d` : null,
          typeof fromQuery === "string" && typeof toQuery === "string" && fromQuery !== toQuery
            ? `Segment: ${fromQuery} \u2192 ${toQuery}`
            : null,
          typeof notChanged === "string"
            ? `discount still titled \u201c${String(fromTitle)}\u201d in Shopify: ${notChanged}`
            : typeof kept === "string"
              ? `discount title \u201c${String(toTitle)}\u201d kept (${kept})`
              : typeof fromTitle === "string" && typeof toTitle === "string" && fromTitle !== toTitle
                ? `discount retitled \u201c${toTitle}\u201d in Shopify`
                : null,
        ]
          .filter(Boolean)
          .join("; ") || "Edited"
      );
    }
    case "group.discount":
      return groupDiscountWords(after, format);
    case "group.discount_remove":
      return `${groupDiscountWords(before, format)}: deleted in Shopify, the group kept`;
    case "group.remove":
      return "Removed, with its segment and discount in Shopify";
    case "privacy.export_download": {
      const format_ = field(after, "format");
      return typeof format_ === "string" ? `Downloaded as ${format_.toUpperCase()}` : "Downloaded";
    }
    case "customer.block":
      return "Blocked: earns and redeems nothing until unblocked";
    case "customer.unblock":
      return "Unblocked";
    case "program.save": {
      const from = num(field(before, "version"));
      const to = num(field(after, "version"));
      return from !== null && to !== null ? `Version ${from} \u2192 ${to}` : "Saved";
    }
    case "delivery.retry": {
      const attempts = num(field(before, "attempts"));
      const error = field(before, "error");
      return `Retried after ${attempts ?? "several"} failed ${attempts === 1 ? "try" : "tries"}${typeof error === "string" ? `: ${error}` : ""}`;
    }
    case "task.start":
      return "Started";
    case "task.cancel": {
      const done = num(field(before, "done"));
      const total = num(field(before, "total"));
      return done !== null
        ? `Cancelled at ${format.number(done)}${total !== null ? ` of ${format.number(total)}` : ""}`
        : "Cancelled";
    }
    case "customer.delete":
      return "Deleted in Shopify";
    case "customer.delete_refused": {
      const kept = field(after, "kept");
      return `Kept by Shopify: ${typeof kept === "string" ? kept : "refused"}`;
    }
    case "customer.erasure_request":
      return "Asked Shopify to erase the customer's personal data";
    case "customer.import": {
      // after: the fields the import set, and which import ({ id, fileName }); before: null for a created customer.
      const source = field(after, "import");
      const fields = Object.fromEntries(Object.entries((after ?? {}) as object).filter(([key]) => key !== "import"));
      const file = field(source, "fileName");
      const id = num(field(source, "id"));
      const which = typeof file === "string" ? `${file}${id !== null ? ` (import ${id})` : ""}` : "a file";
      if (before === null) {
        const given = describeFieldChanges(null, fields, format.number);
        return `Created from ${which}${given ? `: ${given}` : ""}`;
      }
      return `${describeFieldChanges(before, fields, format.number)}, from ${which}`;
    }
    case "customer.sync": {
      const changes = field(after, "changes");
      return Array.isArray(changes) && changes.length > 0 ? changes.join(", ") : "Nothing had changed";
    }
    case "referral_program.save":
    case "email_template.save": {
      const from = num(field(before, "version"));
      const to = num(field(after, "version"));
      const subject = field(after, "subject");
      return [
        from !== null && to !== null ? `Version ${from} \u2192 ${to}` : "Saved",
        typeof subject === "string" ? `subject \u201c${subject}\u201d` : null,
      ]
        .filter(Boolean)
        .join(", ");
    }
    case "email_template.remove": {
      const version = num(field(before, "version"));
      return `${version !== null ? `Version ${version}` : "The translation"} removed: its customers get the default template`;
    }
    case "email_template.keep": {
      // Keep mine on the points reminder's notice (decision 031): which version, and who still reads a Member's words.
      const version = num(field(after, "version"));
      const missed = field(after, "missed");
      const kept = version !== null ? `Version ${version} kept as written` : "Kept as written";
      return Array.isArray(missed) ? keptReminderWords(kept, missed) : kept;
    }
    default:
      // Every other action: what it changed, field by field, in words ("Email: a@x.com → b@y.com").
      return describeFieldChanges(before, after, format.number);
  }
}

/**
 * A line's change in words, followed by the job that wrote it ("Job: Add 25 points", linked to the job's page) when a
 * job changed a customer: a bulk line otherwise reads as a one-off change on the profile (found by a newcomer). A
 * pruned job's line has no title, and shows its change alone.
 */
function ChangeCell({ line, format }: { line: AuditLine; format: Formatter }) {
  const change = (
    <Text as="span" breakWord>
      {describeAuditChange(line, format)}
    </Text>
  );
  if (line.customerId === null || line.taskId === null || line.taskTitle === null) return change;
  return (
    <BlockStack gap="100">
      {change}
      <span>
        <Link url={`/app/jobs/${line.taskId}`} removeUnderline>
          Job: {line.taskTitle}
        </Link>
      </span>
    </BlockStack>
  );
}

/**
 * The audit trail as a table, newest first, with filters by staff member, action and customer; `onFilter` and the
 * pagination URLs are the page's (the filters live in the URL, so a filtered view can be shared and reloaded).
 */
export function AuditLog({
  lines,
  filters,
  actors,
  onFilter,
  nextURL,
  previousURL,
}: {
  lines: AuditLine[];
  filters: AuditFilters;
  actors: Array<{ actor: string; actorName: string | null }>;
  onFilter: (next: Partial<Pick<AuditFilters, "actor" | "action" | "customerId">>) => void;
  nextURL: string | undefined;
  previousURL: string | undefined;
}) {
  const format = useFormat();
  const applied = [
    ...(filters.actor
      ? [
          {
            key: "actor",
            label: `Staff: ${actorLabel(filters.actor, actors.find((a) => a.actor === filters.actor)?.actorName)}`,
            onRemove: () => onFilter({ actor: null }),
          },
        ]
      : []),
    ...(filters.action
      ? [
          {
            key: "action",
            label: `Action: ${auditActionLabel(filters.action)}`,
            onRemove: () => onFilter({ action: null }),
          },
        ]
      : []),
    ...(filters.customerId !== null
      ? [
          {
            key: "customer",
            label: `Customer: ${filters.customerLabel ?? filters.customerId}`,
            onRemove: () => onFilter({ customerId: null }),
          },
        ]
      : []),
  ];
  return (
    <Card padding="0">
      <Filters
        queryValue=""
        hideQueryField
        onQueryChange={() => undefined}
        onQueryClear={() => undefined}
        onClearAll={() => onFilter({ actor: null, action: null, customerId: null })}
        appliedFilters={applied}
        filters={[
          {
            key: "actor",
            label: "Staff",
            pinned: true,
            filter: (
              <ChoiceList
                title="Staff"
                titleHidden
                choices={actors.map((a) => ({ label: actorLabel(a.actor, a.actorName), value: a.actor }))}
                selected={filters.actor ? [filters.actor] : []}
                onChange={([actor]) => onFilter({ actor: actor ?? null })}
              />
            ),
          },
          {
            key: "action",
            label: "Action",
            pinned: true,
            filter: (
              <ChoiceList
                title="Action"
                titleHidden
                choices={Object.entries(auditActionLabels).map(([value, label]) => ({ label, value }))}
                selected={filters.action ? [filters.action] : []}
                onChange={([action]) => onFilter({ action: action ?? null })}
              />
            ),
          },
        ]}
      />
      <IndexTable
        resourceName={{ singular: "change", plural: "changes" }}
        itemCount={lines.length}
        selectable={false}
        emptyState={
          <Text as="p" alignment="center" tone="subdued">
            No staff action matches these filters.
          </Text>
        }
        headings={[{ title: "When" }, { title: "Staff" }, { title: "Action" }, { title: "On" }, { title: "Change" }]}
        pagination={{ hasNext: nextURL !== undefined, nextURL, hasPrevious: previousURL !== undefined, previousURL }}
      >
        {lines.map((line, index) => (
          <IndexTable.Row id={String(line.id)} key={line.id} position={index}>
            <IndexTable.Cell>{format.dateTime(line.at)}</IndexTable.Cell>
            <IndexTable.Cell>{actorLabel(line.actor, line.actorName)}</IndexTable.Cell>
            <IndexTable.Cell>{auditActionLabel(line.action)}</IndexTable.Cell>
            <IndexTable.Cell>
              <span className={styles.wrap}>
                {line.customerId !== null ? (
                  <Link url={`/app/customers/${line.customerId}`} removeUnderline>
                    {line.subject}
                  </Link>
                ) : line.taskId !== null && line.taskTitle !== null ? (
                  // A job's own line (started, cancelled) links to the job while it is kept, as its customers' do.
                  <Link url={`/app/jobs/${line.taskId}`} removeUnderline>
                    {line.subject}
                  </Link>
                ) : (
                  line.subject
                )}
              </span>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span className={styles.wrap}>
                <ChangeCell line={line} format={format} />
              </span>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

/** What a bulk action did for this customer, in the job's words: "Not sent: Not subscribed to email marketing". */
export function describeBulkActionLine(line: Pick<CustomerBulkActionLine, "kind" | "outcome" | "message">): string {
  const outcome = outcomeLabelsOf(line.kind)[line.outcome];
  return line.message ? `${outcome}: ${line.message}` : outcome;
}

/** How many lines the profile's audit card shows, audit lines and bulk actions together. */
export const PROFILE_AUDIT_LINES = 10;

/**
 * The profile's own slice of the audit trail: the latest staff actions about this customer, from the audit (points
 * adjusted, blocked, edited…) and from the bulk actions that reached them (tags, block, points, an invitation or a
 * reminder, sent or not and why), newest first, each bulk line linking to its job, as each audit line a job wrote does
 * (points a bulk adjustment or its undo gave: "Job: Add 25 points"); with a link to the Audit page, filtered to the
 * customer. A bulk action that wrote the customer's own audit line as well (tags, block) is told once, by the job's
 * line while its job is kept, by the audit's once the job is pruned (its line then names no job).
 */
export function CustomerAuditCard({
  customerId,
  lines,
  bulkActions = [],
}: {
  customerId: number;
  lines: AuditLine[];
  bulkActions?: CustomerBulkActionLine[];
}) {
  const format = useFormat();
  const jobs = new Set(bulkActions.map((line) => line.taskId));
  const rows: Array<{ key: string; at: string; action: ReactNode; change: ReactNode; by: string }> = [
    ...lines
      .filter((line) => line.taskId === null || !jobs.has(line.taskId))
      .map((line) => ({
        key: `audit-${line.id}`,
        at: line.at,
        action: auditActionLabel(line.action),
        change: <ChangeCell line={line} format={format} />,
        by: actorLabel(line.actor, line.actorName),
      })),
    ...bulkActions.map((line) => ({
      key: `job-${line.id}`,
      at: line.at,
      action: (
        <Link url={`/app/jobs/${line.taskId}`} removeUnderline>
          {line.title}
        </Link>
      ),
      change: (
        <Text as="span" breakWord>
          {describeBulkActionLine(line)}
        </Text>
      ),
      by: actorLabel(line.actor, line.actorName),
    })),
  ]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, PROFILE_AUDIT_LINES);
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400" paddingBlockEnd="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Audit trail
            </Text>
            <Link url={`/app/audit?customer=${customerId}`}>View all</Link>
          </InlineStack>
        </Box>
        {rows.length === 0 ? (
          <Box padding="400" paddingBlockStart="0">
            <Text as="p" tone="subdued">
              No staff actions on this customer yet.
            </Text>
          </Box>
        ) : (
          <IndexTable
            resourceName={{ singular: "action", plural: "actions" }}
            itemCount={rows.length}
            selectable={false}
            headings={[{ title: "Date" }, { title: "Action" }, { title: "Change" }, { title: "By" }]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row id={row.key} key={row.key} position={index}>
                <IndexTable.Cell>
                  <DateTimeLines iso={row.at} />
                </IndexTable.Cell>
                <IndexTable.Cell>{row.action}</IndexTable.Cell>
                <IndexTable.Cell>
                  <span className={styles.wrap}>{row.change}</span>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.by}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </BlockStack>
    </Card>
  );
}
