import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { defaultPointsReminderTemplate } from "~/domain/email";
import { defaultSettings } from "~/domain/program";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as startJob } from "~/routes/app.jobs._index";
import { action as emailSettingsAction } from "~/routes/app.settings_.emails";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { saveProgram } from "~/services/program/save-program.server";
import { findCustomerIdByGid } from "~/services/storefront/get-storefront-view.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { answerOf, postAsAdmin } from "../helpers/route-answers";
import { Shopper } from "../helpers/shopper";
import { sessionTokenRequest } from "../helpers/signed-requests";
import { useSmtpSink } from "../helpers/smtp-sink";

/*
 * A tester renamed the cheapest reward "Mug voucher 🎉": the storefront called it that, the points reminder "$5.00 CAD
 * off", and it told a customer who had redeemed it already "363 stars more to your first reward". The reminder names a
 * reward as the widget does (decision 051: the merchant's title as written) and says "next", true of everyone.
 */

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const sandboxOf = useSandboxWithProxyApp();

const { sendAll } = useSmtpSink();

describe("the points reminder names the reward as the storefront does", () => {
  it("says the merchant's own title of the cheapest reward, and 'next' not 'first' to a customer who has redeemed", async () => {
    const shop = await newShopDomain();
    const sandbox = sandboxOf();
    sandbox.control.createShop({ shop, currency: "CAD" });
    await installThroughAdmin(sandbox, shop);
    const staff = contextFor(shop, "staff");
    const defaults = defaultSettings("CAD");
    // The merchant renames the default "$5.00 off" in Settings, and names the points.
    const [fiveOff, ...others] = defaults.redeemOptions;
    await saveProgram({
      ctx: staff,
      input: {
        ...defaults,
        pointsName: "stars",
        pointName: "star",
        redeemOptions: [{ ...fiveOff!, title: "Mug voucher 🎉" }, ...others],
      },
    });

    // Ana signs up (100 stars), is given 537 more, redeems the mug voucher on the storefront: 137 stars left.
    const created = sandbox.control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });
    const numericId = String(created.id).replace(/\D/g, "");
    sandbox.control.setMarketingConsent({ shop, customerId: numericId, subscribed: true });
    await sandbox.control.idle();
    const customerId = await findCustomerIdByGid({
      ctx: staff,
      input: { customerGid: `gid://shopify/Customer/${numericId}` },
    });
    await adjustPoints({
      ctx: staff,
      input: { customerId: customerId!, points: 537, reason: "Gift", requestId: "g1" },
    });
    const shopper = new Shopper(sandbox.origin, shop);
    shopper.setCookie("sandbox_customer", numericId);
    const redeemed = await fetch(`${sandbox.origin}/apps/tally/v1/redeem`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: shopper.cookie },
      body: JSON.stringify({ optionId: fiveOff!.id }),
    });
    expect(redeemed.status).toBe(200);

    // What the storefront widget shows: the merchant's title, as written in every language (no terms to translate).
    await sandbox.control.idle();
    const me = await shopper.get("/apps/tally/v1/me");
    const view = JSON.parse(me.text) as {
      customer: { points: number };
      program: { redeem: Array<{ id: string; title: string; titleTerms: unknown }> };
    };
    expect(view.customer.points).toBe(137);
    const widgetOption = view.program.redeem.find((option) => option.id === fiveOff!.id)!;
    expect(widgetOption).toMatchObject({ title: "Mug voucher 🎉", titleTerms: null });

    // Staff email her a points reminder from the directory, customers short of a reward included.
    const request = await sessionTokenRequest(shop, "/app/jobs", {
      method: "POST",
      body: new URLSearchParams({
        kind: "customers.points-reminder",
        input: JSON.stringify({ selection: { ids: [customerId] }, onlyRedeemable: false }),
        requestId: "remind-mug",
      }),
    });
    expect((await answerOf(() => startJob({ request, params: {}, context: {} } as Args))).status).toBe(302);
    await createTaskRunner({ shops: [shop] }).drain();
    const mails = await sendAll(shop);
    expect(mails.map((mail) => mail.to)).toEqual([["ana@example.com"]]);
    const { subject, text, html } = mails[0]!.parsed;

    expect(subject).toMatch(/^363 stars more to your next reward at /);
    expect(text).toContain(`363 stars more to your next reward, ${widgetOption.title} for 500 stars.`);
    expect(html).toContain(`<strong>${widgetOption.title} for 500 stars</strong>`);
    for (const part of [subject, text, html]) {
      expect(part).not.toMatch(/first reward/i);
      expect(part).not.toContain("5.00");
    }

    // Settings › Emails previews the same words for its sample customer short of the reward.
    const answer = await postAsAdmin(
      emailSettingsAction,
      shop,
      "/app/settings/emails?kind=points_reminder",
      new URLSearchParams({ intent: "preview", sample: "member_short", ...defaultPointsReminderTemplate }),
    );
    const { preview } = (await answer.json()) as { preview: { subject: string; text: string } };
    expect(preview.subject).toMatch(/^\d+ stars more to your next reward at /);
    expect(preview.text).toMatch(/stars more to your next reward, Mug voucher 🎉 for 500 stars\./);
  });
});
