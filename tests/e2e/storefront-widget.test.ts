import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  installApp,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";
import { desktopUserAgent } from "../helpers/browser";

// A shopper in Chromium on the sandbox storefront with Tally's app embed switched on: signed out, then a member who
// redeems, copies the code, applies it at checkout and sees the reward used; the referral link (from a v1/me fixture,
// as the referral program is built elsewhere); French; the keyboard alone; and axe-core on every state of the panel.
let env: SandboxAndApp;
let browser: Browser;
const shop = "e2e-storefront.myshopify.com";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** The `referral` field issue 9 adds to v1/me, as a joined advocate sees it. */
const referralFixture = {
  status: "joined",
  code: "NOOR-7KQ2",
  url: `https://${shop}/apps/tally/r/NOOR-7KQ2`,
  referees: 3,
  successful: 1,
};

beforeAll(async () => {
  // Jobs every second: the points metafield the launcher shows is published by them.
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, appEnv: { JOBS_INTERVAL_SECONDS: "1" } }));
  // Installing Tally: the merchant opens it in the admin once.
  await installApp(browser, { env, shop, timeout: 30_000 });
  env.sandbox.control.setAppEmbed({ shop, handle: "launcher" });
}, 120_000);

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

async function shopperPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ userAgent: desktopUserAgent });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.sandbox.origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
  return { context, page, errors };
}

async function axeViolations(page: Page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: unknown): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> };
      }
    ).axe;
    // Tally's own UI: the launcher and its panel, the blocks and the rewards page (the sandbox theme's product cards
    // repeat their titles in their images' alt text, which is the theme's to fix, not the app's).
    const context = { include: [["[data-tally-launcher]"], [".tally-card"], ["[data-tally-page]"]] };
    const { violations } = await axe.run(context);
    return violations.map((v) => `${v.id}: ${v.nodes.map((node) => node.html).join(" | ")}`);
  });
}

const panel = (page: Page) => page.locator("[data-tally-panel]");
const launcher = (page: Page) => page.locator("[data-tally-trigger]");

/** The signed-out join box's text in the launcher's panel, the page reloaded first (a metafield Tally publishes). */
async function joinTextAfterReload(page: Page): Promise<string | null> {
  await page.reload();
  await launcher(page).click();
  const text = panel(page).locator(".tally-join p:not(.tally-actions)");
  await text.waitFor();
  return text.textContent();
}

async function signIn(page: Page, email: string) {
  await page.goto(`${env.sandbox.origin}/account/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/account$/);
}

/** Signs in from the login page of a language (`/de`), as a shopper browsing in it does. */
async function signInAt(page: Page, prefix: string, email: string) {
  await page.goto(`${env.sandbox.origin}${prefix}/account/login`);
  await page.locator("#CustomerEmail").fill(email);
  await page.locator("form:has(#CustomerEmail) button").click();
  await page.waitForURL(new RegExp(`${prefix}/account$`));
}

/** A customer with an account and `units` mugs bought: 100 for signing up plus a point per 1.00 of the order. */
async function memberWithPoints(email: string, units: number) {
  const created = env.sandbox.control.createCustomerAccount({ shop, email, firstName: "Noor" });
  const id = String(created.id).replace(/\D/g, "");
  const order = env.sandbox.control.placeOrder({ shop, customerId: id, lines: [{ productIndex: 0, quantity: units }] });
  await env.sandbox.control.idle();
  return { id, points: 100 + Math.floor(order.subtotalCents / 100) };
}

/**
 * The customer's profile in Tally, in a new admin page: Tally's id for them read once its customers/create is
 * applied (read only, as the admin's URL needs it).
 */
async function profileInAdmin(shopifyId: string): Promise<Page> {
  const db = new Database(env.app.databasePath, { readonly: true });
  let row: { id: number } | undefined;
  for (let tries = 0; !row && tries < 100; tries++) {
    row = db.prepare("select id from customers where customer_gid = ?").get(`gid://shopify/Customer/${shopifyId}`) as
      { id: number } | undefined;
    if (!row) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  db.close();
  if (!row) throw new Error("Tally never recorded the customer");
  const admin = await browser.newPage({ userAgent: desktopUserAgent });
  await openAdmin(admin, { env, shop });
  await admin.goto(`${admin.url().split("?")[0]}/customers/${row.id}`);
  return admin;
}

/** The merchant blocks the customer from their profile in Tally (title-bar action, then the modal's confirm). */
async function blockInAdmin(shopifyId: string): Promise<void> {
  const admin = await profileInAdmin(shopifyId);
  await admin.locator('[data-sandbox-title-action="Block customer"]').waitFor({ state: "attached", timeout: 20_000 });
  await admin.locator("[data-sandbox-title-section]").evaluate((menu) => ((menu as HTMLDetailsElement).open = true));
  await admin.locator('[data-sandbox-title-action="Block customer"]').click();
  await admin.locator('[data-sandbox-modal] [data-sandbox-modal-action="Block customer"]').click();
  await admin.locator('[data-sandbox-title-action="Unblock customer"]').waitFor({ state: "attached", timeout: 10_000 });
  await admin.close();
}

describe("the storefront widget", () => {
  it("offers a signed-out shopper the program, its referral offer and Shopify's sign-up and sign-in links, with no request until opened", async () => {
    const { context, page, errors } = await shopperPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(new URL(request.url()).pathname));
    await page.reload();
    await expect(launcher(page).isVisible()).resolves.toBe(true);
    expect(requests.filter((path) => path.includes("/apps/tally") || path.endsWith("tally-panel.js"))).toEqual([]);

    await launcher(page).click();
    await panel(page).getByRole("heading", { name: "Join our rewards program" }).waitFor();
    expect(requests.filter((path) => path.startsWith("/apps/tally/"))).toEqual(["/apps/tally/v1/me"]);
    const join = panel(page).locator(".tally-join");
    // Shopify's return_url: signing up or in brings the shopper back to the page she was on (classic accounts here).
    await expect(join.getByRole("link", { name: "Join now" }).getAttribute("href")).resolves.toBe(
      "/account/register?return_url=%2Fstorefront",
    );
    await expect(join.getByRole("link", { name: "Sign in" }).getAttribute("href")).resolves.toBe(
      "/account/login?return_url=%2Fstorefront",
    );
    await expect(panel(page).getByText("1 point for every $1.00 CAD spent").count()).resolves.toBe(1);
    await expect(panel(page).getByText("100 points for creating an account").count()).resolves.toBe(1);
    await expect(panel(page).getByText("$5.00 CAD off", { exact: true }).count()).resolves.toBe(1);
    // The referral program (on with Tally's install defaults) says what a friend and the shopper get; a link needs an
    // account, and the join links at the top of the panel are the ones to use: the panel offers them once (newcomer).
    const referral = panel(page).locator("section", { has: page.getByRole("heading", { name: "Refer a friend" }) });
    const offer =
      "Friends you refer get 10% off on a first order of $20.00 CAD or more, and you get 500 points when they buy. " +
      "Create an account or sign in to get your link.";
    await expect(referral.getByText(offer, { exact: true }).count()).resolves.toBe(1);
    await expect(referral.getByRole("link").count()).resolves.toBe(0);
    await expect(panel(page).getByRole("link", { name: "Join now" }).count()).resolves.toBe(1);
    await expect(panel(page).getByRole("link", { name: "Sign in" }).count()).resolves.toBe(1);
    await expect(panel(page).getByText("Already a member?").count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offers a signed-out shopper Join now and Sign in once, at the top of the panel, in every language the widget has", async () => {
    const { context, page, errors } = await shopperPage();
    await page.setViewportSize({ width: 375, height: 740 });
    const languages = [
      { prefix: "", referral: "Refer a friend", join: "Join now", member: "Already a member?", signIn: "Sign in" },
      {
        prefix: "/fr",
        referral: "Parrainez un ami",
        join: "S'inscrire",
        member: "Déjà membre ?",
        signIn: "Se connecter",
      },
      {
        prefix: "/de",
        referral: "Freunde werben",
        join: "Jetzt beitreten",
        member: "Schon Mitglied?",
        signIn: "Anmelden",
      },
      {
        prefix: "/es",
        referral: "Recomienda a un amigo",
        join: "Unirme",
        member: "¿Ya eres miembro?",
        signIn: "Iniciar sesión",
      },
    ];
    for (const { prefix, referral, join, member, signIn } of languages) {
      await page.goto(`${env.sandbox.origin}${prefix}/`);
      await launcher(page).click();
      // The panel is drawn whole once the referral box, its last signed-out section but one, is there.
      await panel(page).getByRole("heading", { name: referral }).waitFor({ timeout: 10_000 });
      await expect(panel(page).getByRole("link", { name: join, exact: true }).count(), prefix).resolves.toBe(1);
      await expect(panel(page).getByRole("link", { name: signIn, exact: true }).count(), prefix).resolves.toBe(1);
      await expect(panel(page).getByText(member).count(), prefix).resolves.toBe(1);
      // On a 375 px phone "Sign in" stays on the line of "Already a member?", not alone on the next.
      const lines = await panel(page)
        .locator(".tally-join")
        .evaluate(
          (box, [question, link]) => {
            const tops: number[] = [];
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (node.textContent !== question && node.textContent !== link) continue;
              const range = document.createRange();
              range.selectNodeContents(node);
              for (const rect of range.getClientRects()) tops.push(Math.round(rect.top));
            }
            return new Set(tops).size;
          },
          [member, signIn],
        );
      expect(lines, prefix).toBe(1);
      // At the top: the panel's first links, in the join box under its first heading.
      await expect(panel(page).locator("[data-tally-body] a").first().textContent()).resolves.toBe(join);
      await expect(panel(page).locator(".tally-join").getByRole("link").allTextContents()).resolves.toEqual([
        join,
        signIn,
      ]);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offers no sign-in link where the shop shows none: the program, a line that rewards need an account, no referral box", async () => {
    const other = "e2e-no-sign-in.myshopify.com";
    env.sandbox.control.createShop({ shop: other, loginLinks: false });
    await installApp(browser, { env, shop: other, timeout: 30_000 });
    env.sandbox.control.setAppEmbed({ shop: other, handle: "launcher" });
    const { context, page, errors } = await shopperPage();
    await page.goto(`${env.sandbox.origin}/storefront?shop=${other}`);
    await launcher(page).click();
    await panel(page).getByRole("heading", { name: "Our rewards program" }).waitFor();
    // Guest orders earn (Tally's install defaults): kept for the email, and no account on offer (decisions 064, 074).
    const guestsEarnOff =
      "Every order earns points, kept for the email you use at checkout. Seeing and redeeming them needs a " +
      "customer account, and this store doesn't offer sign-in at the moment.";
    await expect.poll(() => joinTextAfterReload(page), { timeout: 15_000 }).toBe(guestsEarnOff);
    // The panel's one link is to the rewards page.
    await expect(panel(page).getByRole("link").allTextContents()).resolves.toEqual(["See all rewards"]);
    await expect(panel(page).getByText("1 point for every $1.00 CAD spent").count()).resolves.toBe(1);
    await expect(panel(page).getByRole("heading", { name: "Refer a friend" }).count()).resolves.toBe(0);
    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    await page.locator("[data-tally-page] .tally-join").waitFor();
    await expect(page.locator("[data-tally-page] .tally-join p:not(.tally-actions)").textContent()).resolves.toBe(
      guestsEarnOff,
    );
    await expect(page.locator("[data-tally-page]").getByRole("link").count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells a signed-in shopper Tally holds as a Guest, where the shop shows no sign-in links, that her points wait for her account to be confirmed, not to create one", async () => {
    const other = "e2e-no-sign-in-guest.myshopify.com";
    env.sandbox.control.createShop({ shop: other, loginLinks: false });
    await installApp(browser, { env, shop: other, timeout: 30_000 });
    env.sandbox.control.setAppEmbed({ shop: other, handle: "launcher" });
    // An account made before the merchant hid the links, with enough points for a reward.
    const created = env.sandbox.control.createCustomerAccount({ shop: other, email: "mira@example.com" });
    const id = String(created.id).replace(/\D/g, "");
    env.sandbox.control.placeOrder({ shop: other, customerId: id, lines: [{ productIndex: 0, quantity: 30 }] });
    await env.sandbox.control.idle();
    const { context, page, errors } = await shopperPage();
    await page.goto(`${env.sandbox.origin}/storefront?shop=${other}`);
    await signIn(page, "mira@example.com");
    // While her session lasts, Shopify has her account disabled: Tally holds her as a Guest, and reading her again
    // says the same (decision 067). She is signed in: she has an account, and there is no sign-up on offer anyway.
    // Shopify dates a customer in whole seconds, and of two states dated the same second Tally keeps the enabled one
    // (app/domain/customers/facts.ts): the merchant disables her in a later second than her account was made, as any
    // merchant would, not in the same one.
    await new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000)));
    env.sandbox.control.disableCustomer({ shop: other, customerId: id });
    await env.sandbox.control.idle();
    const waiting =
      "You can redeem your points once your account is confirmed. Refresh the page in a few minutes to check.";
    const note = async () => {
      await page.goto(`${env.sandbox.origin}/`);
      await launcher(page).click();
      await panel(page).locator("[data-tally-points]").waitFor();
      return panel(page).locator(".tally-status .tally-note").allTextContents();
    };
    await expect.poll(note, { timeout: 30_000 }).toEqual([waiting]);
    // Redeeming is refused with the same words, not "Create an account".
    await panel(page)
      .getByRole("button", { name: /^Redeem 500 points for/ })
      .first()
      .click();
    await panel(page).getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(panel(page).locator(".tally-error").textContent()).resolves.toBe(waiting);
    expect(await axeViolations(page)).toEqual([]);

    // In French too, as the locale says it.
    const french = JSON.parse(readFileSync("extensions/tally-widget/locales/fr.json", "utf8")) as {
      panel: { guest: string };
    };
    await page.goto(`${env.sandbox.origin}/fr/`);
    await launcher(page).click();
    await panel(page).locator("[data-tally-points]").waitFor();
    await expect(panel(page).locator(".tally-status .tally-note").textContent()).resolves.toBe(
      french.panel.guest.replace("{name}", "points"),
    );

    // Where the merchant ticks "Guests can redeem", a Guest can: no such note, and her reward's code comes.
    const admin = await browser.newPage({ userAgent: desktopUserAgent });
    await openAdmin(admin, { env, shop: other });
    await admin.goto(`${admin.url().split("?")[0]}/settings`);
    const settings = adminChrome(() => admin);
    const guestsRedeem = settings.app().getByRole("checkbox", { name: "Guests can redeem" });
    await guestsRedeem.waitFor({ timeout: 15_000 });
    await guestsRedeem.setChecked(true);
    await settings.saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await settings.toast("Program saved");
    await admin.close();
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    await panel(page).locator("[data-tally-points]").waitFor();
    await expect(panel(page).locator(".tally-status .tally-note").count()).resolves.toBe(0);
    await panel(page)
      .getByRole("button", { name: /^Redeem 500 points for/ })
      .first()
      .click();
    await panel(page).getByRole("button", { name: "Confirm", exact: true }).click();
    await panel(page).locator(".tally-code").waitFor({ timeout: 15_000 });
    await expect(panel(page).locator(".tally-error").count()).resolves.toBe(0);
    expect(errors.filter((error) => !error.includes("status of 403"))).toEqual([]);
    await context.close();
  });

  it("tells a signed-out shopper her orders earn points as a guest too where guests earn, and that an account earns them where not", async () => {
    const { context, page, errors } = await shopperPage();
    const guestsEarn =
      "Every order earns points, as a guest too: they're kept for the email you use at checkout. " +
      "Create an account with that email to see and redeem them.";
    const accountEarns = "Create an account to earn points on every order and turn them into rewards.";
    // Tally's install defaults tick "Guests earn points"; the jobs publish it to the launcher within a tick.
    await expect.poll(() => joinTextAfterReload(page), { timeout: 15_000 }).toBe(guestsEarn);
    await expect(panel(page).locator(".tally-join").getByRole("link", { name: "Join now" }).count()).resolves.toBe(1);
    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    await expect(page.locator("[data-tally-page] .tally-join p:not(.tally-actions)").textContent()).resolves.toBe(
      guestsEarn,
    );

    // The merchant unticks "Guests earn points" in Tally's Settings: only an account's orders earn.
    const setGuestsEarn = async (on: boolean) => {
      const admin = await browser.newPage({ userAgent: desktopUserAgent });
      await openAdmin(admin, { env, shop });
      await admin.goto(`${admin.url().split("?")[0]}/settings`);
      const { app, saveBar, toast } = adminChrome(() => admin);
      const checkbox = app().getByRole("checkbox", { name: "Guests earn points" });
      await checkbox.waitFor({ timeout: 15_000 });
      await checkbox.setChecked(on);
      await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
      await toast("Program saved");
      await admin.close();
    };
    await setGuestsEarn(false);
    await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
    await expect.poll(() => joinTextAfterReload(page), { timeout: 15_000 }).toBe(accountEarns);
    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    await expect(page.locator("[data-tally-page] .tally-join p:not(.tally-actions)").textContent()).resolves.toBe(
      accountEarns,
    );
    expect(errors).toEqual([]);
    await context.close();
    await setGuestsEarn(true);
  });

  it("signs a shopper in from the rewards page's Sign in and brings her back to it, her points shown", async () => {
    const { points } = await memberWithPoints("rosa@example.com", 4);
    const { context, page, errors } = await shopperPage();
    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    const rewards = page.locator("[data-tally-page]");
    await rewards.locator(".tally-join").getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(/\/account\/login\?return_url=%2Fapps%2Ftally%2F$/);
    await page.getByLabel("Email").fill("rosa@example.com");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${env.sandbox.origin}/apps/tally/`);
    await expect(rewards.locator("[data-tally-points]").textContent()).resolves.toBe(`${points} points`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a 375 px phone: the rewards page and the theme's header around it are no wider than the screen", async () => {
    await memberWithPoints("phone@example.com", 2);
    const { context, page, errors } = await shopperPage();
    await page.setViewportSize({ width: 375, height: 800 });
    const tooWide = () =>
      page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        // What sticks out past the screen's right edge: the theme's header and its links, the rewards page.
        beyond: [...document.querySelectorAll("header, header *, [data-tally-page], [data-tally-page] *")]
          .filter((node) => node.getBoundingClientRect().right > innerWidth + 0.5)
          .map((node) => `${node.tagName.toLowerCase()}.${node.className} ${node.textContent?.trim().slice(0, 20)}`),
      }));
    for (const signedIn of [false, true]) {
      if (signedIn) await signIn(page, "phone@example.com");
      for (const prefix of ["", "/de"]) {
        await page.goto(`${env.sandbox.origin}${prefix}/apps/tally/`);
        await page.locator(`[data-tally-page] ${signedIn ? "[data-tally-points]" : ".tally-join"}`).waitFor();
        await expect(tooWide(), `${prefix || "/"} signed ${signedIn ? "in" : "out"}`).resolves.toEqual({
          scrollWidth: 375,
          beyond: [],
        });
      }
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lets a member redeem, copy the code, apply it at checkout, and then shows the reward used", async () => {
    const { id, points } = await memberWithPoints("noor@example.com", 30);
    // The account page's balance block too, on the home page here: both balances drawn from the metafield follow a redeem.
    const block = env.sandbox.control.addAppBlock({ shop, handle: "points-balance", template: "index" });
    const { context, page, errors } = await shopperPage();
    await signIn(page, "noor@example.com");
    // The launcher reads the balance from the points metafield Tally's jobs publish.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.goto(`${env.sandbox.origin}/`);
      const shown = await page.locator("[data-tally-balance] [data-tally-number]").allTextContents();
      if (shown.length === 2 && shown.every((text) => text === points.toLocaleString("en-CA"))) break;
      if (Date.now() > deadline) throw new Error(`the balances show ${shown.join(", ")}, not ${points}`);
      await page.waitForTimeout(500);
    }
    await launcher(page).click();
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(
      `${points.toLocaleString("en-CA")} points`,
    );
    expect(await axeViolations(page)).toEqual([]);

    // The first click only asks, in place; Cancel puts the button back, and nothing is spent.
    const redeemButton = panel(page).getByRole("button", { name: "Redeem 500 points for $5.00 CAD off" });
    await redeemButton.click();
    const question = panel(page)
      .locator(".tally-option")
      .getByText("Redeem 500 points for $5.00 CAD off?", { exact: true });
    await expect(question.isVisible()).resolves.toBe(true);
    const confirm = panel(page).getByRole("button", { name: "Confirm", exact: true });
    await expect(confirm.evaluate((node) => node === document.activeElement)).resolves.toBe(true);
    // Screen readers hear the question from the panel's live region.
    await expect
      .poll(() => panel(page).locator("[role=status]").first().textContent())
      .toBe("Redeem 500 points for $5.00 CAD off?");
    expect(await axeViolations(page)).toEqual([]);
    await panel(page).getByRole("button", { name: "Cancel" }).click();
    await expect(question.isVisible()).resolves.toBe(false);
    await expect(panel(page).getByRole("button", { name: "Cancel" }).count()).resolves.toBe(0);
    await expect(redeemButton.evaluate((node) => node === document.activeElement)).resolves.toBe(true);
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(
      `${points.toLocaleString("en-CA")} points`,
    );
    // With the keyboard alone: Enter asks, Enter again on the same button redeems.
    await page.keyboard.press("Enter");
    await expect(question.isVisible()).resolves.toBe(true);
    await page.keyboard.press("Enter");
    const code = panel(page).locator("[data-tally-code] .tally-code__value");
    await code.waitFor();
    const value = (await code.textContent())!;
    expect(value).toMatch(/^TALLY-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    // Focus moves to the new code, inside the panel.
    await expect(page.evaluate(() => document.activeElement?.hasAttribute("data-tally-code"))).resolves.toBe(true);
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(
      `${(points - 500).toLocaleString("en-CA")} points`,
    );
    await expect(page.locator("[data-tally-balance] [data-tally-number]").allTextContents()).resolves.toEqual([
      (points - 500).toLocaleString("en-CA"),
      (points - 500).toLocaleString("en-CA"),
    ]);
    await panel(page)
      .locator("[data-tally-code]")
      .getByRole("button", { name: `Copy ${value}` })
      .click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(value);
    expect(await axeViolations(page)).toEqual([]);

    // Apply: Shopify's /discount/{code} puts the code in the cart; checkout takes it.
    await page.goto(`${env.sandbox.origin}/products/ceramic-mug`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    const apply = panel(page).getByRole("link", { name: "Apply to cart" }).first();
    await expect(apply.getAttribute("href")).resolves.toBe(`/discount/${value}?redirect=%2Fcart`);
    await apply.click();
    await page.waitForURL(/\/cart$/);
    await expect(page.getByText(`Discount ${value} will apply at checkout`).count()).resolves.toBe(1);
    await page.getByRole("button", { name: "Check out" }).click();
    await expect(page.getByLabel("Discount code").inputValue()).resolves.toBe(value);
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.locator("[data-storefront-message]").waitFor();
    await env.sandbox.control.idle();

    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    const reward = panel(page).locator(".tally-reward", { hasText: value });
    await reward.waitFor();
    await expect(reward.locator(".tally-badge").textContent()).resolves.toBe("Used");
    await expect(reward.getByRole("link", { name: "Apply to cart" }).count()).resolves.toBe(0);
    await expect(panel(page).getByText("Redeemed: $5.00 CAD off").count()).resolves.toBe(1);
    expect(id).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
    env.sandbox.control.removeAppBlock({ shop, sectionId: block.sectionId, blockId: block.blockId });
  });

  it("shows a second tab the balance a redemption in the first left, and the reward she can no longer afford", async () => {
    // 6 sunglasses: 639 points, enough for one $5.00 CAD off (500) and not two.
    const { id, points } = await memberWithPoints("tove@example.com", 6);
    expect(points).toBe(639);
    const { context, page: first, errors } = await shopperPage();
    await signIn(first, "tove@example.com");
    const second = await context.newPage();
    second.on("pageerror", (error) => errors.push(error.message));
    second.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const redeem = async (page: Page) => {
      await panel(page).getByRole("button", { name: "Redeem 500 points for $5.00 CAD off" }).click();
      await panel(page).getByRole("button", { name: "Confirm", exact: true }).click();
    };
    for (const page of [first, second]) {
      await page.goto(`${env.sandbox.origin}/`);
      await launcher(page).click();
      await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe("639 points");
    }

    await redeem(first);
    const code = (await panel(first).locator("[data-tally-code] .tally-code__value").textContent())!;
    expect(code).toMatch(/^TALLY-/);
    await expect(panel(first).locator("[data-tally-points]").textContent()).resolves.toBe("139 points");

    // The second tab still shows 639 and offers the reward; the ledger refuses, and the tab now shows the truth.
    await redeem(second);
    const refusal = panel(second).getByText("You do not have enough points for this reward yet.", { exact: true });
    await refusal.waitFor();
    await expect(panel(second).locator("[data-tally-points]").textContent()).resolves.toBe("139 points");
    await expect(
      panel(second)
        .getByRole("button", { name: /^Redeem/ })
        .count(),
    ).resolves.toBe(0);
    // The pressed button is gone: focus is on the refusal, where a code would have been.
    await expect(refusal.evaluate((node) => node === document.activeElement)).resolves.toBe(true);
    const option = panel(second).locator(".tally-option", { hasText: "$5.00 CAD off" });
    await expect(option.getByText("361 points more to go", { exact: true }).count()).resolves.toBe(1);
    await expect(option.locator("progress").getAttribute("value")).resolves.toBe("139");
    // The code the first tab got is in the second's rewards, ready to apply.
    const reward = panel(second).locator(".tally-reward", { hasText: code });
    await expect(reward.getByRole("link", { name: "Apply to cart" }).count()).resolves.toBe(1);
    expect(await axeViolations(second)).toEqual([]);
    // The refusal is said once: the panel closed and opened again no longer shows it.
    await second.keyboard.press("Escape");
    await launcher(second).click();
    await expect.poll(() => refusal.count(), { timeout: 10_000 }).toBe(0);
    await expect(panel(second).locator("[data-tally-points]").textContent()).resolves.toBe("139 points");

    // An order earns points while the first tab's panel is closed: opening it again reads them.
    await first.keyboard.press("Escape");
    const order = env.sandbox.control.placeOrder({ shop, customerId: id, lines: [{ productIndex: 0, quantity: 1 }] });
    await env.sandbox.control.idle();
    const now = `${139 + Math.floor(order.subtotalCents / 100)} points`;
    await launcher(first).click();
    await expect.poll(() => panel(first).locator("[data-tally-points]").textContent(), { timeout: 10_000 }).toBe(now);
    // The one error the console shows is the browser's note of the refusal's 409.
    expect(errors).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await context.close();
  });

  it("brings every balance on the page in line with the points the panel reads, before the metafield catches up", async () => {
    const { points } = await memberWithPoints("ines@example.com", 4);
    const block = env.sandbox.control.addAppBlock({ shop, handle: "points-balance", template: "index" });
    const { context, page, errors } = await shopperPage();
    await signIn(page, "ines@example.com");
    const balances = page.locator("[data-tally-balance] [data-tally-number]");
    const deadline = Date.now() + 30_000;
    while ((await page.goto(`${env.sandbox.origin}/`), await balances.first().textContent()) !== String(points)) {
      if (Date.now() > deadline) throw new Error("the points metafield was never published");
      await page.waitForTimeout(500);
    }
    // An order earned 40 more since the metafield was published: v1/me already knows, and the page's one read of it
    // sets the badge and the block before the panel is opened; the panel reuses it.
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { customer: { points: number } };
      await route.fulfill({ response, json: { ...json, customer: { ...json.customer, points: points + 40 } } });
    });
    await page.reload();
    await expect
      .poll(() => balances.allTextContents(), { timeout: 10_000 })
      .toEqual([String(points + 40), String(points + 40)]);
    await launcher(page).click();
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(`${points + 40} points`);
    await expect(balances.allTextContents()).resolves.toEqual([String(points + 40), String(points + 40)]);
    expect(errors).toEqual([]);
    await context.close();
    env.sandbox.control.removeAppBlock({ shop, sectionId: block.sectionId, blockId: block.blockId });
  });

  it("is used with the keyboard alone: focus stays in the open panel and returns to the launcher on close", async () => {
    await memberWithPoints("kai@example.com", 2);
    const { context, page, errors } = await shopperPage();
    await signIn(page, "kai@example.com");
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).focus();
    await page.keyboard.press("Enter");
    await panel(page).locator("[data-tally-points]").waitFor();
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("true");
    const inPanel = () => page.evaluate(() => Boolean(document.activeElement?.closest("[data-tally-panel]")));
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(i % 5 === 4 ? "Shift+Tab" : "Tab");
      await expect(inPanel(), `after ${i + 1} presses`).resolves.toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(panel(page).isHidden()).resolves.toBe(true);
    await expect(page.evaluate(() => document.activeElement?.hasAttribute("data-tally-trigger"))).resolves.toBe(true);
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("false");
    // The close button works from the keyboard too.
    await page.keyboard.press("Enter");
    await panel(page).getByRole("button", { name: "Close" }).waitFor();
    await page.keyboard.press("Enter");
    await expect(panel(page).isHidden()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("copies the referral link and offers email, WhatsApp and X (v1/me's referral field from a fixture)", async () => {
    await memberWithPoints("ada@example.com", 1);
    const { context, page, errors } = await shopperPage();
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), referral: referralFixture } });
    });
    await signIn(page, "ada@example.com");
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    const link = panel(page).getByRole("textbox", { name: "Your referral link" });
    await expect(link.inputValue()).resolves.toBe(referralFixture.url);
    await panel(page).getByRole("button", { name: "Copy your referral link", exact: true }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(referralFixture.url);
    const href = (name: string) => panel(page).getByRole("link", { name }).getAttribute("href");
    // The fixture has no `offer` (an older app's answer): the message keeps the general words.
    const message = `Here is a reward for your first order at ${await page.evaluate(() => document.querySelector<HTMLElement>("[data-tally-config]")!.dataset.shop)}: ${referralFixture.url}`;
    await expect(href("Share by WhatsApp")).resolves.toBe(`https://wa.me/?text=${encodeURIComponent(message)}`);
    await expect(href("Share by X")).resolves.toBe(`https://x.com/intent/post?text=${encodeURIComponent(message)}`);
    await expect(href("Share by Email")).resolves.toContain(`&body=${encodeURIComponent(message)}`);
    await expect(panel(page).getByText("Friends referred: 3 · Successful referrals: 1").count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reads a held activity line and the Copy button as sentences, in every language (v1/me's fixtures)", async () => {
    await memberWithPoints("lior@example.com", 1);
    const { context, page, errors } = await shopperPage();
    const held = { kind: "referral", points: 500, pending: true, createdAt: new Date().toISOString() };
    const entry = { ...held, orderName: null, rewardTitle: null, rewardTerms: null };
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { activity: object[] };
      await route.fulfill({
        response,
        json: { ...json, referral: referralFixture, activity: [entry, ...json.activity] },
      });
    });
    await signIn(page, "lior@example.com");
    // A screen reader heard "first orderpending" (the badge glued on, in lower case beside "Used" and "Unused"), and
    // "Copy Your referral link".
    const languages = [
      { prefix: "", line: "Referral reward: a friend's first order Pending", copy: "Copy your referral link" },
      {
        prefix: "/fr",
        line: "Récompense de parrainage : première commande d'un ami En attente",
        copy: "Copier votre lien de parrainage",
      },
      {
        prefix: "/de",
        line: "Empfehlungsprämie: erste Bestellung eines Freundes Ausstehend",
        copy: "Deinen Empfehlungslink kopieren",
      },
      {
        prefix: "/es",
        line: "Recompensa por recomendación: primer pedido de un amigo Pendiente",
        copy: "Copiar tu enlace de recomendación",
      },
    ];
    for (const { prefix, line, copy } of languages) {
      await page.goto(`${env.sandbox.origin}${prefix}/`);
      await launcher(page).click();
      const row = panel(page).locator(".tally-activity").first();
      await row.waitFor();
      await expect(row.locator("span").first().textContent(), prefix).resolves.toBe(line);
      await expect(row.ariaSnapshot(), prefix).resolves.toContain(line);
      await expect(panel(page).getByRole("button", { name: copy, exact: true }).count(), prefix).resolves.toBe(1);
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shares the program's offer: the message a friend is sent names their reward, in the shopper's language", async () => {
    await memberWithPoints("iris@example.com", 2);
    const { context, page, errors } = await shopperPage();
    // The program's own offer (Tally's install defaults), then friend rewards a merchant may choose instead.
    let friend: object | null = null;
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { referral: { offer: object } };
      const offer = { ...json.referral.offer, ...(friend && { friend }) };
      await route.fulfill({ response, json: { ...json, referral: { ...json.referral, offer } } });
    });
    await signIn(page, "iris@example.com");
    /** The message each share link carries (WhatsApp's and X's text, the email's body), once they all say the same. */
    const shared = async (prefix: string) => {
      await page.goto(`${env.sandbox.origin}${prefix}/`);
      await launcher(page).click();
      const href = (start: string) => panel(page).locator(`a[href^="${start}"]`).getAttribute("href");
      const messages = [
        new URL((await href("https://wa.me/"))!).searchParams.get("text"),
        new URL((await href("https://x.com/"))!).searchParams.get("text"),
        new URL((await href("mailto:"))!).searchParams.get("body"),
      ];
      expect(new Set(messages).size, messages.join(" | ")).toBe(1);
      return messages[0];
    };
    const box = (text: string) => panel(page).getByText(text, { exact: true }).count();

    const english = await shared("");
    const url = await panel(page).locator("[data-tally-referral-url]").inputValue();
    const shopName = await page.evaluate(
      () => document.querySelector<HTMLElement>("[data-tally-config]")!.dataset.shop,
    );
    expect(url).toMatch(/\/apps\/tally\/r\/\w/);
    expect(english).toBe(`Get 10% off on your first order of $20.00 CAD or more at ${shopName}: ${url}`);
    await expect(
      box(
        "Share your link: friends get 10% off on a first order of $20.00 CAD or more, and you get 500 points when they buy.",
      ),
    ).resolves.toBe(1);

    // Free shipping in German: the message asks for the word form the box uses ("kostenlosen Versand").
    friend = {
      kind: "free_shipping",
      value: null,
      currency: "CAD",
      valueText: null,
      minimumSubtotalMinor: 0,
      minimumSubtotalText: null,
    };
    // Each language's message carries the link under that storefront's prefix, where the friend reads it.
    const under = (prefix: string) => url.replace("/apps/tally/", `${prefix}/apps/tally/`);
    await expect(shared("/de")).resolves.toBe(
      `Hol dir kostenlosen Versand auf deine erste Bestellung bei ${shopName}: ${under("/de")}`,
    );
    await expect(
      box(
        "Teile deinen Link: Freunde erhalten kostenlosen Versand auf ihre erste Bestellung, und du erhältst 500 Punkte, wenn sie kaufen.",
      ),
    ).resolves.toBe(1);

    // An amount with a minimum order in French, a percentage in Spanish: money as the shop writes it, percentages as
    // the shopper's language does.
    friend = {
      kind: "fixed_amount_off",
      value: 500,
      currency: "CAD",
      valueText: "$5.00 CAD",
      minimumSubtotalMinor: 3000,
      minimumSubtotalText: "$30.00 CAD",
    };
    await expect(shared("/fr")).resolves.toBe(
      `Profitez de $5.00 CAD de réduction sur votre première commande de $30.00 CAD ou plus chez ${shopName} : ${under("/fr")}`,
    );
    friend = {
      kind: "percent_off",
      value: 15,
      currency: "CAD",
      valueText: null,
      minimumSubtotalMinor: 0,
      minimumSubtotalText: null,
    };
    const fifteen = new Intl.NumberFormat("es-CA", { style: "percent" }).format(0.15);
    await expect(shared("/es")).resolves.toBe(
      `Consigue un ${fifteen} de descuento en tu primer pedido en ${shopName}: ${under("/es")}`,
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("gives a shopper on /fr her link under /fr, which takes her friend to the French store with the offer", async () => {
    await memberWithPoints("manon@example.com", 1);
    const { context, page, errors } = await shopperPage();
    await signInAt(page, "/fr", "manon@example.com");
    await page.goto(`${env.sandbox.origin}/fr/`);
    await launcher(page).click();
    // The link she copies and shares keeps the French storefront's prefix: it was the shop's /apps/tally/r/{code},
    // which opened the English store (reviewer, in the browser).
    const french = await panel(page).getByRole("textbox", { name: "Votre lien de parrainage" }).inputValue();
    expect(french).toMatch(new RegExp(`^https://${shop.replace(/\./g, "\\.")}/fr/apps/tally/r/[\\w-]+$`));
    await panel(page).getByRole("button", { name: "Copier Votre lien de parrainage" }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(french);
    for (const start of ["https://wa.me/", "https://x.com/", "mailto:"]) {
      const href = new URL((await panel(page).locator(`a[href^="${start}"]`).getAttribute("href"))!);
      const message = href.searchParams.get("text") ?? href.searchParams.get("body");
      expect(message, start).toContain(french);
    }
    // On the primary storefront, in English, the same link has no prefix.
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    await expect(panel(page).getByRole("textbox", { name: "Your referral link" }).inputValue()).resolves.toBe(
      french.replace("/fr/apps/tally/", "/apps/tally/"),
    );
    expect(errors).toEqual([]);
    await context.close();

    // Her friend follows the French link (the sandbox's address for the shop's domain) and stays in French.
    const friend = await shopperPage();
    await friend.page.goto(`${french.replace(`https://${shop}`, env.sandbox.origin)}?sandbox_shop=${shop}`);
    await friend.page.getByRole("heading", { name: "Noor vous offre un cadeau" }).waitFor();
    await expect(friend.page.locator("html").getAttribute("lang")).resolves.toBe("fr");
    await friend.page.getByLabel("Votre adresse e-mail, pour recevoir votre code").fill("ami@example.fr");
    await friend.page.getByRole("button", { name: "Obtenir mon code" }).click();
    await friend.page.getByRole("heading", { name: "Votre code est prêt" }).waitFor();
    const friendCode = (await friend.page.locator("[data-tally-referral-code]").textContent())?.trim();
    expect(friendCode).toMatch(/^FRIEND-/);
    await friend.page.getByRole("link", { name: "Acheter avec votre code" }).click();
    await friend.page.waitForURL((url) => !url.pathname.startsWith("/discount/"));
    expect(new URL(friend.page.url()).pathname).toMatch(/^\/fr\/?$/);
    const cookies = await friend.context.cookies();
    expect(cookies.find((cookie) => cookie.name === "discount_code")?.value).toBe(friendCode);
    expect(friend.errors).toEqual([]);
    await friend.context.close();
  });

  it("speaks French on /fr, with numbers in the shopper's locale and money as the shop writes its prices", async () => {
    const { points } = await memberWithPoints("lea@example.com", 12);
    const { context, page, errors } = await shopperPage();
    await page.goto(`${env.sandbox.origin}/fr/`);
    await expect(launcher(page).textContent()).resolves.toContain("Récompenses");
    await launcher(page).click();
    await panel(page).getByRole("heading", { name: "Rejoignez notre programme de fidélité" }).waitFor();
    // The shop's money format, as its theme writes prices in every language (decision 041).
    await expect(panel(page).getByText("1 point pour chaque tranche de $1.00 CAD dépensée").count()).resolves.toBe(1);
    await expect(
      panel(page).locator(".tally-join").getByRole("link", { name: "Se connecter" }).getAttribute("href"),
    ).resolves.toBe("/fr/account/login?return_url=%2Ffr%2F");
    await expect(panel(page).getByRole("button", { name: "Fermer" }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${env.sandbox.origin}/fr/account/login`);
    await page.locator("#CustomerEmail").fill("lea@example.com");
    await page.locator("form:has(#CustomerEmail) button").click();
    await page.waitForURL(/\/fr\/account$/);
    await launcher(page).click();
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(
      `${new Intl.NumberFormat("fr-CA").format(points)} points`,
    );
    await expect(panel(page).getByText("Activité récente").count()).resolves.toBe(1);
    await expect(panel(page).getByText("Bonus de bienvenue").count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says the shopper's own word for points in German while the program keeps its first names, offers included", async () => {
    const { points } = await memberWithPoints("jonas@example.com", 6);
    const { context, page, errors } = await shopperPage();
    await signInAt(page, "/de", "jonas@example.com");
    await launcher(page).click();
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(
      `${new Intl.NumberFormat("de-CA").format(points)} Punkte`,
    );
    // The program's own referral offer (Tally's install defaults), worded in German: decision 051.
    const percent = new Intl.NumberFormat("de-CA", { style: "percent" }).format(0.1);
    await expect(
      panel(page)
        .getByText(
          `Teile deinen Link: Freunde erhalten ${percent} Rabatt auf ihre erste Bestellung ab $20.00 CAD, und du erhältst 500 Punkte, wenn sie kaufen.`,
        )
        .count(),
    ).resolves.toBe(1);
    expect(percent).toBe("10\u00a0%");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("words every reward's title in the shopper's language: the catalog, their own rewards and activity, and the rewards page", async () => {
    await memberWithPoints("greta@example.com", 30);
    const { context, page, errors } = await shopperPage();
    await signInAt(page, "/de", "greta@example.com");
    await launcher(page).click();
    // The default reward's title is Tally's ("$5.00 CAD off"): v1/me sends it as data, worded here (decision 051).
    await panel(page).locator(".tally-option").first().waitFor();
    await expect(panel(page).locator(".tally-option .tally-option__title").allTextContents()).resolves.toEqual([
      "$5.00 CAD Rabatt",
    ]);
    await expect(panel(page).getByText("1 Punkt für je $1.00 CAD Einkaufswert", { exact: true }).count()).resolves.toBe(
      1,
    );
    await panel(page).getByRole("button", { name: "500 Punkte für $5.00 CAD Rabatt einlösen" }).click();
    await panel(page)
      .locator(".tally-option")
      .getByText("500 Punkte für $5.00 CAD Rabatt einlösen?", { exact: true })
      .waitFor();
    await panel(page).getByRole("button", { name: "Bestätigen" }).click();
    await panel(page).locator("[data-tally-code] .tally-code__value").waitFor();

    // The rewards page under /de/: the shopper's own reward and the activity line that spent the points.
    await page.goto(`${env.sandbox.origin}/de/apps/tally/`);
    const inline = page.locator("[data-tally-page] [data-tally-inline]");
    await inline.locator(".tally-reward").waitFor();
    await expect(inline.locator(".tally-reward .tally-option__title").textContent()).resolves.toBe("$5.00 CAD Rabatt");
    await expect(inline.getByText("Eingelöst: $5.00 CAD Rabatt", { exact: true }).count()).resolves.toBe(1);
    await expect(inline.textContent()).resolves.not.toMatch(/ off\b/);

    // Every kind in French, from a v1/me fixture as a merchant's other rewards give it; a title the merchant wrote
    // ("Ten off"), and an older app's answer without terms, stay as written.
    const terms = { currency: "CAD", minimumSubtotalMinor: 0, minimumSubtotalText: null };
    const options = [
      { title: "15% off", titleTerms: { ...terms, kind: "percent_off", value: 15, valueText: null } },
      { title: "Free shipping", titleTerms: { ...terms, kind: "free_shipping", value: null, valueText: null } },
      {
        title: "$20.00 CAD store credit",
        titleTerms: { ...terms, kind: "store_credit", value: 2000, valueText: "$20.00 CAD" },
      },
      { title: "Ten off", titleTerms: null },
      { title: "$7.00 CAD off" },
    ].map((option, i) => ({
      id: `fixture-${i}`,
      points: 100_000,
      kind: "fixed_amount_off",
      minimumSubtotalMinor: 0,
      ...option,
    }));
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { program: object };
      await route.fulfill({ response, json: { ...json, program: { ...json.program, redeem: options } } });
    });
    await page.goto(`${env.sandbox.origin}/fr/`);
    await launcher(page).click();
    await panel(page).locator(".tally-option").first().waitFor();
    await expect(panel(page).locator(".tally-option .tally-option__title").allTextContents()).resolves.toEqual([
      `${new Intl.NumberFormat("fr-CA", { style: "percent" }).format(0.15)} de réduction`,
      "Livraison gratuite",
      "$20.00 CAD de crédit en boutique",
      "Ten off",
      "$7.00 CAD off",
    ]);
    // The issued reward, in French too.
    await expect(panel(page).locator(".tally-reward .tally-option__title").textContent()).resolves.toBe(
      "$5.00 CAD de réduction",
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("names the points as the program does (stars ⭐) in German, in the badge, the panel and the referral box", async () => {
    const { points } = await memberWithPoints("mila@example.com", 7);
    const { context, page, errors } = await shopperPage();
    const offer = { friend: null as unknown, advocate: null as unknown };
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { program: object; referral: { offer: typeof offer } };
      const referral = {
        ...json.referral,
        offer: { ...json.referral.offer, ...Object.fromEntries(Object.entries(offer).filter(([, v]) => v)) },
      };
      await route.fulfill({
        response,
        json: { ...json, program: { ...json.program, pointsName: "stars ⭐", pointName: "star ⭐" }, referral },
      });
    });
    await signInAt(page, "/de", "mila@example.com");
    // The badge drew the metafield's figure with the German default word; v1/me brings the program's name.
    await expect
      .poll(() => page.locator("[data-tally-launcher] [data-tally-name]").textContent(), { timeout: 10_000 })
      .toBe("stars ⭐");
    await launcher(page).click();
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(
      `${new Intl.NumberFormat("de-CA").format(points)} stars ⭐`,
    );
    const percent = new Intl.NumberFormat("de-CA", { style: "percent" }).format(0.1);
    for (const line of [
      `Teile deinen Link: Freunde erhalten ${percent} Rabatt auf ihre erste Bestellung ab $20.00 CAD, und du erhältst 500 stars ⭐, wenn sie kaufen.`,
      "Noch keine Prämien. Löse oben deine stars ⭐ ein.",
      `${new Intl.NumberFormat("de-CA").format(100)} stars ⭐ für die Kontoerstellung`,
    ])
      await expect(panel(page).getByText(line, { exact: true }).count(), line).resolves.toBe(1);
    await expect(panel(page).textContent()).resolves.not.toMatch(/Punkte|points/);

    // Other offers, in English: an amount for the friend, a percent with a minimum order for the advocate.
    offer.friend = {
      kind: "fixed_amount_off",
      value: 500,
      currency: "CAD",
      valueText: "$5.00 CAD",
      minimumSubtotalMinor: 0,
      minimumSubtotalText: null,
    };
    offer.advocate = {
      kind: "percent_off",
      value: 15,
      currency: "CAD",
      valueText: null,
      minimumSubtotalMinor: 5000,
      minimumSubtotalText: "$50.00 CAD",
    };
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    await panel(page)
      .getByText(
        "Share your link: friends get $5.00 CAD off on their first order, and you get 15% off on an order of $50.00 CAD or more when they buy.",
      )
      .waitFor();
    // And free shipping for the friend, in Spanish.
    offer.friend = {
      kind: "free_shipping",
      value: null,
      currency: "CAD",
      valueText: null,
      minimumSubtotalMinor: 0,
      minimumSubtotalText: null,
    };
    await page.goto(`${env.sandbox.origin}/es/`);
    await launcher(page).click();
    const fifteen = new Intl.NumberFormat("es-CA", { style: "percent" }).format(0.15);
    await panel(page)
      .getByText(
        `Comparte tu enlace: tus amigos reciben envío gratis en su primer pedido, y tú recibes un ${fifteen} de descuento en un pedido de $50.00 CAD o más cuando compran.`,
      )
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the rewards page and the blocks with no layout shift as they load", async () => {
    await memberWithPoints("sam@example.com", 3);
    for (const handle of ["points-balance", "rewards", "referral"])
      env.sandbox.control.addAppBlock({ shop, handle, template: "page", target: "mainSection" });
    const { context, page, errors } = await shopperPage();
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), referral: referralFixture } });
    });
    await page.addInitScript(() => {
      (window as unknown as { shifts: number }).shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
          if (!entry.hadRecentInput) (window as unknown as { shifts: number }).shifts += entry.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    const shifts = () => page.evaluate(() => (window as unknown as { shifts: number }).shifts);
    await signIn(page, "sam@example.com");

    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    await page.getByRole("heading", { level: 1, name: "Rewards" }).waitFor();
    const inline = page.locator("[data-tally-page] [data-tally-inline]");
    await inline.locator("[data-tally-points]").waitFor();
    await expect(inline.getByRole("heading", { level: 2, name: "Ways to earn" }).count()).resolves.toBe(1);
    await expect(inline.getByRole("heading", { level: 2, name: "Recent activity" }).count()).resolves.toBe(1);
    await expect(inline.getByRole("heading", { level: 2, name: "Refer a friend" }).count()).resolves.toBe(1);
    await page.waitForTimeout(300);
    await expect(shifts()).resolves.toBeLessThan(0.01);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${env.sandbox.origin}/pages/about-us`);
    const blocks = page.locator("[data-tally-block]");
    await expect(blocks.count()).resolves.toBe(3);
    await blocks.locator("[data-tally-inline] [data-tally-points]").waitFor();
    await blocks.locator("[data-tally-referral-url]").waitFor();
    await page.waitForTimeout(300);
    await expect(shifts()).resolves.toBeLessThan(0.01);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells a shopper with store credit how much, in English and German, in the panel and on the rewards page", async () => {
    const { id } = await memberWithPoints("credit@example.com", 5);
    const { context, page, errors } = await shopperPage();
    await signIn(page, "credit@example.com");
    // None yet: no store credit line at all.
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    await panel(page).locator("[data-tally-points]").waitFor();
    await expect(panel(page).getByText("Store credit", { exact: false }).count()).resolves.toBe(0);

    // The merchant issues $15.00 from the customer's profile in Tally.
    const admin = await profileInAdmin(id);
    const { app, modal, modalContent, toast } = adminChrome(() => admin);
    await app().getByRole("button", { name: "Issue store credit" }).click();
    await modalContent().getByLabel("Amount").fill("15.00");
    await modalContent().getByLabel("Reason").fill("Parcel arrived late");
    await modal().locator('[data-sandbox-modal-action="Issue store credit"]').click();
    await toast("Store credit issued");
    await admin.close();

    // In the shop's money format (the sandbox shop writes "${{amount}} CAD"), in the shopper's language.
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    await panel(page).getByText("Store credit: $15.00 CAD", { exact: true }).waitFor();
    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    await page.locator("[data-tally-page]").getByText("Store credit: $15.00 CAD", { exact: true }).waitFor();
    await signInAt(page, "/de", "credit@example.com");
    await launcher(page).click();
    await panel(page).getByText("Shop-Guthaben: $15.00 CAD", { exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps focus in the panel when a redemption is refused because the merchant blocked the shopper meanwhile", async () => {
    const { id } = await memberWithPoints("ines.blocked@example.com", 6);
    const { context, page, errors } = await shopperPage();
    await signIn(page, "ines.blocked@example.com");
    await page.goto(`${env.sandbox.origin}/`);
    await launcher(page).click();
    await panel(page).getByRole("button", { name: "Redeem 500 points for $5.00 CAD off" }).click();

    // While the shopper reads the question, the merchant blocks her from her profile in Tally.
    await blockInAdmin(id);

    await panel(page).getByRole("button", { name: "Confirm", exact: true }).click();
    const blocked = panel(page).getByText("Rewards are not available on your account.", { exact: false });
    await blocked.waitFor();
    // The pressed button is gone with the catalog: focus is on the message, inside the dialog, not on the page behind.
    await expect(blocked.evaluate((node) => node === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => Boolean(document.activeElement?.closest("[data-tally-panel]")))).resolves.toBe(
      true,
    );
    await expect(
      panel(page)
        .getByRole("button", { name: /Redeem/ })
        .count(),
    ).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors.filter((error) => !error.includes("status of 403"))).toEqual([]);
    await context.close();
  });

  it("shows a customer the merchant blocked a neutral message and nothing to redeem", async () => {
    const { id } = await memberWithPoints("blocked@example.com", 20);
    await blockInAdmin(id);

    // The account page's points block says what the panel says, with no balance and no "See your rewards".
    const block = env.sandbox.control.addAppBlock({ shop, handle: "points-balance", template: "customers/account" });
    const { context, page, errors } = await shopperPage();
    await signIn(page, "blocked@example.com");
    const balanceBlock = page.locator('[data-tally-block="balance"]');
    await balanceBlock.getByText("Rewards are not available on your account.", { exact: false }).waitFor();
    await expect(balanceBlock.locator("[data-tally-number]").count()).resolves.toBe(0);
    await expect(balanceBlock.getByRole("link", { name: "See your rewards" }).count()).resolves.toBe(0);
    env.sandbox.control.removeAppBlock({
      shop,
      template: "customers/account",
      sectionId: block.sectionId,
      blockId: block.blockId,
    });
    await page.goto(`${env.sandbox.origin}/`);
    // The launcher offers no count of points once v1/me says they are blocked ("Rewards 0" read as an offer).
    await launcher(page).locator("[data-tally-balance]").waitFor({ state: "detached", timeout: 10_000 });
    await expect(launcher(page).textContent()).resolves.not.toMatch(/\d/);
    await launcher(page).click();
    await panel(page).getByText("Rewards are not available on your account.", { exact: false }).waitFor();
    await expect(
      panel(page)
        .getByRole("button", { name: /Redeem/ })
        .count(),
    ).resolves.toBe(0);
    await expect(panel(page).locator("[data-tally-points]").count()).resolves.toBe(0);
    await expect(panel(page).getByText("Ways to earn").count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a signed-out visitor the referral offer in the referral block in their language, and nothing once the program is off", async () => {
    const block = env.sandbox.control.addAppBlock({ shop, handle: "referral", template: "index" });
    const { context, page, errors } = await shopperPage();
    const card = page.locator('[data-tally-block="referral"]');
    // Tally's install defaults, worded by the same offer strings as a signed-in shopper's box (decision 051).
    const tenPercent = (locale: string) => new Intl.NumberFormat(locale, { style: "percent" }).format(0.1);
    const offers = [
      {
        prefix: "",
        offer:
          "Friends you refer get 10% off on a first order of $20.00 CAD or more, and you get 500 points when they buy. " +
          "Create an account or sign in to get your link.",
        signIn: "Sign in",
        join: "Join now",
      },
      {
        prefix: "/de",
        offer:
          `Geworbene Freunde erhalten ${tenPercent("de-CA")} Rabatt auf ihre erste Bestellung ab $20.00 CAD, und du ` +
          "erhältst 500 Punkte, wenn sie kaufen. Erstelle ein Konto oder melde dich an, um deinen Link zu erhalten.",
        signIn: "Anmelden",
        join: "Jetzt beitreten",
      },
      {
        prefix: "/fr",
        offer:
          `Vos amis parrainés reçoivent ${tenPercent("fr-CA")} de réduction sur une première commande de $20.00 CAD ` +
          "ou plus, et vous recevez 500 points quand ils achètent. Créez un compte ou connectez-vous pour obtenir " +
          "votre lien.",
        signIn: "Se connecter",
        join: "S'inscrire",
      },
      {
        prefix: "/es",
        offer:
          `Los amigos que recomiendes reciben un ${tenPercent("es-CA")} de descuento en un primer pedido de $20.00 ` +
          "CAD o más, y tú recibes 500 puntos cuando compran. Crea una cuenta o inicia sesión para obtener tu enlace.",
        signIn: "Iniciar sesión",
        join: "Unirme",
      },
    ];
    for (const { prefix, offer, signIn, join } of offers) {
      await page.goto(`${env.sandbox.origin}${prefix}/`);
      await card.getByText(offer, { exact: true }).waitFor({ timeout: 10_000 });
      await expect(card.getByRole("link", { name: join }).getAttribute("href")).resolves.toBe(
        `${prefix}/account/register?return_url=${encodeURIComponent(`${prefix}/`)}`,
      );
      await expect(card.getByRole("link", { name: signIn }).getAttribute("href")).resolves.toBe(
        `${prefix}/account/login?return_url=${encodeURIComponent(`${prefix}/`)}`,
      );
    }
    expect(await axeViolations(page)).toEqual([]);

    // The merchant switches the referral program off in Tally's Settings › Referrals.
    const setProgram = async (on: boolean) => {
      const admin = await browser.newPage({ userAgent: desktopUserAgent });
      await openAdmin(admin, { env, shop });
      await admin.goto(`${admin.url().split("?")[0]}/settings/referrals`);
      const { app, saveBar, toast } = adminChrome(() => admin);
      const checkbox = app().getByRole("checkbox", { name: "Referral program on" });
      await checkbox.waitFor({ timeout: 15_000 });
      await checkbox.setChecked(on);
      await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
      await toast("Referral program saved");
      await admin.close();
    };
    await setProgram(false);
    // The block hides itself and the panel says nothing of referrals: no offer, no "sign in to get your link".
    await page.goto(`${env.sandbox.origin}/`);
    await card.waitFor({ state: "hidden", timeout: 10_000 });
    await expect(card.locator("[data-tally-inline]").textContent()).resolves.toBe("");
    await launcher(page).click();
    await panel(page).getByRole("heading", { name: "Join our rewards program" }).waitFor();
    await expect(
      panel(page)
        .getByText(/refer|referral/i)
        .count(),
    ).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
    await setProgram(true);
    env.sandbox.control.removeAppBlock({ shop, sectionId: block.sectionId, blockId: block.blockId });
  });
});
