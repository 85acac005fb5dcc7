import { useFetcher } from "@remix-run/react";
import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { CustomerQuery } from "~/domain/customers";
import { MAX_GROUP_NAME_LENGTH, segmentQueryOf } from "~/domain/groups";
import { tooLongWords, characterCountWords, type CurrencyCode } from "~/domain/shared";
import { EnterSubmitsForm } from "./enter-submits-form";
import { useFocusedFieldInView } from "./use-focused-field-in-view";

export const SAVE_AS_GROUP_MODAL_ID = "save-as-group-modal";

/**
 * "Save as group" from the directory (decision 032): the current search and filters as the Shopify segment a group
 * is, shown before it is made; or, when a filter is one Shopify's segments cannot express, which and why, and no
 * way to save. Posts to /app/groups, which creates the segment and opens the group with its members.
 */
export function SaveAsGroupModal({
  open,
  query,
  currency,
  search,
  onClose,
}: {
  open: boolean;
  query: CustomerQuery;
  currency: CurrencyCode;
  /** The directory's URL query string: the server reads the filters from it, as it does for a saved view. */
  search: string;
  onClose: () => void;
}) {
  const fetcher = useFetcher<{ error: string; fieldErrors?: Record<string, string[]> }>();
  const [name, setName] = useState("");
  const fieldInView = useFocusedFieldInView();
  const translation = segmentQueryOf(query, currency);
  const refused = fetcher.state === "idle" && fetcher.data && "error" in fetcher.data ? fetcher.data : null;
  const save = () => {
    if (!translation.ok) return;
    fetcher.submit({ intent: "create-from-filters", name, search }, { method: "post", action: "/app/groups" });
  };
  return (
    <Modal id={SAVE_AS_GROUP_MODAL_ID} open={open} onHide={onClose}>
      <Box padding="400" ref={fieldInView}>
        {translation.ok ? (
          <EnterSubmitsForm onSubmit={save}>
            <BlockStack gap="300">
              <Text as="p">
                A group is a Shopify customer segment: Shopify keeps its members up to date as customers change, and a
                group discount reaches exactly them.
              </Text>
              <BlockStack gap="100">
                <Text as="p" fontWeight="semibold">
                  Segment
                </Text>
                <Text as="p" breakWord>
                  <code data-testid="segment-query">{translation.query}</code>
                </Text>
              </BlockStack>
              {refused && !refused.fieldErrors?.name ? <Banner tone="critical">{refused.error}</Banner> : null}
              {refused?.fieldErrors?.query ? (
                <Banner tone="critical">{`Shopify refused the segment: ${refused.fieldErrors.query.join(" ")}`}</Banner>
              ) : null}
              <TextField
                label="Group name"
                value={name}
                onChange={setName}
                autoComplete="off"
                suffix={characterCountWords(name, MAX_GROUP_NAME_LENGTH)}
                error={tooLongWords(name, MAX_GROUP_NAME_LENGTH) ?? refused?.fieldErrors?.name?.[0]}
              />
            </BlockStack>
          </EnterSubmitsForm>
        ) : (
          <BlockStack gap="200">
            <Text as="p">
              Shopify&apos;s customer segments cannot express these filters, so a group made from them would hold other
              customers than the ones you see:
            </Text>
            <List>
              {translation.unexpressible.map((item) => (
                <List.Item key={item.filter}>
                  <span data-testid="unexpressible-filter">
                    <strong>{item.filter}</strong>: {item.reason}
                  </span>
                </List.Item>
              ))}
            </List>
            <Text as="p" tone="subdued">
              Remove them to save a group, or select these customers, add a tag to them (Bulk actions › Add tags) and
              make a group of that tag: a fixed list, which customers who match later do not join.
            </Text>
          </BlockStack>
        )}
      </Box>
      <TitleBar title="Save as group">
        <button
          variant="primary"
          onClick={save}
          disabled={!translation.ok || name.trim() === ""}
          loading={fetcher.state !== "idle" ? "" : undefined}
        >
          Create group
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
