import { describe, expect, it } from "vitest";
import { loader as appLoader } from "~/routes/app";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";

async function frameFor(path: string) {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  const request = await sessionTokenRequest(shop, path);
  return (await appLoader({ request, params: {}, context: {} })) as { locale: string; knownLocale: boolean };
}

describe("the staff member's locale, as the admin loads the app with it", () => {
  it("is the admin's `locale` parameter, with its region, which tells the order of day and month", async () => {
    expect(await frameFor("/app/customers?locale=en-GB")).toMatchObject({ locale: "en-GB", knownLocale: true });
    expect(await frameFor("/app/customers?locale=fr")).toMatchObject({ locale: "fr", knownLocale: true });
  });

  it("is the online session's language without the parameter", async () => {
    // The sandbox's staff member reads the admin in "en" (tests/sandbox/auth.ts), which Intl reads as US English.
    expect(await frameFor("/app/customers")).toMatchObject({ locale: "en", knownLocale: true });
  });
});
