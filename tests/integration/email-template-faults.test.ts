import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { action as emailSettingsAction } from "~/routes/app.settings_.emails";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { auditActions } from "../helpers/audit";
import { answerOf } from "../helpers/route-answers";
import { sessionTokenRequest } from "../helpers/signed-requests";

/*
 * A template with faults in more than one part (issue 10): the refusal names every one, each under its own field and
 * all in the banner, so a merchant does not correct the subject, save, and only then learn the body was wrong too.
 */

const args = (request: Request) => ({ request, params: {}, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs;

async function post(shop: string, kind: string, fields: Record<string, string>) {
  const answer = await answerOf(async () =>
    emailSettingsAction(
      args(
        await sessionTokenRequest(shop, `/app/settings/emails?kind=${kind}`, {
          method: "POST",
          body: new URLSearchParams(fields),
        }),
      ),
    ),
  );
  return {
    status: answer.status,
    ...((await answer.json()) as { error?: string; fieldErrors?: Record<string, string[]> }),
  };
}

describe("Settings → Emails, a template with several faults", () => {
  it("names the subject's unknown placeholders and the body's unclosed tag together, each on its field", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const refused = await post(shop, "invitation", {
      intent: "save",
      subject: "{{ frist_name }}, a gift from {{ shop }}",
      html: "<p>Hi</p>\n{% if first_name %}<p>{{ first_name }}</p>",
      text: "Hi {{ first_name }}\n{{ referal_link }}",
    });

    expect(refused.status).toBe(400);
    expect(refused.fieldErrors?.subject).toEqual([
      expect.stringMatching(
        /^In the subject: \{\{ frist_name \}\} and \{\{ shop \}\} are not placeholders of this email\. Use \{\{ shop_name \}\}/,
      ),
    ]);
    expect(refused.fieldErrors?.html).toEqual([
      "In the HTML version, line 2: {% if %} is opened but never closed. Add {% endif %} after it.",
    ]);
    expect(refused.fieldErrors?.text).toEqual([
      expect.stringMatching(/^In the plain-text version, line 2: \{\{ referal_link \}\} is not a placeholder/),
    ]);
    // The banner says all three, in the editor's order.
    expect(refused.error).toMatch(
      /^In the subject: \{\{ frist_name \}\} and \{\{ shop \}\} .* In the HTML version, line 2: \{% if %\} is opened but never closed\. .* In the plain-text version, line 2: \{\{ referal_link \}\}/,
    );
    expect(await auditActions(shop)).toEqual([]);
  });

  it("says what a bare {% if %} or {% when %} lacks, at preview and at save, never that a tag is unclosed", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    for (const intent of ["preview", "save"]) {
      const refused = await post(shop, "points_reminder", {
        intent,
        sample: "member",
        subject: "Your {{ points_balance }} points",
        html: "<p>Hi</p>\n{% if %}<p>{{ first_name }}</p>{% endif %}",
        text: '{% case first_name %}\n{% when %}Hola{% when "Ana" %}Hi{% endcase %}',
      });

      expect(refused.status).toBe(400);
      expect(refused.fieldErrors).toEqual({
        html: ["In the HTML version, line 2: {% if %} needs a condition, like {% if first_name %}."],
        text: ['In the plain-text version, line 2: {% when %} needs a value to match, like {% when "Ana" %}.'],
      });
      expect(refused.error).not.toMatch(/closed/);
    }
    expect(await auditActions(shop)).toEqual([]);
  });

  it("names a part too long beside the other parts' Liquid faults, which it still reads", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const refused = await post(shop, "points_reminder", {
      intent: "save",
      sample: "member",
      subject: `Your {{ points_balance }} ${"x".repeat(200)}`,
      html: "<p>{{ points_balance }}</p>{% unless has_account %}{{ 'a' | nope }}{% endunless %}",
      text: "{{ points_balance }} {% for x in (1..3) %}",
    });

    expect(refused.status).toBe(400);
    expect(refused.fieldErrors).toEqual({
      subject: ["Subject: keep it to 200 characters or fewer (this is 226)"],
      html: [expect.stringMatching(/^In the HTML version, line 1: "\| nope" is not a Liquid filter/)],
      text: ["In the plain-text version, line 1: {% for %} is opened but never closed. Add {% endfor %} after it."],
    });
    expect(refused.error).toMatch(
      /^Subject: keep it to 200 characters or fewer \(this is 226\)\. In the HTML version.* In the plain-text/,
    );
  });

  it("refuses a subject pasted at several times its limit in words under the field, not as a bad request", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const pasted = "Your points are waiting, come and spend them before the season ends. ".repeat(8);
    expect(pasted.trim().length).toBeGreaterThan(400);
    for (const intent of ["preview", "save"]) {
      const refused = await post(shop, "invitation", {
        intent,
        subject: pasted,
        html: "<p>Hi {{ first_name }}</p>",
        text: "Hi {{ first_name }}",
      });
      expect(refused.status).toBe(400);
      const words = `Subject: keep it to 200 characters or fewer (this is ${pasted.trim().length})`;
      expect(refused.fieldErrors).toEqual({ subject: [words] });
      expect(refused.error).toBe(`${words}.`);
    }
    expect(await auditActions(shop)).toEqual([]);
  });
});
