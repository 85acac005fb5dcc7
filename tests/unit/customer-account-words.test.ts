// @vitest-environment jsdom
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// The customer account extension's blocks as a customer reads them: rendered with preact into a DOM, with Shopify's
// `shopify` global played by the extension's own locale files (as `i18n.translate` fills `{{placeholders}}`) and
// Tally's answers as GET /customer-account/v1/me and /orders/{id} give them. Decision 051: the program's names.
type Strings = Record<string, string>;
const strings = (file: string) =>
  JSON.parse(readFileSync(path.resolve("extensions/tally-account/locales", file), "utf8")) as Strings;

function shopifyIn(file: string, locale: string, orderId?: string) {
  const texts = strings(file);
  return {
    i18n: {
      formatNumber: (n: number) => new Intl.NumberFormat(locale).format(n),
      formatDate: (d: Date) => new Intl.DateTimeFormat(locale).format(d),
      translate: (key: string, replacements: Record<string, string | number> = {}) =>
        (texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (all, name: string) => String(replacements[name] ?? all)),
    },
    sessionToken: { get: async () => "token" },
    order: { value: orderId ? { id: `gid://shopify/Order/${orderId}` } : undefined },
  };
}

async function rendered(block: "ProfileBlock" | "OrderStatusBlock", shopify: unknown, answer: unknown) {
  vi.stubGlobal("shopify", shopify);
  vi.stubGlobal("fetch", async () => new Response(JSON.stringify(answer), { status: 200 }));
  // A fresh page: each block renders into the body once, as in the customer's browser.
  document.documentElement.replaceChild(document.createElement("body"), document.body);
  const module = (await import(`../../extensions/tally-account/src/${block}.tsx`)) as { default: () => Promise<void> };
  await module.default();
  await vi.waitFor(() => {
    expect(document.body.textContent).not.toBe("");
    expect(document.body.querySelector("s-skeleton-paragraph")).toBeNull();
  });
  const headings = [...document.body.querySelectorAll("s-section")].map((s) => s.getAttribute("heading"));
  return { headings, text: document.body.textContent ?? "" };
}

afterEach(() => vi.unstubAllGlobals());

const stars = { pointsName: "stars ⭐", pointName: "star ⭐" };
const me = (program: typeof stars, customer: unknown) => ({
  customer,
  program,
  referral: null,
  rewardsUrl: "https://shop.example/apps/tally/",
});

describe("the customer account's Profile block", () => {
  it("names the points as the program does, in English and German", async () => {
    const member = { known: true, blocked: false, status: "member", points: 1250, pendingPoints: 1 };
    const english = await rendered("ProfileBlock", shopifyIn("en.default.json", "en"), me(stars, member));
    expect(english.text).toContain("1,250 stars ⭐");
    expect(english.text).toContain("1 star ⭐ pending");
    expect(english.text).toContain("See your rewards and redeem your stars ⭐");
    expect(english.text).not.toMatch(/\bpoints?\b/);

    const german = await rendered("ProfileBlock", shopifyIn("de.json", "de"), me(stars, { known: false }));
    expect(german.text).toContain("Deine stars ⭐ erscheinen hier in einem Moment.");
  });

  it("keeps the customer's own word while the program keeps the names it starts with", async () => {
    const member = { known: true, blocked: false, status: "member", points: 1250, pendingPoints: 0 };
    const defaults = { pointsName: "points", pointName: "point" };
    const german = await rendered("ProfileBlock", shopifyIn("de.json", "de"), me(defaults, member));
    expect(german.text).toContain("1.250 Punkte");
    expect(german.text).toContain("Deine Prämien ansehen und deine Punkte einlösen");
    const spanish = await rendered("ProfileBlock", shopifyIn("es.json", "es"), me(defaults, { known: false }));
    expect(spanish.text).toContain("Tus puntos aparecerán aquí en un momento.");
  });
});

describe("the customer account's Order status block", () => {
  const order = (status: string, points: number) => ({
    status,
    orderName: "#1042",
    points,
    releaseAt: null,
    holdDays: 14,
    ...stars,
  });

  it("heads and words every state with the program's names", async () => {
    const earned = await rendered("OrderStatusBlock", shopifyIn("en.default.json", "en", "7"), order("earned", 1));
    expect(earned.headings).toEqual(["Your stars ⭐ for this order"]);
    expect(earned.text).toBe("You earned 1 star ⭐ with this order.");
    const waiting = await rendered("OrderStatusBlock", shopifyIn("fr.json", "fr", "7"), order("waiting", 0));
    expect(waiting.headings).toEqual(["Vos stars ⭐ pour cette commande"]);
    expect(waiting.text).toBe("Vos stars ⭐ pour cette commande apparaîtront une fois celle-ci payée.");
    const none = await rendered("OrderStatusBlock", shopifyIn("de.json", "de", "7"), order("not_earned", 0));
    expect(none.text).toBe("Diese Bestellung hat keine stars ⭐ eingebracht.");
  });
});
