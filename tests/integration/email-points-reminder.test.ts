import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { emailOutbox } from "~/db/schema";
import { smtpTransport } from "~/email/smtp-transport.server";
import { startInProcessDispatch } from "~/jobs/dispatch/in-process.server";
import type { EveryTickShopJob } from "~/jobs/scheduled-job";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as startJob } from "~/routes/app.jobs._index";
import { action as reminderPreview } from "~/routes/app.customers_.reminder-preview";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { action as unsubscribeAction } from "~/routes/proxy.email.unsubscribe";
import { getTask, iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { previewPointsReminder } from "~/services/rewards/points-reminders.server";
import { emptyCustomerQuery } from "~/domain/customers";
import { defaultPointsReminderTemplate } from "~/domain/email";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { signAppProxyQuery } from "../sandbox/index";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { samplePayload } from "../helpers/shopify-samples";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { useSmtpSink, type ReceivedMail, fixedShopAddress } from "../helpers/smtp-sink";
import { answerOf } from "../helpers/route-answers";

/*
 * Email a points reminder (issue 10, seed 000) from the directory's bulk actions: the invitation's email path (the
 * outbox, consent, RFC 8058 unsubscribe), its own template in Settings › Emails, delivered to a real SMTP sink.
 */

const { db } = contextFor("any", "test");
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as Args;

const { sink, sendAll } = useSmtpSink();

/** Staff press Email points reminder: POST /app/jobs as the directory does. Answers the job id. */
async function remind(shop: string, input: unknown, requestId: string): Promise<number> {
  const request = await sessionTokenRequest(shop, "/app/jobs", {
    method: "POST",
    body: new URLSearchParams({ kind: "customers.points-reminder", input: JSON.stringify(input), requestId }),
  });
  const response = await answerOf(() => startJob(args(request)));
  expect(response.status).toBe(302);
  return Number(/\/app\/jobs\/(\d+)$/.exec(response.headers.get("Location") ?? "")?.[1]);
}

async function results(shop: string, taskId: number) {
  const rows = [];
  for await (const item of iterateTaskItems({ ctx: contextFor(shop, "test"), input: { taskId } })) rows.push(item);
  return rows.map((item) => [item.label, item.outcome, item.message]).sort();
}

const drain = (shop: string) => createTaskRunner({ shops: [shop] }).drain();

function header(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((each) => each.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}

/** The mailbox provider's one-click POST (RFC 8058) to the List-Unsubscribe URL, through Shopify's app proxy. */
function oneClick(mail: ReceivedMail, shop: string): Request {
  const url = new URL(/^<(https:[^>]+)>$/.exec(header(mail, "List-Unsubscribe") ?? "")?.[1] ?? "");
  const query = new URLSearchParams(url.search);
  query.append("shop", shop);
  query.append("logged_in_customer_id", "");
  query.append("path_prefix", "/apps/tally");
  query.append("timestamp", String(Math.floor(Date.now() / 1000)));
  query.append("signature", signAppProxyQuery(query, process.env.SHOPIFY_API_SECRET ?? ""));
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy/email/unsubscribe?${query.toString()}`, {
    method: "POST",
    body: "List-Unsubscribe=One-Click",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function shopWithBalances() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  const subscribed = { emailMarketingState: "SUBSCRIBED" } as const;
  const [ana, ben, cleo, dan, eve] = await insertCustomers(db, shop, [
    {
      status: "member",
      firstName: "Ana",
      lastName: null,
      email: "ana@example.com",
      pointsBalance: 1_250,
      ...subscribed,
    },
    { status: "member", firstName: "Ben", lastName: null, email: "ben@example.com", pointsBalance: 900 },
    { status: "member", firstName: "Cleo", lastName: null, email: null, pointsBalance: 700, ...subscribed },
    { status: "member", firstName: "Dan", lastName: null, email: "dan@example.com", pointsBalance: 0, ...subscribed },
    { status: "member", firstName: "Eve", lastName: null, email: "eve@example.com", pointsBalance: 1, ...subscribed },
  ]);
  return { shop, ana: ana!, ben: ben!, cleo: cleo!, dan: dan!, eve: eve! };
}

describe("Email a points reminder from the directory", () => {
  it("emails subscribed customers with points their balance, the cheapest reward and the store's link; counts the rest by reason", async () => {
    const { shop, ana, ben, cleo, dan, eve } = await shopWithBalances();
    // Shopify tells Tally the shop's money formats (shop/update): the reward is written as the storefront writes it.
    const facts = {
      ...samplePayload("shop/update"),
      name: shop.replace(/\.myshopify\.com$/, ""),
      currency: "USD",
      money_format: "${{amount}}",
      money_with_currency_format: "${{amount}} USD",
    };
    expect((await deliverWebhook(shopUpdate, "shop/update", shop, facts)).status).toBe(200);
    const input = { selection: { ids: [ana.id, ben.id, cleo.id, dan.id, eve.id] } };
    const taskId = await remind(shop, input, "remind-1");
    expect(await remind(shop, input, "remind-1"), "a resubmit starts nothing twice").toBe(taskId);
    await drain(shop);

    expect(await results(shop, taskId)).toEqual([
      ["Ana", "done", "Reminder to ana@example.com queued"],
      ["Ben", "skipped", "Not subscribed to email marketing"],
      ["Cleo", "skipped", "No email address"],
      ["Dan", "skipped", "No points to spend"],
      ["Eve", "done", "Reminder to eve@example.com queued"],
    ]);
    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task.summary).toMatchObject({
      total: 5,
      queued: 2,
      skipped: { not_subscribed: 1, no_email: 1, no_points: 1 },
    });

    const delivered = await sendAll(shop);
    expect(delivered.map((mail) => mail.to).sort()).toEqual([["ana@example.com"], ["eve@example.com"]]);
    const toAna = delivered.find((mail) => mail.to.includes("ana@example.com"))!;
    expect(toAna.parsed.subject).toBe(`Your 1,250 points at ${shop.replace(/\.myshopify\.com$/, "")} are waiting`);
    expect(toAna.parsed.text).toContain("Rewards start at $5.00 USD off for 500 points");
    expect(toAna.parsed.text).toContain(`https://${shop}/apps/tally/`);
    expect(toAna.parsed.html).toContain("<strong>1,250 points</strong>");
    // One point reads in the singular; short of the 500-point reward, Eve is told what it still needs.
    const toEve = delivered.find((mail) => mail.to.includes("eve@example.com"))!;
    expect(toEve.parsed.subject).toMatch(/^499 points more to your next reward at/);
    expect(toEve.parsed.text).toMatch(/You have 1 point at /);
    // The invitation's unsubscribe: one click, RFC 8058.
    expect(header(toAna, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect((await answerOf(() => unsubscribeAction(args(oneClick(toAna, shop))))).status).toBeLessThan(300);

    // A second press minutes later mails nobody twice.
    const again = await remind(shop, { selection: { ids: [ana.id, eve.id] } }, "remind-2");
    await drain(shop);
    // Ana unsubscribed (above): that lasting reason is what the merchant reads, not the 7 quiet days.
    expect(await results(shop, again)).toEqual([
      ["Ana", "skipped", "Unsubscribed from Tally's emails"],
      ["Eve", "skipped", "Reminded of their points in the last 7 days"],
    ]);
    expect(await sendAll(shop)).toEqual([]);
    // A week on, Eve is reminded again; Ana is not: she unsubscribed from Tally's emails.
    await db
      .update(emailOutbox)
      .set({ createdAt: new Date(Date.now() - 8 * 86_400_000).toISOString() })
      .where(and(eq(emailOutbox.shop, shop), eq(emailOutbox.kind, "points_reminder")));
    const weekLater = await remind(shop, { selection: { ids: [ana.id, eve.id] } }, "remind-3");
    await drain(shop);
    expect(await results(shop, weekLater)).toEqual([
      ["Ana", "skipped", "Unsubscribed from Tally's emails"],
      ["Eve", "done", "Reminder to eve@example.com queued"],
    ]);
    expect((await sendAll(shop)).map((mail) => mail.to)).toEqual([["eve@example.com"]]);
    const rows = await db.select().from(emailOutbox).where(eq(emailOutbox.shop, shop));
    expect(new Set(rows.map((row) => row.kind))).toEqual(new Set(["points_reminder"]));
  });

  it("tells a Guest short of the cheapest reward to create an account with this email, and how many points it still needs (newcomer round 21)", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const name = shop.replace(/\.myshopify\.com$/, "");
    const [emile, ana] = await insertCustomers(db, shop, [
      {
        status: "guest",
        firstName: "Émile",
        lastName: "Zola",
        email: "emile@example.com",
        pointsBalance: 100,
        emailMarketingState: "SUBSCRIBED",
      },
      {
        status: "member",
        firstName: "Ana",
        lastName: null,
        email: "ana@example.com",
        pointsBalance: 1_250,
        emailMarketingState: "SUBSCRIBED",
      },
    ]);
    const taskId = await remind(shop, { selection: { ids: [emile!.id, ana!.id] }, onlyRedeemable: false }, "remind-g");
    await drain(shop);
    expect(await results(shop, taskId)).toEqual([
      ["Ana", "done", "Reminder to ana@example.com queued"],
      ["Émile Zola", "done", "Reminder to emile@example.com queued"],
    ]);
    const delivered = await sendAll(shop);
    const toEmile = delivered.find((mail) => mail.to.includes("emile@example.com"))!;
    expect(toEmile.parsed.subject).toBe(`400 points more to your next reward at ${name}`);
    expect(toEmile.parsed.text).toContain(`You have 100 points at ${name}: 400 points more to your next reward`);
    expect(toEmile.parsed.text).toContain(`create an account at ${name} with this email address`);
    // The sign-up brings the new account back to the rewards page, as the storefront's Join does (decision 060).
    const register = `https://${shop}/account/register?return_url=%2Fapps%2Ftally%2F`;
    expect(toEmile.parsed.text).toContain(`Create an account: ${register}\n`);
    expect(toEmile.parsed.html).toContain(`href="${register}"`);
    for (const part of [toEmile.parsed.subject, toEmile.parsed.text, toEmile.parsed.html]) {
      expect(part).not.toContain("to spend");
      expect(part).not.toContain("sign in on the store's rewards page");
      expect(part).not.toContain("press Redeem");
    }
    const toAna = delivered.find((mail) => mail.to.includes("ana@example.com"))!;
    expect(toAna.parsed.subject).toBe(`Your 1,250 points at ${name} are waiting`);
    expect(toAna.parsed.text).toContain("sign in on the store's rewards page");
    expect(toAna.parsed.text).not.toContain("/account/register");

    // Settings › Emails previews each case: the Guest's reminder for the sample Guest.
    const preview = (await answerOf(async () =>
      emailSettingsAction(
        args(
          await sessionTokenRequest(shop, "/app/settings/emails?kind=points_reminder", {
            method: "POST",
            body: new URLSearchParams({ intent: "preview", sample: "guest_short", ...defaultPointsReminderTemplate }),
          }),
        ),
      ),
    )) as unknown as { preview: { subject: string; text: string } };
    expect(preview.preview.subject).toBe(`400 points more to your next reward at ${name}`);
    expect(preview.preview.text).toContain(`Create an account: ${register}`);
  });

  it("reaches the customer within seconds of the job queueing it, not at the scheduler's next tick (newcomer round 21)", async () => {
    const { shop, ana } = await shopWithBalances();
    // The scheduler's send-emails job, to this file's SMTP sink, on a tick an hour away: only a run the queueing asks
    // for sends it now.
    const sendEmails: EveryTickShopJob = {
      name: "send emails",
      scope: "each shop",
      every: "tick",
      perform: ({ shop: each }) =>
        each === shop
          ? sendQueuedEmails({
              ctx: contextFor(each, "tally-jobs"),
              transport: () => smtpTransport(sink().url),
              senderAddress: fixedShopAddress,
            })
          : Promise.resolve(),
    };
    const dispatcher = startInProcessDispatch({
      intervalMs: 3_600_000,
      jobs: [sendEmails],
      tasks: { shops: ["nobody.myshopify.com"] },
    });
    try {
      // The dispatcher's first tick runs as it starts: let it pass, so what follows is the queueing's own run.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = sink().received.length;
      await remind(shop, { selection: { ids: [ana.id] } }, "remind-prompt");
      await drain(shop);
      const queuedAt = Date.now();
      await vi.waitFor(
        () =>
          expect(
            sink()
              .received.slice(before)
              .map((mail) => mail.to),
          ).toEqual([["ana@example.com"]]),
        { timeout: 3_000, interval: 50 },
      );
      expect(Date.now() - queuedAt).toBeLessThan(3_000);
    } finally {
      await dispatcher.stop();
    }
  });

  it("sends the reminder the merchant wrote in Settings › Emails, apart from the invitation's template", async () => {
    const { shop, ana } = await shopWithBalances();
    const post = async (kind: string, fields: Record<string, string>) =>
      answerOf(async () =>
        emailSettingsAction(
          args(
            await sessionTokenRequest(shop, `/app/settings/emails?kind=${kind}`, {
              method: "POST",
              body: new URLSearchParams(fields),
            }),
          ),
        ),
      );
    const template = {
      subject: "{{ first_name }}, {{ points_balance }} are waiting",
      html: "<p>{{ cheapest_reward }} at <a href='{{ storefront_link }}'>{{ shop_name }}</a></p>",
      text: "{{ cheapest_reward }}: {{ storefront_link }}",
    };
    const saved = (await post("points_reminder", { intent: "save", ...template })) as unknown as {
      ok: boolean;
      version: number;
    };
    expect(saved).toMatchObject({ ok: true, version: 1 });
    // The invitation's placeholders are not the reminder's: refused at save, in a merchant's words.
    const refused = await post("points_reminder", { intent: "save", ...template, text: "Share {{ referral_link }}" });
    expect(refused.status).toBe(400);
    const { fieldErrors } = (await refused.json()) as { fieldErrors: Record<string, string[]> };
    expect(fieldErrors.text).toEqual([
      "In the plain-text version, line 1: {{ referral_link }} is not a placeholder of this email. Use {{ shop_name }}, {{ first_name }}, {{ points_balance }}, {{ cheapest_reward }}, {{ storefront_link }}, {{ points_name }}, {{ can_redeem }}, {{ points_needed }}, {{ has_account }}, {{ register_link }}, {{ can_create_account }}.",
    ]);

    const page = (await answerOf(async () =>
      emailSettingsLoader(args(await sessionTokenRequest(shop, "/app/settings/emails?kind=points_reminder"))),
    )) as unknown as { kind: string; current: { version: number }; preview: { subject: string } };
    expect(page).toMatchObject({ kind: "points_reminder", current: { version: 1 } });
    expect(page.preview.subject).toBe("Ana, 1,250 points are waiting");
    const invitation = (await answerOf(async () =>
      emailSettingsLoader(args(await sessionTokenRequest(shop, "/app/settings/emails"))),
    )) as unknown as { kind: string; current: { version: number } };
    expect(invitation).toMatchObject({ kind: "invitation", current: { version: 0 } });

    await remind(shop, { selection: { ids: [ana.id] } }, "remind-custom");
    await drain(shop);
    const [mail] = await sendAll(shop);
    expect(mail!.parsed.subject).toBe("Ana, 1,250 points are waiting");
    // Shopify has not told Tally this shop's money formats yet: the amount still carries its currency (decision 041).
    expect(mail!.parsed.text?.split("\n\n-- \n")[0]).toBe(`5.00 USD off for 500 points: https://${shop}/apps/tally/`);
  });
  it("reminds only customers who can redeem when asked, naming each other one's balance and the cheapest reward's cost", async () => {
    const { shop, ana, ben, dan, eve } = await shopWithBalances();
    const [fay] = await insertCustomers(db, shop, [
      {
        status: "member",
        firstName: "Fay",
        lastName: null,
        email: "fay@example.com",
        pointsBalance: 120,
        emailMarketingState: "SUBSCRIBED",
      },
    ]);
    const ctx = contextFor(shop, "test");
    const ids = [ana.id, ben.id, dan.id, eve.id, fay!.id];
    // The panel's count before staff start it: three of the five are below the 500-point reward (Dan, Eve, Fay).
    expect(await previewPointsReminder({ ctx, input: { selection: { ids } } })).toEqual({
      cheapestCost: 500,
      selected: 5,
      belowCheapest: 3,
      templateNotice: null,
    });
    const everyone = { query: { ...emptyCustomerQuery } };
    expect(await previewPointsReminder({ ctx, input: { selection: everyone } })).toEqual({
      cheapestCost: 500,
      selected: 6,
      belowCheapest: 3,
      templateNotice: null,
    });
    const narrowed = { query: { ...emptyCustomerQuery, points: { min: 100 } } };
    expect(await previewPointsReminder({ ctx, input: { selection: narrowed } })).toMatchObject({ belowCheapest: 1 });
    // The directory's panel asks the same through its resource route.
    const request = await sessionTokenRequest(shop, "/app/customers/reminder-preview", {
      method: "POST",
      body: new URLSearchParams({ selection: JSON.stringify({ ids }) }),
    });
    expect(await reminderPreview(args(request))).toEqual({
      cheapestCost: 500,
      selected: 5,
      belowCheapest: 3,
      templateNotice: null,
    });

    const taskId = await remind(shop, { selection: { ids }, onlyRedeemable: true }, "remind-redeemable");
    await drain(shop);
    expect(await results(shop, taskId)).toEqual([
      ["Ana", "done", "Reminder to ana@example.com queued"],
      ["Ben", "skipped", "Not subscribed to email marketing"],
      ["Dan", "skipped", "No points to spend"],
      ["Eve", "skipped", "1 point, the cheapest reward needs 500"],
      ["Fay", "skipped", "120 points, the cheapest reward needs 500"],
    ]);
    const task = await getTask({ ctx, input: { taskId } });
    expect(task.summary).toMatchObject({ queued: 1, skipped: { below_reward: 2, no_points: 1, not_subscribed: 1 } });
    expect((await sendAll(shop)).map((mail) => mail.to)).toEqual([["ana@example.com"]]);
  });

  it("lists every customer the panel counted under the cheapest reward with their balance, whatever left them out first", async () => {
    // Newcomer round 11: the panel said the 4 below 500 points were "listed on the job's page with their balance",
    // and the job listed those not subscribed only as "Not subscribed to email marketing".
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const subscribed = { status: "member", emailMarketingState: "SUBSCRIBED" } as const;
    const member = { status: "member" } as const;
    const people = await insertCustomers(db, shop, [
      { ...subscribed, firstName: "Ana", lastName: null, email: "ana@example.com", pointsBalance: 1_250 },
      { ...member, firstName: "Ben", lastName: null, email: "ben@example.com", pointsBalance: 900 },
      { ...member, firstName: "Hal", lastName: null, email: "hal@example.com", pointsBalance: 120 },
      { ...subscribed, firstName: "Ivy", lastName: null, email: "ivy@example.com", pointsBalance: 300 },
      { ...subscribed, firstName: "Jo", lastName: null, email: "jo@example.com", pointsBalance: 40, blocked: true },
      { ...member, firstName: "Kit", lastName: null, email: "kit@example.com", pointsBalance: 0 },
    ]);
    const ids = people.map((person) => person.id);
    const ctx = contextFor(shop, "test");
    const preview = await previewPointsReminder({ ctx, input: { selection: { ids } } });
    expect(preview).toEqual({ cheapestCost: 500, selected: 6, belowCheapest: 4, templateNotice: null });

    const taskId = await remind(shop, { selection: { ids }, onlyRedeemable: true }, "remind-below");
    await drain(shop);
    const lines = await results(shop, taskId);
    expect(lines).toEqual([
      ["Ana", "done", "Reminder to ana@example.com queued"],
      ["Ben", "skipped", "Not subscribed to email marketing"],
      ["Hal", "skipped", "Not subscribed to email marketing; 120 points, the cheapest reward needs 500"],
      ["Ivy", "skipped", "300 points, the cheapest reward needs 500"],
      ["Jo", "skipped", "Blocked; 40 points, the cheapest reward needs 500"],
      ["Kit", "skipped", "Not subscribed to email marketing; 0 points, the cheapest reward needs 500"],
    ]);
    // As many lines name a balance under the cheapest reward as the panel counted.
    const withBalance = lines.filter(([, , message]) => String(message).endsWith("the cheapest reward needs 500"));
    expect(withBalance).toHaveLength(preview.belowCheapest!);

    // Unticked, nobody is left out for want of points, so a line says only why it was not sent.
    const all = await remind(shop, { selection: { ids }, onlyRedeemable: false }, "remind-all");
    await drain(shop);
    expect((await results(shop, all)).find(([label]) => label === "Hal")).toEqual([
      "Hal",
      "skipped",
      "Not subscribed to email marketing",
    ]);
  });
});
