import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineStack,
  Layout,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import {
  guestsRedeemHelp,
  programSettingsLengthErrors,
  redeemOptionFormChanged,
  redeemOptionKindLabels,
  redeemOptionValuePath,
  type ProgramSettingsForm as FormValues,
  type RedeemOptionForm,
} from "~/domain/program/settings-form";
import { SettingsDraftForm, useSettingsDraft, type FieldErrors } from "./settings-form";

const kindOptions = Object.entries(redeemOptionKindLabels).map(([value, label]) => ({ value, label }));

function newRedeemOption(): RedeemOptionForm {
  // Kept once saved: rewards already issued point at the option by this id.
  const id = `option-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { id, kind: "fixed_amount_off", title: "", pointsCost: "", value: "", minimumOrder: "" };
}

/** The program settings as one versioned settings form (`SettingsDraftForm`), with its list of ways to redeem. */
// The storefront and emails translate only Tally's own words (decision 051, 059): a merchant's names and titles are
// shown as typed on the French store too ("Votre solde 127 stars"), which they should know before typing them.
const NAMES_AS_WRITTEN =
  "Names you write show as written in every storefront language and email; Tally’s default “points” is translated (French, German, Spanish).";
const TITLES_AS_WRITTEN =
  "A title you write shows as written in every storefront language and email; Tally’s own, such as “10% off”, is translated (French, German, Spanish).";

export function ProgramSettingsForm({
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
  const { draft, setDraft, set, errorOf, formProps } = useSettingsDraft(
    initial,
    fieldErrors,
    programSettingsLengthErrors,
  );
  const setOption = (index: number, patch: Partial<RedeemOptionForm>) =>
    setDraft((current) => ({
      ...current,
      redeemOptions: current.redeemOptions.map((option, i) =>
        i === index ? redeemOptionFormChanged(option, { ...option, ...patch }, currency) : option,
      ),
    }));

  return (
    <SettingsDraftForm
      saveBarId="program-settings-save-bar"
      notSavedTitle="The program was not saved"
      saving={saving}
      {...formProps}
    >
      <Layout.AnnotatedSection
        title="Program"
        description="How customers earn. A saved change becomes a new version; points already earned keep theirs. Points never expire: a balance stays until it is spent or staff adjust it."
      >
        <Card>
          <FormLayout>
            <Checkbox
              label="Program on"
              helpText="When off, nobody earns or redeems; balances are kept."
              checked={draft.enabled}
              onChange={set("enabled")}
              error={errorOf("enabled")}
            />
            <FormLayout.Group helpText={NAMES_AS_WRITTEN}>
              <TextField
                label="Points name"
                value={draft.pointsName}
                onChange={set("pointsName")}
                helpText="As in “250 points”."
                autoComplete="off"
                showCharacterCount
                error={errorOf("pointsName")}
              />
              <TextField
                label="Singular"
                value={draft.pointName ?? ""}
                onChange={set("pointName")}
                helpText="As in “1 point”."
                autoComplete="off"
                showCharacterCount
                error={errorOf("pointName")}
              />
            </FormLayout.Group>
            <TextField
              label="Sign-up bonus"
              inputMode="numeric"
              value={draft.signupBonus}
              onChange={set("signupBonus")}
              suffix={draft.pointsName}
              helpText="Paid once, when a customer first becomes a member."
              autoComplete="off"
              error={errorOf("signupBonus")}
            />
            <FormLayout.Group>
              <TextField
                label="Points earned"
                inputMode="numeric"
                value={draft.pointsPerUnit}
                onChange={set("pointsPerUnit")}
                suffix={draft.pointsName}
                autoComplete="off"
                error={errorOf("pointsPerUnit")}
              />
              <TextField
                label="Per amount spent"
                inputMode="decimal"
                value={draft.unitAmount}
                onChange={set("unitAmount")}
                suffix={currency}
                helpText="Counted on the order subtotal."
                autoComplete="off"
                error={errorOf("unitMinor")}
              />
            </FormLayout.Group>
            <TextField
              label="Pending period"
              inputMode="numeric"
              value={draft.pendingDays}
              onChange={set("pendingDays")}
              suffix="days"
              helpText="Points are held this many days after fulfilment before they can be spent; 0 pays at once."
              autoComplete="off"
              error={errorOf("pendingDays")}
            />
            <Checkbox
              label="Guests earn points"
              helpText="Customers without an account earn on their orders and keep the points if they sign up."
              checked={draft.guestsEarn}
              onChange={set("guestsEarn")}
              error={errorOf("guestsEarn")}
            />
            <Checkbox
              label="Guests can redeem"
              helpText={guestsRedeemHelp(draft.guestsRedeem)}
              checked={draft.guestsRedeem}
              onChange={set("guestsRedeem")}
              error={errorOf("guestsRedeem")}
            />
            <TextField
              label="Excluded customer tags"
              value={draft.excludedTags}
              onChange={set("excludedTags")}
              helpText="Comma-separated. Customers with any of these tags earn nothing."
              autoComplete="off"
              error={
                errorOf("excludedTags") ??
                // A refused tag's error is under its place in the list ("excludedTags.3"), and names the tag.
                errorOf(...Object.keys(fieldErrors).filter((path) => path.startsWith("excludedTags.")))
              }
            />
            <Checkbox
              label="Return redeemed points when an order is refunded or cancelled"
              checked={draft.returnRedeemedPoints}
              onChange={set("returnRedeemedPoints")}
              error={errorOf("returnRedeemedPoints")}
            />
          </FormLayout>
        </Card>
      </Layout.AnnotatedSection>

      <Layout.AnnotatedSection title="Ways to redeem" description="What customers can spend their points on.">
        <Card>
          <BlockStack gap="400">
            {draft.redeemOptions.length === 0 ? (
              <Text as="p" tone="subdued">
                No rewards yet: customers can collect points but not spend them.
              </Text>
            ) : null}
            {draft.redeemOptions.map((option, index) => (
              <BlockStack gap="300" key={option.id}>
                {index > 0 ? <Divider /> : null}
                <FormLayout>
                  <FormLayout.Group>
                    <Select
                      label="Reward"
                      options={kindOptions}
                      value={option.kind}
                      onChange={(kind) => setOption(index, { kind })}
                      error={errorOf(`redeemOptions.${index}.kind`) ?? errorOf(`redeemOptions.${index}`)}
                    />
                    <TextField
                      label="Title"
                      value={option.title}
                      onChange={(title) => setOption(index, { title })}
                      placeholder="5.00 off your next order"
                      helpText={TITLES_AS_WRITTEN}
                      autoComplete="off"
                      showCharacterCount
                      error={errorOf(`redeemOptions.${index}.title`) ?? errorOf(`redeemOptions.${index}.id`)}
                    />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <TextField
                      label="Points cost"
                      inputMode="numeric"
                      value={option.pointsCost}
                      onChange={(pointsCost) => setOption(index, { pointsCost })}
                      autoComplete="off"
                      error={errorOf(`redeemOptions.${index}.pointsCost`)}
                    />
                    {option.kind === "free_shipping" ? null : (
                      <TextField
                        label={option.kind === "percent_off" ? "Percent off" : "Value"}
                        inputMode={option.kind === "percent_off" ? "numeric" : "decimal"}
                        value={option.value}
                        onChange={(value) => setOption(index, { value })}
                        suffix={option.kind === "percent_off" ? "%" : currency}
                        autoComplete="off"
                        error={errorOf(redeemOptionValuePath(index, option.kind))}
                      />
                    )}
                    <TextField
                      label="Minimum order"
                      inputMode="decimal"
                      value={option.minimumOrder}
                      onChange={(minimumOrder) => setOption(index, { minimumOrder })}
                      suffix={currency}
                      helpText="Order subtotal the reward needs; empty for none."
                      autoComplete="off"
                      error={errorOf(`redeemOptions.${index}.minimumSubtotalMinor`)}
                    />
                  </FormLayout.Group>
                </FormLayout>
                <InlineStack align="end">
                  <Button
                    tone="critical"
                    variant="plain"
                    accessibilityLabel={`Remove ${option.title || "this reward"}`}
                    onClick={() =>
                      setDraft((current) => ({
                        ...current,
                        redeemOptions: current.redeemOptions.filter((_, i) => i !== index),
                      }))
                    }
                  >
                    Remove
                  </Button>
                </InlineStack>
              </BlockStack>
            ))}
            {errorOf("redeemOptions") ? (
              <Text as="p" tone="critical">
                {errorOf("redeemOptions")}
              </Text>
            ) : null}
            <InlineStack>
              <Button
                onClick={() =>
                  setDraft((current) => ({
                    ...current,
                    redeemOptions: [...current.redeemOptions, newRedeemOption()],
                  }))
                }
              >
                Add reward
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </Layout.AnnotatedSection>
    </SettingsDraftForm>
  );
}
