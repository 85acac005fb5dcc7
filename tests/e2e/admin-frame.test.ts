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
const shop = "e2e-admin.myshopify.com";
let pat: { id: string | number };

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modalContent, appLink, toast, adminTitle, titleAction, menuAction, saveBar } = adminChrome(() => page);

describe("Tally inside the sandbox admin", () => {
  it("authenticates through session token and token exchange, then shows Home with the shop's figures", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await expect(app().getByText("Points outstanding").waitFor({ timeout: 20_000 })).resolves.toBeUndefined();
    await expect(app().getByText("Members").count()).resolves.toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it("puts the page's title and actions in the admin's header, and runs the app's handler when one is clicked", async () => {
    await adminTitle("Tally");
    const refresh = page.locator("[data-sandbox-primary-action]");
    await expect(refresh.textContent()).resolves.toBe("Refresh");
    // The action lives in Shopify's header only; the app's page no longer draws its own.
    await expect(app().getByRole("button", { name: "Refresh" }).count()).resolves.toBe(0);
    await refresh.click();
    await expect(toast("Figures refreshed")).resolves.toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it("lists the NavMenu in the admin's left nav and navigates with it, the title following", async () => {
    const appLinks = page.locator("[data-sandbox-nav] [data-sandbox-app-link]");
    // As in Shopify admin, the rel="home" link is the app's name, not a nav item.
    await expect(appLinks.allTextContents()).resolves.toEqual([
      "Customers",
      "Groups",
      "Referrals",
      "Import",
      "Jobs",
      "Audit log",
      "Settings",
    ]);
    await appLink("Customers").click();
    await expect(adminTitle("Customers")).resolves.toBeUndefined();
    await page.locator("[data-sandbox-app-home]").click();
    await expect(app().getByText("Points outstanding").waitFor({ timeout: 15_000 })).resolves.toBeUndefined();
    await adminTitle("Tally");
  });

  it("shows the save bar on an edit, asks before leaving, and Discard puts the saved values back", async () => {
    await appLink("Settings").click();
    await adminTitle("Settings");
    const bonus = app().getByLabel("Sign-up bonus");
    await bonus.waitFor({ timeout: 15_000 });
    await expect(saveBar().getAttribute("data-visible")).resolves.toBeNull();

    await bonus.fill("250");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await expect(saveBar().locator("button").allTextContents()).resolves.toEqual(["Discard", "Save"]);

    // Leaving through the admin's nav while the save bar shows: the admin asks, and Stay keeps the draft.
    await appLink("Customers").click();
    const leave = page.locator('[data-sandbox-confirm="leave"]');
    await expect(leave.getByText("Leave page with unsaved changes?").waitFor()).resolves.toBeUndefined();
    await leave.getByRole("button", { name: "Stay" }).click();
    await expect(leave.count()).resolves.toBe(0);
    await expect(bonus.inputValue()).resolves.toBe("250");
    await adminTitle("Settings");

    await saveBar().locator('[data-sandbox-save-bar-action="discard"]').click();
    await vi.waitFor(async () => expect(await bonus.inputValue()).toBe("100"), { timeout: 5_000 });
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });

    // Leave page drops the draft: nothing is saved, and Settings shows the saved values again.
    await app().getByLabel("Sign-up bonus").fill("999");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await appLink("Customers").click();
    await leave.getByRole("button", { name: "Leave page" }).click();
    await adminTitle("Customers");
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });
    await appLink("Settings").click();
    await adminTitle("Settings");
    await vi.waitFor(async () => expect(await app().getByLabel("Sign-up bonus").inputValue()).toBe("100"));
    expect(pageErrors).toEqual([]);
  });

  it("shows zod's message on the field, not the browser's, and keeps the save bar until the form saves", async () => {
    await app().getByLabel("Pending period").fill("-5");
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await expect(
      // A minus names the bound it crosses (the settings' minus rule), in zod's words, not the browser's.
      app().getByText("Pending period can't be below 0 days").waitFor({ timeout: 10_000 }),
    ).resolves.toBeUndefined();
    // Polaris ties the message to its field; the browser was never asked to validate.
    const pending = app().getByLabel("Pending period");
    await expect(pending.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(app().locator("form[novalidate]").count()).resolves.toBe(1);
    await expect(pending.evaluate((input: HTMLInputElement) => input.validationMessage)).resolves.toBe("");
    await expect(saveBar().getAttribute("data-visible")).resolves.toBe("");
  });

  it("saves from the save bar a new version whose history line names the staff member and what changed", async () => {
    await app().getByLabel("Pending period").fill("0");
    await app().getByLabel("Sign-up bonus").fill("150");
    await app().getByLabel("Excluded customer tags").fill("wholesale");
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await expect(toast("Program saved")).resolves.toBeUndefined();
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 5_000 });

    const rows = app().getByRole("row");
    const newest = rows.filter({ hasText: "Sam Owner" }).first();
    // Polaris renders the version as the row's header cell, then who saved it, when, and what changed.
    await expect(newest.textContent({ timeout: 10_000 })).resolves.toMatch(
      /^2Sam Owner.+Sign-up bonus 100 → 150 points; excluded tags added: wholesale$/,
    );
    await expect(rows.filter({ hasText: "Tally (install defaults)" }).textContent()).resolves.toMatch(
      /^1Tally \(install defaults\).+Tally's defaults at install$/,
    );
    await expect(app().getByLabel("Sign-up bonus").inputValue()).resolves.toBe("150");
    expect(pageErrors).toEqual([]);
  });

  it("says a points name or a reward's title past its limit as it is typed, and Save posts nothing until it fits", async () => {
    const posts: string[] = [];
    const countPost = (request: { method(): string; url(): string }) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.includes("/app/settings"))
        posts.push(request.url());
    };
    const title = app().getByLabel("Title", { exact: true }).first();
    const saved = { pointsName: await app().getByLabel("Points name").inputValue(), title: await title.inputValue() };
    page.on("request", countPost);
    try {
      await app().getByLabel("Points name").fill("p".repeat(21));
      await app().getByText("Points name: keep it to 20 characters or fewer (this is 21)").waitFor({ timeout: 5_000 });
      await title.fill("t".repeat(75));
      await app().getByText("Title: keep it to 60 characters or fewer (this is 75)").waitFor({ timeout: 5_000 });
      await expect(title.getAttribute("aria-invalid")).resolves.toBe("true");

      await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
      const held = app().locator(".Polaris-Banner", { hasText: "The program was not saved" });
      await held.waitFor({ timeout: 5_000 });
      await expect(held.textContent()).resolves.toContain("Correct the fields marked below and save again.");
      // Every word the merchant typed stays, and nothing went to the server.
      await expect(title.inputValue()).resolves.toBe("t".repeat(75));
      expect(posts).toEqual([]);

      // Cut to fit, the words go and the save goes through.
      await app().getByLabel("Points name").fill("p".repeat(20));
      await title.fill("t".repeat(60));
      await expect(app().getByText("characters or fewer").count()).resolves.toBe(0);
      await expect(held.count()).resolves.toBe(0);
      await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
      // Not the toast: the test before this one saved too, and its "Program saved" can still be showing (5 s).
      await vi.waitFor(() => expect(posts).toHaveLength(1), { timeout: 15_000 });
      await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 15_000 });
    } finally {
      page.off("request", countPost);
    }
    // Back to the names the rest of the file reads, once the saved version's form is on the page.
    const pointsName = app().getByLabel("Points name");
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 10_000 });
    await vi.waitFor(async () => expect(await pointsName.inputValue()).toBe("p".repeat(20)), { timeout: 5_000 });
    await pointsName.fill(saved.pointsName);
    await title.fill(saved.title);
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });
    await saveBar().locator('[data-sandbox-save-bar-action="save"]').click();
    await page.locator("[data-sandbox-save-bar]:not([data-visible])").waitFor({ state: "attached", timeout: 10_000 });
    await vi.waitFor(async () => expect(await pointsName.inputValue()).toBe(saved.pointsName), { timeout: 5_000 });
    await expect(title.inputValue()).resolves.toBe(saved.title);
    expect(pageErrors).toEqual([]);
  });

  it("adjusts a customer's points from the title bar through an App Bridge modal, errors on its fields", async () => {
    pat = env.sandbox.control.createCustomerAccount({
      shop,
      email: "profile@example.com",
      firstName: "Pat",
      lastName: "Lee",
    });
    await env.sandbox.control.idle();
    await appLink("Customers").click();
    await app().getByText("profile@example.com").waitFor({ timeout: 15_000 });
    await app().getByRole("row").filter({ hasText: "profile@example.com" }).getByRole("link").click();
    await adminTitle("Pat Lee");
    await expect(page.locator("[data-sandbox-breadcrumb]").textContent()).resolves.toBe("Customers");
    // Two buttons beside the name, as on the admin's own customer page; the rest in one "More actions" menu.
    await expect(
      page
        .locator("[data-sandbox-title-actions] > button, [data-sandbox-title-actions] > details > summary")
        .allTextContents(),
    ).resolves.toEqual(["Sync customer", "More actions", "Adjust points"]);
    await expect(page.locator('[data-sandbox-title-section="More actions"] button').allTextContents()).resolves.toEqual(
      ["Edit customer", "View on Shopify", "Recalculate points from orders", "Block customer", "Delete customer"],
    );

    await page.locator("[data-sandbox-primary-action]").click();
    const modal = page.locator("[data-sandbox-modal]");
    await expect(
      modal.locator("[data-sandbox-modal-title]", { hasText: "Adjust points for Pat Lee" }).waitFor(),
    ).resolves.toBeUndefined();
    // The modal is the admin's, over everything; its fields are the app's, in the modal's frame.
    await modalContent().getByLabel("Points", { exact: true }).fill("-200");
    // 150 less 200: the modal says so before anything is written, and the button says what it will do.
    await expect(
      modalContent().getByText("Leaves \u221250: the customer will owe points").waitFor({ timeout: 10_000 }),
    ).resolves.toBeUndefined();
    // A debt is left only once ticked: a mistyped amount is not one click (stop 24's 999,663-point debt).
    await modal.locator('[data-sandbox-modal-action="Adjust and leave a debt"]').click();
    await modalContent()
      .getByText("Tick this to leave the debt, or take away fewer points")
      .waitFor({ timeout: 10_000 });
    const agree = modalContent().getByRole("checkbox", { name: "Leave Pat Lee owing 50 points" });
    await agree.check();
    // Another debt asks again.
    await modalContent().getByLabel("Points", { exact: true }).fill("-250");
    await expect(
      modalContent().getByRole("checkbox", { name: "Leave Pat Lee owing 100 points" }).isChecked(),
    ).resolves.toBe(false);
    // Back to the amount ticked before: still unticked, so staff tick for the amount in front of them.
    await modalContent().getByLabel("Points", { exact: true }).fill("-200");
    await expect(agree.isChecked()).resolves.toBe(false);
    await modal.locator('[data-sandbox-modal-action="Adjust and leave a debt"]').click();
    await modalContent()
      .getByText("Tick this to leave the debt, or take away fewer points")
      .waitFor({ timeout: 10_000 });
    // Typed over with the same amount, or retyped key by key: each change unticks it.
    await agree.check();
    await modalContent().getByLabel("Points", { exact: true }).pressSequentially("0");
    await modalContent().getByLabel("Points", { exact: true }).press("Backspace");
    await expect(agree.isChecked()).resolves.toBe(false);
    await agree.check();
    await modal.locator('[data-sandbox-modal-action="Adjust and leave a debt"]').click();
    await expect(
      modalContent().getByText("Say why the points are adjusted").waitFor({ timeout: 10_000 }),
    ).resolves.toBeUndefined();

    await modalContent().getByLabel("Reason").fill("Goodwill correction");
    await modal.locator('[data-sandbox-modal-action="Adjust and leave a debt"]').click();
    await expect(toast("Points adjusted")).resolves.toBeUndefined();
    await modal.waitFor({ state: "detached", timeout: 5_000 });
    const entry = app().getByRole("row").filter({ hasText: "Goodwill correction" }).first();
    await entry.waitFor({ timeout: 10_000 });
    // 150 sign-up points (the bonus saved above) less 200: the same minus sign in the log and the balance.
    await expect(entry.textContent()).resolves.toContain("\u2212200");
    await expect(entry.textContent()).resolves.toMatch(/Sam Owner$/);
    await expect(app().getByText("\u221250 points", { exact: true }).count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("confirms blocking in an App Bridge modal, then offers Unblock in the title bar", async () => {
    await (await menuAction("Block customer")).click();
    const modal = page.locator("[data-sandbox-modal]");
    await modal.locator("[data-sandbox-modal-title]", { hasText: "Block Pat Lee?" }).waitFor({ timeout: 10_000 });
    // The admin draws the modal first, then the app's content loads into its frame.
    await modalContent()
      .getByText("A blocked customer earns and redeems no points until unblocked", { exact: false })
      .waitFor({ timeout: 10_000 });
    // Cancel closes without blocking.
    await modal.locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal.waitFor({ state: "detached", timeout: 5_000 });
    await expect(titleAction("Block customer").count()).resolves.toBe(1);

    await (await menuAction("Block customer")).click();
    await modal.locator('[data-sandbox-modal-action="Block customer"]').click();
    await expect(toast("Customer blocked")).resolves.toBeUndefined();
    await titleAction("Unblock customer").waitFor({ state: "attached", timeout: 10_000 });
    await expect(app().getByText("Blocked", { exact: true }).count()).resolves.toBeGreaterThan(0);
    // Staff can still adjust a blocked customer's points, and the modal says what the block means for them.
    await page.locator("[data-sandbox-primary-action]").click();
    await modalContent().getByText("Pat Lee is blocked").waitFor({ timeout: 10_000 });
    await modalContent()
      .getByText("They earn and redeem nothing until unblocked", { exact: false })
      .waitFor({ timeout: 10_000 });
    await modal.locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal.waitFor({ state: "detached", timeout: 5_000 });

    await page.locator("[data-sandbox-breadcrumb]").click();
    await expect(adminTitle("Customers")).resolves.toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it("keeps a profile's name on one line and its tables' text whole at 1400, 1280 and 1024 px, an activity date on at most two lines", async () => {
    const long = env.sandbox.control.createCustomerAccount({
      shop,
      email: "maximiliane@example.com",
      firstName: "Maximiliane",
      lastName: "Castellanos-Whitfield",
    });
    for (const customer of [pat, long]) {
      const order = env.sandbox.control.placeOrder({
        shop,
        customerId: String(customer.id).replace(/\D/g, ""),
        lines: [{ productIndex: 0, quantity: 2 }],
      });
      // Half given back: the Orders table has something refunded and reversed to show (its "Reversed" was cut).
      env.sandbox.control.refund({ shop, orderId: order.id, lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }] });
    }
    await env.sandbox.control.idle();

    // 1024 px: the admin's 240 px menu leaves Tally 784 px, and the profile's tables a two-thirds column of it.
    for (const [email, name, width] of [
      ["profile@example.com", "Pat Lee", 1400],
      ["maximiliane@example.com", "Maximiliane Castellanos-Whitfield", 1400],
      ["maximiliane@example.com", "Maximiliane Castellanos-Whitfield", 1280],
      ["profile@example.com", "Pat Lee", 1024],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await appLink("Customers").click();
      await app().getByText(email).waitFor({ timeout: 15_000 });
      await app().getByRole("row").filter({ hasText: email }).getByRole("link").click();
      await adminTitle(name);
      await app().locator(".Polaris-DataTable tbody tr").first().waitFor({ timeout: 15_000 });
      await app().locator(".Polaris-IndexTable tbody tr").first().waitFor({ timeout: 15_000 });

      const title = page.locator("[data-sandbox-title]");
      const { height, lineHeight } = await title.evaluate((h1) => ({
        height: h1.getBoundingClientRect().height,
        lineHeight: parseFloat(getComputedStyle(h1).lineHeight) || parseFloat(getComputedStyle(h1).fontSize) * 1.2,
      }));
      expect(height, name).toBeLessThan(lineHeight * 1.5);

      // Every cell of the activity log and the Orders table: its text inside the cell, and the cell inside what its
      // table's scroll box shows (a cell past the box's edge is hidden behind a sideways scroll).
      const { tables, clipped } = await app()
        .locator("body")
        .evaluate(() => {
          const shownBox = (node: Element) => {
            for (let box = node.parentElement; box; box = box.parentElement) {
              if (getComputedStyle(box).overflowX !== "visible") return box.getBoundingClientRect();
            }
            return document.documentElement.getBoundingClientRect();
          };
          const all = [...document.querySelectorAll("table")];
          const cut = all.flatMap((table) => {
            const shown = shownBox(table);
            return [...table.querySelectorAll("th, td")]
              .filter((cell) => {
                const box = cell.getBoundingClientRect();
                if (box.width === 0) return false;
                return cell.scrollWidth > cell.clientWidth || box.right > shown.right + 1 || box.left < shown.left - 1;
              })
              .map(
                (cell) =>
                  `${table.closest("[class*=Card], [class*=ShadowBevel]")?.querySelector("h2")?.textContent ?? "?"}: ${(cell.textContent ?? "").trim()}`,
              );
          });
          return { tables: all.length, clipped: cut };
        });
      expect(tables).toBeGreaterThanOrEqual(2);
      expect(clipped, `${name} at ${width} px`).toEqual([]);
      await app().getByText("refunded", { exact: false }).first().waitFor({ timeout: 15_000 });

      // The activity log's and the changes' dates: the date on one line, its time on the next ("Dec 4, / 2026, / 7:49 AM" took three).
      const dateLines = await app()
        .locator(".Polaris-IndexTable tbody tr td:first-child")
        .evaluateAll((cells) =>
          cells.map((cell) => {
            const tops = new Set<number>();
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
              const range = document.createRange();
              range.selectNodeContents(text);
              for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
            }
            return tops.size;
          }),
        );
      expect(dateLines.length, `${name} at ${width} px`).toBeGreaterThan(0);
      expect(Math.max(...dateLines), `${name} at ${width} px`).toBeLessThanOrEqual(2);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(pageErrors).toEqual([]);
  });

  it("at a phone's width hides the admin's nav behind the menu, gives Tally the whole width, and keeps every title action on screen", async () => {
    const width = 375;
    await page.setViewportSize({ width, height: 800 });
    try {
      const nav = page.locator("[data-sandbox-nav]");
      const menu = page.getByRole("button", { name: "Menu" });
      await expect(nav.isVisible()).resolves.toBe(false);
      const frameBox = await page.locator("iframe[data-sandbox-app]").boundingBox();
      expect(frameBox?.width).toBe(width);

      await menu.click();
      await expect(menu.getAttribute("aria-expanded")).resolves.toBe("true");
      await appLink("Customers").click();
      await expect(adminTitle("Customers")).resolves.toBeUndefined();
      await expect(nav.isVisible()).resolves.toBe(false);
      // Polaris' Page has no inline padding at this width (its cards run edge to edge): the sync line under the title
      // keeps the padding a Page header gives its title there (16 px), off the screen's edges.
      const syncLine = app().locator("p", {
        hasText: /^(Last synced|Not synced from Shopify yet|Bringing your customers)/,
      });
      await syncLine.waitFor({ timeout: 15_000 });
      const line = (await syncLine.boundingBox())!;
      expect({ left: line.x - frameBox!.x, right: frameBox!.x + frameBox!.width - (line.x + line.width) }).toEqual({
        left: 16,
        right: 16,
      });

      // The profile's title bar holds the longest row of actions: each must be on screen, not cut at the right edge.
      await app().getByRole("row").filter({ hasText: "maximiliane@example.com" }).getByRole("link").click();
      await adminTitle("Maximiliane Castellanos-Whitfield");
      const boxes = await page
        .locator("[data-sandbox-title-actions] > button, [data-sandbox-title-actions] > details > summary")
        .evaluateAll((nodes) => nodes.map((n) => ({ text: n.textContent, ...n.getBoundingClientRect().toJSON() })));
      expect(boxes.map((b) => b.text)).toEqual(["Sync customer", "More actions", "Adjust points"]);
      for (const box of boxes)
        expect({ text: box.text, inside: box.left >= 0 && box.right <= width }).toEqual({
          text: box.text,
          inside: true,
        });
      await page.locator("[data-sandbox-primary-action]").click();
      const modal = page.locator("[data-sandbox-modal]");
      await modal
        .locator("[data-sandbox-modal-title]", { hasText: "Adjust points for Maximiliane Castellanos-Whitfield" })
        .waitFor({ timeout: 10_000 });
      await modal.locator("[data-sandbox-modal-close]").click();
      await modal.waitFor({ state: "detached", timeout: 10_000 });
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    expect(pageErrors).toEqual([]);
  });

  it("at a phone's width shows Home's sync health with each webhook topic, when and how often, all on screen", async () => {
    const width = 375;
    await page.setViewportSize({ width, height: 800 });
    try {
      await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
      await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
      const card = app()
        .locator(".Polaris-ShadowBevel")
        .filter({ has: app().getByRole("heading", { name: "Sync health", exact: true }) });
      // The orders the earlier tests placed came by webhook: their topic is listed, with when and how many.
      const ordersPaid = card.getByText("orders/paid", { exact: true });
      await ordersPaid.waitFor({ timeout: 15_000 });
      await expect(ordersPaid.isVisible()).resolves.toBe(true);
      // Every word of the card inside the screen and the card: before, the topics' table was 493 px wide and its
      // "Last received" and "Deliveries" columns sat past the edge behind a sideways scroll.
      const off = await card.evaluate((box) => {
        const shown = box.getBoundingClientRect();
        const right = Math.min(shown.right, document.documentElement.clientWidth);
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        const cut: string[] = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent?.trim();
          if (!text) continue;
          const holder = node.parentElement?.getBoundingClientRect();
          // Text only screen readers get (Polaris' visually hidden: a 1 px box) is on screen nowhere.
          if (!holder || holder.width <= 1 || holder.height <= 1) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          const rect = range.getBoundingClientRect();
          if (rect.width > 0 && (rect.right > right + 1 || rect.left < shown.left - 1)) cut.push(text);
        }
        return cut;
      });
      expect(off).toEqual([]);
      await card
        .getByText(/^Last received .+ · \d+ deliver(y|ies) in 7 days$/)
        .first()
        .waitFor();
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    expect(pageErrors).toEqual([]);
  });
});
