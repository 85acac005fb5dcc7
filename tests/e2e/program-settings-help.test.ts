import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

/*
 * A shopper on the French storefront read "Votre solde 127 stars": the merchant's own points names and reward titles
 * are shown as typed in every language. Settings says so where they are typed.
 */

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-settings-help.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink, adminTitle } = adminChrome(() => page);

/** The text of the help an input is described by (Polaris links helpText with aria-describedby). */
async function describedBy(label: string): Promise<string> {
  const field = app().getByLabel(label, { exact: true }).first();
  const ids = (await field.getAttribute("aria-describedby")) ?? "";
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => app().locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(" ");
}

describe("Settings › the program's names and reward titles", () => {
  it("tells the merchant that what they write is shown as written in every language, Tally's defaults translated", async () => {
    await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await adminTitle("Settings");
    await app().getByLabel("Sign-up bonus").waitFor({ timeout: 15_000 });

    await app()
      .getByText(
        "Names you write show as written in every storefront language and email; Tally’s default “points” is translated (French, German, Spanish).",
      )
      .waitFor({ timeout: 5_000 });
    expect(await describedBy("Title")).toContain(
      "A title you write shows as written in every storefront language and email; Tally’s own, such as “10% off”, is translated (French, German, Spanish).",
    );
    expect(pageErrors).toEqual([]);
  });

  it("a reward's title Tally generated follows its value as the merchant types it; a title they wrote stays", async () => {
    const title = app().getByLabel("Title", { exact: true }).first();
    const value = app().getByLabel("Value", { exact: true }).first();
    expect(await title.inputValue()).toBe("$5.00 off");

    await value.fill("10");
    await expect.poll(() => title.inputValue()).toBe("$10.00 off");
    await value.fill("12.50");
    await expect.poll(() => title.inputValue()).toBe("$12.50 off");

    await title.fill("Mug voucher");
    await value.fill("15");
    expect(await value.inputValue()).toBe("15");
    expect(await title.inputValue()).toBe("Mug voucher");
    expect(pageErrors).toEqual([]);
  });
});
