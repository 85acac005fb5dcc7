import { createRequire } from "node:module";
import type * as AxeCore from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  adminChrome,
  appAxeViolations,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

const require = createRequire(import.meta.url);
let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-groups.myshopify.com";
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, currency: "CAD" }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink, modal, modalContent, adminTitle, toast, toastAfter } = adminChrome(() => page);

/** The directory at these filters, as a merchant reaches it with a shared link. */
async function openDirectory(search: string) {
  const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
  await page.goto(`${env.sandbox.origin}${appBase}/customers?${search}`);
  await adminTitle("Customers");
}

describe("a group from the directory's filters, with a discount", () => {
  it("signs in and receives the shop's customers", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const { control } = env.sandbox;
    for (const [name, tags] of [
      ["vera", ["vip"]],
      ["vic", ["vip", "newsletter"]],
      ["otto", []],
    ] as const) {
      const customer = control.createCustomer({ shop, email: `${name}@example.com`, firstName: name, tags: [...tags] });
      ids[name] = String(customer.id);
    }
    await control.idle();
    expect(pageErrors).toEqual([]);
  });

  it("says which filters Shopify's segments cannot express, and saves nothing", async () => {
    await openDirectory("tag=vip&points_min=100");
    await app().getByRole("button", { name: "Save as group" }).click();
    const refused = modalContent().getByTestId("unexpressible-filter");
    await refused.first().waitFor({ timeout: 15_000 });
    await expect(refused.allTextContents()).resolves.toEqual([
      "Points: Tally keeps it, Shopify's segments cannot filter on it",
    ]);
    await expect(modal().locator('[data-sandbox-modal-action="Create group"]').isDisabled()).resolves.toBe(true);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    expect(env.sandbox.control.segments({ shop })).toEqual([]);
  });

  it("saves the tag filter as a group and opens it with its members", async () => {
    await openDirectory("tag=vip");
    await app().getByRole("row").filter({ hasText: "vera@example.com" }).waitFor({ timeout: 15_000 });
    await app().getByRole("button", { name: "Save as group" }).click();
    await expect(modalContent().getByTestId("segment-query").textContent()).resolves.toBe(
      "customer_tags CONTAINS 'vip'",
    );
    await modalContent().getByLabel("Group name").fill("VIPs");
    await modal().locator('[data-sandbox-modal-action="Create group"]').click();

    await adminTitle("Groups");
    const members = app().getByRole("row").filter({ hasText: "@example.com" });
    await members.first().waitFor({ timeout: 15_000 });
    await expect(members.allTextContents()).resolves.toEqual([
      expect.stringContaining("vera@example.com"),
      expect.stringContaining("vic@example.com"),
    ]);
    expect(env.sandbox.control.segments({ shop })).toEqual([
      expect.objectContaining({ name: "VIPs", query: "customer_tags CONTAINS 'vip'" }),
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('gives a screen reader no stray "Submit" on the Groups page, and axe finds no WCAG A/AA violation there', async () => {
    const card = app().locator("form", { hasText: "Create a group" });
    await card.waitFor({ timeout: 10_000 });
    // Read in order, the card is its heading, its fields and its one button (newcomer round 17 heard "Submit" first).
    await expect(card.textContent()).resolves.not.toContain("Submit");
    await expect(app().locator("form").allTextContents()).resolves.toEqual([
      expect.not.stringContaining("Submit"),
      expect.not.stringContaining("Submit"),
    ]);
    await expect(appAxeViolations(page)).resolves.toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("shows every mistake of the discount form at once, each on its own field", async () => {
    await app().getByLabel("How members get it").selectOption("code");
    await app().getByLabel("Percent").fill("0");
    await app().getByLabel("Code", { exact: true }).fill("");
    await app().getByLabel("Ends on").fill("2020-01-01");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await app().getByText("Enter the code members type at checkout").waitFor({ timeout: 15_000 });
    // Each message is the description of its own field, as a screen reader reads it.
    const describedBy = async (label: string, exact = false) => {
      const field = app().getByLabel(label, { exact });
      await expect(field.getAttribute("aria-invalid")).resolves.toBe("true");
      const ids = (await field.getAttribute("aria-describedby"))!.split(" ");
      const texts = await Promise.all(ids.map((id) => app().locator(`[id="${id}"]`).textContent()));
      return texts.join(" ");
    };
    await expect(describedBy("Percent")).resolves.toContain("Enter a whole percentage from 1 to 100");
    await expect(describedBy("Code", true)).resolves.toContain("Enter the code members type at checkout");
    await expect(describedBy("Ends on")).resolves.toContain("The end date must be today or later");
    expect(env.sandbox.control.automaticDiscounts({ shop })).toEqual([]);

    // 150% and a code with spaces: the percent is refused, the code only hinted at, as Shopify would take it.
    await app().getByLabel("Percent").fill("150");
    await app().getByLabel("Code", { exact: true }).fill("VIP 🎉 CODE");
    await app().getByLabel("Ends on").fill("");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await app().getByText("Enter the code members type at checkout").waitFor({ state: "detached", timeout: 15_000 });
    await expect(describedBy("Percent")).resolves.toContain("Enter a whole percentage from 1 to 100");
    await app()
      .getByText(/^Shopify accepts spaces in a code/)
      .waitFor({ timeout: 5_000 });
    await app().getByLabel("Code", { exact: true }).fill("");
    expect(pageErrors).toEqual([]);
  });

  it("refuses an end date in the past on its field, before asking Shopify", async () => {
    // The discount form comes before the member list, which can be long.
    const form = await app().getByRole("button", { name: "Create group discount" }).boundingBox();
    const firstMember = await app().getByRole("row").filter({ hasText: "vera@example.com" }).boundingBox();
    expect(form!.y).toBeLessThan(firstMember!.y);
    await app().getByLabel("How members get it").selectOption("automatic");
    await app().getByLabel("Percent").fill("15");
    // The day is the shop's (Toronto), whatever the browser's zone (Paris), and the field says so.
    await app()
      .getByText(
        "The discount ends at the end of this day (America/Toronto time). Leave empty for a discount that never ends.",
      )
      .waitFor({ timeout: 5_000 });
    await app().getByLabel("Ends on").fill("2020-01-31");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await app().getByText("The end date must be today or later").waitFor({ timeout: 15_000 });
    expect(env.sandbox.control.automaticDiscounts({ shop })).toEqual([]);
    await app().getByLabel("Ends on").fill("");
    expect(pageErrors).toEqual([]);
  });

  it("hints at an easier code while the merchant types one with spaces or %", async () => {
    await app().getByLabel("How members get it").selectOption("code");
    const code = app().getByLabel("Code", { exact: true });
    await code.fill("VIP 10 %");
    await app()
      .getByText(/^Shopify accepts spaces and "%" in a code.*VIP10 is easier to get right\.$/)
      .waitFor({ timeout: 5_000 });
    await code.fill("VIP10");
    await app().getByText("Members type it at checkout; letters and digits are easiest.").waitFor({ timeout: 5_000 });
    await code.fill("");
    expect(pageErrors).toEqual([]);
  });

  it("asks before 100% off, and asks no more once the value changes", async () => {
    await app().getByLabel("How members get it").selectOption("automatic");
    await app().getByLabel("Percent").fill("100");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await expect(app().getByTestId("group-discount-doubt").textContent({ timeout: 15_000 })).resolves.toBe(
      "100% off makes every member's order free. Create it anyway?",
    );
    await app().getByRole("button", { name: "Create anyway" }).waitFor({ timeout: 5_000 });
    expect(env.sandbox.control.automaticDiscounts({ shop })).toEqual([]);
    await app().getByLabel("Percent").fill("15");
    await app().getByTestId("group-discount-doubt").waitFor({ state: "detached", timeout: 5_000 });
    await app().getByRole("button", { name: "Create group discount" }).waitFor({ timeout: 5_000 });
    expect(pageErrors).toEqual([]);
  });

  it("attaches an automatic discount that members get at checkout with no code", async () => {
    await app().getByLabel("How members get it").selectOption("automatic");
    await app().getByLabel("Percent").fill("15");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await expect(toast("Group discount created")).resolves.toBeUndefined();
    await app().getByText("Automatic", { exact: true }).waitFor({ timeout: 15_000 });
    // Said where the merchant is, in the group's card, beside its members.
    await expect(app().getByTestId("group-discount-summary").textContent()).resolves.toBe(
      "Members get the group discount at checkout by themselves: 15% off.",
    );

    const { control } = env.sandbox;
    await vi.waitFor(() => expect(control.automaticDiscounts({ shop })).toHaveLength(1));
    expect(control.placeOrder({ shop, customerId: ids.vera! }).discountCents).toBe(1350);
    expect(control.placeOrder({ shop, customerId: ids.otto! }).discountCents).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("removes only the discount after asking, and keeps the group to give it another", async () => {
    const { control } = env.sandbox;
    await app().getByRole("button", { name: "Remove discount" }).click();
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Remove the discount of VIPs?" })
      .waitFor({ timeout: 10_000 });
    const body = modalContent().getByText("It cannot be undone");
    await body.waitFor({ timeout: 10_000 });
    await expect(body.textContent()).resolves.toContain("(automatic, 15% off): members lose it at checkout");
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(control.automaticDiscounts({ shop })).toHaveLength(1);

    await app().getByRole("button", { name: "Remove discount" }).click();
    await modal().locator('[data-sandbox-modal-action="Remove discount"]').click();
    await expect(toast("Group discount removed")).resolves.toBeUndefined();
    await vi.waitFor(() => expect(control.automaticDiscounts({ shop })).toEqual([]), { timeout: 15_000 });
    expect(control.placeOrder({ shop, customerId: ids.vera! }).discountCents).toBe(0);
    await app().getByTestId("group-discount-summary").waitFor({ state: "detached", timeout: 15_000 });
    expect(control.segments({ shop })).toHaveLength(1);

    // The form is back: the group gets its discount again, this time until the end of Dec 31 in the shop's zone.
    await app().getByLabel("How members get it").selectOption("automatic");
    await app().getByLabel("Percent").fill("15");
    await app().getByLabel("Ends on").fill("2099-12-31");
    await app().getByRole("button", { name: "Create group discount" }).click();
    await expect(app().getByTestId("group-discount-summary").textContent({ timeout: 15_000 })).resolves.toBe(
      "Members get the group discount at checkout by themselves: 15% off, until Dec 31, 2099.",
    );
    await vi.waitFor(() => expect(control.automaticDiscounts({ shop })).toHaveLength(1));
    // Midnight in Toronto, not in UTC (nor in the browser's Paris).
    expect(control.automaticDiscounts({ shop })[0]!.endsAt).toBe("2100-01-01T04:59:59Z");
    expect(pageErrors).toEqual([]);
  });

  it("asks before removing a group, saying that its segment and its discount go with it", async () => {
    const { control } = env.sandbox;
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await appLink("Groups").click();
    await adminTitle("Groups");
    const row = app().getByRole("row").filter({ hasText: "customer_tags CONTAINS 'vip'" });
    // The list says until when, as the group's card does.
    await row.getByText("until Dec 31, 2099").waitFor({ timeout: 10_000 });
    await row.getByRole("button", { name: "Remove" }).click();
    await modal().locator("[data-sandbox-modal-title]", { hasText: "Remove VIPs?" }).waitFor({ timeout: 10_000 });
    const body = modalContent().getByText("It cannot be undone");
    await body.waitFor({ timeout: 10_000 });
    await expect(body.textContent()).resolves.toContain("and its discount (automatic, 15% off)");
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(control.segments({ shop })).toHaveLength(1);
    expect(control.automaticDiscounts({ shop })).toHaveLength(1);

    await row.getByRole("button", { name: "Remove" }).click();
    await modal().locator('[data-sandbox-modal-action="Remove group"]').click();
    await vi.waitFor(() => expect(control.segments({ shop })).toEqual([]), { timeout: 15_000 });
    expect(control.automaticDiscounts({ shop })).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("keeps every group's Remove in view at 1440 and 1024 px, a long segment query wrapping whole", async () => {
    const { control } = env.sandbox;
    const tags = ["spring-newsletter-subscribers-2026", "wholesale-partners-ontario", "returning-gift-buyers"];
    const query = [...tags, ...tags.map((tag) => `${tag}-archive`)]
      .map((tag) => `customer_tags CONTAINS '${tag}'`)
      .join(" OR ");
    // A name of one 255-character word (a newcomer's pushed Remove out of the card).
    const name = `Newsletter${"G".repeat(245)}`;
    await app().getByLabel("Name", { exact: true }).fill(name);
    await app().getByLabel("Segment query").fill(query);
    await toastAfter("Group created", () => app().getByRole("button", { name: "Create group", exact: true }).click());
    await vi.waitFor(() => expect(control.segments({ shop })).toHaveLength(1), { timeout: 15_000 });
    const row = app().getByRole("row").filter({ hasText: name });
    await row.waitFor({ timeout: 15_000 });
    const remove = row.getByRole("button", { name: "Remove" });

    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Inside the app's frame: the button within the table's card, which does not scroll sideways.
      const inFrame = await remove.evaluate((button) => {
        const box = button.getBoundingClientRect();
        const scroller = button.closest(".Polaris-IndexTable-ScrollContainer")!;
        const frame = scroller.getBoundingClientRect();
        return {
          inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 && box.width > 0,
          scrolls: scroller.scrollWidth > scroller.clientWidth,
          pageScrolls: document.documentElement.scrollWidth > innerWidth,
        };
      });
      expect(inFrame, `${width}px`).toEqual({ inside: true, scrolls: false, pageScrolls: false });
      // And in the merchant's window, the admin's chrome around the frame included.
      const shown = (await remove.boundingBox())!;
      expect(shown.x, `${width}px`).toBeGreaterThanOrEqual(0);
      expect(shown.x + shown.width, `${width}px`).toBeLessThanOrEqual(width);
      // "Remove" on one line: breaking every cell anywhere split it ("Re/mo/ve").
      const lines = await remove.evaluate((button) => {
        const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
        const tops = new Set<number>();
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(text);
          for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
        }
        return tops.size;
      });
      expect(lines, `${width}px`).toBe(1);
      // The query is all there, wrapped over several lines rather than cut.
      const cell = row.getByText(query, { exact: true });
      await expect(cell.evaluate((text) => text.getClientRects().length > 1 || text.clientHeight > 30)).resolves.toBe(
        true,
      );
    }
    await page.setViewportSize({ width: 1280, height: 720 });

    await remove.click();
    await modal().locator('[data-sandbox-modal-action="Remove group"]').click();
    await vi.waitFor(() => expect(control.segments({ shop })).toEqual([]), { timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });

  it("keeps Create a group's fields inside its card at 1024 px, and names the Remove column for screen readers", async () => {
    const { control } = env.sandbox;
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await appLink("Groups").click();
    await adminTitle("Groups");
    await app().getByLabel("Name", { exact: true }).fill("Edges");
    await app().getByLabel("Segment query").fill("customer_tags CONTAINS 'vip'");
    await toastAfter("Group created", () => app().getByRole("button", { name: "Create group", exact: true }).click());
    await app().getByRole("row").filter({ hasText: "Edges" }).waitFor({ timeout: 15_000 });

    // Each field, its button too, keeps the card's padding on both sides (they touched its edges at 1024 px).
    const card = app().locator("form", { hasText: "Create a group" });
    const gaps = await card.evaluate((form) => {
      const edge = (form.closest(".Polaris-ShadowBevel") ?? form.parentElement!).getBoundingClientRect();
      return [...form.querySelectorAll(".Polaris-TextField, button")].map((field) => {
        const box = field.getBoundingClientRect();
        return { left: Math.round(box.left - edge.left), right: Math.round(edge.right - box.right) };
      });
    });
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) {
      expect(gap.left, JSON.stringify(gaps)).toBeGreaterThanOrEqual(12);
      expect(gap.right, JSON.stringify(gaps)).toBeGreaterThanOrEqual(12);
    }

    // axe's best practices too: a table header each column, the Remove one named though not shown.
    const frame = (await (await page.locator("iframe[data-sandbox-app]").elementHandle())!.contentFrame())!;
    if (!(await frame.evaluate(() => "axe" in window)))
      await frame.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const flagged = await frame.evaluate(async () => {
      const axe = (window as unknown as { axe: typeof AxeCore }).axe;
      const result = await axe.run(document, {
        runOnly: { type: "rule", values: ["empty-table-header", "th-has-data-cells", "empty-heading"] },
        resultTypes: ["violations"],
      });
      return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((n) => n.html).join(" | ")}`);
    });
    expect(flagged).toEqual([]);
    const header = app().getByRole("columnheader", { name: "Actions" });
    await expect(header.count()).resolves.toBe(1);
    await page.setViewportSize({ width: 1280, height: 720 });
    await vi.waitFor(() => expect(control.segments({ shop }).map((segment) => segment.name)).toContain("Edges"), {
      timeout: 15_000,
    });
    expect(pageErrors).toEqual([]);
  });
  it("shows each group's size on the list as Shopify counts it, and says which group's segment was deleted in Shopify", async () => {
    const { control } = env.sandbox;
    for (const [name, tag] of [
      ["Newsletter", "newsletter"],
      ["Nobody yet", "nobody"],
    ] as const) {
      await app().getByLabel("Name", { exact: true }).fill(name);
      await app().getByLabel("Segment query").fill(`customer_tags CONTAINS '${tag}'`);
      await app().getByRole("button", { name: "Create group", exact: true }).click();
      await app().getByRole("row").filter({ hasText: name }).waitFor({ timeout: 15_000 });
    }
    const sizeOf = async (name: string, words: string) => {
      const row = app().getByRole("row").filter({ hasText: name });
      await row.getByText(words, { exact: true }).waitFor({ timeout: 15_000 });
    };
    await sizeOf("Edges", "2 customers");
    await sizeOf("Newsletter", "1 customer");
    await sizeOf("Nobody yet", "No customers");

    // The open group's heading says what its row says.
    await app().getByRole("button", { name: "Edges", exact: true }).click();
    await app().getByRole("heading", { name: "Edges: 2 customers" }).waitFor({ timeout: 15_000 });

    // The merchant deletes one group's segment in Shopify admin; the list says so and counts the rest.
    const nobody = control.segments({ shop }).find((segment) => segment.name === "Nobody yet")!;
    control.deleteSegment({ shop, id: nobody.id });
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await appLink("Groups").click();
    await adminTitle("Groups");
    await sizeOf("Nobody yet", "Segment deleted in Shopify");
    await sizeOf("Edges", "2 customers");
    await sizeOf("Newsletter", "1 customer");
    expect(pageErrors).toEqual([]);
  });

  it("edits the open group's name and query in place, a name taken refused on its field, and links each member to their profile", async () => {
    const { control } = env.sandbox;
    await app().getByRole("button", { name: "Edges", exact: true }).click();
    await app().getByRole("heading", { name: "Edges: 2 customers" }).waitFor({ timeout: 15_000 });
    await app().getByRole("button", { name: "Edit", exact: true }).click();
    const form = app().locator("form", { hasText: "Edit group" });
    await expect(form.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("Edges");

    await form.getByLabel("Name", { exact: true }).fill("Newsletter");
    await form.getByRole("button", { name: "Save group" }).click();
    await form
      .getByText("A group or Shopify segment named \u201cNewsletter\u201d already exists. Choose another name.")
      .waitFor({ timeout: 15_000 });
    // On the form that was sent, not on Create a group's fields of the same names.
    await expect(
      app()
        .locator("form", { hasText: "Create a group" })
        .getByText(/already exists\. Choose another name\./)
        .count(),
    ).resolves.toBe(0);

    await form.getByLabel("Name", { exact: true }).fill("Regulars");
    await form.getByLabel("Segment query").fill("customer_tags CONTAINS 'newsletter'");
    await toastAfter("Group saved", () => form.getByRole("button", { name: "Save group" }).click());
    await app().getByRole("heading", { name: "Regulars: 1 customer" }).waitFor({ timeout: 15_000 });
    await app().locator("form", { hasText: "Edit group" }).waitFor({ state: "detached", timeout: 5_000 });
    expect(control.segments({ shop }).map(({ name, query }) => ({ name, query }))).toContainEqual({
      name: "Regulars",
      query: "customer_tags CONTAINS 'newsletter'",
    });

    const member = app().getByRole("row").filter({ hasText: "vic@example.com" });
    await member.waitFor({ timeout: 15_000 });
    await expect(member.getByRole("link").getAttribute("href")).resolves.toMatch(/\/app\/customers\/\d+$/);
    await member.getByRole("link").click();
    await app().getByText("vic@example.com").first().waitFor({ timeout: 15_000 });
    await expect(page.locator("[data-sandbox-breadcrumb]").textContent()).resolves.toBe("Customers");
    expect(pageErrors).toEqual([]);
  });

  it("keeps what the merchant typed in Create a group when a name taken is refused right after saving an Edit", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await appLink("Groups").click();
    await adminTitle("Groups");
    await app().getByRole("button", { name: "Regulars", exact: true }).click();
    await app().getByRole("heading", { name: "Regulars: 1 customer" }).waitFor({ timeout: 15_000 });
    await app().getByRole("button", { name: "Edit", exact: true }).click();
    const edit = app().locator("form", { hasText: "Edit group" });
    await edit.getByLabel("Name", { exact: true }).fill("Frequent buyers");
    await toastAfter("Group saved", () => edit.getByRole("button", { name: "Save group" }).click());
    await app().getByRole("heading", { name: "Frequent buyers: 1 customer" }).waitFor({ timeout: 15_000 });

    const create = app().locator("form", { hasText: "Create a group" });
    await create.getByLabel("Name", { exact: true }).fill("Frequent buyers");
    await create.getByLabel("Segment query").fill("number_of_orders >= 3");
    await create.getByRole("button", { name: "Create group", exact: true }).click();
    await create
      .getByText("A group or Shopify segment named \u201cFrequent buyers\u201d already exists. Choose another name.")
      .waitFor({ timeout: 15_000 });
    await expect(create.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("Frequent buyers");
    await expect(create.getByLabel("Segment query").inputValue()).resolves.toBe("number_of_orders >= 3");
    expect(pageErrors).toEqual([]);
  });

  it("refuses a rename from a tab opened before another tab renamed the group, in words under its name", async () => {
    const openEdit = async (tab: Page) => {
      const { app: tabApp, appLink: tabLink, adminTitle: tabTitle } = adminChrome(() => tab);
      await openAdmin(tab, { env, shop });
      await tabLink("Groups").click();
      await tabTitle("Groups");
      await tabApp().getByRole("button", { name: "Frequent buyers", exact: true }).click();
      await tabApp().getByRole("heading", { name: "Frequent buyers: 1 customer" }).waitFor({ timeout: 15_000 });
      await tabApp().getByRole("button", { name: "Edit", exact: true }).click();
      return tabApp().locator("form", { hasText: "Edit group" });
    };
    const stale = await openEdit(page);
    const other = await merchantPage(browser, pageErrors);
    const fresh = await openEdit(other);
    await fresh.getByLabel("Name", { exact: true }).fill("VIP 2");
    await fresh.getByRole("button", { name: "Save group" }).click();
    await other.locator("[data-sandbox-toast]").getByText("Group saved").waitFor({ timeout: 15_000 });
    await other.close();

    await stale.getByLabel("Name", { exact: true }).fill("Loyal buyers");
    await stale.getByRole("button", { name: "Save group" }).click();
    await stale
      .getByText("This group was renamed to \u201cVIP 2\u201d in another tab. Reload to see it.")
      .waitFor({ timeout: 15_000 });
    await expect(stale.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("Loyal buyers");
    expect(env.sandbox.control.segments({ shop }).map(({ name }) => name)).toContain("VIP 2");
    expect(env.sandbox.control.segments({ shop }).map(({ name }) => name)).not.toContain("Loyal buyers");
    expect(pageErrors).toEqual([]);
  });
});
