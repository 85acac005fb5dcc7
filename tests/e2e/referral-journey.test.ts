import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
const shop = "e2e-referrals.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  // The storefront's Rewards launcher, where the friend finds her code again once she has an account.
  env.sandbox.control.setAppEmbed({ shop, handle: "launcher" });
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

/** A storefront call through the sandbox's app proxy, as the theme widget or a shopper's browser makes it. */
const proxy = (path: string, customerId = "", init: RequestInit = {}) =>
  fetch(
    `${env.sandbox.origin}/apps/tally${path}${path.includes("?") ? "&" : "?"}sandbox_shop=${shop}&sandbox_customer=${customerId}`,
    init,
  );

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  await env.sandbox.control.idle();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

interface MeReferral {
  referral: { status: string; code: string; url: string; referees: number; successful: number } | null;
}

describe("a friend follows a referral link, claims, checks out; the merchant sees the referral completed", () => {
  it("from the advocate's link to the profile and the directory columns", async () => {
    const pageErrors: string[] = [];
    const merchant = await merchantPage(browser, pageErrors);
    // Opening Tally in the admin installs it.
    const app = await openAdmin(merchant, { env, shop });

    // Ana, a member, has her link as soon as Tally knows her (every member joins automatically).
    const ana = env.sandbox.control.createCustomerAccount({
      shop,
      email: "ana@example.com",
      firstName: "Ana",
      lastName: "Okafor",
      address: { address1: "12 O'Connor Street", city: "Ottawa", zip: "K1P 1J1", countryCode: "CA" },
    });
    const anaId = String(ana.id).replace(/\D/g, "");
    const { referral } = await until(
      "Ana's referral link",
      async () => (await (await proxy("/v1/me", anaId)).json()) as MeReferral,
      (me) => me.referral?.status === "joined",
    );
    const code = referral!.code;
    expect(referral!.url).toBe(`https://${shop}/apps/tally/r/${code}`);

    // The friend's fresh browser opens the link as README says on the sandbox (`?sandbox_shop=` once; on Shopify the
    // shop's domain says it): Tally answers Liquid, which the store renders inside its theme.
    const shopper = await merchantPage(browser, pageErrors);
    const landing = await shopper.goto(`${env.sandbox.origin}/apps/tally/r/${code}?sandbox_shop=${shop}`);
    expect(landing?.status()).toBe(200);
    await shopper.getByRole("heading", { name: "Ana sent you a gift" }).waitFor();
    await expect(shopper.locator("main#MainContent [data-tally-referral]").count()).resolves.toBe(1);

    // The friend claims with their email on the page's form, posted back through the proxy, and gets their code.
    await shopper.getByLabel("Your email, to get your code").fill("ben@example.net");
    await shopper.getByRole("button", { name: "Get my code" }).click();
    await shopper.getByRole("heading", { name: "Your code is ready" }).waitFor();
    const friendCode = (await shopper.locator("[data-tally-referral-code]").textContent())?.trim();
    expect(friendCode).toMatch(/^FRIEND-/);

    // "Shop now with your code": the store keeps the code for the cart; the friend signs up, adds a product and pays.
    await shopper.getByRole("link", { name: "Shop now with your code" }).click();
    await shopper.waitForURL((url) => !url.pathname.startsWith("/discount/"));
    await shopper.goto(`${env.sandbox.origin}/account/register`);
    const signUp = shopper.locator("main#MainContent form");
    await signUp.getByLabel("First name").fill("Ben");
    await signUp.getByLabel("Last name").fill("Ortiz");
    await signUp.getByLabel("Email", { exact: true }).fill("ben@example.net");
    await signUp.getByRole("button", { name: "Create" }).click();
    await shopper.waitForURL((url) => !url.pathname.startsWith("/account"));
    // Her Rewards panel lists the code with its condition (it said "No rewards yet" once she left the landing page).
    await shopper.locator("[data-tally-trigger]").click();
    const friendReward = shopper.locator("[data-tally-panel] .tally-reward", { hasText: friendCode! });
    await friendReward.waitFor({ timeout: 15_000 });
    await expect(friendReward.textContent()).resolves.toContain("10% off on an order of $20.00 CAD or more");
    await shopper.keyboard.press("Escape");
    await shopper.locator("main#MainContent a.card__link").first().click();
    await shopper.getByRole("button", { name: "Add to cart" }).click();
    await shopper.waitForURL((url) => url.pathname === "/cart");
    await shopper.goto(`${env.sandbox.origin}/checkout`);
    const checkout = shopper.getByRole("form", { name: "Checkout" });
    await expect(checkout.getByLabel("Discount code").inputValue()).resolves.toBe(friendCode);
    await checkout.getByRole("button", { name: "Pay now" }).click();
    const placed = (await shopper.locator("[data-storefront-message]").textContent())?.replace(/\s+/g, " ").trim();
    expect(placed).toMatch(/^Order #\d+ placed: \D*[\d.,]+ CAD/);
    const total = /placed: \D*([\d.,]+) CAD/.exec(placed!)![1]!.replace(/,/g, "");

    // Shopify's orders/paid carries the friend's code: the referral completes and Ana is rewarded.
    await until(
      "the referral's completion",
      async () => (await (await proxy("/v1/me", anaId)).json()) as MeReferral,
      (me) => me.referral?.successful === 1,
    );

    // The merchant finds it on Ana's profile...
    await merchant.goto(`${env.sandbox.origin}/store/e2e-referrals/apps/tally/customers?sort=referrals-desc`);
    const firstRow = app.locator("tbody tr").first();
    await firstRow.getByText("Ana Okafor").waitFor({ timeout: 20_000 });
    // ...in the directory's columns: 1 successful referral by default; the revenues a tick away in the column
    // picker, the friend's order as referee revenue...
    await expect(firstRow.locator("td").last().textContent()).resolves.toBe("1");
    await app.getByRole("button", { name: "Columns" }).click();
    // Each tick is shown at once and saved in turn, the second after the first's answer (decision 070).
    await app.getByLabel("Referrer revenue").click();
    await app.locator("thead th", { hasText: "Referrer revenue" }).waitFor({ timeout: 10_000 });
    await app.getByLabel("Referee revenue").click();
    await app.locator("thead th", { hasText: "Referee revenue" }).waitFor({ timeout: 10_000 });
    await merchant.keyboard.press("Escape");
    const cells = await firstRow.locator("td").allTextContents();
    const cad = new Intl.NumberFormat("en-CA", { style: "currency", currency: "CAD" });
    expect(cells.slice(-3)).toEqual(["1", cad.format(0), cad.format(Number(total))]);
    await firstRow.getByText("Ana Okafor").click();
    await app.getByRole("heading", { name: "Referral activity" }).waitFor({ timeout: 15_000 });
    const activity = app.locator("tr", { hasText: "ben@example.net" }).or(app.locator("tr", { hasText: "Ben Ortiz" }));
    await expect(activity.first().textContent()).resolves.toContain("Completed");
    await expect(app.locator("[data-referral-link]").textContent()).resolves.toBe(referral!.url);

    // ...and on the Referrals page, with the program's figures.
    await merchant.goto(`${env.sandbox.origin}/store/e2e-referrals/apps/tally/referrals?tab=completed`);
    const row = app.locator("tbody tr", { hasText: "Ana Okafor" });
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain("Completed");
    await expect(app.getByText("Completion rate").locator("..").textContent()).resolves.toContain("100%");
    // A completed referral keeps its Cancel button; a tab with nothing in it says what it would list.
    await expect(row.getByRole("button", { name: "Cancel" }).count()).resolves.toBe(1);
    await merchant.goto(`${env.sandbox.origin}/store/e2e-referrals/apps/tally/referrals?tab=not_new`);
    await app.getByText("No existing customers refused").waitFor({ timeout: 20_000 });
    await app.getByText("Existing customers who try a friend's offer are refused on the spot").waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("in German: a friend on /de/ reads the landing page in German, gets a code, and Shop now stays on /de/", async () => {
    const pageErrors: string[] = [];
    const merchant = await merchantPage(browser, pageErrors);
    await openAdmin(merchant, { env, shop });
    await merchant.close();
    const lena = env.sandbox.control.createCustomerAccount({ shop, email: "lena@example.com", firstName: "Lena" });
    const { referral } = await until(
      "Lena's referral link",
      async () => (await (await proxy("/v1/me", String(lena.id).replace(/\D/g, ""))).json()) as MeReferral,
      (me) => me.referral?.status === "joined",
    );

    const friend = await merchantPage(browser, pageErrors);
    await friend.goto(`${env.sandbox.origin}/de/apps/tally/r/${referral!.code}?sandbox_shop=${shop}`);
    await friend.getByRole("heading", { name: "Lena hat dir ein Geschenk geschickt" }).waitFor();
    // The friend's offer worded in German from data: "10 %" as German writes it, the amount as the shop writes it.
    const percent = new Intl.NumberFormat("de", { style: "percent" }).format(0.1);
    await expect(friend.locator("[data-tally-referral] strong").textContent()).resolves.toBe(
      `${percent} Rabatt auf deine erste Bestellung ab $20.00 CAD`,
    );
    await friend.getByLabel("Deine E-Mail-Adresse für deinen Code").fill("freund@example.de");
    await friend.getByRole("button", { name: "Meinen Code erhalten" }).click();
    await friend.getByRole("heading", { name: "Dein Code ist bereit" }).waitFor();
    expect(new URL(friend.url()).pathname).toBe(`/de/apps/tally/r/${referral!.code}`);
    await expect(friend.locator("[data-tally-referral-code]").textContent()).resolves.toMatch(/FRIEND-/);
    await friend.getByRole("link", { name: "Jetzt mit deinem Code einkaufen" }).click();
    await friend.waitForURL((url) => !url.pathname.startsWith("/discount/"));
    expect(new URL(friend.url()).pathname).toMatch(/^\/de\/?$/);
    await expect(friend.locator("html").getAttribute("lang")).resolves.toBe("de");
    expect(pageErrors).toEqual([]);
    await friend.close();
  });

  it("the advocate, signed in, opening her own link gets its share box, not the friend's form", async () => {
    const pageErrors: string[] = [];
    const merchant = await merchantPage(browser, pageErrors);
    await openAdmin(merchant, { env, shop });
    await merchant.close();
    const mia = env.sandbox.control.createCustomerAccount({ shop, email: "mia@example.com", firstName: "Mia" });
    const { referral } = await until(
      "Mia's referral link",
      async () => (await (await proxy("/v1/me", String(mia.id).replace(/\D/g, ""))).json()) as MeReferral,
      (me) => me.referral?.status === "joined",
    );

    // Signed in as the sandbox signs in (an email, no password), she follows her link as her invitation gave it.
    const page = await merchantPage(browser, pageErrors);
    await page.goto(`${env.sandbox.origin}/account/login?shop=${shop}`);
    await page.locator("#CustomerEmail").fill("mia@example.com");
    await page.locator("form:has(#CustomerEmail) button").click();
    await page.waitForURL(/\/account$/);
    await page.goto(`${env.sandbox.origin}/apps/tally/r/${referral!.code}`);
    // It read "Mia sent you a gift" and asked for an email, then refused hers: "You can't use your own referral link."
    await page.getByRole("heading", { name: "This is your link" }).waitFor();
    const box = page.locator("main#MainContent [data-tally-share]");
    await expect(box.locator("[data-tally-referral-url]").inputValue()).resolves.toBe(referral!.url);
    await box.getByRole("button", { name: "Copy your referral link", exact: true }).waitFor();
    for (const network of ["Email", "WhatsApp", "X"]) {
      const href = await box.getByRole("link", { name: `Share by ${network}` }).getAttribute("href");
      expect(href, network).toContain(encodeURIComponent(referral!.url));
    }
    await expect(page.getByLabel("Your email, to get your code").count()).resolves.toBe(0);
    await expect(page.getByRole("heading", { name: "Mia sent you a gift" }).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("an existing customer, signed in, claims as himself: no email field, and the offer is refused as not new", async () => {
    const pageErrors: string[] = [];
    const merchant = await merchantPage(browser, pageErrors);
    await openAdmin(merchant, { env, shop });
    await merchant.close();
    const maya = env.sandbox.control.createCustomerAccount({ shop, email: "maya@example.com", firstName: "Maya" });
    const { referral } = await until(
      "Maya's referral link",
      async () => (await (await proxy("/v1/me", String(maya.id).replace(/\D/g, ""))).json()) as MeReferral,
      (me) => me.referral?.status === "joined",
    );
    // Théo already buys here: Tally has his paid order (his points say so).
    const theo = env.sandbox.control.createCustomerAccount({ shop, email: "theo@example.com", firstName: "Théo" });
    const theoId = String(theo.id).replace(/\D/g, "");
    env.sandbox.control.placeOrder({ shop, customerId: theoId, lines: [{ productIndex: 0, quantity: 1 }] });
    await until(
      "Théo's paid order",
      async () =>
        (await (await proxy("/v1/me", theoId)).json()) as {
          customer: { points?: number; pendingPoints?: number } | null;
        },
      (me) => (me.customer?.points ?? 0) + (me.customer?.pendingPoints ?? 0) > 0,
    );

    const page = await merchantPage(browser, pageErrors);
    await page.goto(`${env.sandbox.origin}/account/login?shop=${shop}`);
    await page.locator("#CustomerEmail").fill("theo@example.com");
    await page.locator("form:has(#CustomerEmail) button").click();
    await page.waitForURL(/\/account$/);
    await page.goto(`${env.sandbox.origin}/apps/tally/r/${referral!.code}`);
    await page.getByRole("heading", { name: "Maya sent you a gift" }).waitFor();
    // It asked for an email, filled with his: a made-up one got him a friend's code.
    const claimant = page.locator("main#MainContent [data-tally-referral-claimant]");
    await expect(claimant.textContent()).resolves.toBe("Signed in as theo@example.com");
    await expect(page.getByLabel("Your email, to get your code").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Get my code" }).click();
    await page.getByText("This offer is for new customers. Thanks for shopping with us again!").waitFor();
    await expect(page.locator("[data-tally-referral-code]").count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
