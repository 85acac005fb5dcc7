import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { programVersions } from "~/db/schema";
import type { ProgramSettingsForm } from "~/domain/program/settings-form";
import { action, loader } from "~/routes/app.settings";
import { getProgram } from "~/services/program/get-program.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const args = (request: Request) => ({ request, params: {}, context: {} });

async function freshShop() {
  const shop = newShopDomain();
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

function versionsOf(shop: string) {
  return db.select().from(programVersions).where(eq(programVersions.shop, shop)).all();
}

describe("Settings", () => {
  it("shows the install defaults for a fresh shop, with no history yet", async () => {
    const shop = await freshShop();
    const data = await loadSettings(shop);
    expect(data).toMatchObject({
      version: 1,
      currency: "USD",
      versions: [],
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
          { id: "five-off", kind: "fixed_amount_off", pointsCost: "500", value: "5.00", minimumOrder: "0.00" },
        ],
      },
    });
  });

  it("saves a change as version 2 recorded under the staff member", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    const result = await save(shop, {
      ...form,
      pointsName: "stars",
      pointsPerUnit: "2",
      unitAmount: "2.50",
      excludedTags: "wholesale, Staff , staff",
      redeemOptions: [
        ...form.redeemOptions,
        { id: "ten-pct", kind: "percent_off", title: "10% off", pointsCost: "900", value: "10", minimumOrder: "20" },
        { id: "ship", kind: "free_shipping", title: "Free shipping", pointsCost: "300", value: "", minimumOrder: "" },
      ],
    });

    expect(result).toEqual({ ok: true, changed: true, version: 2 });
    expect(versionsOf(shop)).toMatchObject([{ version: 2, actor: "staff:12345" }]);
    const { settings } = getProgram({ ctx: contextFor(shop, "test") });
    expect(settings).toMatchObject({
      pointsName: "stars",
      pointsPerUnit: 2,
      unitMinor: 250,
      excludedTags: ["wholesale", "staff"],
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
    expect(reloaded.versions).toMatchObject([{ version: 2, actor: "staff:12345" }]);
    expect(reloaded.form).toMatchObject({ unitAmount: "2.50", excludedTags: "wholesale, staff" });
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
    expect(body.fieldErrors["unitMinor"]).toHaveLength(1);
    expect(versionsOf(shop)).toEqual([]);
  });

  it("creates no version when nothing changed", async () => {
    const shop = await freshShop();
    const { form } = await loadSettings(shop);
    expect(await save(shop, form)).toEqual({ ok: true, changed: false, version: 1 });
    expect(versionsOf(shop)).toEqual([]);
  });

  it("answers 400 to a post that is not the settings form", async () => {
    const shop = await freshShop();
    const response = await save(shop, "{not json");
    expect((response as Response).status).toBe(400);
    expect(versionsOf(shop)).toEqual([]);
  });
});
