import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, emailOutbox, emailTemplateVersions } from "~/db/schema";
import { SenderAddressMissingError } from "~/domain/email";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { action as unsubscribeAction, loader as unsubscribePage } from "~/routes/proxy.email.unsubscribe";
import { iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { previewEmailTemplate } from "~/services/email/email-templates.server";
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
import { useSmtpSink, type ReceivedMail } from "../helpers/smtp-sink";
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

const smtp = useSmtpSink();

/** A sandbox shop (its address as told) with Tally installed, the referral program on, Ana subscribed with points. */
async function shopWithAna(
  address?: Record<string, string | null> | null,
  locales?: { primary: string; published: string[] },
) {
  const shop = await newShopDomain();
  sandboxOf().control.createShop({ shop, name: "Maple & Co", ...(address !== undefined ? { address } : {}) });
  if (locales) sandboxOf().control.setShopLocales({ shop, ...locales });
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
  const { admin } = await unauthenticated.admin(shop);
  let reads = 0;
  const mails = await smtp.sendAll(shop, () => {
    reads += 1;
    return fetchShopPostalAddress(admin.graphql);
  });
  return { mails, reads };
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

describe("Emails in the customer's language (decision 057)", () => {
  type Page = {
    locale: string;
    languages: { primary: { name: string } | null; translations: Array<{ locale: string; name: string }> };
    current: { version: number; locale: string; template: { subject: string } };
    versions: Array<{ version: number }>;
    preview: { text: string };
    notOffered: { asked: string; name: string | null } | null;
  };
  const page = async (shop: string, query: string) =>
    (await emailSettingsLoader(args(await sessionTokenRequest(shop, `/app/settings/emails?${query}`)))) as Page;
  /** Settings › Emails' form sent as the admin sends it: its answer's status and body (a refusal is a Response). */
  const post = async (shop: string, query: string, fields: Record<string, string>) => {
    const request = await sessionTokenRequest(shop, `/app/settings/emails?${query}`, {
      method: "POST",
      body: new URLSearchParams(fields),
    });
    const answer = await emailSettingsAction(args(request));
    return answer instanceof Response
      ? { status: answer.status, body: (await answer.json()) as Record<string, unknown> }
      : { status: 200, body: answer as Record<string, unknown> };
  };
  const reminderFr = {
    subject: "{{ first_name }}, vos {{ points_balance }} points vous attendent",
    html: "<p>{% if can_redeem %}Échangez-les{% else %}{% if has_account %}Encore un effort{% else %}Créez un compte{% endif %}{% endif %}</p>",
    text: "{% if can_redeem %}Échangez-les{% else %}{% if has_account %}Encore un effort{% else %}Créez un compte{% endif %}{% endif %}",
  };
  const french = {
    subject: "{{ first_name }}, offrez un cadeau à vos amis",
    html: "<html><body><p>Bonjour {{ first_name }}, votre lien : {{ referral_link }}</p><p>Vos amis reçoivent {{ friend_reward }}, et vous {{ advocate_reward }}.</p></body></html>",
    text: "Bonjour {{ first_name }}, votre lien : {{ referral_link }}\nVos amis reçoivent {{ friend_reward }}, et vous {{ advocate_reward }}.",
  };
  // The shop's rewards (Tally's default referral program in CAD) as French writes them: Intl's no-break spaces.
  const frenchRewards =
    "Vos amis reçoivent 10\u00a0% de réduction sur leur première commande de 20,00\u00a0$CA ou plus, et vous 500 points.";

  it("sends a French customer the French version the merchant saved, footer included, and everyone else the default", async () => {
    const { shop, ana } = await shopWithAna({ company: "Maple & Co" });
    const people = await insertCustomers(
      db,
      shop,
      [
        ["Amélie", "amelie@example.com", "fr"],
        ["Chloé", "chloe@example.com", "fr-CA"],
        ["Jun", "jun@example.com", "ja"],
      ].map(([firstName, email, locale]) => ({
        status: "member" as const,
        firstName: firstName!,
        lastName: null,
        email: email!,
        locale: locale!,
        emailMarketingState: "SUBSCRIBED" as const,
      })),
    );

    // Settings › Emails offers the store's published languages; French has no version of its own yet.
    const opened = await page(shop, "kind=invitation&language=fr");
    expect(opened.languages.primary?.name).toBe("English");
    expect(opened.languages.translations.map((each) => each.name)).toContain("French");
    expect(opened.locale).toBe("fr");
    expect(opened.current.version).toBe(0);
    expect(opened.versions).toEqual([]);

    const saved = await post(shop, "kind=invitation&language=fr", { intent: "save", ...french });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ok: true, changed: true, version: 1 });
    // Versions are counted per language: the French one is 1, and the default template is untouched.
    expect((await page(shop, "kind=invitation")).current.version).toBe(0);
    expect((await page(shop, "kind=invitation&language=fr")).current.template.subject).toBe(french.subject);

    const ids = [ana.id, ...people.map((each) => each!.id)];
    await startFromDirectory(shop, "customers.invite", { selection: { ids } }, "invite-fr");
    await createTaskRunner({ shops: [shop] }).drain();
    const { mails } = await sendAll(shop);
    const to = (email: string) => mails.find((each) => each.to.includes(email))!;
    for (const [email, name] of [
      ["amelie@example.com", "Amélie"],
      ["chloe@example.com", "Chloé"], // no Canadian French version: French, as Shopify falls back
    ] as const) {
      const mail = to(email);
      expect(mail.parsed.subject).toBe(`${name}, offrez un cadeau à vos amis`);
      expect(mail.parsed.text).toContain(`Bonjour ${name}, votre lien : https://${shop}/fr/apps/tally/r/`);
      expect(mail.parsed.text).toContain("Vous recevez cet e-mail car vous êtes abonné(e) aux e-mails de Maple & Co.");
      expect(mail.parsed.text).toContain(`Se désabonner\u00a0: ${listUnsubscribe(mail)}`);
      expect(String(mail.parsed.html)).toContain(">Se désabonner</a>");
      expect(mail.parsed.text).not.toContain("Unsubscribe");
      // The rewards read in French too, money as French writes it (it read "10% off their first order of $20.00 CAD").
      expect(mail.parsed.text).toContain(frenchRewards);
      expect(String(mail.parsed.html)).toContain(`<p>${frenchRewards}</p>`);
    }
    for (const email of ["ana@example.com", "jun@example.com"]) {
      const mail = to(email);
      expect(mail.parsed.subject).not.toContain("offrez");
      // The default template keeps the English words and the shop's money format.
      expect(mail.parsed.text).toContain("they get 10% off their first order of $20.00 CAD or more");
      expect(mail.parsed.text).toContain("You get this email because you subscribed to emails from Maple & Co.");
      expect(mail.parsed.text).toContain(`Unsubscribe: ${listUnsubscribe(mail)}`);
    }
    const outbox = await db
      .select({ recipient: emailOutbox.recipient, locale: emailOutbox.templateLocale })
      .from(emailOutbox)
      .where(eq(emailOutbox.shop, shop));
    expect(Object.fromEntries(outbox.map((row) => [row.recipient, row.locale]))).toEqual({
      "ana@example.com": "",
      "amelie@example.com": "fr",
      "chloe@example.com": "fr",
      "jun@example.com": "",
    });

    // The merchant removes the French version: Amélie's next invitation is the default one again.
    const removed = await post(shop, "kind=invitation&language=fr", { intent: "remove" });
    expect(removed.body).toMatchObject({ ok: true, removed: true });
    // The audit trail names the language of each change, under the staff member.
    const audited = await db
      .select({ action: auditEvents.action, subject: auditEvents.subject })
      .from(auditEvents)
      .where(eq(auditEvents.shop, shop))
      .orderBy(auditEvents.id);
    expect(audited.filter((each) => each.action.startsWith("email_template."))).toEqual([
      { action: "email_template.save", subject: "Referral invitation email (French)" },
      { action: "email_template.remove", subject: "Referral invitation email (French)" },
    ]);
    expect((await page(shop, "kind=invitation&language=fr")).current.version).toBe(0);
    await startFromDirectory(shop, "customers.invite", { selection: { ids: [people[0]!.id] } }, "invite-after");
    await createTaskRunner({ shops: [shop] }).drain();
    const after = await sendAll(shop);
    expect(after.mails).toHaveLength(1);
    expect(after.mails[0]!.parsed.subject).not.toContain("offrez");
    expect(after.mails[0]!.parsed.text).toContain("Unsubscribe: ");
  });

  it("keeps Tally's own English invitation English in a French store, and words the merchant's saved default in French", async () => {
    const { shop, ana } = await shopWithAna({ company: "Maple & Co" }, { primary: "fr", published: ["fr", "en"] });
    // Nothing saved: Tally's default template, whose words are English, rewards and footer included (decision 059).
    const opened = await page(shop, "kind=invitation");
    expect(opened.languages.primary?.name).toBe("French");
    expect(opened.current.version).toBe(0);
    expect(opened.preview.text).toContain("they get 10% off their first order of $20.00 CAD or more");
    expect(opened.preview.text).toContain("Unsubscribe: ");
    await startFromDirectory(shop, "customers.invite", { selection: { ids: [ana.id] } }, "invite-tally-default");
    await createTaskRunner({ shops: [shop] }).drain();
    const [english] = (await sendAll(shop)).mails;
    expect(english!.parsed.text).toContain("they get 10% off their first order of $20.00 CAD or more");
    expect(english!.parsed.text).toContain("You get this email because you subscribed to emails from Maple & Co.");
    expect(english!.parsed.text).not.toContain("réduction");
    expect(english!.parsed.text).not.toContain("désabonner");

    // The merchant writes the default template in French, the store's language: its rewards and footer follow.
    expect((await post(shop, "kind=invitation", { intent: "save", ...french })).status).toBe(200);
    await startFromDirectory(shop, "customers.invite", { selection: { ids: [ana.id] } }, "invite-own-default");
    await createTaskRunner({ shops: [shop] }).drain();
    const mails = (await sendAll(shop)).mails;
    const french_ = mails.at(-1)!;
    expect(french_.parsed.subject).toBe("Ana, offrez un cadeau à vos amis");
    expect(french_.parsed.text).toContain(frenchRewards);
    expect(french_.parsed.text).toContain(`Se désabonner\u00a0: ${listUnsubscribe(french_)}`);
    expect((await page(shop, "kind=invitation")).preview.text).toContain(frenchRewards);
  });

  it("reminds a German customer of her Punkte and the cheapest reward in German, and everyone else in English", async () => {
    const { shop, ana } = await shopWithAna({ company: "Maple & Co" });
    const [lena] = await insertCustomers(db, shop, [
      {
        status: "member",
        firstName: "Lena",
        lastName: null,
        email: "lena@example.com",
        locale: "de-AT",
        pointsBalance: 1_250,
        emailMarketingState: "SUBSCRIBED",
      },
    ]);
    const german = {
      subject: "{{ first_name }}, deine {{ points_balance }} warten",
      html: "<p>Du hast {{ points_balance }}. Prämien gibt es ab {{ cheapest_reward }}.{% if can_redeem %}{% else %} Dir fehlen {{ points_needed }}.{% endif %}{% if has_account %}{% endif %}</p>",
      text: "Du hast {{ points_balance }}. Prämien gibt es ab {{ cheapest_reward }}.{% if can_redeem %}{% else %} Dir fehlen {{ points_needed }}.{% endif %}{% if has_account %}{% endif %}",
    };
    expect((await post(shop, "kind=points_reminder&language=de", { intent: "save", ...german })).status).toBe(200);
    await startFromDirectory(shop, "customers.points-reminder", { selection: { ids: [ana.id, lena!.id] } }, "r-de");
    await createTaskRunner({ shops: [shop] }).drain();
    const { mails } = await sendAll(shop);
    const to = (email: string) => mails.find((each) => each.to.includes(email))!;
    // Tally's default program: $5.00 off for 500 points, in German words and numbers, money as German writes CAD.
    expect(to("lena@example.com").parsed.subject).toBe("Lena, deine 1.250 Punkte warten");
    expect(to("lena@example.com").parsed.text).toContain(
      "Du hast 1.250 Punkte. Prämien gibt es ab 5,00\u00a0CA$ Rabatt für 500 Punkte.",
    );
    expect(to("ana@example.com").parsed.text).toContain(
      "You have 1,250 points waiting at Maple & Co. Rewards start at $5.00 CAD off for 500 points.",
    );
  });

  it("refuses a version for a language the online store does not publish, saving nothing", async () => {
    const { shop } = await shopWithAna();
    const refused = await post(shop, "kind=invitation&language=ja", { intent: "save", ...french });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(
      "Your online store is not published in Japanese (ja): add the language in Shopify's Settings › Languages first",
    );
    const rows = await db.select().from(emailTemplateVersions).where(eq(emailTemplateVersions.shop, shop));
    expect(rows).toEqual([]);
    // A link to a language the store does not publish opens the default template, and the page says which it was.
    const japanese = await page(shop, "kind=invitation&language=ja");
    expect(japanese.locale).toBe("");
    expect(japanese.notOffered).toEqual({ asked: "ja", name: "Japanese" });
  });

  it("opens the default template for a link to a language the store does not publish, or to no language, and says so", async () => {
    const { shop } = await shopWithAna();
    const opened = async (language: string) => {
      const { locale, notOffered } = await page(shop, `kind=invitation&language=${encodeURIComponent(language)}`);
      return { locale, notOffered };
    };
    expect(await opened("it")).toEqual({ locale: "", notOffered: { asked: "it", name: "Italian" } });
    expect(await opened("zz!!")).toEqual({ locale: "", notOffered: { asked: "zz!!", name: null } });
    // Longer than any locale: still the page, not "Bad request"; the words quote its start.
    const long = "italian-please-thank-you-very-much-indeed-and-more";
    expect(await opened(long)).toEqual({ locale: "", notOffered: { asked: `${long.slice(0, 40)}\u2026`, name: null } });
    // The store's languages open, however the link writes them; its primary language is the default template.
    expect(await opened("FR")).toEqual({ locale: "fr", notOffered: null });
    expect(await opened("en")).toEqual({ locale: "", notOffered: null });
    expect(await opened("")).toEqual({ locale: "", notOffered: null });
  });

  it("lists a version whose language the store stopped publishing, to be removed, and refuses to save it anew", async () => {
    const { shop } = await shopWithAna();
    expect((await post(shop, "kind=points_reminder&language=fr", { intent: "save", ...reminderFr })).status).toBe(200);
    // The merchant unpublishes French in Shopify; Tally reads the store's languages again with its facts.
    sandboxOf().control.setShopLocales({ shop, published: ["en", "de", "es"] });
    const listed = await page(shop, "kind=points_reminder&language=fr");
    expect(listed.languages.translations).toContainEqual({ locale: "fr", name: "French (no longer published)" });
    expect(listed.locale).toBe("fr");
    expect(listed.current.version).toBe(1);
    const refused = await post(shop, "kind=points_reminder&language=fr", {
      intent: "save",
      ...reminderFr,
      subject: `${reminderFr.subject}!`,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("Your online store is not published in French (fr)");
    expect((await post(shop, "kind=points_reminder&language=fr", { intent: "remove" })).body).toMatchObject({
      removed: true,
    });
    expect((await page(shop, "kind=points_reminder")).languages.translations.map((each) => each.locale)).not.toContain(
      "fr",
    );
  });

  it("previews each language's email as a customer of that language is sent it, while French has no version of its own", async () => {
    // A tester's French preview read "5,00 $CA de réduction" with a French footer and links without "/fr"; the French
    // customer was sent Tally's English default: "$5.00 CAD off", an English footer, "/fr" links (decision 059).
    const { shop, ana } = await shopWithAna({ company: "Maple & Co" });
    const [amelie] = await insertCustomers(db, shop, [
      {
        status: "member",
        firstName: "Amélie",
        lastName: null,
        email: "amelie@example.com",
        locale: "fr",
        pointsBalance: 1_250,
        emailMarketingState: "SUBSCRIBED",
      },
    ]);
    // What differs between the sample and a real customer: her name, her referral code, the unsubscribe token.
    const sameBut = (text: string, name: string) =>
      text
        .replaceAll(name, "Ana")
        .replace(/\/r\/[A-Z0-9-]+/g, "/r/CODE")
        .replace(/token=\S+/g, "token=TOKEN")
        .trim();
    const jobs = { invitation: "customers.invite", points_reminder: "customers.points-reminder" } as const;
    const money = { invitation: "first order of $20.00 CAD or more", points_reminder: "$5.00 CAD off for 500 points" };
    for (const kind of ["invitation", "points_reminder"] as const) {
      const previews = {
        fr: (await page(shop, `kind=${kind}&language=fr`)).preview.text,
        default: (await page(shop, `kind=${kind}`)).preview.text,
      };
      await startFromDirectory(shop, jobs[kind], { selection: { ids: [ana.id, amelie!.id] } }, `${kind}-as-sent`);
      await createTaskRunner({ shops: [shop] }).drain();
      const { mails } = await sendAll(shop);
      const to = (email: string) => mails.find((each) => each.to.includes(email))!.parsed.text ?? "";
      // Tally's default is English throughout for the French customer too; her links open the French storefront.
      expect(previews.fr).toContain(`Unsubscribe: https://${shop}/fr/apps/tally/email/unsubscribe?token=`);
      expect(previews.fr).toContain(`https://${shop}/fr/apps/tally/`);
      expect(previews.fr).toContain(money[kind]);
      expect(previews.fr).not.toContain("réduction");
      expect(previews.fr).not.toContain("désabonner");
      expect(sameBut(to("amelie@example.com"), "Amélie")).toBe(sameBut(previews.fr, "Ana"));
      expect(sameBut(to("ana@example.com"), "Ana")).toBe(sameBut(previews.default, "Ana"));
    }
  });

  it("previews a French version with the footer in French, and the default one in English", async () => {
    const { shop } = await shopWithAna({ company: "Maple & Co" });
    const preview = async (query: string) =>
      ((await post(shop, query, { intent: "preview", ...french })).body.preview as { text: string }).text;
    expect(await preview("kind=invitation&language=fr")).toContain("Se désabonner\u00a0: https://");
    expect(await preview("kind=invitation")).toContain("Unsubscribe: https://");
    // The rewards in the preview read as the French customer will read them; the default template's in English.
    expect(await preview("kind=invitation&language=fr")).toContain(frenchRewards);
    expect(await preview("kind=invitation")).toContain(
      "Vos amis reçoivent 10% off their first order of $20.00 CAD or more, et vous 500 points.",
    );
  });
});
