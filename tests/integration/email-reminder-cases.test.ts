import { describe, expect, it } from "vitest";
import { defaultPointsReminderTemplate, type EmailTemplate } from "~/domain/email";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { postAsAdmin, type RouteArgs } from "../helpers/route-answers";
import { sessionTokenRequest } from "../helpers/signed-requests";

/*
 * The points reminder's cases in Settings › Emails (decision 031): a sample customer for each combination of the flags
 * the default template branches on, every one rendered at save.
 */

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
  };
}

describe("Settings › Emails shows and checks every case of the points reminder", () => {
  it("previews a Guest with enough points for a reward: told to create an account with this email address", async () => {
    const shop = await newShop();
    const name = shop.replace(/\.myshopify\.com$/, "");
    const answer = await post(shop, { intent: "preview", sample: "guest", ...defaultPointsReminderTemplate });
    expect(answer.status).toBe(200);
    const { preview } = (await answer.json()) as { preview: { subject: string; text: string } };
    expect(preview.subject).toBe(`You have 1,250 points to spend at ${name}`);
    expect(preview.text).toContain("Hi Émile,");
    expect(preview.text).toContain(`create an account at ${name} with this email address`);
    expect(preview.text).toContain(`Create an account: https://${shop}/account/register`);
    expect(preview.text).not.toContain("more and your first reward is yours");
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
