import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  adminChrome,
  merchantPage,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-directory.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  const control = env.sandbox.control;
  const customer = (firstName: string, lastName: string, tags: string[]) =>
    control.createCustomer({
      shop,
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
      state: "ENABLED",
      tags,
    });
  const anna = customer("Anna", "Petrova", ["VIP"]);
  const ivan = customer("Ivan", "Petrova", []);
  customer("Olga", "Petrova", ["VIP"]);
  const maria = customer("Maria", "Rossi", ["VIP"]);
  for (const buyer of [anna, ivan, maria]) control.placeOrder({ shop, customerId: buyer.id });
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink } = adminChrome(() => page);
const names = () => app().locator("tbody tr").locator("td:first-child, th:first-child").allTextContents();
const count = () => app().getByTestId("customer-count");

describe("The customer directory in the admin", () => {
  it("shows Home's insights with the member growth chart drawn in the page", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Member growth").waitFor({ timeout: 20_000 });
    // polaris-viz draws its chart after hydration; the server sent a placeholder of the same size.
    await app().locator('[data-testid="member-growth-chart"] svg').first().waitFor({ timeout: 15_000 });
    await expect(app().getByText("Guest-to-member conversion").count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("finds a surname, narrows to the Paying tab and a tag, and shows the count of each", async () => {
    await env.sandbox.control.idle();
    await appLink("Customers").click();
    await app().getByText("maria.rossi@example.com").waitFor({ timeout: 15_000 });

    await app()
      .getByRole("button", { name: /Search and filter/ })
      .click();
    await app().getByPlaceholder("Search by name, email or phone").fill("petrova");
    await vi.waitFor(
      async () => expect((await names()).toSorted()).toEqual(["Anna Petrova", "Ivan Petrova", "Olga Petrova"]),
      {
        timeout: 10_000,
      },
    );
    await vi.waitFor(async () => expect(await count().textContent()).toBe("3 customers"), { timeout: 10_000 });

    // Back to the tabs: the search stays applied, and the tab narrows it further.
    await app().getByRole("button", { name: "Cancel" }).click();
    await app()
      .getByRole("tab", { name: /Paying/ })
      .click();
    await vi.waitFor(async () => expect((await names()).toSorted()).toEqual(["Anna Petrova", "Ivan Petrova"]), {
      timeout: 10_000,
    });
    await vi.waitFor(async () => expect(await count().textContent()).toBe("2 customers"), { timeout: 10_000 });
    await expect(app().getByText("matching “petrova”").count()).resolves.toBe(1);

    await app()
      .getByRole("button", { name: /Search and filter/ })
      .click();
    await expect(app().getByPlaceholder("Search by name, email or phone").inputValue()).resolves.toBe("petrova");
    await app().getByRole("button", { name: /^Tags/ }).click();
    await app().getByLabel(/^VIP/).click();
    await vi.waitFor(async () => expect(await names()).toEqual(["Anna Petrova"]), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await count().textContent()).toBe("1 customer"), { timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });
});
