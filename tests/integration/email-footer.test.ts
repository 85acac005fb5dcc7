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
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { Shopper } from "../helpers/shopper";
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
// The shop's storefront reaches Tally's proxy routes in this process: a shopper follows an email's link as on the store.
const sandboxOf = useSandboxWithProxyApp();

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

  it("links a French customer's footer and List-Unsubscribe to the French storefront, whose page asks and answers in French", async () => {
    // A re-tester's French customer opened the English page: the link had no "/fr" as the email's other links have.
    const { shop, ana } = await shopWithAna({ company: "Maple & Co" });
    const [amelie, chloe] = await insertCustomers(db, shop, [
      {
        status: "member",
        firstName: "Amélie",
        lastName: null,
        email: "amelie@example.com",
        locale: "fr",
        emailMarketingState: "SUBSCRIBED",
      },
      {
        status: "member",
        firstName: "Chloé",
        lastName: null,
        email: "chloe@example.com",
        locale: "fr-CA",
        emailMarketingState: "SUBSCRIBED",
      },
    ]);
    const ids = [ana.id, amelie!.id, chloe!.id];
    await startFromDirectory(shop, "customers.invite", { selection: { ids } }, "invite-1");
    await createTaskRunner({ shops: [shop] }).drain();
    const { mails } = await sendAll(shop);
    const linkTo = (email: string) => {
      const mail = mails.find((each) => each.to.includes(email))!;
      const link = listUnsubscribe(mail);
      // The footer shows the header's own link.
      expect(String(mail.parsed.html)).toContain(`<a href="${link}"`);
      expect(mail.parsed.text).toContain(`Unsubscribe: ${link}`);
      const url = new URL(link);
      return { link, path: `${url.pathname}${url.search}` };
    };
    const english = linkTo("ana@example.com");
    const french = linkTo("amelie@example.com");
    const canadian = linkTo("chloe@example.com");
    expect(english.link).toMatch(new RegExp(`^https://${shop}/apps/tally/email/unsubscribe\\?token=`));
    expect(french.link).toMatch(new RegExp(`^https://${shop}/fr/apps/tally/email/unsubscribe\\?token=`));
    // No Canadian French storefront: French, as Shopify falls back.
    expect(canadian.link).toMatch(new RegExp(`^https://${shop}/fr/apps/tally/email/unsubscribe\\?token=`));

    // Amélie opens it on the store: the question in French, in the theme; the button posts under "/fr" too.
    const amelieBrowser = new Shopper(sandboxOf().origin, shop);
    const asked = await amelieBrowser.get(french.path);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('<main id="MainContent"');
    expect(asked.text).toContain(
      "<h1>Ne plus recevoir les e-mails du programme de fidélité envoyés par Maple &amp; Co ?</h1>",
    );
    expect(asked.text).toContain(">Se désabonner</button>");
    expect(asked.text).not.toContain("Unsubscribe");
    const action = /<form method="post" action="([^"]+)">/.exec(asked.text)?.[1] ?? "";
    expect(action).toBe(french.path);
    const done = await amelieBrowser.post(action, {});
    expect(done.status).toBe(200);
    expect(done.text).toContain("<h1>Votre désabonnement est confirmé</h1>");
    expect(done.text).toContain(
      "<p>Maple &amp; Co ne vous enverra plus d&#39;e-mails de son programme de fidélité.</p>",
    );
    expect(done.text).toContain('<a class="button" href="/fr">Continuer vos achats</a>');

    // Chloé's mailbox provider unsubscribes her in one click (RFC 8058), POSTing to the "/fr" link as written.
    const oneClick = await new Shopper(sandboxOf().origin, shop).post(canadian.path, {
      "List-Unsubscribe": "One-Click",
    });
    expect(oneClick.status).toBe(200);
    const opened = await new Shopper(sandboxOf().origin, shop).get(canadian.path);
    expect(opened.text).toContain("<h1>Votre désabonnement est confirmé</h1>");

    // Ana's page is English, on the primary storefront, as before; no possessive on the shop's name.
    const anaPage = await new Shopper(sandboxOf().origin, shop).get(english.path);
    expect(anaPage.text).toContain("<h1>Unsubscribe from rewards emails from Maple &amp; Co?</h1>");
    expect(/<form method="post" action="([^"]+)">/.exec(anaPage.text)?.[1]).toBe(english.path);

    // A link cut short, on the German storefront: German words, and the contact page under "/de".
    const cut = await new Shopper(sandboxOf().origin, shop).get(`/de/apps/tally/email/unsubscribe?token=1.2.x`);
    expect(cut.status).toBe(404);
    expect(cut.text).toContain("<h1>Dieser Abmeldelink ist ungültig</h1>");
    expect(cut.text).toContain('<a class="button" href="/de/pages/contact">Kontakt</a>');

    // The French customers are off the list, whichever way they left; Ana is not.
    const again = await startFromDirectory(shop, "customers.invite", { selection: { ids } }, "invite-2");
    await createTaskRunner({ shops: [shop] }).drain();
    const outcomes = new Map((await lines(shop, again)) as Array<[string, string]>);
    expect(outcomes.get("Amélie")).toBe("Unsubscribed from Tally's emails");
    expect(outcomes.get("Chloé")).toBe("Unsubscribed from Tally's emails");
    expect(outcomes.get("Ana")).not.toBe("Unsubscribed from Tally's emails");
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
