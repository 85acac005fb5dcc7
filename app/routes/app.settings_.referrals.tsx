import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { ReferralSettingsForm, ReferralVersionHistory } from "~/components/referral-settings-form";
import { SettingsSaveFailed, useSettingsSaveAnswer } from "~/components/settings-form";
import {
  describeAdvocateReward,
  describeFriendOffer,
  referralSettingsFormSchema,
  referralSettingsToForm,
} from "~/domain/referrals";
import { adminMoneyWriter } from "~/domain/shared";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { jsonField, parseOr400, readForm } from "~/lib/parse.server";
import {
  getReferralProgram,
  listReferralProgramVersions,
  saveReferralProgram,
} from "~/services/referrals/referral-program.server";
import { getShopCurrency } from "~/services/shops/get-shop.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

export const meta: MetaFunction = () => pageTitle("Referral settings", "Settings");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const ctx = contextFor(session.shop, "staff");
  const program = await getReferralProgram({ ctx });
  const versions = await listReferralProgramVersions({ ctx });
  const storeCurrency = await getShopCurrency({ ctx });
  const money = (currency: string) => adminMoneyWriter(currency, { storeCurrency });
  return {
    version: program.version,
    currency: program.currency,
    form: referralSettingsToForm(program.settings, program.currency),
    versions: versions.map(({ program: saved, ...version }) => ({
      ...version,
      summary: [
        saved.settings.enabled ? "On" : "Off",
        `friend: ${describeFriendOffer(saved.settings.friendReward, saved.currency, money(saved.currency))}`,
        `customer: ${describeAdvocateReward(saved.settings.advocateReward, saved.currency, money(saved.currency))}`,
        `${saved.settings.pendingDays}-day pending period`,
        saved.settings.joining === "automatic" ? "every member joins" : "on request",
      ].join("; "),
    })),
  };
});

const settingsPost = z.object({ settings: jsonField.pipe(referralSettingsFormSchema) });

export type ReferralSettingsActionData = { ok: true; changed: boolean; version: number } | DomainErrorBody;

/** Saves Settings → Referrals as a new version with the staff member; an unchanged form saves nothing. */
export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const { settings } = parseOr400(settingsPost, await readForm(request));
  const { program, changed } = await saveReferralProgram({
    ctx: contextFor(session.shop, staffActorOf(session, sessionToken)),
    input: settings,
  });
  return { ok: true, changed, version: program.version } satisfies ReferralSettingsActionData;
});

export default function ReferralSettings() {
  const { version, currency, form, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<ReferralSettingsActionData>();
  const navigation = useNavigation();
  const fieldErrors = useSettingsSaveAnswer(actionData, "Referral program saved");
  return (
    <Page>
      <TitleBar title="Referral settings">
        <Link variant="breadcrumb" to="/app/settings">
          Settings
        </Link>
      </TitleBar>
      <BlockStack gap="500">
        <SettingsSaveFailed answer={actionData} title="The referral program was not saved" />
        <ReferralSettingsForm
          key={version}
          initial={form}
          currency={currency}
          fieldErrors={fieldErrors}
          saving={navigation.state === "submitting"}
        />
        <Layout>
          <Layout.AnnotatedSection
            title="Version history"
            description="Every saved change is a new version; each referral keeps the rewards of the version it was claimed under."
          >
            <ReferralVersionHistory versions={versions} />
          </Layout.AnnotatedSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}
