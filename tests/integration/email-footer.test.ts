import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "~/db/schema";
import { SenderAddressMissingError } from "~/domain/email";
import { closeSmtpTransports, smtpTransport } from "~/email/smtp-transport.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { action as unsubscribeAction, loader as unsubscribePage } from "~/routes/proxy.email.unsubscribe";
import { iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { previewEmailTemplate } from "~/services/email/email-templates.server";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { saveReferralProgram, getReferralProgram } from "~/services/referrals/referral-program.server";
import { referralSettingsToForm } from "~/domain/referrals";
import { fetchShopPostalAddress } from "~/shopify/admin/shop-address.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest } from "../helpers/signed-requests";
import { answerOf } from "../helpers/route-answers";
import { startSmtpSink, type ReceivedMail } from "../helpers/smtp-sink";
import { startFromDirectory } from "../helpers/start-job";
import { signAppProxyQuery } from "../sandbox/index";

/*
 * Newcomer round 19 (B1): every marketing email Tally sends shows an unsubscribe link and the shop's postal address
 * (CASL, CAN-SPAM) in its HTML and its text, after whatever the merchant's template says; the address is Shopify's
 * (Shop.shopAddress), read from the sandbox once a run.
 */

const { db } = contextFor("any", "test");
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request) => ({ request, params: {}, context: {} }) as Args;
const sandboxOf = useSandbox();

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  closeSmtpTransports();
  await sink.close();
});

/** A sandbox shop (its address as told) with Tally installed, the referral program on, Ana subscribed with points. */
async function shopWithAna(address?: Record<string, string | null> | null) {
  const shop = await newShopDomain();
  sandboxOf().control.createShop({ shop, name: "Maple & Co", ...(address !== undefined ? { address } : {}) });
  await installThroughAdmin(sandboxOf(), shop);
  const ctx = contextFor(shop, "staff");
  const referrals = await getReferralProgram({ ctx });
  await saveReferralProgram({
    ctx,
    input: { ...referralSettingsToForm(referrals.settings, referrals.currency), enabled: true },
  });
  const [ana] = await insertCustomers(db, shop, [
    {
      status: "member",
      firstName: "Ana",
      lastName: null,
      email: "ana@example.com",
      pointsBalance: 1_250,
      emailMarketingState: "SUBSCRIBED",
    },
  ]);
  return { shop, ana: ana! };
}

/** Sends the shop's outbox as the send-emails job does, the address read from Shopify; answers the mails and reads. */
async function sendAll(shop: string) {
  const before = sink.received.length;
  const { admin } = await unauthenticated.admin(shop);
  let reads = 0;
  await sendQueuedEmails({
    ctx: contextFor(shop, "tally-jobs"),
    transport: () => smtpTransport(sink.url),
    senderAddress: () => {
      reads += 1;
      return fetchShopPostalAddress(admin.graphql);
    },
  });
  return { mails: sink.received.slice(before), reads };
}

function listUnsubscribe(mail: ReceivedMail): string {
  const line = mail.parsed.headerLines.find((each) => each.key === "list-unsubscribe")?.line ?? "";
  return /<(https:[^>]+)>/.exec(line.replace(/\r?\n[ \t]+/g, ""))?.[1] ?? "";
}

/** The shopper opens `link` on the store: Shopify's app proxy signs the query and forwards it to Tally. */
function throughProxy(link: string, shop: string, init: RequestInit = {}): Request {
  const query = new URLSearchParams(new URL(link).search);
  query.append("shop", shop);
  query.append("logged_in_customer_id", "");
  query.append("path_prefix", "/apps/tally");
  query.append("timestamp", String(Math.floor(Date.now() / 1000)));
  query.append("signature", signAppProxyQuery(query, process.env.SHOPIFY_API_SECRET ?? ""));
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy/email/unsubscribe?${query.toString()}`, init);
}

async function lines(shop: string, taskId: number) {
  const rows = [];
  for await (const item of iterateTaskItems({ ctx: contextFor(shop, "test"), input: { taskId } }))
    rows.push([item.label, item.message]);
  return rows;
}

describe("The footer of Tally's marketing emails", () => {
  it("ends the invitation and the reminder, HTML and text, with a working unsubscribe link and the store's address", async () => {
    const { shop, ana } = await shopWithAna({ company: "Maple & Co", address2: "Suite 400" });
    await startFromDirectory(shop, "customers.invite", { selection: { ids: [ana.id] } }, "invite-1");
    await startFromDirectory(shop, "customers.points-reminder", { selection: { ids: [ana.id] } }, "remind-1");
    await createTaskRunner({ shops: [shop] }).drain();
    const { mails, reads } = await sendAll(shop);
    expect(mails).toHaveLength(2);
    expect(reads, "the address is read once a run, not once an email").toBe(1);

    for (const mail of mails) {
      const link = listUnsubscribe(mail);
      expect(link).toMatch(new RegExp(`^https://${shop}/apps/tally/email/unsubscribe\\?token=`));
      const html = String(mail.parsed.html);
      const text = mail.parsed.text ?? "";
      expect(html).toContain(`<a href="${link}" style="color: #6d7175; text-decoration: underline;">Unsubscribe</a>`);
      expect(html).toContain("Maple &amp; Co, 220 King St W, Suite 400, Toronto ON M5H 1K4, Canada");
      expect(text).toContain(`Unsubscribe: ${link}`);
      expect(text).toContain("Maple & Co, 220 King St W, Suite 400, Toronto ON M5H 1K4, Canada");
      // The footer comes after what the template says.
      expect(text.indexOf("Unsubscribe:")).toBeGreaterThan(text.indexOf("Hi Ana"));
    }

    // The footer's link works: the page asks, its button (a form POST) unsubscribes, and the next email is not sent.
    const link = listUnsubscribe(mails[0]!);
    const page = await answerOf(() => unsubscribePage(args(throughProxy(link, shop))));
    expect(page.status).toBe(200);
    const done = await answerOf(() =>
      unsubscribeAction(
        args(
          throughProxy(link, shop, {
            method: "POST",
            body: "",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          }),
        ),
      ),
    );
    expect(done.status).toBe(200);
    const again = await startFromDirectory(
      shop,
      "customers.points-reminder",
      { selection: { ids: [ana.id] } },
      "remind-2",
    );
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await lines(shop, again)).toEqual([["Ana", "Unsubscribed from Tally's emails"]]);
  });

  it("shows the footer in the Settings preview of any template, which cannot leave it out", async () => {
    const { shop } = await shopWithAna();
    const template = { subject: "Hello", html: "<html><body><p>Only this</p></body></html>", text: "Only this" };
    const preview = await previewEmailTemplate({
      ctx: contextFor(shop, "staff"),
      input: { kind: "points_reminder", template },
    });
    expect(preview.html).toMatch(
      /<p>Only this<\/p><div [^>]*>[\s\S]*>Unsubscribe<\/a>[\s\S]*<\/div>\n<\/body><\/html>$/,
    );
    expect(preview.text).toMatch(
      /^Only this\n\n-- \n.*\nUnsubscribe: https:\/\/.+\/apps\/tally\/email\/unsubscribe\?token=SAMPLE\n/,
    );
  });

  it("previews the footer with the store's own address in Settings › Emails, typed or saved, and says when it has none", async () => {
    type Preview = { html: string; text: string };
    const settings = async (shop: string) => {
      const page = (await emailSettingsLoader(args(await sessionTokenRequest(shop, "/app/settings/emails")))) as {
        addressMissing: boolean;
        preview: Preview;
      };
      const body = new URLSearchParams({ intent: "preview", subject: "Hi", html: "<p>Hi</p>", text: "Hi" });
      const request = await sessionTokenRequest(shop, "/app/settings/emails", { method: "POST", body });
      const typed = (await emailSettingsAction(args(request))) as { preview: Preview };
      return { page, typed };
    };
    const { shop } = await shopWithAna({ company: "Maple & Co", address2: "Suite 400" });
    const withAddress = await settings(shop);
    expect(withAddress.page.addressMissing).toBe(false);
    // The address the emails are sent with, not a stand-in (it read "The store's address (Shopify Settings › …)").
    const sent = (await fetchShopPostalAddress((await unauthenticated.admin(shop)).admin.graphql)).join(", ");
    for (const preview of [withAddress.page.preview, withAddress.typed.preview]) {
      expect(preview.text).toContain(sent);
      expect(preview.text).toContain("220 King St W");
      expect(preview.text).not.toContain("Store details");
    }

    const { shop: bare } = await shopWithAna(null);
    const withoutAddress = await settings(bare);
    expect(withoutAddress.page.addressMissing).toBe(true);
    expect(withoutAddress.page.preview.text).toContain("The store's address (Shopify Settings › Store details)");
  });

  it("keeps the emails queued while the store has no address in Shopify, rather than send them without it", async () => {
    const { shop, ana } = await shopWithAna(null);
    await startFromDirectory(shop, "customers.points-reminder", { selection: { ids: [ana.id] } }, "remind-1");
    await createTaskRunner({ shops: [shop] }).drain();
    await expect(sendAll(shop)).rejects.toBeInstanceOf(SenderAddressMissingError);
    const rows = await db.select({ status: emailOutbox.status }).from(emailOutbox).where(eq(emailOutbox.shop, shop));
    expect(rows).toEqual([{ status: "queued" }]);
  });
});
