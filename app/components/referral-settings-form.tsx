import { BlockStack, Card, Checkbox, DataTable, FormLayout, Layout, Select, Text, TextField } from "@shopify/polaris";
import {
  advocateKindLabels,
  discountKindLabels,
  rewardValuePath,
  type ReferralSettingsForm as FormValues,
} from "~/domain/referrals";
import { useFormat } from "./format-context";
import { actorLabel } from "./labels";
import { SettingsDraftForm, useSettingsDraft, type FieldErrors } from "./settings-form";

const friendKinds = Object.entries(discountKindLabels).map(([value, label]) => ({ value, label }));
const advocateKinds = Object.entries(advocateKindLabels).map(([value, label]) => ({ value, label }));

/** Settings → Referrals as one versioned settings form (`SettingsDraftForm`). */
export function ReferralSettingsForm({
  initial,
  currency,
  fieldErrors,
  saving,
}: {
  initial: FormValues;
  currency: string;
  fieldErrors: FieldErrors;
  saving: boolean;
}) {
  const { draft, set, errorOf, formProps } = useSettingsDraft(initial, fieldErrors);
  const valueField = (which: "friend" | "advocate", kind: string) => {
    if (kind === "free_shipping") return null;
    const key = which === "friend" ? "friendValue" : "advocateValue";
    const path = rewardValuePath(which === "friend" ? "friendReward" : "advocateReward", kind);
    return (
      <TextField
        label={kind === "points" ? "Points" : kind === "percent_off" ? "Percent off" : "Amount off"}
        inputMode={kind === "fixed_amount_off" ? "decimal" : "numeric"}
        value={draft[key]}
        onChange={set(key)}
        suffix={kind === "points" ? "points" : kind === "percent_off" ? "%" : currency}
        autoComplete="off"
        error={errorOf(path, which === "friend" ? "friendReward" : "advocateReward")}
      />
    );
  };

  return (
    <SettingsDraftForm
      saveBarId="referral-settings-save-bar"
      notSavedTitle="The referral program was not saved"
      saving={saving}
      {...formProps}
    >
      <Layout.AnnotatedSection
        title="Referral program"
        description="Customers share a link; a friend gets a discount on a first order, and the customer a reward when that order is paid."
      >
        <Card>
          <FormLayout>
            <Checkbox
              label="Referral program on"
              helpText="When off, links lead to a friendly page and no new codes are given out; referrals already claimed still complete."
              checked={draft.enabled}
              onChange={set("enabled")}
              error={errorOf("enabled")}
            />
            <Select
              label="Who can refer"
              options={[
                { value: "automatic", label: "Every member, automatically" },
                { value: "on_request", label: "Only customers who join (widget or invitation)" },
              ]}
              value={draft.joining}
              onChange={set("joining")}
              helpText="Blocked customers never can."
              error={errorOf("joining")}
            />
            <TextField
              label="Pending period"
              inputMode="numeric"
              value={draft.pendingDays}
              onChange={set("pendingDays")}
              suffix="days"
              helpText="The customer's reward waits this long after the friend's order is paid (your return window). A refund or cancellation before then cancels the referral. 0 rewards at once."
              autoComplete="off"
              error={errorOf("pendingDays")}
            />
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection
        title="Friend's reward"
        description="A single-use discount code for the friend's first order, created in Shopify when they claim it."
      >
        <Card>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Discount"
                options={friendKinds}
                value={draft.friendKind}
                onChange={set("friendKind")}
                error={errorOf("friendReward.kind")}
              />
              {valueField("friend", draft.friendKind)}
            </FormLayout.Group>
            <TextField
              label="Minimum order"
              inputMode="decimal"
              value={draft.friendMinimum}
              onChange={set("friendMinimum")}
              suffix={currency}
              helpText="The order subtotal the code needs; also what a referral needs to complete. Empty for none."
              autoComplete="off"
              error={errorOf("friendReward.minimumSubtotalMinor")}
            />
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection
        title="Customer's reward"
        description="What the referring customer gets for each friend's completed first order."
      >
        <Card>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Reward"
                options={advocateKinds}
                value={draft.advocateKind}
                onChange={set("advocateKind")}
                error={errorOf("advocateReward.kind")}
              />
              {valueField("advocate", draft.advocateKind)}
            </FormLayout.Group>
            {draft.advocateKind === "points" ? null : (
              <TextField
                label="Minimum order for the reward code"
                inputMode="decimal"
                value={draft.advocateMinimum}
                onChange={set("advocateMinimum")}
                suffix={currency}
                autoComplete="off"
                error={errorOf("advocateReward.minimumSubtotalMinor")}
              />
            )}
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>
    </SettingsDraftForm>
  );
}

/** Who saved which referral program version, newest first. */
export function ReferralVersionHistory({
  versions,
}: {
  versions: Array<{ version: number; actor: string; actorName: string | null; createdAt: string; summary: string }>;
}) {
  const format = useFormat();
  return (
    <Card padding="0">
      <BlockStack>
        <DataTable
          columnContentTypes={["numeric", "text", "text", "text"]}
          headings={["Version", "Saved", "By", "Program"]}
          rows={versions.map((version) => [
            version.version,
            format.dateTime(version.createdAt),
            actorLabel(version.actor, version.actorName),
            <Text as="span" key="summary" variant="bodySm">
              {version.summary}
            </Text>,
          ])}
        />
      </BlockStack>
    </Card>
  );
}
