import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, shops } from "~/db/schema";
import { defaultInvitationTemplate, renderInvitation } from "~/domain/email";
import { runShopJobs } from "~/jobs/scheduler.server";
import { getEmailTemplate } from "~/services/email/email-templates.server";
import { prepareInvitation } from "~/services/referrals/invitations.server";
import { preparePointsReminder } from "~/services/rewards/points-reminders.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { orderJson } from "../factories/orders";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { webhookRequest } from "../helpers/signed-requests";
import { shopifyJson } from "../helpers/shopify-samples";
import { answerOf } from "../helpers/route-answers";
import { Shopper } from "../helpers/shopper";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";

// Emails link to the storefront in the customer's language (decision 051): Shopify's Customer.locale, read by the
// install sync, against the shop's root URLs per locale (webPresences), read at install.

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

/** A shop with these customers in Shopify, Tally installed and its install sync run: each customer's Tally id. */
async function shopWith(
  people: Array<{ email: string; firstName: string; locale?: string; guest?: boolean }>,
  setUp: (shop: string) => void = () => {},
) {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop, name: "Maple & Co" });
  setUp(shop);
  const created = people.map(({ guest, ...person }) =>
    guest
      ? sandbox.control.createCustomer({ shop, ...person })
      : sandbox.control.createCustomerAccount({ shop, acceptsMarketing: true, ...person }),
  );
  await installThroughAdmin(sandbox, shop);
  await runShopJobs(shop, { force: true });
  const ids: number[] = [];
  for (const customer of created) {
    const [row] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, `gid://shopify/Customer/${customer.id}`)));
    ids.push(row!.id);
  }
  return { shop, ctx: contextFor(shop, "tally-jobs"), ids };
}

/** The invitation email as the invitation task renders it, with Tally's default template. */
async function invitationText(ctx: ReturnType<typeof contextFor>, customerId: number) {
  const details = await prepareInvitation({ ctx, input: { customerId } });
  const email = renderInvitation(defaultInvitationTemplate, {
    ...details,
    referralLink: details.url,
    storefrontLink: details.rewardsUrl,
    friendReward: details.friendOffer,
  });
  return { details, text: email.text };
}

describe("the links in a customer's emails", () => {
  it("lead a French customer's friends to the French storefront, and an English one's to the primary", async () => {
    const { shop, ctx, ids } = await shopWith([
      { email: "amelie@example.com", firstName: "Amélie", locale: "fr" },
      { email: "ben@example.com", firstName: "Ben" },
      { email: "chloe@example.com", firstName: "Chloé", locale: "fr-CA" },
      { email: "jun@example.com", firstName: "Jun", locale: "ja" },
    ]);
    const [amelie, ben, chloe, jun] = ids as [number, number, number, number];

    const french = await invitationText(ctx, amelie);
    expect(french.details.url).toBe(`https://${shop}/fr/apps/tally/r/${french.details.code}`);
    expect(french.text).toContain(`Your link: https://${shop}/fr/apps/tally/r/${french.details.code}`);
    expect(french.text).toContain(`signed in: https://${shop}/fr/apps/tally/`);

    const english = await invitationText(ctx, ben);
    expect(english.details.url).toBe(`https://${shop}/apps/tally/r/${english.details.code}`);

    // No Canadian French storefront: Shopify's fallback from fr-CA is French.
    expect((await invitationText(ctx, chloe)).details.url).toMatch(new RegExp(`^https://${shop}/fr/apps/tally/r/`));
    // A language the store does not publish: the primary storefront.
    expect((await invitationText(ctx, jun)).details.url).toMatch(new RegExp(`^https://${shop}/apps/tally/r/`));
  });

  it("lead to a market's own domain when the French store is one (Markets), its root being that domain", async () => {
    const { ctx, ids } = await shopWith(
      [{ email: "amelie@example.com", firstName: "Amélie", locale: "fr" }],
      (shop) => {
        // The primary domain publishes English only; France has maple-et-co.fr, in French at its root.
        sandboxOf().control.setShopLocales({ shop, primary: "en", published: ["en"] });
        sandboxOf().control.addMarketDomain({ shop, host: "maple-et-co.fr", defaultLocale: "fr" });
      },
    );
    const { details, text } = await invitationText(ctx, ids[0]!);
    expect(details.url).toBe(`https://maple-et-co.fr/apps/tally/r/${details.code}`);
    expect(text).toContain(`signed in: https://maple-et-co.fr/apps/tally/`);
  });

  it("send a French customer's points reminder to the French rewards page, and a French Guest to its sign-up and back", async () => {
    const { shop, ctx, ids } = await shopWith([
      { email: "amelie@example.com", firstName: "Amélie", locale: "fr" },
      { email: "bea@example.com", firstName: "Béa", locale: "fr", guest: true },
    ]);
    const template = await getEmailTemplate({ ctx, input: { kind: "points_reminder" } });
    const member = await preparePointsReminder({ ctx, input: { customerId: ids[0]!, template } });
    expect(member.rendered.text).toContain(`signed in: https://${shop}/fr/apps/tally/`);
    const guest = await preparePointsReminder({ ctx, input: { customerId: ids[1]!, template } });
    const register = `https://${shop}/fr/account/register?return_url=%2Ffr%2Fapps%2Ftally%2F`;
    expect(guest.rendered.text.split("Create an account: ")[1]?.trim()).toBe(register);
    // The theme's register page carries the path in its form: Béa's new account lands on the French rewards page.
    const bea = new Shopper(sandboxOf().origin, shop);
    const page = (await bea.get(register.slice(`https://${shop}`.length))).text;
    const returnUrl = /<input type="hidden" name="return_url" value="([^"]*)"/.exec(page)?.[1];
    expect(returnUrl).toBe("/fr/apps/tally/");
    const joined = await bea.post("/fr/account", {
      form_type: "create_customer",
      return_url: returnUrl!,
      "customer[first_name]": "Béa",
      "customer[email]": "bea@example.com",
    });
    expect(joined).toMatchObject({ status: 302, location: "/fr/apps/tally/" });
  });

  it("keep the myshopify link while the shop's storefront roots are unknown (read_markets not granted yet)", async () => {
    const { shop, ctx, ids } = await shopWith([{ email: "amelie@example.com", firstName: "Amélie", locale: "fr" }]);
    await db.update(shops).set({ storefrontRoots: null }).where(eq(shops.shop, shop));
    const { details } = await invitationText(ctx, ids[0]!);
    expect(details.url).toBe(`https://${shop}/apps/tally/r/${details.code}`);
  });

  it("take a customer new since the last sync from the language her order was placed in, until Shopify's own says", async () => {
    const { shop, ctx } = await shopWith([]);
    const order = (id: bigint, locale: string, customerGid: string) => ({
      ...orderJson({
        id,
        currency: "CAD",
        lines: [{ id: id * 10n, price: "20.00" }],
        customer: { admin_graphql_api_id: customerGid, email: "noemie@example.com", first_name: "Noémie" },
      }),
      customer_locale: locale,
    });
    const customerGid = "gid://shopify/Customer/990000000000000001";
    const paid = (body: Record<string, unknown>) =>
      answerOf(() =>
        orderPaid({
          request: webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(body) }),
          params: {},
          context: {},
        }),
      );
    // No customers/create has said anything of her language (customer webhooks carry none): her order's does.
    await paid(order(9_100_000_000_001n, "fr", customerGid));
    const [row] = await db
      .select({ id: customers.id, locale: customers.locale })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid)));
    expect(row!.locale).toBe("fr");
    const { details } = await invitationText(ctx, row!.id);
    expect(details.url).toBe(`https://${shop}/fr/apps/tally/r/${details.code}`);
    // A later order placed in English only fills a blank: the first language seen stays until a sync reads hers.
    await paid(order(9_100_000_000_002n, "en", customerGid));
    const [after] = await db.select({ locale: customers.locale }).from(customers).where(eq(customers.id, row!.id));
    expect(after!.locale).toBe("fr");
  });
});
