import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, emailOutbox, emailSuppressions } from "~/db/schema";
import { smtpTransport } from "~/email/smtp-transport.server";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { action as emailSettingsAction, loader as emailSettingsLoader } from "~/routes/app.settings_.emails";
import { action as unsubscribeAction, loader as unsubscribePage } from "~/routes/proxy.email.unsubscribe";
import { saveEmailTemplate } from "~/services/email/email-templates.server";
import {
  queueInvitations,
  type InvitationPreparer,
  type InvitationRecipientLister,
} from "~/services/email/queue-invitations.server";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { inTransaction, type ServiceContext } from "~/services/context";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { signAppProxyQuery } from "../sandbox/index";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { samplePayload } from "../helpers/shopify-samples";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { auditActions } from "../helpers/audit";
import { useSmtpSink, type ReceivedMail, fixedShopAddress } from "../helpers/smtp-sink";
import { answerOf } from "../helpers/route-answers";

const { sink } = useSmtpSink();

const args = (request: Request, params: Record<string, string> = {}) =>
  ({ request, params, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs;
/**
 * The referral side's two functions as this test's shop has them: who may be emailed (subscribed to email
 * marketing, not blocked) and what each invitation says. The real ones (app/services/referrals/invitations.server.ts)
 * answer in these shapes.
 */
function referralSide(ctx: ServiceContext): { recipients: InvitationRecipientLister; prepare: InvitationPreparer } {
  const read = async (ids: readonly number[]) =>
    ctx.db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, [...ids])));
  return {
    recipients: async (ids) => {
      const rows = new Map((await read(ids)).map((row) => [row.id, row]));
      return ids.map((customerId) => {
        const row = rows.get(customerId);
        const skipReason = !row
          ? "not_found"
          : row.blocked
            ? "blocked"
            : row.emailMarketingState !== "SUBSCRIBED"
              ? "not_subscribed"
              : null;
        return { customerId, mayEmail: skipReason === null, skipReason };
      });
    },
    prepare: async (customerId) => {
      const [row] = await read([customerId]);
      return {
        email: row!.email!,
        firstName: row!.firstName,
        shopName: "Maple & Co",
        url: `https://${ctx.shop}/apps/tally/r/CODE${customerId}`,
        rewardsUrl: `https://${ctx.shop}/apps/tally/`,
        friendOffer: "10% off their first order",
        advocateReward: "500 points",
        pointsName: "points",
      };
    },
  };
}

async function shopWithCustomers() {
  const shop = await newShopDomain();
  const ctx = contextFor(shop, { actor: "staff:1", actorName: "Alex Morgan" });
  const [ana, ben, cleo] = await insertCustomers(ctx.db, shop, [
    { status: "member", email: `ana-${shop}@example.com`, firstName: "Ana", emailMarketingState: "SUBSCRIBED" },
    { status: "member", email: `ben-${shop}@example.com`, firstName: "Ben", emailMarketingState: "NOT_SUBSCRIBED" },
    {
      status: "member",
      email: `cleo-${shop}@example.com`,
      firstName: "<b>Cleo & Co</b>",
      emailMarketingState: "SUBSCRIBED",
    },
  ]);
  return { shop, ctx, ana: ana!, ben: ben!, cleo: cleo!, side: referralSide(ctx) };
}

const at = (ctx: ServiceContext, ms: number): ServiceContext => ({ ...ctx, now: new Date(ctx.now.getTime() + ms) });
const send = (ctx: ServiceContext, perMinute?: number) =>
  sendQueuedEmails({
    ctx,
    input: { perMinute },
    transport: () => smtpTransport(sink().url),
    senderAddress: fixedShopAddress,
  });
/** A header as it arrived (unfolded), from the raw header lines. */
function header(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((each) => each.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}
const unsubscribeLink = (mail: ReceivedMail) =>
  /^<(https:[^>]+)>$/.exec(header(mail, "List-Unsubscribe") ?? "")?.[1] ?? "";
const mailTo = (address: string) => sink().received.filter((mail) => mail.to.includes(address));

/** The email's List-Unsubscribe URL, proxied to Tally as Shopify's app proxy would: signed, with its own params. */
function proxied(listUnsubscribe: string, shop: string, init: { method?: "GET" | "POST"; body?: string } = {}) {
  const url = new URL(listUnsubscribe.replace(/^<|>$/g, ""));
  expect(url.origin).toBe(`https://${shop}`);
  expect(url.pathname).toBe("/apps/tally/email/unsubscribe");
  const query = new URLSearchParams(url.search);
  query.append("shop", shop);
  query.append("logged_in_customer_id", "");
  query.append("path_prefix", "/apps/tally");
  query.append("timestamp", String(Math.floor(Date.now() / 1000)));
  query.append("signature", signAppProxyQuery(query, process.env.SHOPIFY_API_SECRET ?? ""));
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy/email/unsubscribe?${query.toString()}`, {
    method: init.method ?? "GET",
    ...(init.body !== undefined
      ? { body: init.body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }
      : {}),
  });
}

describe("referral invitations by email", () => {
  it("sends exactly the subscribed customers an HTML and a plain-text part, escaped, with one-click unsubscribe", async () => {
    const { shop, ctx, ana, ben, cleo, side } = await shopWithCustomers();
    const result = await queueInvitations({
      ctx,
      input: { customerIds: [ana.id, ben.id, cleo.id], batch: "b1" },
      ...side,
    });
    expect(result).toMatchObject({ total: 3, queued: 2, sent: 0, skipped: { not_subscribed: 1 } });

    expect(await send(ctx)).toMatchObject({ sent: 2, failed: 0, retrying: 0 });
    expect(mailTo(ben.email!)).toHaveLength(0);
    const [toAna] = mailTo(ana.email!);
    const [toCleo] = mailTo(cleo.email!);
    expect(mailTo(ana.email!)).toHaveLength(1);
    expect(mailTo(cleo.email!)).toHaveLength(1);

    expect(toAna!.parsed.from?.value[0]).toMatchObject({
      name: shop.replace(".myshopify.com", ""),
      address: "no-reply@tally.test",
    });
    expect(toAna!.parsed.subject).toBe("Ana, give your friends a gift from Maple & Co");
    expect(toAna!.parsed.text).toContain(`Your link: https://${shop}/apps/tally/r/CODE${ana.id}`);
    expect(toAna!.parsed.html).toContain(`Or copy it: https://${shop}/apps/tally/r/CODE${ana.id}`);
    expect(toAna!.parsed.html).toContain("Maple &amp; Co");
    // A name is text in the HTML part, never markup; the text part shows it as typed.
    expect(toCleo!.parsed.html).toContain("Hi &lt;b&gt;Cleo &amp; Co&lt;/b&gt;,");
    expect(toCleo!.parsed.html).not.toContain("<b>Cleo");
    expect(toCleo!.parsed.text).toContain("Hi <b>Cleo & Co</b>,");

    expect(header(toAna!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const anaLink = unsubscribeLink(toAna!);
    const cleoLink = unsubscribeLink(toCleo!);
    expect(anaLink.startsWith(`https://${shop}/apps/tally/email/unsubscribe?token=`)).toBe(true);
    expect(anaLink).not.toBe(cleoLink);

    const [sent] = await ctx.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.shop, shop), eq(emailOutbox.customerId, ana.id)));
    expect(sent).toMatchObject({ status: "sent", recipient: ana.email, attempts: 1, actorName: "Alex Morgan" });
    expect(sent!.messageId).toBeTruthy();

    // The same batch again (a resubmitted form) queues and sends nobody twice.
    expect(
      await queueInvitations({ ctx, input: { customerIds: [ana.id, cleo.id], batch: "b1" }, ...side }),
    ).toMatchObject({
      total: 3,
      sent: 2,
    });
    expect(await send(ctx)).toMatchObject({ sent: 0 });
    expect(mailTo(ana.email!)).toHaveLength(1);

    // The merchant sees it on the customer's profile.
    await installOfflineSession(shop);
    const profile = await answerOf(async () =>
      profileLoader(args(await sessionTokenRequest(shop, `/app/customers/${ana.id}`), { id: String(ana.id) })),
    );
    const { emails } = profile as unknown as { emails: { rows: Array<{ status: string; subject: string }> } };
    expect(emails.rows).toEqual([
      expect.objectContaining({ status: "sent", subject: "Ana, give your friends a gift from Maple & Co" }),
    ]);
  });

  it("unsubscribes in one click through the signed app proxy, and the next invitation skips the customer", async () => {
    const { shop, ctx, ana, cleo, side } = await shopWithCustomers();
    await queueInvitations({ ctx, input: { customerIds: [ana.id, cleo.id], batch: "first" }, ...side });
    await send(ctx);
    const link = unsubscribeLink(mailTo(ana.email!)[0]!);

    // Opening the link shows the confirm page in the theme (Liquid) and unsubscribes no one: mail scanners open links.
    const page = await answerOf(() => unsubscribePage(args(proxied(link, shop))));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^application\/liquid/);
    const body = await page.text();
    expect(body).toContain("{{ shop.name | escape }}");
    // After the storefront's locale prefix, as Liquid writes it (email-footer.test.ts follows it on the store).
    expect(body).toMatch(/<form method="post" action="[^"]*\}\/apps\/tally\/email\/unsubscribe\?token=[\w.-]+">/);

    // A link altered to another customer's id is refused.
    const forged = link.replace(/token=(\d+)\./, `token=${cleo.id}.`);
    const refused = await answerOf(() =>
      unsubscribeAction(args(proxied(forged, shop, { method: "POST", body: "List-Unsubscribe=One-Click" }))),
    );
    expect(refused.status).toBe(404);
    // So is the same link presented by another shop.
    const otherShop = await newShopDomain();
    const elsewhere = await answerOf(() =>
      unsubscribeAction(
        args(proxied(link.replace(shop, otherShop), otherShop, { method: "POST", body: "List-Unsubscribe=One-Click" })),
      ),
    );
    expect(elsewhere.status).toBe(404);

    // RFC 8058: the mailbox provider's POST, form-encoded, no cookie, no page.
    const done = await answerOf(() =>
      unsubscribeAction(args(proxied(link, shop, { method: "POST", body: "List-Unsubscribe=One-Click" }))),
    );
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You&#39;re unsubscribed");
    const again = await answerOf(() => unsubscribePage(args(proxied(link, shop))));
    expect(await again.text()).toContain("You&#39;re unsubscribed");

    const next = await queueInvitations({ ctx, input: { customerIds: [ana.id, cleo.id], batch: "second" }, ...side });
    expect(next).toMatchObject({ total: 2, queued: 1, skipped: { unsubscribed: 1 } });
    await send(at(ctx, 1000));
    expect(mailTo(ana.email!)).toHaveLength(1);
    expect(mailTo(cleo.email!)).toHaveLength(2);
  });

  it("skips at send time a customer who unsubscribed after the batch was queued", async () => {
    const { ctx, ana, side } = await shopWithCustomers();
    await queueInvitations({ ctx, input: { customerIds: [ana.id], batch: "b" }, ...side });
    await ctx.db.update(customers).set({ emailMarketingState: "UNSUBSCRIBED" }).where(eq(customers.id, ana.id));
    expect(await send(ctx)).toMatchObject({ sent: 0, skipped: 1 });
    expect(mailTo(ana.email!)).toHaveLength(0);
  });

  it("retries a 4xx with backoff and records a 5xx with the server's reason", async () => {
    const { ctx, ana, cleo, side } = await shopWithCustomers();
    sink().refuse(ana.email!, 451, "4.7.1 Try again later");
    sink().refuse(cleo.email!, 550, "5.1.1 No such mailbox here");
    await queueInvitations({ ctx, input: { customerIds: [ana.id, cleo.id], batch: "b" }, ...side });
    expect(await send(ctx)).toMatchObject({ sent: 0, retrying: 1, failed: 1 });

    const rows = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.shop, ctx.shop));
    const anaRow = rows.find((row) => row.customerId === ana.id)!;
    const cleoRow = rows.find((row) => row.customerId === cleo.id)!;
    expect(cleoRow).toMatchObject({ status: "failed", lastResponseCode: 550 });
    expect(cleoRow.lastError).toContain("No such mailbox here");
    expect(anaRow).toMatchObject({ status: "queued", attempts: 1, lastResponseCode: 451 });
    expect(anaRow.nextAttemptAt).toBe(new Date(ctx.now.getTime() + 60_000).toISOString());

    // Not before its time; then the server accepts it.
    expect(await send(at(ctx, 30_000))).toMatchObject({ sent: 0, retrying: 0 });
    sink().accept(ana.email!);
    expect(await send(at(ctx, 61_000))).toMatchObject({ sent: 1 });
    expect(mailTo(ana.email!)).toHaveLength(1);
    expect(mailTo(cleo.email!)).toHaveLength(0);
  });

  it("sends at most the shop's rate a minute, the rest on later runs", async () => {
    const { ctx, ana, cleo, side } = await shopWithCustomers();
    const [dan] = await insertCustomers(ctx.db, ctx.shop, [
      { status: "member", email: `dan-${ctx.shop}@example.com`, firstName: "Dan", emailMarketingState: "SUBSCRIBED" },
    ]);
    await queueInvitations({ ctx, input: { customerIds: [ana.id, cleo.id, dan!.id], batch: "b" }, ...side });
    expect(await send(ctx, 2)).toMatchObject({ sent: 2, deferred: 1 });
    expect(await send(at(ctx, 30_000), 2)).toMatchObject({ sent: 0 });
    expect(await send(at(ctx, 61_000), 2)).toMatchObject({ sent: 1, deferred: 0 });
  });

  it("without SMTP_URL, sending fails with a message naming it and the emails stay queued", async () => {
    const { ctx, ana, side } = await shopWithCustomers();
    await queueInvitations({ ctx, input: { customerIds: [ana.id], batch: "b" }, ...side });
    await expect(
      sendQueuedEmails({ ctx, transport: () => smtpTransport(undefined), senderAddress: fixedShopAddress }),
    ).rejects.toThrow(/SMTP_URL is not set/);
    const [row] = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.shop, ctx.shop));
    expect(row).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("renders the merchant's saved template, and refuses an unknown placeholder at save", async () => {
    const { ctx, ana, side } = await shopWithCustomers();
    await expect(
      saveEmailTemplate({
        ctx,
        input: { kind: "invitation", template: { subject: "Hi {{ frist_name }}", html: "<p>x</p>", text: "x" } },
      }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      details: { fieldErrors: { subject: [expect.stringContaining("frist_name")] } },
    });
    const saved = await saveEmailTemplate({
      ctx,
      input: {
        kind: "invitation",
        template: {
          subject: "{{ shop_name }} has a gift for your friends",
          html: "<p>Dear {{ first_name }}, friends get {{ friend_reward }}: {{ referral_link }}</p>",
          text: "Dear {{ first_name }}, you get {{ advocate_reward }}: {{ referral_link }}",
        },
      },
    });
    expect(saved).toEqual({ version: 1, changed: true });
    await queueInvitations({ ctx, input: { customerIds: [ana.id], batch: "b" }, ...side });
    await send(ctx);
    const [mail] = mailTo(ana.email!);
    expect(mail!.parsed.subject).toBe("Maple & Co has a gift for your friends");
    expect(mail!.parsed.text).toContain("Dear Ana, you get 500 points");
    const [row] = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.shop, ctx.shop));
    expect(row!.templateVersion).toBe(1);
  });
});

describe("Settings → Invitation email", () => {
  it("previews the typed template for a sample customer and saves it as a version with the staff member's name", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    // The shop's money formats, as Shopify's shop/update gives them: the preview writes the shop's own rewards so.
    const facts = {
      ...samplePayload("shop/update"),
      currency: "USD",
      money_format: "${{amount}}",
      money_with_currency_format: "${{amount}} USD",
    };
    expect((await deliverWebhook(shopUpdate, "shop/update", shop, facts)).status).toBe(200);
    const post = async (fields: Record<string, string>) =>
      answerOf(async () =>
        emailSettingsAction(
          args(
            await sessionTokenRequest(shop, "/app/settings/emails", {
              method: "POST",
              body: new URLSearchParams(fields),
            }),
          ),
        ),
      );
    const template = {
      subject: "{{ first_name }}, a gift for friends",
      html: "<p>{{ first_name }} at {{ shop_name }}: <a href='{{ referral_link }}'>link</a> {{ '<i>' }}</p>",
      text: "{{ friend_reward }} / {{ advocate_reward }}",
    };
    const previewed = (await post({ intent: "preview", ...template })) as unknown as {
      preview: { subject: string; html: string; text: string };
    };
    expect(previewed.preview.subject).toBe("Ana, a gift for friends");
    expect(previewed.preview.html).toContain(`href='https://${shop}/apps/tally/r/SAMPLE2345'`);
    expect(previewed.preview.html).toContain("&lt;i&gt;");
    expect(previewed.preview.text.split("\n\n-- \n")[0]).toBe(
      "10% off their first order of $20.00 USD or more / 500 points",
    );

    const refused = await post({ intent: "save", ...template, subject: "x".repeat(201) });
    expect(refused.status).toBe(400);
    const { error, fieldErrors } = (await refused.json()) as { error: string; fieldErrors: Record<string, string[]> };
    expect(fieldErrors.subject?.[0]).toBe("Subject: keep it to 200 characters or fewer (this is 201)");
    // The banner above the editor names the reason too, not only "has errors"; every field's, in the editor's order.
    expect(error).toBe("Subject: keep it to 200 characters or fewer (this is 201).");
    const twice = await post({ intent: "save", ...template, subject: "x".repeat(201), text: " " });
    expect(((await twice.json()) as { error: string }).error).toBe(
      "Subject: keep it to 200 characters or fewer (this is 201). Write the plain-text version.",
    );

    expect(await post({ intent: "save", ...template })).toMatchObject({ ok: true, version: 1, changed: true });
    // The preview and the refused save wrote nothing; the save is in the audit trail under the staff member.
    expect(await auditActions(shop)).toEqual(["email_template.save"]);
    // The Audit log names the email as Settings › Emails does, not by its key ("Invitation email").
    const [saved] = await contextFor(shop, "test")
      .db.select({ subject: auditEvents.subject })
      .from(auditEvents)
      .where(eq(auditEvents.shop, shop));
    expect(saved?.subject).toBe("Referral invitation email");
    const page = (await answerOf(async () =>
      emailSettingsLoader(args(await sessionTokenRequest(shop, "/app/settings/emails"))),
    )) as unknown as {
      current: { version: number; template: typeof template };
      versions: Array<{ actorName: string }>;
    };
    expect(page.current).toMatchObject({ version: 1, template });
    expect(page.versions).toEqual([expect.objectContaining({ version: 1, actorName: "Alex Morgan" })]);
  });
});

describe("customers/redact", () => {
  it("erases the customer's emails and address from the outbox and the unsubscribe list, keeping the batch's counts", async () => {
    const { ctx, ana, side } = await shopWithCustomers();
    await queueInvitations({ ctx, input: { customerIds: [ana.id], batch: "b" }, ...side });
    await send(ctx);
    const link = unsubscribeLink(mailTo(ana.email!)[0]!);
    await answerOf(() =>
      unsubscribeAction(args(proxied(link, ctx.shop, { method: "POST", body: "List-Unsubscribe=One-Click" }))),
    );
    await inTransaction(ctx, (tx) =>
      redactCustomer({ ctx, tx, input: { customerGid: ana.customerGid, email: ana.email } }),
    );
    const [row] = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.shop, ctx.shop));
    expect(row).toMatchObject({ status: "sent", recipient: null, subject: null, html: null, text: null });
    const [suppression] = await ctx.db.select().from(emailSuppressions).where(eq(emailSuppressions.shop, ctx.shop));
    expect(suppression).toMatchObject({ customerId: ana.id, email: null });
  });
});
