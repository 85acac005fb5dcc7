import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { startFromDirectory } from "../helpers/start-job";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { getProgram } from "~/services/program/get-program.server";
import { saveProgram } from "~/services/program/save-program.server";
import { getReferralProgram, saveReferralProgram } from "~/services/referrals/referral-program.server";
import { referralSettingsToForm } from "~/domain/referrals";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";
import { useSmtpSink } from "../helpers/smtp-sink";
import { answerOf } from "../helpers/route-answers";

/*
 * The program's own name for its points in what Tally writes for it (newcomer round 17): a shop whose points are
 * "stars ⭐" sent an invitation saying "you get 250 points", previewed its reminder as "1,250 points", and listed
 * "+96 points" in a job. Emails go to a real SMTP sink.
 */

const { db } = contextFor("any", "test");
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request) => ({ request, params: {}, context: {} }) as Args;

const { sendAll } = useSmtpSink();

async function messages(shop: string, taskId: number): Promise<string[]> {
  const rows: string[] = [];
  for await (const item of iterateTaskItems({ ctx: contextFor(shop, "test"), input: { taskId } }))
    rows.push(String(item.message));
  return rows;
}

type EmailsPage = {
  preview: { subject: string; html: string; text: string };
  placeholders: Array<{ name: string; meaning: string }>;
};
const emailsPage = async (shop: string, kind: string) =>
  (await answerOf(async () =>
    emailSettingsLoader(args(await sessionTokenRequest(shop, `/app/settings/emails?kind=${kind}`))),
  )) as unknown as EmailsPage;

const everything = (email: { subject: string; html: string; text: string }) =>
  `${email.subject}\n${email.html}\n${email.text}`;

/** Settings: points named "stars ⭐" (singular "star ⭐"); Settings › Referral program: 250 for each friend. */
async function starsShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  const ctx = contextFor(shop, "staff");
  const program = await getProgram({ ctx });
  await saveProgram({ ctx, input: { ...program.settings, pointsName: "stars ⭐", pointName: "star ⭐" } });
  const referrals = await getReferralProgram({ ctx });
  const form = referralSettingsToForm(referrals.settings, referrals.currency);
  await saveReferralProgram({ ctx, input: { ...form, enabled: true, advocateKind: "points", advocateValue: "250" } });
  const [maya] = await insertCustomers(db, shop, [
    {
      status: "member",
      firstName: "Maya",
      lastName: null,
      email: "maya.demo@example.com",
      pointsBalance: 1_475,
      emailMarketingState: "SUBSCRIBED",
    },
  ]);
  return { shop, maya: maya! };
}

describe("The program's points name in Tally's emails and job lines", () => {
  it("sends the invitation and the reminder in the program's points name, as Settings › Emails previews them", async () => {
    const { shop, maya } = await starsShop();

    const invitationPage = await emailsPage(shop, "invitation");
    expect(invitationPage.preview.text).toContain("and you get 250 stars ⭐ for each friend's first order");
    const reminderPage = await emailsPage(shop, "points_reminder");
    expect(reminderPage.preview.subject).toMatch(/^Your 1,250 stars ⭐ at .* are waiting$/);
    expect(reminderPage.preview.text).toMatch(/Rewards start at .+ off for 500 stars ⭐/);
    expect(reminderPage.preview.text).toContain("Use your stars ⭐ on the rewards page: https://");
    for (const page of [invitationPage, reminderPage]) {
      expect(everything(page.preview)).not.toMatch(/\bpoints?\b/);
      // The placeholder help's examples name them too, and offers the name itself.
      const help = page.placeholders.map(({ name, meaning }) => `{{ ${name} }}: ${meaning}`).join("\n");
      expect(help).not.toMatch(/\d points?\b/);
      expect(help).toContain('{{ points_name }}: What the program calls its points, e.g. "stars ⭐"');
    }
    expect(invitationPage.placeholders.find(({ name }) => name === "advocate_reward")?.meaning).toContain(
      '"500 stars ⭐"',
    );

    await startFromDirectory(shop, "customers.invite", { selection: { ids: [maya.id] } }, "invite-1");
    await createTaskRunner({ shops: [shop] }).drain();
    const [invitation] = await sendAll(shop);
    expect(invitation!.parsed.text).toContain("and you get 250 stars ⭐ for each friend's first order");
    expect(invitation!.parsed.html).toContain("<strong>250 stars ⭐</strong>");

    await startFromDirectory(shop, "customers.points-reminder", { selection: { ids: [maya.id] } }, "remind-1");
    await createTaskRunner({ shops: [shop] }).drain();
    const [reminder] = await sendAll(shop);
    expect(reminder!.parsed.subject).toMatch(/^Your 1,475 stars ⭐ at .* are waiting$/);
    expect(reminder!.parsed.text).toMatch(/Rewards start at .+ off for 500 stars ⭐/);
    expect(reminder!.parsed.html).toContain(">Use your stars ⭐</a>");
    for (const mail of [invitation!, reminder!]) {
      const sent = { subject: mail.parsed.subject ?? "", html: String(mail.parsed.html), text: mail.parsed.text ?? "" };
      expect(everything(sent)).not.toMatch(/\bpoints?\b/);
    }
  });

  it("keeps a template the merchant saved word for word, and fills {{ points_name }} in it", async () => {
    const { shop, maya } = await starsShop();
    const template = {
      subject: "Your points at {{ shop_name }}",
      html: "<p>{{ points_balance }} ({{ points_name }})</p>",
      text: "Your points: {{ points_balance }}. Collect more {{ points_name }}.",
    };
    const saved = await answerOf(async () =>
      emailSettingsAction(
        args(
          await sessionTokenRequest(shop, "/app/settings/emails?kind=points_reminder", {
            method: "POST",
            body: new URLSearchParams({ intent: "save", ...template }),
          }),
        ),
      ),
    );
    expect(saved).toMatchObject({ ok: true, version: 1 });
    expect((await emailsPage(shop, "points_reminder")).preview.text.split("\n\n-- \n")[0]).toBe(
      "Your points: 1,250 stars ⭐. Collect more stars ⭐.",
    );
    await startFromDirectory(shop, "customers.points-reminder", { selection: { ids: [maya.id] } }, "remind-1");
    await createTaskRunner({ shops: [shop] }).drain();
    const [mail] = await sendAll(shop);
    expect(mail!.parsed.subject).toMatch(/^Your points at /);
    expect(mail!.parsed.text?.split("\n\n-- \n")[0]).toBe("Your points: 1,475 stars ⭐. Collect more stars ⭐.");
  });

  it("writes a bulk points adjustment's result lines in the program's points name, one in the singular", async () => {
    const { shop, maya } = await starsShop();
    const add = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [maya.id] }, edit: { action: "points_adjust", points: 96, reason: "Launch gift" } },
      "adjust-1",
    );
    const one = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [maya.id] }, edit: { action: "points_adjust", points: -1, reason: "Typo" } },
      "adjust-2",
    );
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await messages(shop, add)).toEqual(["+96 stars ⭐, balance 1,571"]);
    expect(await messages(shop, one)).toEqual(["\u22121 star ⭐, balance 1,570"]);
  });

  it("leaves a customer an adjustment would put in a debt staff did not allow unchanged, saying why in the program's points name", async () => {
    const { shop, maya } = await starsShop();
    const refused = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [maya.id] }, edit: { action: "points_adjust", points: -2_000, reason: "Returned goods" } },
      "adjust-debt",
    );
    await createTaskRunner({ shops: [shop] }).drain();
    const [line] = await messages(shop, refused);
    // Left unchanged, as the form said (newcomer round 19), and said in the program's points name.
    expect(line).toBe("Not enough stars ⭐: has 1,475, removing 2,000 would leave \u2212525");
    // One customer at a time too (the profile's Adjust points), where staff read it above the field.
    await expect(
      adjustPoints({
        ctx: contextFor(shop, "staff"),
        input: { customerId: maya.id, points: -2_000, reason: "Returned goods", requestId: "maya-debt" },
      }),
    ).rejects.toMatchObject({ message: "Leaves \u2212525: the customer will owe stars ⭐" });
  });
});
