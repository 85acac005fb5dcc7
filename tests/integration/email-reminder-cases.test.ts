import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "~/db/schema";
import { emptyCustomerQuery } from "~/domain/customers";
import { defaultPointsReminderTemplate, type EmailTemplate } from "~/domain/email";
import { action as reminderPreview } from "~/routes/app.customers_.reminder-preview";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { getEmailTemplate } from "~/services/email/email-templates.server";
import { recordShopFacts } from "~/services/shops/update-shop-facts.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { postAsAdmin, type RouteArgs } from "../helpers/route-answers";
import { sessionTokenRequest } from "../helpers/signed-requests";

/*
 * The points reminder's cases in Settings › Emails (decision 031): a sample customer for each combination of the flags
 * the default template branches on, every one rendered at save; and a reminder saved before the cases existed, kept
 * word for word and told about where it is edited and where it is sent, until staff save another or keep theirs.
 */

const { db } = contextFor("any", "test");

async function newShop(): Promise<string> {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

const settings = "/app/settings/emails?kind=points_reminder";
const post = (shop: string, fields: Record<string, string>) =>
  postAsAdmin(emailSettingsAction, shop, settings, new URLSearchParams(fields));

async function settingsPage(shop: string) {
  const request = await sessionTokenRequest(shop, settings);
  return (await emailSettingsLoader({ request, params: {}, context: {} } as RouteArgs)) as unknown as {
    current: { version: number; template: EmailTemplate };
    notice: { version: number; missed: string[] } | null;
  };
}

/** What the directory's reminder panel hears for every customer of the shop. */
async function panel(shop: string) {
  const response = await postAsAdmin(
    reminderPreview,
    shop,
    "/app/customers/reminder-preview",
    new URLSearchParams({ selection: JSON.stringify({ query: emptyCustomerQuery }) }),
  );
  return (await response.json()) as { templateNotice: { version: number; missed: string[] } | null };
}

/** Tally's points reminder before round 21, as a merchant saved it then: the same words for every customer. */
const oneForAll: EmailTemplate = {
  subject: "You have {{ points_balance }} to spend at {{ shop_name }}",
  html: "<p>Hi {{ first_name }}, sign in on our rewards page and press Redeem: {{ storefront_link }}</p>",
  text: "Hi {{ first_name }}, sign in on our rewards page and press Redeem: {{ storefront_link }}",
};

describe("Settings › Emails shows and checks every case of the points reminder", () => {
  it("previews a Guest with enough points for a reward: told to create an account with this email address", async () => {
    const shop = await newShop();
    const name = shop.replace(/\.myshopify\.com$/, "");
    const answer = await post(shop, { intent: "preview", sample: "guest", ...defaultPointsReminderTemplate });
    expect(answer.status).toBe(200);
    const { preview } = (await answer.json()) as { preview: { subject: string; text: string } };
    expect(preview.subject).toBe(`Your 1,250 points at ${name} are waiting`);
    expect(preview.text).toContain("Hi Émile,");
    expect(preview.text).toContain(`create an account at ${name} with this email address`);
    expect(preview.text).toContain(`Create an account: https://${shop}/account/register?return_url=%2Fapps%2Ftally%2F`);
    expect(preview.text).not.toContain("more to your next reward");
  });

  it("refuses at save a mistake only a Guest with enough points for a reward would read", async () => {
    const shop = await newShop();
    // Every other case takes another branch: only that sample's render finds what is in this one.
    const onlyThatGuest = (words: string): EmailTemplate => ({
      ...defaultPointsReminderTemplate,
      text: `Hi {{ first_name }},\n{% if has_account %}Sign in: {{ storefront_link }}{% elsif can_redeem %}${words}{% else %}{{ points_needed }} more{% endif %}`,
    });
    const misspelt = await post(shop, { intent: "save", ...onlyThatGuest("Create an account: {{ register_lnk }}") });
    expect(misspelt.status).toBe(400);
    expect(((await misspelt.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.text).toEqual([
      expect.stringMatching(/^In the plain-text version, line 2: \{\{ register_lnk \}\} is not a placeholder/),
    ]);
    // A loop that never ends in time: no placeholder is wrong, only rendering that case finds it.
    const endless = await post(shop, {
      intent: "save",
      ...onlyThatGuest("{% for i in (1..100000000) %}{{ register_link }}{% endfor %}"),
    });
    expect(endless.status).toBe(400);
    expect(((await endless.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.text).toEqual([
      expect.stringContaining("the template takes too long to fill in for one customer"),
    ]);
    expect((await settingsPage(shop)).current.version).toBe(0);
  });
});

describe("A points reminder saved before it told its cases apart", () => {
  it("is kept word for word; Settings › Emails and the reminder panel say who reads a Member's words until staff keep it", async () => {
    const shop = await newShop();
    expect(await (await post(shop, { intent: "save", ...oneForAll })).json()).toMatchObject({ ok: true, version: 1 });

    const page = await settingsPage(shop);
    expect(page.current).toMatchObject({ version: 1, template: oneForAll });
    expect(page.notice).toEqual({ version: 1, missed: ["guests", "below_reward"] });
    expect((await panel(shop)).templateNotice).toEqual({ version: 1, missed: ["guests", "below_reward"] });

    // Keep mine: the words stay, the notice goes, and the audit trail says who kept which version.
    expect(await (await post(shop, { intent: "keep" })).json()).toEqual({ ok: true, intent: "keep", kept: true });
    const kept = await settingsPage(shop);
    expect(kept.notice).toBeNull();
    expect(kept.current).toMatchObject({ version: 1, template: oneForAll });
    expect((await panel(shop)).templateNotice).toBeNull();
    expect(await (await post(shop, { intent: "keep" })).json()).toEqual({ ok: true, intent: "keep", kept: false });
    const audit = await db
      .select({ subject: auditEvents.subject, after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "email_template.keep")));
    expect(audit).toEqual([
      { subject: "Points reminder email", after: { version: 1, missed: ["guests", "below_reward"] } },
    ]);

    // Kept is kept: a later version of the merchant's own words brings no notice back.
    await post(shop, { intent: "save", ...oneForAll, subject: "Your {{ points_balance }} at {{ shop_name }}" });
    expect(await settingsPage(shop)).toMatchObject({ current: { version: 2 }, notice: null });
  });

  it("says nothing of Tally's default, and goes once staff save a reminder that tells the cases apart", async () => {
    const shop = await newShop();
    expect((await settingsPage(shop)).notice).toBeNull();
    expect((await panel(shop)).templateNotice).toBeNull();

    await post(shop, { intent: "save", ...oneForAll });
    // Telling Guests apart only: the balance under the cheapest reward is still read as one that can redeem.
    const guestsOnly = {
      ...oneForAll,
      text: "{% if has_account %}Sign in: {{ storefront_link }}{% else %}Create an account: {{ register_link }}{% endif %}",
    };
    await post(shop, { intent: "save", ...guestsOnly });
    expect((await settingsPage(shop)).notice).toEqual({ version: 2, missed: ["below_reward"] });

    // Review the new default, then Save: Tally's default is version 3, and the notice has nothing left to say.
    await post(shop, { intent: "save", ...defaultPointsReminderTemplate });
    const page = await settingsPage(shop);
    expect(page).toMatchObject({ current: { version: 3 }, notice: null });
    expect(
      (await getEmailTemplate({ ctx: contextFor(shop, "test"), input: { kind: "points_reminder" } })).template,
    ).toEqual(defaultPointsReminderTemplate);
  });
});

describe("A points reminder that tells every Guest to create an account, on a store that hides its sign-in links", () => {
  // Saved before `can_create_account` (decision 064): Guests told apart, and every one sent to make an account.
  const createAnAccount: EmailTemplate = {
    ...oneForAll,
    text: "{% if has_account %}Sign in: {{ storefront_link }}{% else %}Create an account: {{ register_link }}{% endif %} {{ points_needed }}",
  };
  const hideSignIn = (shop: string, hidden: boolean) =>
    recordShopFacts({ ctx: contextFor(shop, "test"), input: { loginLinksVisible: !hidden, at: null } });

  it("is told of once the store hides its sign-in links, even after staff kept it for the older cases", async () => {
    const shop = await newShop();
    await post(shop, { intent: "save", ...oneForAll });
    expect(await (await post(shop, { intent: "keep" })).json()).toMatchObject({ kept: true });
    await post(shop, { intent: "save", ...createAnAccount });
    // Sign-in links shown: a Guest can make the account the reminder asks for.
    expect((await settingsPage(shop)).notice).toBeNull();

    await hideSignIn(shop, true);
    expect((await settingsPage(shop)).notice).toEqual({ version: 2, missed: ["no_sign_in"] });
    expect((await panel(shop)).templateNotice).toEqual({ version: 2, missed: ["no_sign_in"] });

    // Shown again: nothing to say.
    await hideSignIn(shop, false);
    expect((await settingsPage(shop)).notice).toBeNull();
    await hideSignIn(shop, true);

    // Keep mine keeps this case too, audited with it; keeping again changes nothing.
    expect(await (await post(shop, { intent: "keep" })).json()).toEqual({ ok: true, intent: "keep", kept: true });
    expect((await settingsPage(shop)).notice).toBeNull();
    expect((await panel(shop)).templateNotice).toBeNull();
    expect(await (await post(shop, { intent: "keep" })).json()).toEqual({ ok: true, intent: "keep", kept: false });
    const audit = await db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "email_template.keep")))
      .orderBy(auditEvents.id);
    expect(audit.map((row) => row.after)).toEqual([
      { version: 1, missed: ["guests", "below_reward"] },
      { version: 2, missed: ["no_sign_in"] },
    ]);
  });

  it("says all it misses at once, and goes with Tally's default", async () => {
    const shop = await newShop();
    await hideSignIn(shop, true);
    await post(shop, { intent: "save", ...oneForAll });
    // Guests not told apart at all: that case says it, not a second one about sign-in.
    expect((await settingsPage(shop)).notice).toEqual({ version: 1, missed: ["guests", "below_reward"] });
    await post(shop, { intent: "save", ...createAnAccount });
    expect((await settingsPage(shop)).notice).toEqual({ version: 2, missed: ["no_sign_in"] });
    await post(shop, { intent: "save", ...defaultPointsReminderTemplate });
    expect((await settingsPage(shop)).notice).toBeNull();
  });
});
