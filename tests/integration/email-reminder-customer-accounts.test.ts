import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shops } from "~/db/schema";
import { defaultPointsReminderTemplate } from "~/domain/email";
import { closeSmtpTransports, smtpTransport } from "~/email/smtp-transport.server";
import { runShopJobs } from "~/jobs/scheduler.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as startJob } from "~/routes/app.jobs._index";
import { action as emailSettingsAction } from "~/routes/app.settings_.emails";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installedSandboxShop } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { answerOf } from "../helpers/route-answers";
import { Shopper } from "../helpers/shopper";
import { sessionTokenRequest } from "../helpers/signed-requests";
import { fixedShopAddress, startSmtpSink, type ReceivedMail } from "../helpers/smtp-sink";

/*
 * A Guest's points reminder follows the shop's customer accounts (decision 064), read from Shopify's
 * `shop.customerAccountsV2` with the shop's facts: on classic accounts the register page that returns to the rewards
 * page; on new customer accounts, where /account/register goes to Shopify's sign-in and never comes back, the rewards
 * page, whose Join signs in and returns; on a shop that hides its sign-in links, no offer of an account it cannot make.
 */

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request) => ({ request, params: {}, context: {} }) as Args;
const { db } = contextFor("any", "test");
const sandboxOf = useSandboxWithProxyApp();

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  closeSmtpTransports();
  await sink.close();
});

/**
 * Émile, a Guest subscribed to email with 100 points (a reward costs 500), reminded from the directory: his email.
 * `beforePreparing` runs once staff have pressed the button (their request reads the shop's facts: afterAuth).
 */
async function remindGuest(
  shop: string,
  requestId: string,
  beforePreparing: () => Promise<unknown> = async () => {},
): Promise<ReceivedMail["parsed"]> {
  const [emile] = await insertCustomers(db, shop, [
    {
      status: "guest",
      firstName: "Émile",
      lastName: "Zola",
      email: `emile-${requestId}@example.com`,
      pointsBalance: 100,
      emailMarketingState: "SUBSCRIBED",
    },
  ]);
  const request = await sessionTokenRequest(shop, "/app/jobs", {
    method: "POST",
    body: new URLSearchParams({
      kind: "customers.points-reminder",
      input: JSON.stringify({ selection: { ids: [emile!.id] }, onlyRedeemable: false }),
      requestId,
    }),
  });
  expect((await answerOf(() => startJob(args(request)))).status).toBe(302);
  await beforePreparing();
  await createTaskRunner({ shops: [shop] }).drain();
  const before = sink.received.length;
  await sendQueuedEmails({
    ctx: contextFor(shop, "tally-jobs"),
    transport: () => smtpTransport(sink.url),
    senderAddress: fixedShopAddress,
  });
  const mails = sink.received.slice(before);
  expect(mails.map((mail) => mail.to)).toEqual([[`emile-${requestId}@example.com`]]);
  return mails[0]!.parsed;
}

/** Settings › Emails' preview of Tally's default reminder for its sample Guest short of a reward. */
async function guestPreview(shop: string): Promise<{ text: string; html: string }> {
  const answer = (await answerOf(async () =>
    emailSettingsAction(
      args(
        await sessionTokenRequest(shop, "/app/settings/emails?kind=points_reminder", {
          method: "POST",
          body: new URLSearchParams({ intent: "preview", sample: "guest_short", ...defaultPointsReminderTemplate }),
        }),
      ),
    ),
  )) as unknown as { preview: { text: string; html: string } };
  return answer.preview;
}

const rewardsPage = (shop: string) => `https://${shop}/apps/tally/`;
const registerPage = (shop: string) => `https://${shop}/account/register?return_url=%2Fapps%2Ftally%2F`;
/** What a Guest of a shop with sign-in off reads instead of "Create your account", with the shop's name. */
async function noSignIn(shop: string): Promise<string> {
  const [row] = await db.select({ name: shops.name }).from(shops).where(eq(shops.shop, shop));
  return `Rewards need a customer account, and ${row!.name} doesn't offer sign-in at the moment, so they can't be redeemed yet.`;
}

describe("a Guest's points reminder follows the shop's customer accounts", () => {
  it("on classic accounts, sends the Guest to the register page, which returns to the rewards page", async () => {
    const shop = await installedSandboxShop(sandboxOf());
    const email = await remindGuest(shop, "classic");
    expect(email.text).toContain(`Create an account: ${registerPage(shop)}\n`);
    expect(email.html).toContain(`href="${registerPage(shop)}"`);
    expect(email.html).toContain(">Create your account</a>");
    expect((await guestPreview(shop)).text).toContain(`Create an account: ${registerPage(shop)}`);
  });

  it("on new customer accounts, sends the Guest to the rewards page, whose Join signs in and comes back, not to /account/register", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { legacyCustomerAccounts: false });
    const email = await remindGuest(shop, "new");
    expect(email.text).toContain(`Create an account: ${rewardsPage(shop)}\n`);
    expect(email.html).toContain(`href="${rewardsPage(shop)}"`);
    for (const part of [email.text, email.html]) expect(part).not.toContain("/account/register");
    // Émile opens it: the rewards page's Join is Shopify's sign-in, whose first sign-in makes his account and
    // brings him back to the rewards page.
    const emile = new Shopper(sandboxOf().origin, shop);
    const page = (await emile.get("/apps/tally/")).text;
    const join = (/data-register="([^"]+)"/.exec(page)?.[1] ?? "").replace(/&amp;/g, "&");
    expect(join).toBe("/customer_authentication/login?return_to=%2Fapps%2Ftally%2F&locale=en");
    const joined = await emile.post("/customer_authentication/login", {
      return_to: "/apps/tally/",
      email: "emile-new@example.com",
    });
    expect(joined).toMatchObject({ status: 302, location: "/apps/tally/" });
    const preview = await guestPreview(shop);
    expect(preview.text).toContain(`Create an account: ${rewardsPage(shop)}`);
    expect(preview.text).not.toContain("/account/register");
  });

  it("on a shop that hides its sign-in links, says the store offers no sign-in instead of 'Create your account'", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { loginLinks: false });
    const email = await remindGuest(shop, "off");
    for (const part of [email.text, email.html]) {
      expect(part).toContain(await noSignIn(shop));
      expect(part).not.toMatch(/create (your|an) account/i);
      expect(part).not.toContain("/account/register");
    }
    expect(email.text).toContain(`The rewards page: ${rewardsPage(shop)}`);
    const preview = await guestPreview(shop);
    expect(preview.text).toContain(await noSignIn(shop));
    expect(preview.text).not.toMatch(/create (your|an) account/i);
  });

  it("follows a merchant who turns sign-in links off, and on again as new customer accounts, once the shop's facts are read again", async () => {
    const sandbox = sandboxOf();
    const shop = await installedSandboxShop(sandbox);
    const stored = async () =>
      (
        await db
          .select({ version: shops.customerAccountsVersion, links: shops.loginLinksVisible })
          .from(shops)
          .where(eq(shops.shop, shop))
      )[0];
    expect(await stored()).toEqual({ version: "CLASSIC", links: true });

    sandbox.control.setCustomerAccounts({ shop, loginLinks: false });
    await runShopJobs(shop, { force: true });
    expect(await stored()).toEqual({ version: "CLASSIC", links: false });
    expect((await remindGuest(shop, "turned-off")).text).toContain(await noSignIn(shop));

    sandbox.control.setCustomerAccounts({ shop, legacyCustomerAccounts: false, loginLinks: true });
    await runShopJobs(shop, { force: true });
    expect(await stored()).toEqual({ version: "NEW_CUSTOMER_ACCOUNTS", links: true });
    expect((await remindGuest(shop, "turned-new")).text).toContain(`Create an account: ${rewardsPage(shop)}\n`);
  });

  it("keeps the register page for a shop whose accounts were never read (a row from before Tally read them)", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { loginLinks: false });
    const forget = () =>
      db.update(shops).set({ customerAccountsVersion: null, loginLinksVisible: null }).where(eq(shops.shop, shop));
    expect((await remindGuest(shop, "unread", forget)).text).toContain(`Create an account: ${registerPage(shop)}\n`);
  });
});
