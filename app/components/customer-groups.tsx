import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Form,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import {
  discountCodeHint,
  groupDiscountDoubtWords,
  isAutomaticDiscount,
  type GroupDiscountDoubt,
  type GroupMemberCount,
  MAX_GROUP_NAME_LENGTH,
} from "~/domain/groups";
import { tooLongWords, characterCountWords } from "~/domain/shared";
import type { Formatter } from "~/lib/format";
import { useFormat } from "./format-context";
import { useSettled } from "./use-settled";
import wrapping from "./wrapping-table.module.css";

export interface GroupView {
  id: number;
  name: string;
  segmentQuery: string;
  /** Shopify's discount node: DiscountCodeNode (members enter `discountCode`) or DiscountAutomaticNode. */
  discountGid: string | null;
  discountCode: string | null;
  discountKind: "percentage" | "amount" | null;
  discountValue: number | null;
  discountCurrency: string | null;
  /** When the discount stops: the end of its last day in the shop's time zone; null for never. */
  discountEndsAt: string | null;
}

export interface GroupMembersView {
  group: GroupView;
  /** The group's segment was deleted in Shopify admin: no members, `totalCount` 0, no discount can be given. */
  segmentDeleted: boolean;
  /** The group records a discount Shopify no longer has (deleted in Shopify admin): members do not get it. */
  discountDeleted: boolean;
  totalCount: number;
  /** `customerId` is Tally's, for the link to the profile; null while Tally has not synced the customer. */
  members: Array<{
    customerGid: string;
    customerId: number | null;
    name: string;
    email: string | null;
    ordersCount: number;
  }>;
  nextCursor: string | null;
}

type Errors = Record<string, string[] | undefined>;

/**
 * A group's size as the list and the open group say it, in the admin's number format: "1,234 customers", "1 customer",
 * "No customers"; "Segment deleted in Shopify" or "Count unavailable" when Shopify gave no count; "Counting…" (null)
 * until it answers.
 */
export function groupMemberCountWords(count: GroupMemberCount | null, format: Pick<Formatter, "count">): string {
  if (!count) return "Counting…";
  if (count.state === "deleted") return "Segment deleted in Shopify";
  if (count.state === "unavailable") return "Count unavailable";
  return count.count === 0 ? "No customers" : format.count(count.count, { one: "customer", other: "customers" });
}

/** A group's discount as staff know it from Shopify admin: "automatic" or "code VIP10". */
function discountName(group: GroupView): string {
  return isAutomaticDiscount(group.discountGid) ? "automatic" : `code ${group.discountCode ?? ""}`;
}

/**
 * What Remove does to `group`, in the merchant's words (decision 029): the segment and discount it deletes in Shopify,
 * or that either was deleted there already. `segmentDeleted` and `discountDeleted` are null when not known (the list
 * still counting; a discount is asked about only for the open group). `offLabel` is the discount's "15% off".
 */
export function removeGroupWords(
  group: GroupView,
  { segmentDeleted, discountDeleted }: { segmentDeleted: boolean | null; discountDeleted: boolean | null },
  offLabel: string | null,
): string {
  const discount = group.discountGid ? `${discountName(group)}, ${offLabel ?? ""}` : null;
  if (segmentDeleted) {
    const discountWords = !discount
      ? ""
      : discountDeleted
        ? `; its discount (${discountName(group)}) was deleted in Shopify too`
        : ` and deletes its discount in Shopify (${discount})${discountDeleted === null ? " if it is still there" : ""}: without the segment it applies to no one`;
    return `Its Shopify customer segment was deleted in Shopify already. Remove takes the group out of Tally${discountWords}. It cannot be undone.`;
  }
  const discountWords = !discount
    ? ""
    : discountDeleted
      ? `; its discount (${discountName(group)}) was deleted in Shopify already`
      : ` and its discount (${discount}): members lose it at checkout`;
  return `This deletes the group's Shopify customer segment (${group.segmentQuery})${discountWords}. It cannot be undone.`;
}

/**
 * Customer groups (seed 003): create one from a segment query, see a group's members, attach a group discount (a code
 * only the group's members can use, or a discount applied by itself to members' checkouts), remove a group with its
 * discount, or only its discount. Shopify's refusals land on their fields.
 */
export function CustomerGroups({
  groups,
  counts,
  selected,
  currency,
  fieldErrors,
  doubt,
  warning = null,
  busy,
  doneKey,
  onSelect,
  onNextMembers,
  onSubmit,
}: {
  groups: GroupView[];
  /** Each group's count by group id, from Shopify after the page (deferred); the open group's is its members read's. */
  counts: Promise<Record<number, GroupMemberCount>>;
  selected: GroupMembersView | null;
  currency: string;
  fieldErrors: Errors;
  /** The last discount submitted asks first (100% off, more than any order): its form offers Create anyway. */
  doubt: GroupDiscountDoubt | null;
  /** What the last action saved but could not finish, in words (a renamed group's discount kept its old title). */
  warning?: { groupId: number; text: string } | null;
  busy: string | null;
  /** Changes after each successful action, and only then, to empty the forms: a refusal keeps what staff typed. */
  doneKey: string;
  onSelect: (groupId: number | null) => void;
  onNextMembers: (groupId: number, after: string) => void;
  onSubmit: (values: Record<string, string>) => void;
}) {
  const format = useFormat();
  const discountLabel = (group: GroupView) =>
    group.discountKind === "percentage"
      ? `${group.discountValue}% off`
      : group.discountKind === "amount"
        ? `${format.money(group.discountValue ?? 0, group.discountCurrency)} off`
        : null;
  const settledCounts = useSettled(counts);
  const countOf = (group: GroupView): GroupMemberCount | null => {
    // The open group's count is the one its heading says, so the two never disagree.
    if (selected?.group.id === group.id) return selectedCount(selected);
    if (settledCounts.state === "rejected") return { state: "unavailable" };
    if (settledCounts.state === "pending") return null;
    return settledCounts.value[group.id] ?? { state: "unavailable" };
  };
  // Removing deletes the segment and its discount in Shopify: staff confirm after reading exactly what goes.
  const [removing, setRemoving] = useState<GroupView | null>(null);
  // A group whose segment was deleted in Shopify, filled in Create a group from what Tally kept; until the next action
  // succeeds (`doneKey`), so a group created from it leaves the form empty.
  const [draft, setDraft] = useState<{ name: string; query: string; seq: number; doneKey: string } | null>(null);
  const liveDraft = draft?.doneKey === doneKey ? draft : null;
  const removingCount = removing ? countOf(removing) : null;
  // Create and Edit share the name and query fields' names: a refusal lands on the form that was submitted.
  const [lastIntent, setLastIntent] = useState<string | null>(null);
  const submit = (values: Record<string, string>) => {
    setLastIntent(values.intent ?? null);
    onSubmit(values);
  };
  const editErrors = lastIntent === "edit" ? fieldErrors : {};
  const otherErrors = lastIntent === "edit" ? {} : fieldErrors;
  return (
    <Layout>
      <Layout.Section>
        <Card padding="0">
          {groups.length === 0 ? (
            <Box padding="400">
              <Text as="p" tone="subdued">
                No groups yet. A group is a Shopify customer segment you name here, with a discount for its members.
              </Text>
            </Box>
          ) : (
            // Cells wrap: a long segment query kept on one line pushed Remove out of the card (at 1440 px, "Remov").
            <div className={wrapping.wrap}>
              <IndexTable
                resourceName={{ singular: "group", plural: "groups" }}
                itemCount={groups.length}
                selectable={false}
                // The Remove column is named for screen readers (axe: empty-table-header), not shown.
                headings={[
                  { title: "Group" },
                  { title: "Customers" },
                  { title: "Segment query" },
                  { title: "Discount" },
                  { title: "Actions", hidden: true },
                ]}
              >
                {groups.map((group, index) => (
                  <IndexTable.Row id={String(group.id)} key={group.id} position={index}>
                    <IndexTable.Cell>
                      <div className={wrapping.longName}>
                        <Button variant="plain" textAlign="left" onClick={() => onSelect(group.id)}>
                          {group.name}
                        </Button>
                      </div>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <GroupCount count={countOf(group)} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" breakWord>
                        {group.segmentQuery}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {group.discountGid ? (
                        <BlockStack gap="100">
                          <InlineStack gap="100">
                            <Badge tone="success">
                              {isAutomaticDiscount(group.discountGid) ? "Automatic" : (group.discountCode ?? "")}
                            </Badge>
                            <Text as="span">{discountLabel(group)}</Text>
                          </InlineStack>
                          {group.discountEndsAt ? (
                            <Text as="span" tone="subdued">
                              until {format.date(group.discountEndsAt)}
                            </Text>
                          ) : null}
                        </BlockStack>
                      ) : (
                        "—"
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Button
                        tone="critical"
                        variant="plain"
                        loading={busy === "remove"}
                        onClick={() => setRemoving(group)}
                      >
                        Remove
                      </Button>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </div>
          )}
        </Card>
        <Modal id="remove-group-modal" open={removing !== null} onHide={() => setRemoving(null)}>
          <Box padding="400">
            <BlockStack gap="200">
              <Text as="p">
                {removing
                  ? removeGroupWords(
                      removing,
                      {
                        segmentDeleted: removingCount ? removingCount.state === "deleted" : null,
                        discountDeleted: selected?.group.id === removing.id ? selected.discountDeleted : null,
                      },
                      discountLabel(removing),
                    )
                  : ""}
              </Text>
              <Text as="p" tone="subdued">
                The customers themselves, their points and their tags stay as they are.
              </Text>
            </BlockStack>
          </Box>
          <TitleBar title={`Remove ${removing?.name ?? "group"}?`}>
            <button
              variant="primary"
              tone="critical"
              loading={busy === "remove" ? "" : undefined}
              onClick={() => {
                if (removing) submit({ intent: "remove", groupId: String(removing.id) });
                setRemoving(null);
              }}
            >
              Remove group
            </button>
            <button onClick={() => setRemoving(null)}>Cancel</button>
          </TitleBar>
        </Modal>
        {selected && (
          <Box paddingBlockStart="400">
            <GroupMembers
              key={`${selected.group.id}:${doneKey}`}
              selected={selected}
              currency={currency}
              fieldErrors={otherErrors}
              editErrors={editErrors}
              warning={warning?.groupId === selected.group.id ? warning.text : null}
              doubt={doubt}
              busy={busy}
              onClose={() => onSelect(null)}
              onNextMembers={onNextMembers}
              onSubmit={submit}
              onRemove={() => setRemoving(selected.group)}
              onRecreate={() =>
                setDraft({
                  name: selected.group.name,
                  query: selected.group.segmentQuery,
                  seq: (draft?.seq ?? 0) + 1,
                  doneKey,
                })
              }
            />
          </Box>
        )}
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <CreateGroupForm
          key={`${doneKey}:${liveDraft?.seq ?? ""}`}
          fieldErrors={otherErrors}
          busy={busy === "create"}
          initial={liveDraft}
          onSubmit={submit}
        />
      </Layout.Section>
    </Layout>
  );
}

/** The open group's count: what its members read said. */
function selectedCount(selected: GroupMembersView): GroupMemberCount {
  return selected.segmentDeleted ? { state: "deleted" } : { state: "counted", count: selected.totalCount };
}

function GroupCount({ count }: { count: GroupMemberCount | null }) {
  const format = useFormat();
  const tone = count?.state === "counted" ? undefined : count?.state === "deleted" ? "critical" : "subdued";
  return (
    <Text as="span" tone={tone}>
      {groupMemberCountWords(count, format)}
    </Text>
  );
}

/**
 * A group's name and segment query, as Create a group and Edit group both ask them (the fields `groupFormSchema` reads):
 * Shopify's refusals of either land on its field. `queryHelp` says what the query does in that form.
 */
function GroupFields({
  name,
  query,
  onNameChange,
  onQueryChange,
  queryHelp,
  fieldErrors,
}: {
  name: string;
  query: string;
  onNameChange: (name: string) => void;
  onQueryChange: (query: string) => void;
  queryHelp: string;
  fieldErrors: Errors;
}) {
  return (
    <>
      <TextField
        label="Name"
        value={name}
        onChange={onNameChange}
        error={tooLongWords(name, MAX_GROUP_NAME_LENGTH) ?? fieldErrors.name?.[0]}
        autoComplete="off"
        suffix={characterCountWords(name, MAX_GROUP_NAME_LENGTH)}
      />
      <TextField
        label="Segment query"
        value={query}
        onChange={onQueryChange}
        multiline={2}
        helpText={queryHelp}
        error={fieldErrors.query?.[0]}
        autoComplete="off"
      />
    </>
  );
}

function CreateGroupForm({
  fieldErrors,
  busy,
  initial,
  onSubmit,
}: {
  fieldErrors: Errors;
  busy: boolean;
  /** The name and query the form opens with (a group created again), or empty. */
  initial: { name: string; query: string } | null;
  onSubmit: (values: Record<string, string>) => void;
}) {
  const [name, setName] = useState(initial?.name ?? "");
  const [query, setQuery] = useState(initial?.query ?? "");
  const submit = () => onSubmit({ intent: "create", name, query });
  return (
    <Card>
      {/* Its own Create group button submits: no hidden "Submit" for screen readers to meet first. */}
      <Form onSubmit={submit} implicitSubmit={false}>
        {/* A stack, not FormLayout: its items' 220 px minimum overran the one-third column's padding at 1024 px. */}
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Create a group
          </Text>
          <GroupFields
            name={name}
            query={query}
            onNameChange={setName}
            onQueryChange={setQuery}
            queryHelp="Shopify's segment language, like customer_tags CONTAINS 'vip' or number_of_orders >= 3."
            fieldErrors={fieldErrors}
          />
          <Button submit variant="primary" loading={busy}>
            Create group
          </Button>
        </BlockStack>
      </Form>
    </Card>
  );
}

/**
 * The open group's name and segment query, changed in place (segmentUpdate): Shopify's refusals land on the fields as
 * creating a group's do, and the group keeps what it had until Shopify takes the change.
 */
function EditGroupForm({
  group,
  fieldErrors,
  busy,
  onSubmit,
  onCancel,
}: {
  group: GroupView;
  fieldErrors: Errors;
  busy: boolean;
  onSubmit: (values: Record<string, string>) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(group.name);
  const [query, setQuery] = useState(group.segmentQuery);
  // The group as this form opened it, not as the page shows it after another tab's save revalidated it: a save made
  // over words the merchant never saw is refused, not applied.
  const [seen] = useState({ seenName: group.name, seenQuery: group.segmentQuery });
  return (
    <Form
      onSubmit={() => onSubmit({ intent: "edit", groupId: String(group.id), name, query, ...seen })}
      implicitSubmit={false}
    >
      <BlockStack gap="400">
        <Text as="h3" variant="headingSm">
          Edit group
        </Text>
        <GroupFields
          name={name}
          query={query}
          onNameChange={setName}
          onQueryChange={setQuery}
          queryHelp="Changing it changes who the group's members are, and who gets its discount, in Shopify."
          fieldErrors={fieldErrors}
        />
        <InlineStack gap="200">
          <Button submit variant="primary" loading={busy}>
            Save group
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function GroupMembers({
  selected,
  currency,
  fieldErrors,
  editErrors,
  warning,
  doubt,
  busy,
  onClose,
  onNextMembers,
  onSubmit,
  onRemove,
  onRecreate,
}: {
  selected: GroupMembersView;
  currency: string;
  fieldErrors: Errors;
  /** Refusals of the last Edit (name, query): the form stays open on them. */
  editErrors: Errors;
  /** What the last action on this group saved but could not finish, in words. */
  warning: string | null;
  doubt: GroupDiscountDoubt | null;
  busy: string | null;
  onClose: () => void;
  onNextMembers: (groupId: number, after: string) => void;
  onSubmit: (values: Record<string, string>) => void;
  onRemove: () => void;
  onRecreate: () => void;
}) {
  const format = useFormat();
  const { group, segmentDeleted, discountDeleted } = selected;
  // A discount needs the segment (Shopify refuses one for a segment it does not have); one deleted in Shopify is replaced.
  const canGiveDiscount = !segmentDeleted && (!group.discountGid || discountDeleted);
  const [method, setMethod] = useState("code");
  const [kind, setKind] = useState("percentage");
  const [value, setValue] = useState("");
  const [code, setCode] = useState("");
  const [endsOn, setEndsOn] = useState("");
  const [removingDiscount, setRemovingDiscount] = useState(false);
  const [editing, setEditing] = useState(Boolean(editErrors.name || editErrors.query));
  const discountValues = {
    intent: "discount",
    groupId: String(group.id),
    method,
    kind,
    value,
    currency,
    ...(method === "code" ? { code } : {}),
    endsOn,
  };
  // The doubt answers the values last submitted; once staff change one, the form asks afresh.
  const [submitted, setSubmitted] = useState("");
  const askingFirst = doubt && submitted === JSON.stringify(discountValues) ? doubt : null;
  const offLabel =
    group.discountKind === "percentage"
      ? `${group.discountValue}% off`
      : `${format.money(group.discountValue ?? 0, group.discountCurrency)} off`;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            {group.name}: {groupMemberCountWords(selectedCount(selected), format)}
          </Text>
          <InlineStack gap="300">
            {/* Shopify has no segment to update once it was deleted there: the banner below offers creating it again. */}
            {!segmentDeleted && !editing ? (
              <Button variant="plain" onClick={() => setEditing(true)}>
                Edit
              </Button>
            ) : null}
            <Button variant="plain" onClick={onClose}>
              Close
            </Button>
          </InlineStack>
        </InlineStack>
        {editing && !segmentDeleted ? (
          <EditGroupForm
            group={group}
            fieldErrors={editErrors}
            busy={busy === "edit"}
            onSubmit={onSubmit}
            onCancel={() => setEditing(false)}
          />
        ) : null}
        {warning ? (
          <Banner tone="warning" title="Discount title not changed">
            <p data-testid="group-saved-warning">{warning}</p>
          </Banner>
        ) : null}
        {segmentDeleted ? (
          <Banner tone="warning" title="This group's segment was deleted in Shopify">
            <BlockStack gap="200">
              <p data-testid="group-segment-deleted">
                It has no members, so it cannot be given a discount. Remove the group, or create it again from the
                segment query Tally kept ({group.segmentQuery}): Shopify makes a new segment, and you can then remove
                this one.
              </p>
              {group.discountGid ? (
                <p data-testid="group-discount-orphaned">
                  {discountDeleted
                    ? `Its discount (${discountName(group)}) was deleted in Shopify too.`
                    : `Its discount (${discountName(group)}, ${offLabel}) is still in Shopify, for no one without the segment: Remove deletes it with the group.`}
                </p>
              ) : null}
              <InlineStack gap="200">
                <Button onClick={onRecreate}>Fill in Create a group</Button>
                <Button tone="critical" loading={busy === "remove"} onClick={onRemove}>
                  Remove group
                </Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : group.discountGid && discountDeleted ? (
          <Banner tone="warning" title="Group discount deleted in Shopify">
            <p data-testid="group-discount-deleted">
              {`Its discount (${discountName(group)}, ${offLabel}) was deleted in Shopify: members no longer get it. Give the group a new one below.`}
            </p>
          </Banner>
        ) : group.discountGid ? (
          <Banner tone="success">
            <BlockStack gap="200">
              <p data-testid="group-discount-summary">
                {isAutomaticDiscount(group.discountGid)
                  ? "Members get the group discount at checkout by themselves"
                  : `Members get the group discount with the code ${group.discountCode ?? ""}`}
                {`: ${offLabel}`}
                {group.discountEndsAt ? `, until ${format.date(group.discountEndsAt)}` : ""}.
              </p>
              <InlineStack>
                <Button
                  tone="critical"
                  variant="plain"
                  loading={busy === "remove-discount"}
                  onClick={() => setRemovingDiscount(true)}
                >
                  Remove discount
                </Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : null}
        {/* Removing deletes the discount in Shopify: staff confirm after reading what members lose. */}
        <Modal id="remove-group-discount-modal" open={removingDiscount} onHide={() => setRemovingDiscount(false)}>
          <Box padding="400">
            <BlockStack gap="200">
              <Text as="p">
                This deletes the discount in Shopify (
                {group.discountGid && isAutomaticDiscount(group.discountGid)
                  ? "automatic"
                  : `code ${group.discountCode ?? ""}`}
                , {offLabel}): members lose it at checkout. It cannot be undone.
              </Text>
              <Text as="p" tone="subdued">
                The group, its Shopify segment and its members stay; you can give it a new discount afterwards.
              </Text>
            </BlockStack>
          </Box>
          <TitleBar title={`Remove the discount of ${group.name}?`}>
            <button
              variant="primary"
              tone="critical"
              onClick={() => {
                onSubmit({ intent: "remove-discount", groupId: String(group.id) });
                setRemovingDiscount(false);
              }}
            >
              Remove discount
            </button>
            <button onClick={() => setRemovingDiscount(false)}>Cancel</button>
          </TitleBar>
        </Modal>
        {canGiveDiscount && (
          <Form
            implicitSubmit={false}
            onSubmit={() => {
              setSubmitted(JSON.stringify(discountValues));
              onSubmit(discountValues);
            }}
          >
            <FormLayout>
              <Text as="h3" variant="headingSm">
                Group discount
              </Text>
              <Select
                label="How members get it"
                options={[
                  { label: "A code members enter at checkout", value: "code" },
                  { label: "Automatically at checkout, for members only", value: "automatic" },
                ]}
                value={method}
                onChange={setMethod}
                helpText={
                  method === "automatic"
                    ? "Applied to every member's cart without a code. It does not add to another automatic discount or a code: each order gets the better one."
                    : undefined
                }
              />
              <FormLayout.Group>
                <Select
                  label="Type"
                  options={[
                    { label: "Percentage off", value: "percentage" },
                    { label: `Amount off (${currency})`, value: "amount" },
                  ]}
                  value={kind}
                  onChange={setKind}
                />
                <TextField
                  label={kind === "percentage" ? "Percent" : "Amount"}
                  value={value}
                  onChange={setValue}
                  error={fieldErrors.value?.[0]}
                  autoComplete="off"
                />
              </FormLayout.Group>
              <FormLayout.Group>
                {method === "code" ? (
                  <TextField
                    label="Code"
                    value={code}
                    onChange={setCode}
                    error={fieldErrors.code?.[0]}
                    helpText={discountCodeHint(code) ?? "Members type it at checkout; letters and digits are easiest."}
                    autoComplete="off"
                  />
                ) : null}
                <TextField
                  label="Ends on (optional)"
                  type="date"
                  value={endsOn}
                  onChange={setEndsOn}
                  helpText={`The discount ends at the end of this day (${format.timeZone} time). Leave empty for a discount that never ends.`}
                  error={fieldErrors.endsOn?.[0]}
                  autoComplete="off"
                />
              </FormLayout.Group>
              {askingFirst ? (
                <Banner tone="warning" title="Check this discount">
                  <BlockStack gap="200">
                    <p data-testid="group-discount-doubt">{groupDiscountDoubtWords(askingFirst, format.money)}</p>
                    <InlineStack gap="200">
                      <Button
                        variant="primary"
                        loading={busy === "discount"}
                        onClick={() => onSubmit({ ...discountValues, confirmed: "1" })}
                      >
                        Create anyway
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Banner>
              ) : (
                <Button submit loading={busy === "discount"}>
                  Create group discount
                </Button>
              )}
            </FormLayout>
          </Form>
        )}
        {selected.members.length > 0 && (
          <div className={wrapping.wrap}>
            <IndexTable
              resourceName={{ singular: "member", plural: "members" }}
              itemCount={selected.members.length}
              selectable={false}
              headings={[{ title: "Customer" }, { title: "Email" }, { title: "Orders", alignment: "end" }]}
            >
              {selected.members.map((member, index) => (
                <IndexTable.Row id={member.customerGid} key={member.customerGid} position={index}>
                  <IndexTable.Cell>
                    {/* As in the directory: the whole row opens the profile, through Remix's client-side navigation. */}
                    {member.customerId !== null ? (
                      <Link dataPrimaryLink url={`/app/customers/${member.customerId}`} monochrome removeUnderline>
                        <Text as="span" fontWeight="semibold">
                          {member.name}
                        </Text>
                      </Link>
                    ) : (
                      member.name
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{member.email ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {format.number(member.ordersCount)}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </div>
        )}
        {selected.nextCursor && (
          <Button onClick={() => onNextMembers(group.id, selected.nextCursor!)}>Next members</Button>
        )}
      </BlockStack>
    </Card>
  );
}
