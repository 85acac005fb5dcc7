import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSettings } from "~/domain/program";
import { programSettingsToForm } from "~/domain/program/settings-form";
import { closeSmtpTransports, smtpTransport } from "~/email/smtp-transport.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as startJob } from "~/routes/app.jobs._index";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { sendQueuedEmails } from "~/services/email/send-queued-emails.server";
import { findCustomerIdByGid } from "~/services/storefront/get-storefront-view.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { answerOf, postAsAdmin } from "../helpers/route-answers";
import { Shopper } from "../helpers/shopper";
import { sessionTokenRequest } from "../helpers/signed-requests";
import { fixedShopAddress, startSmtpSink, type ReceivedMail } from "../helpers/smtp-sink";

/*
 * A merchant raised the default "$5.00 off" reward to $10 in Settings and left its title alone: the title, which Tally
 * had generated, kept saying $5.00 on the storefront and in emails (decision 066: it now follows the value).
 */

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const sandboxOf = useSandboxWithProxyApp();

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  closeSmtpTransports();
  await sink.close();
});

describe("a reward's generated title follows its value when the merchant changes it", () => {
  it("names the $5 reward raised to $10 '$10.00 off' in Settings, on the storefront and in the points reminder, though the form posted '$5.00 off'", async () => {
    const shop = await newShopDomain();
    const sandbox = sandboxOf();
    sandbox.control.createShop({ shop, currency: "CAD" });
    await installThroughAdmin(sandbox, shop);
    const staff = contextFor(shop, "staff");

    // The settings page posts the reward with its value changed and the title it opened with.
    const form = programSettingsToForm(defaultSettings("CAD"), "CAD");
    const [fiveOff] = form.redeemOptions;
    expect(fiveOff).toMatchObject({ title: "$5.00 off", value: "5.00" });
    const saved = await postAsAdmin(
      settingsAction,
      shop,
      "/app/settings",
      new URLSearchParams({
        settings: JSON.stringify({ ...form, redeemOptions: [{ ...fiveOff!, value: "10.00" }] }),
      }),
    );
    expect(await saved.json()).toMatchObject({ ok: true, changed: true });
    const page = (await settingsLoader({
      request: await sessionTokenRequest(shop, "/app/settings"),
      params: {},
      context: {},
    } as Args)) as { form: typeof form };
    expect(page.form.redeemOptions[0]).toMatchObject({ title: "$10.00 off", value: "10.00" });

    // The storefront words it from its value, in the shopper's language (terms, not the merchant's text).
    const created = sandbox.control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });
    const numericId = String(created.id).replace(/\D/g, "");
    sandbox.control.setMarketingConsent({ shop, customerId: numericId, subscribed: true });
    await sandbox.control.idle();
    const shopper = new Shopper(sandbox.origin, shop);
    shopper.setCookie("sandbox_customer", numericId);
    const view = JSON.parse((await shopper.get("/apps/tally/v1/me")).text) as {
      program: { redeem: Array<{ id: string; title: string; titleTerms: { value: number } | null }> };
    };
    const option = view.program.redeem.find(({ id }) => id === fiveOff!.id)!;
    expect(option.title).toMatch(/10\.00/);
    expect(option.titleTerms).toMatchObject({ kind: "fixed_amount_off", value: 1000 });

    // The points reminder to Ana (100 points from signing up) names the $10 reward.
    const customerId = await findCustomerIdByGid({
      ctx: staff,
      input: { customerGid: `gid://shopify/Customer/${numericId}` },
    });
    const request = await sessionTokenRequest(shop, "/app/jobs", {
      method: "POST",
      body: new URLSearchParams({
        kind: "customers.points-reminder",
        input: JSON.stringify({ selection: { ids: [customerId] }, onlyRedeemable: false }),
        requestId: "remind-ten",
      }),
    });
    expect((await answerOf(() => startJob({ request, params: {}, context: {} } as Args))).status).toBe(302);
    await createTaskRunner({ shops: [shop] }).drain();
    const before = sink.received.length;
    await sendQueuedEmails({
      ctx: contextFor(shop, "tally-jobs"),
      transport: () => smtpTransport(sink.url),
      senderAddress: fixedShopAddress,
    });
    const mails: ReceivedMail[] = sink.received.slice(before);
    expect(mails.map((mail) => mail.to)).toEqual([["ana@example.com"]]);
    const { text, html } = mails[0]!.parsed;
    expect(text).toMatch(/400 points more to your next reward, \$10\.00 (CAD )?off for 500 points\./);
    for (const part of [text, html]) expect(part).not.toContain("5.00");
  });
});
