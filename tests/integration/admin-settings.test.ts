import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { programVersions } from "~/db/schema";
import type { ProgramSettingsForm } from "~/domain/program/settings-form";
import { action, loader } from "~/routes/app.settings";
import { actorLabel } from "~/components/labels";
import { describeProgramChanges } from "~/domain/program";
import { createFormatter } from "~/lib/format";
import { getProgram } from "~/services/program/get-program.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const args = (request: Request) => ({ request, params: {}, context: {} });

async function freshShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

async function loadSettings(shop: string) {
  return loader(args(await sessionTokenRequest(shop, "/app/settings")));
}

/** Posts the form as the page does: the whole draft as one JSON `settings` field. */
async function save(shop: string, settings: ProgramSettingsForm | string) {
  const body = new FormData();
  body.set("settings", typeof settings === "string" ? settings : JSON.stringify(settings));
  try {
    return await action(args(await sessionTokenRequest(shop, "/app/settings", { method: "POST", body })));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function versionsOf(shop: string) {
  return await db.select().from(programVersions).where(eq(programVersions.shop, shop));
}

describe("Settings", () => {
  it("shows the install defaults for a fresh shop, version 1 in its history", async () => {
    const shop = await freshShop();
    const data = await loadSettings(shop);
    expect(data).toMatchObject({
      version: 1,
      currency: "USD",
      versions: [{ version: 1, actor: "tally", actorName: null, changes: null }],
      installation: { shop },
      form: {
        enabled: true,
        pointsName: "points",
        signupBonus: "100",
        pointsPerUnit: "1",
        unitAmount: "1.00",
        pendingDays: "0",
        excludedTags: "",
        redeemOptions: [
          { id: "five-off", kind: "fixed_amount_off", pointsCost: "500", value: "5.00", minimumOrder: "" },
        ],
      },
    });
  });

  it("saves a change as version 2 recorded under the staff member's id and name, keeping version 1", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    const result = await save(shop, {
      ...form,
      pointsName: "stars",
      pointsPerUnit: "2",
      unitAmount: "2.50",
      excludedTags: "wholesale, , Staff , staff, WHOLESALE",
      redeemOptions: [
        ...form.redeemOptions,
        { id: "ten-pct", kind: "percent_off", title: "10% off", pointsCost: "900", value: "10", minimumOrder: "20" },
        { id: "ship", kind: "free_shipping", title: "Free shipping", pointsCost: "300", value: "", minimumOrder: "" },
      ],
    });

    expect(result).toEqual({ ok: true, changed: true, version: 2 });
    expect(await versionsOf(shop)).toMatchObject([
      { version: 1, actor: "tally", actorName: null },
      { version: 2, actor: "staff:12345", actorName: "Alex Morgan" },
    ]);
    const { settings } = await getProgram({ ctx: contextFor(shop, "test") });
    expect(settings).toMatchObject({
      pointsName: "stars",
      pointsPerUnit: 2,
      unitMinor: 250,
      // One tag whatever its case, spelled as the merchant first typed it.
      excludedTags: ["wholesale", "Staff"],
    });
    expect(settings.redeemOptions.slice(1)).toEqual([
      {
        id: "ten-pct",
        kind: "percent_off",
        title: "10% off",
        pointsCost: 900,
        percent: 10,
        minimumSubtotalMinor: 2000,
      },
      { id: "ship", kind: "free_shipping", title: "Free shipping", pointsCost: 300, minimumSubtotalMinor: 0 },
    ]);
    const reloaded = await loadSettings(shop);
    expect(reloaded.versions).toMatchObject([
      { version: 2, actor: "staff:12345", actorName: "Alex Morgan" },
      { version: 1, actor: "tally", changes: null },
    ]);
    expect(reloaded.versions[0]!.changes!.map((change) => change.kind)).toEqual([
      "name",
      "earningRate",
      "excludedTags",
      "rewardAdded",
      "rewardAdded",
    ]);
    expect(reloaded.form).toMatchObject({ unitAmount: "2.50", excludedTags: "wholesale, Staff" });
  });

  it("answers 400 with the error under the field's path for a percent of 150, and saves nothing", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    const response = await save(shop, {
      ...form,
      unitAmount: "1.005",
      redeemOptions: [
        { id: "big", kind: "percent_off", title: "Too much", pointsCost: "10", value: "150", minimumOrder: "" },
      ],
    });

    expect(response).toBeInstanceOf(Response);
    const answer = response as Response;
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { code: string; fieldErrors: Record<string, string[]> };
    expect(body.code).toBe("invalid_input");
    expect(body.fieldErrors["redeemOptions.0.percent"]).toEqual(["Percent off must be a whole number from 1 to 100"]);
    // 1.005 is positive: what is wrong is the third decimal, said as the store credit form says it.
    expect(body.fieldErrors["unitMinor"]).toEqual(["Per amount spent: USD has 2 decimal places"]);
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("refuses a too-long reward title, points name and excluded tag in the words every bounded field uses", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    const tag = "w".repeat(300);
    const response = await save(shop, {
      ...form,
      pointsName: "p".repeat(21),
      excludedTags: `wholesale, ${tag}`,
      redeemOptions: [
        { id: "long", kind: "free_shipping", title: "t".repeat(75), pointsCost: "10", value: "", minimumOrder: "" },
      ],
    });

    expect(response).toBeInstanceOf(Response);
    const answer = response as Response;
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { fieldErrors: Record<string, string[]> };
    // Each under its own field, so the field's label says what is too long; a tag among others names itself.
    expect(body.fieldErrors["redeemOptions.0.title"]).toEqual([
      "Title: keep it to 60 characters or fewer (this is 75)",
    ]);
    expect(body.fieldErrors["pointsName"]).toEqual(["Points name: keep it to 20 characters or fewer (this is 21)"]);
    expect(body.fieldErrors["excludedTags.1"]).toEqual([
      `Tag \u201c${"w".repeat(20)}\u2026\u201d: keep it to 255 characters or fewer (this is 300)`,
    ]);
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("keeps every version and says what each changed, in the shop's currency and points names", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    await save(shop, { ...form, signupBonus: "150", excludedTags: "wholesale" });
    const second = (await loadSettings(shop)).form;
    await save(shop, { ...second, pointsName: "stars", pointName: "star", signupBonus: "1" });
    const { versions, currency } = await loadSettings(shop);

    expect(versions.map((entry) => entry.version)).toEqual([3, 2, 1]);
    const lines = versions.map((entry) =>
      entry.changes
        ? describeProgramChanges(
            entry.changes,
            currency,
            createFormatter({ locale: "en", pointsNames: entry.pointsNames }),
          )
        : "defaults",
    );
    expect(lines).toEqual([
      "Points name points → stars; singular points name point → star; sign-up bonus 150 → 1 star",
      "Sign-up bonus 100 → 150 points; excluded tags added: wholesale",
      "defaults",
    ]);
  });

  it("names no one when Shopify gave the session no name, and history says so", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop, undefined, null);
    const { form } = await loadSettings(shop);
    await save(shop, { ...form, pendingDays: "14" });
    const [newest] = (await loadSettings(shop)).versions;
    expect(newest).toMatchObject({ version: 2, actor: "staff:12345", actorName: null });
    expect(actorLabel(newest!.actor, newest!.actorName)).toBe("Staff member (name not given by Shopify)");
  });

  it("answers a negative pending period with zod's message on that field, not the browser's", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    const response = (await save(shop, { ...form, pendingDays: "-5", pointName: " " })) as Response;
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string[]> };
    expect(body.fieldErrors).toEqual({
      pendingDays: ["Pending period can't be below 0 days"],
      pointName: ["Singular: say what one point is called, like point"],
    });
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("answers a minus typed as the true minus with the field's bound, in a points and a money field", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    const response = (await save(shop, { ...form, signupBonus: "\u221250", unitAmount: "\u22121.00" })) as Response;
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string[]> };
    expect(body.fieldErrors).toEqual({
      signupBonus: ["Sign-up bonus can't be below 0"],
      unitMinor: ["Per amount spent can't be below 0.01"],
    });
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("creates no version when nothing changed", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    expect(await save(shop, form)).toEqual({ ok: true, changed: false, version: 1 });
    expect(await versionsOf(shop)).toEqual([]);
  });

  it("answers 400 to a post that is not the settings form", async () => {
    const shop = await freshShop();
    const response = await save(shop, "{not json");
    expect((response as Response).status).toBe(400);
    expect(await versionsOf(shop)).toEqual([]);
  });
});
