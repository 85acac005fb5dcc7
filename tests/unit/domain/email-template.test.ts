import { describe, expect, it } from "vitest";
import {
  classifySmtpFailure,
  defaultInvitationTemplate,
  defaultPointsReminderTemplate,
  renderPointsReminder,
  renderSampleEmail,
  samplePointsReminderValues,
  maxSendAttempts,
  nextAttemptAt,
  renderInvitation,
  sampleInvitationValues,
  sendAllowance,
  templateRefusalWords,
  describePlaceholders,
  emailTemplateFaults,
  isPointsReminderCase,
  missingArgumentWords,
  pointsReminderCasesMissed,
  pointsReminderSamples,
  type EmailTemplate,
  type InvitationValues,
  type PointsReminderSample,
  type PointsReminderValues,
} from "~/domain/email";

const values: InvitationValues = {
  shopName: `Bob's "Bikes" & Boards`,
  firstName: "<script>alert(1)</script>",
  referralLink: "https://bikes.myshopify.com/apps/tally/r/ABC?x=1&y=2",
  storefrontLink: "https://bikes.myshopify.com/apps/tally/?x=1&y=2",
  friendReward: "10% off",
  advocateReward: "500 points",
  pointsName: "points",
};

describe("the invitation template", () => {
  it("escapes every value in the HTML part and leaves the subject and text as typed", () => {
    const email = renderInvitation(defaultInvitationTemplate, values);
    expect(email.html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("Bob&#39;s &#34;Bikes&#34; &amp; Boards");
    expect(email.html).toContain('href="https://bikes.myshopify.com/apps/tally/?x=1&amp;y=2"');
    expect(email.html).toContain("Or copy it: https://bikes.myshopify.com/apps/tally/r/ABC?x=1&amp;y=2");
    expect(email.text).toContain(`Thanks for shopping with Bob's "Bikes" & Boards.`);
    expect(email.subject).toBe(`<script>alert(1)</script>, give your friends a gift from Bob's "Bikes" & Boards`);
  });

  it("greets a customer without a first name as the template's default says", () => {
    const email = renderInvitation(defaultInvitationTemplate, { ...values, firstName: null });
    expect(email.text.startsWith("Hi there,")).toBe(true);
    expect(email.subject.startsWith("Hi, give your friends")).toBe(true);
  });

  it("refuses any placeholder it does not know, naming the part and the placeholders it knows", () => {
    for (const part of ["subject", "html", "text"] as const) {
      const template = { ...defaultInvitationTemplate, [part]: "Hello {{ customer.email }}" };
      expect(() => renderInvitation(template, values)).toThrow(
        expect.objectContaining({
          code: "invalid_input",
          details: {
            fieldErrors: {
              [part]: [
                expect.stringContaining(
                  "{{ customer }} is not a placeholder of this email. Use {{ shop_name }}, {{ first_name }}, {{ referral_link }}",
                ),
              ],
            },
          },
        }),
      );
    }
  });

  it("reads no file and runs no unbounded loop", () => {
    for (const html of ["{% include '/etc/passwd' %}", "{% render 'secrets' %}", "{% layout 'x' %}{{ shop_name }}"]) {
      expect(() => renderInvitation({ ...defaultInvitationTemplate, html }, values)).toThrow(
        expect.objectContaining({ code: "invalid_input" }),
      );
    }
    const loop = "{% for i in (1..100000000) %}{{ shop_name }}{% endfor %}";
    expect(() => renderInvitation({ ...defaultInvitationTemplate, text: loop }, values)).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
  });

  it("previews with a sample customer at the shop's own link", () => {
    const sample = sampleInvitationValues({ domain: "bikes.myshopify.com", name: null });
    expect(sample).toMatchObject({ shopName: "bikes", firstName: "Ana" });
    expect(renderInvitation(defaultInvitationTemplate, sample).text).toContain(
      "Your link: https://bikes.myshopify.com/apps/tally/r/SAMPLE2345",
    );
  });

  it("sends Share your link to the rewards page, where the customer shares; the link itself is for friends", () => {
    const email = renderInvitation(
      defaultInvitationTemplate,
      sampleInvitationValues({ domain: "bikes.myshopify.com", name: null }),
    );
    expect(/<a href="([^"]*)"[^>]*>Share your link<\/a>/.exec(email.html)?.[1]).toBe(
      "https://bikes.myshopify.com/apps/tally/",
    );
    expect(email.html).toContain("Or copy it: https://bikes.myshopify.com/apps/tally/r/SAMPLE2345");
    expect(email.text).toContain(
      "Share it from the store's rewards page, signed in: https://bikes.myshopify.com/apps/tally/",
    );
  });
});

describe("a refused template's banner", () => {
  it("names every field's reason as a sentence, in the editor's order, and a Liquid error's as it is", () => {
    expect(templateRefusalWords({ subject: ["Subject: keep it to 200 characters or fewer (this is 201)"] })).toBe(
      "Subject: keep it to 200 characters or fewer (this is 201).",
    );
    expect(
      templateRefusalWords({
        text: ["Write the plain-text version"],
        subject: ["Subject: keep it to 200 characters or fewer (this is 201)", "The subject must be one line"],
      }),
    ).toBe(
      "Subject: keep it to 200 characters or fewer (this is 201). The subject must be one line. Write the plain-text version.",
    );
    const liquid = "In the subject: {{ frist_name }} is not a placeholder of this email. Use {{ first_name }}.";
    expect(templateRefusalWords({ subject: [liquid] })).toBe(liquid);
  });
});

describe("the outbox's rules", () => {
  it("retries transient failures (4xx, no answer) and never a 5xx", () => {
    expect(classifySmtpFailure(550, "5.1.1 no such user").permanent).toBe(true);
    expect(classifySmtpFailure(554, "rejected").permanent).toBe(true);
    expect(classifySmtpFailure(451, "try later").permanent).toBe(false);
    expect(classifySmtpFailure(421, "closing").permanent).toBe(false);
    expect(classifySmtpFailure(undefined, "ECONNREFUSED").permanent).toBe(false);
  });

  it("backs off longer after each attempt, and gives up after the last", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const waits = [];
    for (let attempt = 1; attempt < maxSendAttempts; attempt += 1)
      waits.push(nextAttemptAt(attempt, now)!.getTime() - now.getTime());
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(new Set(waits).size).toBe(waits.length);
    expect(nextAttemptAt(maxSendAttempts, now)).toBeNull();
  });

  it("allows what is left of the minute's rate, never less than nothing", () => {
    expect(sendAllowance(60, 0)).toBe(60);
    expect(sendAllowance(60, 59)).toBe(1);
    expect(sendAllowance(60, 75)).toBe(0);
  });

  describe("a Liquid mistake is told in a merchant's words: the part, the line and what to change", () => {
    const cases: Array<[string, string, string]> = [
      ["a misspelt placeholder", "<p>Hi</p>\n<p>{{ frist_name }}</p>", "line 2: {{ frist_name }} is not a placeholder"],
      ["a misspelt filter", "<p>\n{{ first_name | upcas }}</p>", 'line 2: "| upcas" is not a Liquid filter'],
      ["an unknown tag", "<p>\n\n{% iff first_name %}x{% endif %}</p>", "line 3: {% iff %} is not a Liquid tag"],
      [
        "an if never closed",
        "<p>\n{% if first_name %}Hi</p>",
        "line 2: {% if %} is opened but never closed. Add {% endif %} after it.",
      ],
      ["a {{ never closed", "<p>\nHi {{ first_name </p>", "line 2: a {{ is opened but never closed. End it with }}."],
      ["a {% never closed", "<p>Hi {% if first_name </p>", "line 1: a {% is opened but never closed. End it with %}."],
      [
        "an end tag with nothing open",
        "<p>\n\n\nHi{% endif %}</p>",
        "line 4: {% endif %} closes a {% if %} that is not open",
      ],
    ];
    for (const [what, html, words] of cases) {
      it(what, () => {
        let message = "";
        try {
          renderInvitation({ ...defaultInvitationTemplate, html }, values);
        } catch (error) {
          message = (error as { message: string }).message;
        }
        expect(message).toContain(`In the HTML version, ${words}`);
        // Never liquidjs' own terms.
        expect(message).not.toMatch(/line:\d|col:\d|undefined variable|not found,|LiquidError/);
      });
    }

    it("names the subject without a line (it is one line)", () => {
      expect(() => renderInvitation({ ...defaultInvitationTemplate, subject: "Hi {{ nme }}" }, values)).toThrow(
        "In the subject: {{ nme }} is not a placeholder",
      );
    });
  });

  describe("a tag without its argument is told what it lacks, never that it is unclosed (newcomer)", () => {
    const shop = { domain: "bikes.myshopify.com", name: "Bikes & Co" };
    // [tag as typed, in a template that is otherwise right, the words after "line N: "]
    const cases: Array<[string, string, string]> = [
      ["{% if %}", "{% if %}Hi{% endif %}", "{% if %} needs a condition, like {% if first_name %}."],
      ["{%- if -%}", "{%- if -%}Hi{%- endif -%}", "{% if %} needs a condition, like {% if first_name %}."],
      [
        "{% unless %}",
        "{% unless %}Hi{% endunless %}",
        "{% unless %} needs a condition, like {% unless first_name %}.",
      ],
      [
        "{% elsif %}",
        "{% if first_name %}Hi{% elsif %}Hello{% endif %}",
        "{% elsif %} needs a condition, like {% elsif shop_name %}.",
      ],
      [
        "{% case %}",
        '{% case %}{% when "Ana" %}Hola{% endcase %}',
        "{% case %} needs a value to compare, like {% case first_name %}.",
      ],
      [
        "{% when %}",
        "{% case first_name %}{% when %}Hola{% endcase %}",
        '{% when %} needs a value to match, like {% when "Ana" %}.',
      ],
      [
        "{% for %}",
        "{% for %}x{% endfor %}",
        "{% for %} needs a name and what it goes through, like {% for i in (1..3) %}.",
      ],
      ["{% for i in %}", "{% for i in %}x{% endfor %}", "{% for %} needs a name and what it goes through"],
      [
        "{% tablerow %}",
        "{% tablerow %}x{% endtablerow %}",
        "{% tablerow %} needs a name and what it goes through, like {% tablerow i in (1..3) %}.",
      ],
      [
        "{% assign %}",
        "{% assign %}Hi",
        '{% assign %} needs a name, = and a value, like {% assign greeting = "Hi" %}.',
      ],
      ["{% assign greeting = %}", "{% assign greeting = %}Hi", "{% assign %} needs a name, = and a value"],
      ["{% capture %}", "{% capture %}Hi{% endcapture %}", "{% capture %} needs a name, like {% capture greeting %}."],
      ["{% cycle %}", "{% cycle %}", '{% cycle %} needs the values it takes in turn, like {% cycle "odd", "even" %}.'],
      ["{% increment %}", "{% increment %}", "{% increment %} needs a name, like {% increment count %}."],
      ["{% decrement %}", "{% decrement %}", "{% decrement %} needs a name, like {% decrement count %}."],
      ["{% echo %}", "{% echo %}", "{% echo %} needs what to show, like {% echo first_name %}."],
    ];
    for (const [tag, source, words] of cases) {
      it(`${tag} at save and preview`, () => {
        const text = `Hi {{ first_name }}\n${source}\n{{ referral_link }}`;
        const faults = emailTemplateFaults("invitation", { ...defaultInvitationTemplate, text }, shop);
        expect(faults).toEqual({ text: [expect.stringContaining(`In the plain-text version, line 2: ${words}`)] });
        expect(faults.text![0]).not.toMatch(/closed|cannot read/);
      });
    }

    it("in the sending path too, where liquidjs refuses the bare tag", () => {
      for (const [tag, source, words] of cases.filter(([tag]) => !/when|increment|decrement|echo/.test(tag)))
        expect(
          () => renderInvitation({ ...defaultInvitationTemplate, html: `<p>\n${source}</p>` }, values),
          tag,
        ).toThrow(`In the HTML version, line 2: ${words}`);
    });

    it("names every bare tag of a part at once, the subject without a line", () => {
      const faults = emailTemplateFaults(
        "invitation",
        {
          ...defaultInvitationTemplate,
          subject: "{% if %}Hi{% endif %}",
          text: "{% if %}a{% endif %}\n{% for %}{% endfor %}",
        },
        shop,
      );
      expect(faults).toEqual({
        subject: ["In the subject: {% if %} needs a condition, like {% if first_name %}."],
        text: [
          "In the plain-text version, line 1: {% if %} needs a condition, like {% if first_name %}.",
          "In the plain-text version, line 2: {% for %} needs a name and what it goes through, like {% for i in (1..3) %}.",
        ],
      });
    });

    it("says nothing of a tag that has its argument or takes none", () => {
      expect(missingArgumentWords("if", "first_name")).toBeUndefined();
      expect(missingArgumentWords("for", "i in (1..3) limit: 2")).toBeUndefined();
      expect(missingArgumentWords("assign", "greeting='Hi'")).toBeUndefined();
      expect(missingArgumentWords("else", "")).toBeUndefined();
      expect(missingArgumentWords("endif", "")).toBeUndefined();
      expect(missingArgumentWords("comment", "")).toBeUndefined();
      expect(missingArgumentWords("if", "  ")).toBe("{% if %} needs a condition, like {% if first_name %}.");
    });
  });

  it("renders the points reminder with the balance, the cheapest reward and the store's link, and refuses the invitation's placeholders", () => {
    const sample = samplePointsReminderValues({
      domain: "bikes.myshopify.com",
      name: "Bikes & Co",
      cheapestReward: "€5,00 EUR off for 500 points",
    });
    const email = renderPointsReminder(defaultPointsReminderTemplate, sample);
    expect(email.subject).toBe("Your 1,250 points at Bikes & Co are waiting");
    expect(email.text).toContain("Rewards start at €5,00 EUR off for 500 points");
    expect(email.text).toContain("https://bikes.myshopify.com/apps/tally/");
    expect(email.html).toContain("Bikes &amp; Co");
    expect(() =>
      renderPointsReminder({ ...defaultPointsReminderTemplate, text: "{{ referral_link }}" }, sample),
    ).toThrow(
      "{{ referral_link }} is not a placeholder of this email. Use {{ shop_name }}, {{ first_name }}, {{ points_balance }}",
    );
  });

  it("writes the sample customer's figures, the default button and the placeholder help in the program's points names", () => {
    const pointsNaming = { pointsName: "stars ⭐", pointName: "star ⭐" };
    const shop = { domain: "bikes.myshopify.com", name: "Bikes & Co", pointsNaming };
    const reminder = renderPointsReminder(defaultPointsReminderTemplate, samplePointsReminderValues(shop));
    expect(reminder.subject).toBe("Your 1,250 stars ⭐ at Bikes & Co are waiting");
    expect(reminder.text).toContain("Rewards start at $5.00 CAD off for 500 stars ⭐");
    expect(reminder.text).toContain("Use your stars ⭐ on the rewards page: https://bikes.myshopify.com/apps/tally/");
    expect(reminder.html).toContain(">Use your stars ⭐</a>");
    const invitation = renderInvitation(defaultInvitationTemplate, sampleInvitationValues(shop));
    expect(invitation.text).toContain("you get 500 stars ⭐ for each friend's first order");
    for (const [kind, figure] of [
      ["invitation", "500 stars ⭐"],
      ["points_reminder", "1,250 stars ⭐"],
    ] as const) {
      const help = describePlaceholders(kind, pointsNaming);
      expect(help.map(({ meaning }) => meaning).join("\n")).toContain(`"${figure}"`);
      expect(help.map(({ meaning }) => meaning).join("\n")).not.toMatch(/\bpoints"/);
      expect(help.find(({ name }) => name === "points_name")?.meaning).toBe(
        'What the program calls its points, e.g. "stars ⭐"',
      );
    }
    expect(
      renderInvitation({ ...defaultInvitationTemplate, text: "Earn {{ points_name }}" }, sampleInvitationValues(shop))
        .text,
    ).toBe("Earn stars ⭐");
  });
});

describe("the points reminder says how a shopper redeems in Tally", () => {
  it("sends them to the rewards page's Redeem, then checkout, never 'choose yours at checkout'", () => {
    const sample = renderSampleEmail("points_reminder", defaultPointsReminderTemplate, {
      domain: "bikes.myshopify.com",
      name: "Bikes",
    });
    for (const part of [sample.html, sample.text]) {
      expect(part).not.toContain("choose yours at checkout");
      expect(part).toContain("press Redeem next to the reward you want, then use it at checkout");
      expect(part).toContain("https://bikes.myshopify.com/apps/tally/");
    }
  });
});

describe("the points reminder says what each customer can do now (newcomer round 21)", () => {
  const shop = { domain: "bikes.myshopify.com", name: "Bikes", cheapestReward: "$5.00 CAD off for 500 points" };
  const reminder = (values: Partial<PointsReminderValues>) =>
    renderPointsReminder(defaultPointsReminderTemplate, { ...samplePointsReminderValues(shop), ...values });

  it("tells a Member who can redeem to sign in and press Redeem, with the points 'to spend'", () => {
    const email = reminder({ pointsBalance: "1,250 points", canRedeem: true, pointsNeeded: "", hasAccount: true });
    expect(email.subject).toBe("Your 1,250 points at Bikes are waiting");
    for (const part of [email.html, email.text]) {
      expect(part).toContain("sign in on the store's rewards page");
      expect(part).not.toContain("create an account");
      expect(part).not.toContain("/account/register");
    }
  });

  it("tells a Member short of the cheapest reward how many points it still needs, never 'to spend' or 'Redeem'", () => {
    const email = reminder({ pointsBalance: "100 points", canRedeem: false, pointsNeeded: "400 points" });
    expect(email.subject).toBe("400 points more to your next reward at Bikes");
    expect(email.text).toContain(
      "You have 100 points at Bikes: 400 points more to your next reward, $5.00 CAD off for 500 points.",
    );
    expect(email.html).toContain("<strong>400 points</strong> more to your next reward");
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toContain("to spend");
      expect(part).not.toContain("press Redeem");
    }
  });

  it("tells a Guest (no account) to create one with this email address, linking the store's registration page, which brings them back to the rewards page, never to sign in", () => {
    const email = reminder({
      pointsBalance: "100 points",
      canRedeem: false,
      pointsNeeded: "400 points",
      hasAccount: false,
    });
    expect(email.subject).toBe("400 points more to your next reward at Bikes");
    expect(email.text).toContain("create an account at Bikes with this email address");
    expect(email.text).toContain(
      "Create an account: https://bikes.myshopify.com/account/register?return_url=%2Fapps%2Ftally%2F",
    );
    expect(email.html).toContain('href="https://bikes.myshopify.com/account/register?return_url=%2Fapps%2Ftally%2F"');
    expect(email.html).toContain(">Create your account</a>");
    for (const part of [email.html, email.text]) {
      expect(part).not.toContain("sign in on the store's rewards page");
      expect(part).not.toContain("press Redeem");
    }
  });

  it("gives the Settings preview one sample per case, from the shop's cheapest reward's cost", () => {
    const withCost = { ...shop, cheapestCost: 1000 };
    expect(samplePointsReminderValues(withCost, "member")).toMatchObject({ canRedeem: true, hasAccount: true });
    expect(samplePointsReminderValues(withCost, "member_short")).toMatchObject({
      pointsBalance: "200 points",
      pointsNeeded: "800 points",
      canRedeem: false,
      hasAccount: true,
    });
    expect(samplePointsReminderValues(withCost, "guest_short")).toMatchObject({ canRedeem: false, hasAccount: false });
    expect(renderSampleEmail("points_reminder", defaultPointsReminderTemplate, withCost, "guest_short").text).toContain(
      "Create an account: https://bikes.myshopify.com/account/register?return_url=%2Fapps%2Ftally%2F",
    );
  });

  it("lets a merchant's own template branch on the flags: Liquid reads false as false", () => {
    const template = {
      ...defaultPointsReminderTemplate,
      text: "{% if has_account %}member{% else %}guest{% endif %} {% unless can_redeem %}needs {{ points_needed }}{% endunless %}",
    };
    const values = { ...samplePointsReminderValues(shop, "guest_short") };
    expect(renderPointsReminder(template, values).text).toBe("guest needs 400 points");
    expect(renderPointsReminder(template, samplePointsReminderValues(shop, "member")).text).toBe("member ");
  });
});

describe("Settings › Emails previews every case the reminder's words differ in", () => {
  const shop = { domain: "bikes.myshopify.com", name: "Bikes", cheapestCost: 500 };
  const samples = Object.keys(pointsReminderSamples) as PointsReminderSample[];

  it("has a sample customer for each combination of the flags a template branches on (has_account × can_redeem)", () => {
    // The flags are the reminder's boolean values: a new one doubles the combinations a sample must stand for. Whether
    // the store offers accounts (can_create_account) is the shop's, not a customer's: the preview shows the shop's own.
    const flags = Object.entries(samplePointsReminderValues(shop))
      .filter(([name, value]) => typeof value === "boolean" && name !== "canCreateAccount")
      .map(([name]) => name as keyof PointsReminderValues)
      .sort();
    expect(flags).toEqual(["canRedeem", "hasAccount"]);
    const combinations = new Set(
      samples.map((sample) => {
        const values = samplePointsReminderValues(shop, sample);
        return flags.map((flag) => `${flag}=${String(values[flag])}`).join(" ");
      }),
    );
    expect(combinations.size).toBe(2 ** flags.length);
    expect(samples).toHaveLength(2 ** flags.length);
  });

  it("previews a Guest as the shop's customer accounts make the email: the rewards page on new accounts, no account offered with sign-in off", () => {
    const onNew = renderSampleEmail(
      "points_reminder",
      defaultPointsReminderTemplate,
      { ...shop, customerAccounts: "new" },
      "guest",
    );
    expect(onNew.text).toContain("Create an account: https://bikes.myshopify.com/apps/tally/\n");
    expect(onNew.text).not.toContain("/account/register");
    const off = renderSampleEmail(
      "points_reminder",
      defaultPointsReminderTemplate,
      { ...shop, customerAccounts: "off" },
      "guest",
    );
    for (const part of [off.text, off.html]) {
      expect(part).toContain("Rewards need a customer account, and Bikes doesn't offer sign-in at the moment");
      expect(part).not.toMatch(/create (your|an) account/i);
    }
  });

  it("previews a Guest with enough points for a reward: told to create an account, not to sign in", () => {
    expect(pointsReminderSamples.guest.label).toBe("Émile, a Guest with enough points for a reward");
    const email = renderSampleEmail("points_reminder", defaultPointsReminderTemplate, shop, "guest");
    expect(email.subject).toBe("Your 1,250 points at Bikes are waiting");
    expect(email.text).toContain("Hi Émile,");
    expect(email.text).toContain("You have 1,250 points waiting at Bikes.");
    expect(email.text).toContain(
      "Create an account: https://bikes.myshopify.com/account/register?return_url=%2Fapps%2Ftally%2F",
    );
    expect(email.text).not.toContain("more to your next reward");
    for (const part of [email.html, email.text]) expect(part).not.toContain("sign in on the store's rewards page");
  });

  it("shows each sample different words from Tally's default: every branch is seen", () => {
    const bodies = samples.map(
      (sample) => renderSampleEmail("points_reminder", defaultPointsReminderTemplate, shop, sample).text,
    );
    expect(new Set(bodies).size).toBe(samples.length);
  });

  it("refuses a misspelt placeholder inside a branch no sample customer takes, naming its line", () => {
    const template: EmailTemplate = {
      ...defaultPointsReminderTemplate,
      text: 'Hi {{ first_name }},\n{% if first_name == "Zoe" %}Zoe: {{ points_balanse }}{% endif %}',
    };
    for (const sample of samples)
      expect(() => renderSampleEmail("points_reminder", template, shop, sample)).toThrow(
        expect.objectContaining({
          details: {
            fieldErrors: {
              text: [
                expect.stringMatching(
                  /^In the plain-text version, line 2: \{\{ points_balanse \}\} is not a placeholder of this email\. Use \{\{ shop_name \}\}, /,
                ),
              ],
            },
          },
        }),
      );
  });

  it("names every fault of a part at once: each unknown placeholder, and a Guest branch's fault found with them", () => {
    const template: EmailTemplate = {
      ...defaultPointsReminderTemplate,
      text: "Hi {{ frist_name }},\n{% unless has_account %}{{ shop_name.nope }}{% endunless %}\n{{ balanse }}",
    };
    const faults = emailTemplateFaults("points_reminder", template, shop, samples);
    expect(faults).toEqual({
      text: [
        expect.stringMatching(
          /^In the plain-text version: \{\{ frist_name \}\} \(line 1\) and \{\{ balanse \}\} \(line 3\) are not placeholders of this email\. Use \{\{ shop_name \}\}, /,
        ),
        // Once, though both Guest samples meet it; a Member's reminder does not, so a Member's preview says nothing of it.
        expect.stringMatching(/^In the plain-text version, line 2: \{\{ shop_name\.nope \}\} is not a placeholder/),
      ],
    });
    expect(emailTemplateFaults("points_reminder", template, shop, ["member"]).text).toHaveLength(1);
  });

  it("accepts the names a template gives itself (assign, capture, a for loop's)", () => {
    const template: EmailTemplate = {
      ...defaultPointsReminderTemplate,
      text: '{% assign who = first_name | default: "there" %}{% capture hi %}Hi {{ who }}{% endcapture %}{{ hi }}{% for n in (1..2) %}{{ forloop.index }}{% endfor %}',
    };
    expect(renderSampleEmail("points_reminder", template, shop, "guest").text).toMatch(/^Hi Émile12/);
  });
});

describe("a points reminder saved before it told its cases apart", () => {
  // Tally's points reminder before round 21: the same words for every customer.
  const oneForAll: EmailTemplate = {
    subject: "You have {{ points_balance }} to spend at {{ shop_name }}",
    html: "<p>Sign in on the store's rewards page and press Redeem: {{ storefront_link }}</p>",
    text: "Sign in on the store's rewards page and press Redeem: {{ storefront_link }}",
  };

  it("knows a case read back from storage by its name, and nothing else by it", () => {
    expect(["guests", "below_reward", "no_sign_in"].filter(isPointsReminderCase)).toEqual([
      "guests",
      "below_reward",
      "no_sign_in",
    ]);
    expect(["old_case", "toString", "constructor", "", 1, null, undefined].filter(isPointsReminderCase)).toEqual([]);
  });

  it("misses Guests and balances under the cheapest reward; Tally's default misses none", () => {
    expect(pointsReminderCasesMissed(oneForAll)).toEqual(["guests", "below_reward"]);
    expect(pointsReminderCasesMissed(defaultPointsReminderTemplate)).toEqual([]);
  });

  it("tells a case apart by its placeholder in any part or branch, and not by the word in a comment", () => {
    const guestsOnly = { ...oneForAll, text: "{% if has_account %}Sign in{% else %}Create an account{% endif %}" };
    expect(pointsReminderCasesMissed(guestsOnly)).toEqual(["below_reward"]);
    const needed = { ...oneForAll, subject: "{{ points_needed | default: points_balance }} at {{ shop_name }}" };
    expect(pointsReminderCasesMissed(needed)).toEqual(["guests"]);
    const comment = { ...oneForAll, html: "{% comment %}has_account can_redeem{% endcomment %}<p>Hi</p>" };
    expect(pointsReminderCasesMissed(comment)).toEqual(["guests", "below_reward"]);
  });

  it("misses a Guest on a store without sign-in only there, and only when it tells Guests apart", () => {
    // Decision 064's round: a Guest is told to create an account, with no `can_create_account` to say the store offers none.
    const createAnAccount = {
      ...oneForAll,
      text: "{% if has_account %}Sign in{% else %}Create an account: {{ register_link }}{% endif %}{{ points_needed }}",
    };
    const hidden = { signInOffered: false };
    expect(pointsReminderCasesMissed(createAnAccount, hidden)).toEqual(["no_sign_in"]);
    expect(pointsReminderCasesMissed(createAnAccount)).toEqual([]);
    expect(pointsReminderCasesMissed(createAnAccount, { signInOffered: true })).toEqual([]);
    // One that never tells Guests apart already says a Guest gets a Member's words: that case, not a second one.
    expect(pointsReminderCasesMissed(oneForAll, hidden)).toEqual(["guests", "below_reward"]);
    const toldApart = { ...createAnAccount, html: "{% if can_create_account %}Join{% endif %}" };
    expect(pointsReminderCasesMissed(toldApart, hidden)).toEqual([]);
    expect(pointsReminderCasesMissed(defaultPointsReminderTemplate, hidden)).toEqual([]);
  });
});
