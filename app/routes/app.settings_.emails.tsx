import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
  type BannerHandles,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { useFormat } from "~/components/format-context";
import { actorLabel } from "~/components/labels";
import { ConfirmModal } from "~/components/confirm-modal";
import { PointsReminderCasesNotice } from "~/components/reminder-cases-notice";
import { FormSaveBar } from "~/components/save-bar";
import {
  describePlaceholders,
  editableEmails,
  emailKindSchema,
  emailTemplateLimits,
  hasRewardWords,
  pointsReminderSamples,
  type EmailKind,
  type EmailTemplate,
  type PointsReminderSample,
  type RenderedEmail,
} from "~/domain/email";
import { knownLocaleName, localeName, sameLocale, tooLongWords } from "~/domain/shared";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseOr400, readForm } from "~/lib/parse.server";
import {
  findPointsReminderNotice,
  getEmailTemplate,
  keepPointsReminder,
  listEmailLanguages,
  listEmailTemplateVersions,
  previewEmailTemplate,
  removeEmailTranslation,
  saveEmailTemplate,
} from "~/services/email/email-templates.server";
import { getProgram } from "~/services/program/get-program.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { fetchShopPostalAddress } from "~/shopify/admin/shop-address.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

// ?language= picks a translation (decision 057); absent, the default template. Not `locale`: Shopify's admin puts the
// staff member's own language there, which app.tsx reads for dates and numbers.
const kindSchema = z.object({
  kind: emailKindSchema.default("invitation"),
  language: z.string().trim().max(20).default(""),
});
// The page reads any ?language=: a link cut short or mistyped opens the default template and says so, never "Bad request".
const pageSchema = kindSchema.extend({ language: z.string().trim().default("") });
const emailKinds = Object.keys(editableEmails) as EmailKind[];

/**
 * A ?language= the page has no version to edit for: the text asked (cut to 40 characters) and, when it names a
 * language, that language's English name ("Italian"); null for one the store publishes, its primary language, or none.
 */
function languageNotOffered(
  asked: string,
  languages: { primary: { locale: string } | null; translations: { locale: string }[] },
): { asked: string; name: string | null } | null {
  if (!asked || [languages.primary, ...languages.translations].some((each) => each && sameLocale(each.locale, asked)))
    return null;
  return { asked: asked.length > 40 ? `${asked.slice(0, 40)}\u2026` : asked, name: knownLocaleName(asked) ?? null };
}

/**
 * The shop's address as the emails' footer gives it, read from Shopify as the send run reads it; null when Shopify
 * could not be asked (the preview then shows where the address comes from, and nothing else fails).
 */
const postalAddressOf = (graphql: AdminGraphql) => fetchShopPostalAddress(graphql).catch(() => null);

/** ?kind= picks the email: the referral invitation (the default) or the points reminder. */
export const meta: MetaFunction = () => pageTitle("Emails", "Settings");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const { kind, language: asked } = parseOr400(pageSchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const languages = await listEmailLanguages({ ctx, input: { kind } });
  // A mistyped link, or a language with neither a version nor a storefront, opens the default template (and says so).
  const locale = languages.translations.find((each) => sameLocale(each.locale, asked))?.locale ?? "";
  const current = await getEmailTemplate({ ctx, input: { kind, locale } });
  const postalAddress = await postalAddressOf(admin.graphql);
  return {
    kind,
    locale,
    languages,
    notOffered: languageNotOffered(asked, languages),
    current,
    // No address, no email sent (decision 021): said here, before a merchant wonders why nothing went out.
    addressMissing: postalAddress !== null && postalAddress.length === 0,
    preview: await previewEmailTemplate({ ctx, input: { kind, template: current.template, postalAddress, locale } }),
    placeholders: describePlaceholders(kind, (await getProgram({ ctx })).settings),
    versions: await listEmailTemplateVersions({ ctx, input: { kind, locale } }),
    // A saved reminder that reads the same to every customer (decision 031): said, never rewritten.
    notice: kind === "points_reminder" && locale === "" ? await findPointsReminderNotice({ ctx }) : null,
  };
});

const sampleNames = Object.keys(pointsReminderSamples) as [PointsReminderSample, ...PointsReminderSample[]];

const postSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.enum(["preview", "save"]),
    sample: z.enum(sampleNames).optional(),
    // No bound here: a part pasted far past its limit is refused in words under its field by the service's schema
    // (a bound here answered "Bad request"); the server's 1 MiB body cap bounds what is read.
    subject: z.string(),
    html: z.string(),
    text: z.string(),
  }),
  z.object({ intent: z.literal("keep") }),
  z.object({ intent: z.literal("remove") }),
]);

export type EmailSettingsActionData =
  | { ok: true; intent: "preview"; preview: RenderedEmail }
  | { ok: true; intent: "save"; changed: boolean; version: number; preview: RenderedEmail }
  | { ok: true; intent: "keep"; kept: boolean }
  | { ok: true; intent: "remove"; removed: boolean }
  | DomainErrorBody;

/**
 * Preview renders the typed template with the sample customer; Save stores it as the next version, with who saved;
 * Keep answers the points reminder's notice "Keep mine" (the saved template stays as written, the notice goes);
 * Remove takes a translation away (its customers get the default template again). `?language=` names the translation.
 */
export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const { kind, language: locale } = parseOr400(kindSchema, Object.fromEntries(new URL(request.url).searchParams));
  const form = parseOr400(postSchema, await readForm(request));
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  if (form.intent === "keep")
    return { ok: true, intent: "keep", ...(await keepPointsReminder({ ctx })) } satisfies EmailSettingsActionData;
  if (form.intent === "remove")
    return {
      ok: true,
      intent: "remove",
      ...(await removeEmailTranslation({ ctx, input: { kind, locale } })),
    } satisfies EmailSettingsActionData;
  const { intent, sample, ...template } = form;
  const postalAddress = await postalAddressOf(admin.graphql);
  const preview = await previewEmailTemplate({ ctx, input: { kind, template, postalAddress, sample, locale } });
  if (intent === "preview") return { ok: true, intent, preview } satisfies EmailSettingsActionData;
  const saved = await saveEmailTemplate({ ctx, input: { kind, template, locale } });
  return { ok: true, intent, preview, ...saved } satisfies EmailSettingsActionData;
});

export default function EmailSettings() {
  const { kind, locale, languages, notOffered, current, addressMissing } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const actionData = useActionData<EmailSettingsActionData>();
  const shopify = useAppBridge();
  const language = locale ? localeName(locale) : undefined;
  // Here, not in the editor: the editor starts again when a translation is first saved or removed, and would toast twice.
  useEffect(() => {
    if (!actionData || !("ok" in actionData)) return;
    if (actionData.intent === "save")
      shopify.toast.show(actionData.changed ? `Template saved (version ${actionData.version})` : "No changes to save");
    if (actionData.intent === "keep") shopify.toast.show("Your reminder is kept as you wrote it");
    if (actionData.intent === "remove")
      shopify.toast.show(actionData.removed ? `${language ?? "Translation"} removed` : "Nothing to remove");
  }, [actionData, shopify, language]);
  const open = (nextKind: EmailKind, nextLocale: string) =>
    navigate(`/app/settings/emails?kind=${nextKind}${nextLocale ? `&language=${encodeURIComponent(nextLocale)}` : ""}`);
  // Another email or language opens another editor: typed changes not saved are asked about first, with the admin's
  // own "Leave page with unsaved changes?", as every other way off this editor asks (a page dialog of its own read
  // differently, and a tester saw no question at all). Stay leaves the promise pending: only the latest pick may go.
  const [dirty, setDirty] = useState(false);
  const lastPick = useRef(0);
  const go = (nextKind: EmailKind, nextLocale: string) => {
    const pick = ++lastPick.current;
    if (!dirty) {
      open(nextKind, nextLocale);
      return;
    }
    void shopify.saveBar.leaveConfirmation().then(() => {
      if (lastPick.current === pick) open(nextKind, nextLocale);
    });
  };
  // One editor per email: switching tabs starts from that email's saved template.
  return (
    <Page>
      <TitleBar title="Emails">
        <Link variant="breadcrumb" to="/app/settings">
          Settings
        </Link>
      </TitleBar>
      <BlockStack gap="400">
        <Tabs
          tabs={emailKinds.map((each) => ({ id: each, content: editableEmails[each].title }))}
          selected={emailKinds.indexOf(kind)}
          onSelect={(index) => go(emailKinds[index]!, locale)}
        />
        {languages.translations.length > 0 ? (
          <Card>
            <Select
              label="Language"
              helpText="Customers get the version in their language (their language in Shopify), or the default one when their language has none."
              options={[
                {
                  value: "",
                  label: `${languages.primary?.name ?? "Default"} (default, for every language without its own)`,
                },
                ...languages.translations.map((each) => ({ value: each.locale, label: each.name })),
              ]}
              value={locale}
              onChange={(value) => go(kind, value)}
            />
          </Card>
        ) : null}
        {notOffered ? (
          <Banner
            tone="warning"
            title={
              notOffered.name
                ? `Your store does not publish ${notOffered.name}`
                : `\u201c${notOffered.asked}\u201d is not a language your store publishes`
            }
          >
            <p>
              The default template is shown below, and saving changes it.{" "}
              {languages.translations.length > 0
                ? "To edit another language's version, choose it under Language."
                : "Your store publishes no other language yet."}
              {notOffered.name
                ? ` To write this email in ${notOffered.name}, add ${notOffered.name} in Shopify's Settings \u203a Languages first.`
                : ""}
            </p>
          </Banner>
        ) : null}
        {addressMissing ? (
          <Banner
            tone="warning"
            title="Add your store's address before Tally can send emails"
            action={{ content: "Open Store details", url: "shopify://admin/settings/general", target: "_top" }}
          >
            <p>
              Every invitation and points reminder ends with the store&apos;s postal address and an unsubscribe link, as
              anti-spam laws ask (Canada&apos;s CASL, the US CAN-SPAM Act). Your store has no address in Shopify&apos;s
              Settings › Store details yet, so emails wait in the outbox until you add one.
            </p>
          </Banner>
        ) : null}
        {/* A translation removed starts the editor again from what its customers now get, the default's words. */}
        <EmailTemplateEditor
          key={`${kind}:${locale}:${locale && current.version === 0 ? "untranslated" : "saved"}`}
          onDirtyChange={setDirty}
        />
      </BlockStack>
    </Page>
  );
}

/** The editor of one email in one language; `onDirtyChange` hears whether its draft differs from the saved template. */
function EmailTemplateEditor({ onDirtyChange }: { onDirtyChange: (dirty: boolean) => void }) {
  const {
    kind,
    locale,
    current,
    preview: savedPreview,
    placeholders,
    versions,
    notice,
  } = useLoaderData<typeof loader>();
  const language = locale ? localeName(locale) : undefined;
  const actionUrl = `/app/settings/emails?kind=${kind}${locale ? `&language=${encodeURIComponent(locale)}` : ""}`;
  const actionData = useActionData<EmailSettingsActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const format = useFormat();
  const [draft, setDraft] = useState(current.template);
  const [sample, setSample] = useState<PointsReminderSample>("member");
  const [confirmRemove, setConfirmRemove] = useState(false);
  // A save that makes a version puts the words as stored (trimmed) in the editor, as the program's settings do.
  const [savedVersion, setSavedVersion] = useState(current.version);
  if (savedVersion !== current.version) {
    setSavedVersion(current.version);
    setDraft(current.template);
  }
  // Each part is stored trimmed: spaces typed at either end change nothing a save would keep.
  const dirty = (["subject", "html", "text"] as const).some(
    (part) => draft[part].trim() !== current.template[part].trim(),
  );
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  // The draft as it was before Review the new default put Tally's default in the editor (Put mine back restores it),
  // for the version the notice was about: a save makes another version, and the review is over.
  const [review, setReview] = useState<{ version: number; draft: EmailTemplate } | null>(null);
  const beforeReview = review && review.version === notice?.version ? review.draft : null;
  const fieldErrors = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? {}) : {};
  // A refused Preview or Save shows no preview: the saved template's, left under the error, read as if the broken one
  // had rendered (newcomer round 17). Keep mine changes no words: the saved template's stays.
  const answered = actionData && "ok" in actionData ? actionData : undefined;
  const preview = answered && "preview" in answered ? answered.preview : actionData && !answered ? null : savedPreview;
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : undefined;

  // Save and Preview sit below the editor, the banners that answer them above it: the merchant is taken to the one
  // that answers (a refused template, or a saved reminder that reads the same to every customer), as Polaris moves
  // focus to a banner shown after a form's submission; focus scrolls it into view. The toast alone went unread.
  const errorBanner = useRef<BannerHandles>(null);
  const noticeBanner = useRef<BannerHandles>(null);
  const hasNotice = notice !== null;
  useEffect(() => {
    if (actionData && "error" in actionData) errorBanner.current?.focus();
    else if (actionData && "ok" in actionData && actionData.intent === "save" && hasNotice)
      noticeBanner.current?.focus();
  }, [actionData, hasNotice]);

  const email = editableEmails[kind];

  const field = (name: "subject" | "html" | "text", label: string, multiline?: number) => (
    <TextField
      label={label}
      name={name}
      value={draft[name]}
      onChange={(value) => setDraft({ ...draft, [name]: value })}
      multiline={multiline}
      monospaced={name !== "subject"}
      showCharacterCount
      autoComplete="off"
      error={tooLongWords(draft[name], emailTemplateLimits[name]) ?? fieldErrors[name]?.join(" ")}
    />
  );

  // A part past its limit is already refused under its field as it is typed: sending it could pass the server's 1 MiB
  // cap on a request body (a pasted page with inline images) and answer no words at all.
  const post = (intent: "preview" | "save", forSample = sample, template = draft) => {
    if ((["subject", "html", "text"] as const).some((part) => tooLongWords(template[part], emailTemplateLimits[part])))
      return;
    submit(
      { intent, ...template, ...(kind === "points_reminder" ? { sample: forSample } : {}) },
      { method: "post", action: actionUrl },
    );
  };
  /** Puts `template` in the editor and previews it for `forSample`. */
  const edit = (template: EmailTemplate, forSample: PointsReminderSample) => {
    setDraft(template);
    setSample(forSample);
    post("preview", forSample, template);
  };
  // Discard puts the saved words back, ending a review of the new default; a preview of the typed draft (or its errors)
  // is replaced by the saved template's, so nothing on the page shows words that were dropped.
  const discard = () => {
    setReview(null);
    if (preview === savedPreview) setDraft(current.template);
    else edit(current.template, sample);
  };
  // The case the saved template reads wrong first: the Guest's reminder, or the one short of the cheapest reward.
  const missedSample: PointsReminderSample =
    notice?.missed.includes("guests") || notice?.missed.includes("no_sign_in") ? "guest" : "member_short";

  return (
    <BlockStack gap="500">
      {/* The same Save as the button under the editor; leaving for another page asks first while the bar shows. */}
      <FormSaveBar
        id="email-template-save-bar"
        dirty={dirty}
        saving={busy === "save"}
        onSave={() => post("save")}
        onDiscard={discard}
      />
      {notice ? (
        <PointsReminderCasesNotice
          ref={noticeBanner}
          version={notice.version}
          missed={notice.missed}
          reviewing={beforeReview !== null}
          onReview={() => {
            setReview({ version: notice.version, draft });
            edit(email.defaultTemplate, missedSample);
          }}
          onPutBack={() => {
            if (beforeReview) edit(beforeReview, sample);
            setReview(null);
          }}
          onKeep={() => submit({ intent: "keep" }, { method: "post", action: actionUrl })}
        />
      ) : null}
      <ConfirmModal
        id="email-remove-translation-modal"
        open={confirmRemove}
        title={`Remove the ${language ?? ""} version?`}
        body={`Customers whose language is ${language ?? ""} get the default template again. Every saved ${language ?? ""} version of this email is deleted; this cannot be undone.`}
        action={`Remove ${language ?? ""} version`}
        submitting={busy === "remove"}
        onConfirm={() => {
          setConfirmRemove(false);
          submit({ intent: "remove" }, { method: "post", action: actionUrl });
        }}
        onClose={() => setConfirmRemove(false)}
      />
      {language && current.version === 0 ? (
        <Banner tone="info" title={`No ${language} version yet`}>
          <p>
            Customers whose language is {language} get the default template. The editor starts from it: write it in{" "}
            {language} and save to send them this version instead.
          </p>
        </Banner>
      ) : null}
      {actionData && "error" in actionData ? (
        <Banner ref={errorBanner} tone="critical" title="The template has errors">
          <p>{actionData.error}</p>
        </Banner>
      ) : null}
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="p" tone="subdued">
                {email.description} Liquid placeholders are filled in for each customer; in the HTML they are escaped,
                so a name never becomes markup.
              </Text>
              {language && !hasRewardWords(locale) ? (
                // Tally words rewards in French, German and Spanish only; any other language gets English (decision 059).
                <Text as="p" tone="subdued">
                  {kind === "invitation"
                    ? "{{ friend_reward }} and {{ advocate_reward }} are"
                    : "{{ cheapest_reward }} is"}{" "}
                  written in English (Tally words rewards in French, German and Spanish only): in the {language}{" "}
                  version, write the reward out in {language}.
                </Text>
              ) : null}
              {field("subject", "Subject")}
              {field("html", "HTML version", 12)}
              {field("text", "Plain-text version", 8)}
              <InlineStack gap="200" align="end">
                <Button onClick={() => post("preview")} loading={busy === "preview"}>
                  Preview
                </Button>
                {language && current.version > 0 ? (
                  <Button
                    tone="critical"
                    variant="plain"
                    onClick={() => setConfirmRemove(true)}
                    loading={busy === "remove"}
                  >
                    {`Remove ${language} version`}
                  </Button>
                ) : null}
                <Button variant="primary" onClick={() => post("save")} loading={busy === "save"}>
                  {language ? `Save ${language} version` : "Save"}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Placeholders
              </Text>
              {placeholders.map(({ name, meaning }) => (
                <Text as="p" key={name}>
                  <code>{`{{ ${name} }}`}</code>: {meaning}
                </Text>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Card>
        <BlockStack gap="300">
          {kind === "points_reminder" ? (
            <>
              <Text as="h2" variant="headingMd">
                Preview
              </Text>
              {/* The reminder's words differ by case (newcomer round 21): each one a merchant's template must cover. */}
              <Select
                label="Sample customer"
                options={sampleNames.map((value) => ({ value, label: pointsReminderSamples[value].label }))}
                value={sample}
                onChange={(value) => {
                  setSample(value as PointsReminderSample);
                  post("preview", value as PointsReminderSample);
                }}
              />
              <Text as="p" tone="subdued">
                Customers short of the cheapest reward get a reminder only when you untick &ldquo;Only customers with
                enough points for a reward&rdquo;; Guests have points but no customer account, and redeem once they
                create one with the same email address.
              </Text>
            </>
          ) : (
            <Text as="h2" variant="headingMd">
              Preview, for a sample customer (Ana)
            </Text>
          )}
          {preview ? (
            <EmailPreview preview={preview} />
          ) : (
            <Text as="p" tone="subdued">
              No preview while the template has errors. Correct them above, then press Preview again.
            </Text>
          )}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Versions
          </Text>
          {versions.length === 0 ? (
            <Text as="p" tone="subdued">
              {language
                ? `No ${language} version is saved; saving creates version 1.`
                : "Tally's default template is in use; saving creates version 1."}
            </Text>
          ) : (
            versions.map((version) => (
              <Text as="p" key={version.version}>
                Version {version.version}
                {version.version === current.version ? " (in use)" : ""}: saved by{" "}
                {actorLabel(version.actor, version.actorName)} on {format.dateTime(version.createdAt)}
              </Text>
            ))
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

/** The sample customer's email: its subject, its HTML in a sandboxed frame and its plain text. */
function EmailPreview({ preview }: { preview: RenderedEmail }) {
  return (
    <>
      <Text as="p" data-email-preview-subject>
        <Text as="span" fontWeight="semibold">
          Subject:
        </Text>{" "}
        {preview.subject}
      </Text>
      {/* The merchant's HTML in a sandboxed frame: no script runs, and its styles stay inside. */}
      <iframe
        title="HTML version"
        sandbox=""
        srcDoc={preview.html}
        style={{ width: "100%", minHeight: 360, border: "1px solid #e1e3e5", borderRadius: 8 }}
      />
      <Box background="bg-surface-secondary" padding="300" borderRadius="200">
        <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{preview.text}</pre>
      </Box>
    </>
  );
}
