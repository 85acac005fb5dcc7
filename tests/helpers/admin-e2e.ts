import { createRequire } from "node:module";
import type * as AxeCore from "axe-core";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { desktopUserAgent, launchChromium } from "./browser";
import { startSandboxAndApp } from "./sandbox-and-app";

export type SandboxAndApp = Awaited<ReturnType<typeof startSandboxAndApp>>;

/**
 * One e2e file's world: the production app on a loopback sandbox Shopify (`appEnv` added to the app's environment)
 * and Debian's Chromium, started side by side, with `shop` created in the sandbox (in `currency`, else the sandbox's).
 * Tally is not installed yet: `openAdmin` or `installApp` does that, as a merchant does.
 */
export async function startSandboxAppAndBrowser({
  shop,
  currency,
  appEnv,
}: {
  shop: string;
  currency?: string;
  appEnv?: Record<string, string>;
}): Promise<{ env: SandboxAndApp; browser: Browser }> {
  const [env, browser] = await Promise.all([startSandboxAndApp(appEnv), launchChromium()]);
  env.sandbox.control.createShop(currency ? { shop, currency } : { shop });
  return { env, browser };
}

/** Closes what `startSandboxAppAndBrowser` started, whichever of it did start. */
export async function stopSandboxAppAndBrowser({ env, browser }: { env?: SandboxAndApp; browser?: Browser }) {
  await browser?.close();
  await env?.stop();
}

/**
 * A page as a merchant's browser opens it: the normal user agent (headless Chromium's own is refused as a bot by the
 * auth flow), each uncaught error of the page pushed onto `errors`.
 */
export async function merchantPage(
  browser: Browser,
  errors: string[],
  options: { acceptDownloads?: boolean; timezoneId?: string } = {},
): Promise<Page> {
  // A merchant's browser is rarely in UTC, where the server renders: every page is hydrated in another zone (Paris),
  // and a date the server and the browser would each write in their own zone is a page error (newcomer round 16).
  const page = await browser.newPage({ userAgent: desktopUserAgent, timezoneId: "Europe/Paris", ...options });
  page.on("pageerror", (error) => errors.push(error.message));
  return page;
}

/** Tally's iframe inside the sandbox admin. */
export const appFrame = (page: Page): FrameLocator => page.frameLocator("iframe[data-sandbox-app]");

/**
 * Opens Tally in `shop`'s sandbox admin and waits for Home, hydrated. The first visit installs it: session token, token
 * exchange, then the install sync.
 */
export async function openAdmin(
  page: Page,
  { env, shop, timeout = 20_000 }: { env: SandboxAndApp; shop: string; timeout?: number },
): Promise<FrameLocator> {
  await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
  const app = appFrame(page);
  await app.getByText("Points outstanding").waitFor({ timeout });
  // The admin's nav and the app's links act once React has hydrated (App Bridge's shopify:navigate is heard from then).
  await app.locator("html[data-hydrated='true']").waitFor({ state: "attached", timeout });
  return app;
}

/** Installs Tally in `shop` as a merchant does, by opening it in the admin once, in a page closed after. */
export async function installApp(
  browser: Browser,
  { env, shop, timeout }: { env: SandboxAndApp; shop: string; timeout?: number },
): Promise<void> {
  const page = await browser.newPage({ userAgent: desktopUserAgent });
  await openAdmin(page, { env, shop, timeout });
  await page.close();
}

/**
 * The sandbox admin's own chrome around Tally's iframe, as the merchant sees it: the nav, the header's title and
 * actions, toasts, the save bar and App Bridge modals. `page` is read on each call (files open their page in beforeAll).
 */
export function adminChrome(page: () => Page) {
  return {
    app: () => appFrame(page()),
    appLink: (name: string) => page().locator("[data-sandbox-nav] [data-sandbox-app-link]").getByText(name),
    /** Waits for a toast saying `text`. */
    toast: (text: string) => page().locator("[data-sandbox-toast]").getByText(text).waitFor({ timeout: 15_000 }),
    /**
     * Does `act` (the click that saves) and waits for the toast saying `text` that it brings. Toasts already showing are
     * marked first and do not count: the test before may have said the same words, and a toast stays 5 s.
     */
    toastAfter: async (text: string, act: () => Promise<unknown>) => {
      await page()
        .locator("[data-sandbox-toast]")
        .evaluateAll((nodes) => nodes.forEach((node) => node.setAttribute("data-seen", "")));
      await act();
      await page().locator("[data-sandbox-toast]:not([data-seen])").getByText(text).waitFor({ timeout: 15_000 });
    },
    /** Waits for the title Shopify's admin shows in its own header, outside the app's iframe. */
    adminTitle: (title: string) =>
      page()
        .locator("[data-sandbox-title]", { hasText: new RegExp(`^${title}$`) })
        .waitFor({ timeout: 15_000 }),
    titleAction: (label: string) => page().locator(`[data-sandbox-title-action="${label}"]`),
    /**
     * Opens the title bar's menu that holds `label` ("More actions"), as a merchant would, and gives the action to
     * click. The page may send its title bar again meanwhile (a loader revalidating after a modal closed), which draws
     * the menu closed: the click opens it again until the action is visible (a CI run under load waited 30 s on a
     * closed menu).
     */
    menuAction: async (label: string) => {
      const action = page().locator(`[data-sandbox-title-section] [data-sandbox-title-action="${label}"]`);
      const open = () =>
        page()
          .locator("[data-sandbox-title-section]", { has: page().locator(`[data-sandbox-title-action="${label}"]`) })
          .evaluate((menu) => ((menu as HTMLDetailsElement).open = true));
      await action.waitFor({ state: "attached", timeout: 15_000 });
      await open();
      return {
        click: async () => {
          const until = Date.now() + 15_000;
          for (;;) {
            await open();
            try {
              await action.click({ timeout: 1_000 });
              return;
            } catch (error) {
              if (Date.now() > until) throw error;
            }
          }
        },
      };
    },
    saveBar: () => page().locator("[data-sandbox-save-bar]"),
    modal: () => page().locator("[data-sandbox-modal]"),
    modalContent: () => page().frameLocator("iframe[data-sandbox-modal-frame]"),
  };
}

/**
 * Polls `read` every `intervalMs` until it returns a value, and resolves with it; throws naming `what` after
 * `timeoutMs`. For state the app writes in the background (a sync, a task, a webhook's retries).
 */
export async function until<T>(
  read: () => T | undefined,
  what: string,
  { timeoutMs = 30_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Violations of Polaris' own markup that Tally cannot change, each a rule and the element it is found on (newcomer
 * round 21): the directory's tablist holds the "Create new view" and "More views" buttons, Pagination's disabled
 * Previous or Next is an `<a>` with an aria-label and no href, and a part-ticked select-all has aria-checked.
 */
export const polarisOwnViolations = [
  { rule: "aria-required-children", selector: "ul.Polaris-Tabs[role=tablist]" },
  { rule: "aria-prohibited-attr", selector: "a#previousURL:not([href]), a#nextURL:not([href])" },
  // IndexTable's select-all, part-ticked: a native checkbox given role=checkbox and aria-checked="mixed".
  { rule: "aria-conditional-attr", selector: "input.Polaris-Checkbox__Input--indeterminate[aria-checked=mixed]" },
] as const;

/**
 * axe-core's WCAG 2.1 A and AA violations in Tally's frame, as "rule: html | html" lines, Polaris' own
 * (`polarisOwnViolations`) left out. The document's title is checked: it is the frame's own (`pageTitle`).
 */
export async function appAxeViolations(page: Page): Promise<string[]> {
  const frame = (await (await page.locator("iframe[data-sandbox-app]").elementHandle())!.contentFrame())!;
  if (!(await frame.evaluate(() => "axe" in window)))
    await frame.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  return frame.evaluate(async (known) => {
    const axe = (window as unknown as { axe: typeof AxeCore }).axe;
    // eslint-disable-next-line tally/async-data-access -- axe-core's run, not a database's
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    const polarisOwn = (rule: string, target: unknown) =>
      known.some(
        (each) =>
          each.rule === rule && typeof target === "string" && document.querySelector(target)?.matches(each.selector),
      );
    return result.violations.flatMap((violation) => {
      const nodes = violation.nodes.filter((node) => !polarisOwn(violation.id, node.target[0]));
      return nodes.length ? [`${violation.id}: ${nodes.map((node) => node.html).join(" | ")}`] : [];
    });
  }, polarisOwnViolations);
}
