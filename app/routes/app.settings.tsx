import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, InlineStack, Layout, Page, Tag, Text } from "@shopify/polaris";
import { z } from "zod";
import { useFormat } from "~/components/format-context";
import { ProgramSettingsForm } from "~/components/program-settings-form";
import { ProgramVersionHistory } from "~/components/program-version-history";
import { RecalculatePointsCard } from "~/components/recalculate-points-card";
import { SettingsSaveFailed, useSettingsSaveAnswer } from "~/components/settings-form";
import { programSettingsFormSchema, programSettingsToForm } from "~/domain/program/settings-form";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { jsonField, parseOr400, readForm } from "~/lib/parse.server";
import { getProgram } from "~/services/program/get-program.server";
import { listProgramVersions } from "~/services/program/list-program-versions.server";
import { saveProgramForm } from "~/services/program/save-program-form.server";
import { findShop } from "~/services/shops/get-shop.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

export const meta: MetaFunction = () => pageTitle("Settings");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const ctx = contextFor(session.shop, "staff");
  const program = await getProgram({ ctx });
  const shop = await findShop({ ctx });
  return {
    version: program.version,
    currency: program.currency,
    form: programSettingsToForm(program.settings, program.currency),
    versions: await listProgramVersions({ ctx }),
    installation: {
      shop: session.shop,
      installedAt: shop?.installedAt ?? null,
      scopes: (shop?.scope ?? session.scope ?? "").split(",").filter(Boolean),
    },
  };
});

const settingsPost = z.object({ settings: jsonField.pipe(programSettingsFormSchema) });

export type SettingsActionData = { ok: true; changed: boolean; version: number } | DomainErrorBody;

export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const { settings } = parseOr400(settingsPost, await readForm(request));
  const { program, changed } = await saveProgramForm({
    ctx: contextFor(session.shop, staffActorOf(session, sessionToken)),
    input: settings,
  });
  return { ok: true, changed, version: program.version } satisfies SettingsActionData;
});

export default function Settings() {
  const { version, currency, form, versions, installation } = useLoaderData<typeof loader>();
  const actionData = useActionData<SettingsActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const format = useFormat();
  const fieldErrors = useSettingsSaveAnswer(actionData, "Program saved");

  return (
    <Page>
      <TitleBar title="Settings" />
      <BlockStack gap="500">
        <SettingsSaveFailed answer={actionData} title="The program was not saved" />
        {/* Remounted per version, so a save shows the settings as stored (tags deduplicated, amounts normalised). */}
        <ProgramSettingsForm
          key={version}
          initial={form}
          currency={currency}
          fieldErrors={fieldErrors}
          saving={navigation.state === "submitting"}
        />
        <Layout>
          <Layout.AnnotatedSection
            title="Referral program"
            description="What friends and referring customers get, who can refer, and the return window."
          >
            <Card>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="p">Friend and customer rewards, joining and the pending period.</Text>
                <RemixLink to="/app/settings/referrals">Edit referral settings</RemixLink>
              </InlineStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Version history"
            description="Every saved change is a new version, with who saved it and what it changed; points record the version they were earned under."
          >
            <ProgramVersionHistory versions={versions} currency={currency} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Points maintenance"
            description="Check every customer's figures against their points history."
          >
            {/* Starts a background job (POST /app/jobs), which opens its page with the progress and results. */}
            <RecalculatePointsCard
              starting={navigation.state !== "idle" && navigation.formAction === "/app/jobs"}
              onConfirm={(requestId) =>
                submit(
                  { kind: "points.recalculate", input: JSON.stringify({ repair: true }), requestId },
                  { method: "post", action: "/app/jobs" },
                )
              }
            />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Emails"
            description="The emails customers get from the directory: the referral invitation and the points reminder."
          >
            <Card>
              <BlockStack gap="200">
                <Text as="p">Edit the subject, HTML and plain text, and preview it for a sample customer.</Text>
                <InlineStack gap="400">
                  <RemixLink to="/app/settings/emails">Edit the invitation email</RemixLink>
                  <RemixLink to="/app/settings/emails?kind=points_reminder">Edit the points reminder</RemixLink>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Customer groups"
            description="Shopify customer segments you name in Tally, each with a discount only its members can use."
          >
            <Card>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="p">Create groups from a segment query, see their members, give them a discount.</Text>
                <RemixLink to="/app/groups">Manage groups</RemixLink>
              </InlineStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Privacy requests"
            description="Customers' requests for their data, sent by Shopify, with the export to hand over within 30 days."
          >
            <Card>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="p">Download what Tally keeps about a customer who asked.</Text>
                <RemixLink to="/app/privacy">View privacy requests</RemixLink>
              </InlineStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Installation" description="What Shopify granted Tally on this store.">
            <Card>
              <BlockStack gap="300">
                <Text as="p">
                  <Text as="span" fontWeight="semibold">
                    Store:
                  </Text>{" "}
                  {installation.shop}
                </Text>
                <Text as="p">
                  <Text as="span" fontWeight="semibold">
                    Installed:
                  </Text>{" "}
                  {installation.installedAt ? format.dateTime(installation.installedAt) : "not recorded yet"}
                </Text>
                <InlineStack gap="200">
                  {installation.scopes.map((scope) => (
                    <Tag key={scope}>{scope}</Tag>
                  ))}
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
