import { Liquid, LiquidError, TagToken, Tokenizer } from "liquidjs";
import { z } from "zod";
import { defaultPointsNaming, pointsInWords, type PointsNaming } from "~/domain/program";
import { DomainError, guestAccountUrl, tooLongError, type CustomerAccountsKind } from "~/domain/shared";
import { SAMPLE_UNSUBSCRIBE_PATH, withFooter } from "./footer";
import { emailPointsWords } from "./reward-words";
import type { EmailKind } from "./outbox";

/*
 * The emails a merchant writes (the referral invitation, the points reminder) are Liquid templates, rendered by liquidjs, the
 * engine Shopify's own themes speak, so `{{ first_name | default: "there" }}` works as a merchant expects. What the
 * merchant typed is trusted markup; what Tally fills in (a customer's name, the shop's name) is not: in the HTML part
 * every value is HTML-escaped (`outputEscape: "escape"`), in the subject and the text part it stays as typed.
 *
 * The engine reads no file (`templates: {}`: `{% include %}` and `{% render %}` find nothing), knows only the
 * placeholders below (`strictVariables`: a misspelt one is an error at save, not a blank in 10,000 emails), reads no
 * inherited property, and is bounded in parse size, render time and memory, so a template cannot stall the sender.
 */

/*
 * Placeholder help is written with the program's own points names (`examples`), so Settings › Emails shows "500 stars ⭐"
 * where the shop's emails will (newcomer round 17 read "500 points" there for a shop whose points are "stars ⭐").
 */

/** Said of the rewards' placeholders: a translation's are worded in its language when Tally has it (decision 059). */
const inTheirLanguage = "; in a French, German or Spanish version, in that language and its way of writing amounts";

/** The placeholders an invitation template may use, with what each holds. */
export const invitationPlaceholders = {
  shop_name: () => "The store's name",
  first_name: () => 'The customer\'s first name (empty when unknown: use | default: "there")',
  referral_link: () => "The customer's referral link, the one friends open",
  storefront_link: () => "The store's rewards page, where the customer, signed in, copies and shares their link",
  friend_reward: () =>
    `What a friend gets, amounts in the store's money format, e.g. "10% off their first order of $20.00 CAD or more"${inTheirLanguage}`,
  advocate_reward: (names: PointsNaming) =>
    `What the customer gets for each friend, e.g. "${pointsInWords(names, 500)}"${inTheirLanguage}`,
  points_name: (names: PointsNaming) => `What the program calls its points, e.g. "${names.pointsName}"`,
} as const;

export type InvitationPlaceholder = keyof typeof invitationPlaceholders;

/** The placeholders a points reminder (seed 000: high balances reminded of the ways to redeem) may use. */
export const pointsReminderPlaceholders = {
  shop_name: () => "The store's name",
  first_name: () => 'The customer\'s first name (empty when unknown: use | default: "there")',
  points_balance: (names: PointsNaming) =>
    `The customer's balance with the program's points name, e.g. "${pointsInWords(names, 1250)}"`,
  cheapest_reward: (names: PointsNaming) =>
    `The reward that costs fewest ${names.pointsName}, with its cost: your own title as you wrote it, e.g. "Mug voucher for ${pointsInWords(names, 500)}"; a title Tally gave it in the store's money format, e.g. "$5.00 CAD off for ${pointsInWords(names, 500)}"${inTheirLanguage}`,
  storefront_link: () => "The store's rewards page, where the customer signs in and redeems",
  points_name: (names: PointsNaming) => `What the program calls its points, e.g. "${names.pointsName}"`,
  can_redeem: () =>
    "True when the balance pays for the cheapest reward, for {% if can_redeem %}…{% else %}…{% endif %}",
  points_needed: (names: PointsNaming) =>
    `What the customer still needs for the cheapest reward, e.g. "${pointsInWords(names, 400)}" (empty when can_redeem)`,
  has_account: () =>
    "True for a Member (a customer account in the store); a Guest has points but must create an account to redeem them",
  register_link: () =>
    "Where a Guest creates a customer account and comes back to the rewards page: the store's account page on classic accounts, the rewards page (Join) on new customer accounts, the rewards page when the store offers no sign-in",
  can_create_account: () =>
    "True when the store offers customer accounts (its sign-in links are shown); false when it hides them, and a Guest cannot make an account to redeem",
} as const;

export type PointsReminderPlaceholder = keyof typeof pointsReminderPlaceholders;

/** What one invitation is filled with: prepared per customer by the referral program (prepareInvitation). */
export interface InvitationValues {
  shopName: string;
  firstName: string | null;
  referralLink: string;
  /** The store's rewards page (https://{shop}/apps/tally/), where the signed-in customer shares her link. */
  storefrontLink: string;
  friendReward: string;
  /** "250 stars ⭐" or "$5.00 CAD off": points in the program's names. */
  advocateReward: string;
  /** The program's plural points name ("stars ⭐"). */
  pointsName: string;
}

/** What one points reminder is filled with (preparePointsReminder), every figure already in words. */
export interface PointsReminderValues {
  shopName: string;
  firstName: string | null;
  pointsBalance: string;
  cheapestReward: string;
  storefrontLink: string;
  /** The program's plural points name ("stars ⭐"). */
  pointsName: string;
  /** The balance pays for the cheapest reward. */
  canRedeem: boolean;
  /** "400 stars ⭐": the points the cheapest reward still needs; "" when `canRedeem`. */
  pointsNeeded: string;
  /** A Member (a Shopify customer account); a Guest can redeem only once they create one. */
  hasAccount: boolean;
  /**
   * Where a Guest makes an account and comes back to the rewards page (guestAccountUrl, decision 064): classic accounts,
   * https://{shop}/account/register?return_url=%2Fapps%2Ftally%2F; new customer accounts or sign-in off, the rewards
   * page.
   */
  registerLink: string;
  /** The store shows sign-in links, so a Guest can make an account (false: customer accounts are off). */
  canCreateAccount: boolean;
}

export const emailTemplateLimits = { subject: 200, html: 100_000, text: 20_000 } as const;

/** A template as the merchant saves it: each part required, bounded, the subject on one line. */
export const emailTemplateSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(1, { error: "Write a subject" })
    .max(emailTemplateLimits.subject, { error: tooLongError(emailTemplateLimits.subject, "Subject") })
    .refine((text) => !/[\r\n]/.test(text), { error: "The subject must be one line" }),
  html: z
    .string()
    .trim()
    .min(1, { error: "Write the HTML version" })
    .max(emailTemplateLimits.html, { error: tooLongError(emailTemplateLimits.html, "HTML version") }),
  text: z
    .string()
    .trim()
    .min(1, { error: "Write the plain-text version" })
    .max(emailTemplateLimits.text, { error: tooLongError(emailTemplateLimits.text, "Plain-text version") }),
});

export type EmailTemplate = z.infer<typeof emailTemplateSchema>;

/**
 * The refusal of a template in one message for the banner above the editor: every field's reason, each a sentence, in
 * the editor's order ("Subject: keep it to 200 characters or fewer (this is 240). Write the HTML version."), as a Liquid error's
 * banner already names its problem; the same reasons stand under their fields (`fieldErrors`).
 */
export function templateRefusalWords(fieldErrors: Readonly<Record<string, readonly string[]>>): string {
  const order = Object.keys(emailTemplateSchema.shape);
  return Object.entries(fieldErrors)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .flatMap(([, messages]) => messages)
    .map((message) => (/[.!?]$/.test(message) ? message : `${message}.`))
    .join(" ");
}

/*
 * Its button opens the store's rewards page, where the customer signs in and finds the link with Copy, email, WhatsApp
 * and X: the link itself is the friends' page (a newcomer's "Share your link" opened a form asking for her own email).
 */

/** The invitation every shop starts with, until the merchant saves their own. */
export const defaultInvitationTemplate: EmailTemplate = {
  subject: '{{ first_name | default: "Hi" }}, give your friends a gift from {{ shop_name }}',
  html: `<div style="font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif; max-width: 560px; margin: 0 auto; padding: 24px; color: #202223;">
  <p>Hi {{ first_name | default: "there" }},</p>
  <p>Thanks for shopping with {{ shop_name }}. Share your link with friends: they get <strong>{{ friend_reward }}</strong>, and you get <strong>{{ advocate_reward }}</strong> for each friend's first order.</p>
  <p style="margin: 32px 0;"><a href="{{ storefront_link }}" style="background: #202223; color: #ffffff; padding: 12px 20px; border-radius: 6px; text-decoration: none;">Share your link</a></p>
  <p style="color: #6d7175; font-size: 14px;">Or copy it: {{ referral_link }}</p>
</div>`,
  text: `Hi {{ first_name | default: "there" }},

Thanks for shopping with {{ shop_name }}. Share your link with friends: they get {{ friend_reward }}, and you get {{ advocate_reward }} for each friend's first order.

Your link: {{ referral_link }}
Share it from the store's rewards page, signed in: {{ storefront_link }}`,
};

/*
 * The points reminder says what the customer can do now (newcomer round 21 read "100 points to spend" and "sign in …
 * press Redeem" sent to a Guest, who has no account, with a balance under the cheapest reward): a Member who can
 * redeem is told how; one short of the cheapest reward how many points it still needs; a Guest to create an account
 * with this email address (Shopify's account for the same address is the same customer, so the points follow), from
 * the subject on: "You have 1,250 points to spend" told a Guest with enough what she could not do yet (newcomer round
 * 23), so the subject says only what is true of both; the subject's 200 characters leave no room for a third branch.
 * The reward a customer short of it works towards is their "next", not their "first": a customer who has redeemed
 * before is reminded too (a tester read "more to your first reward" after redeeming 500 points).
 */

/** The points reminder every shop starts with, until the merchant saves their own. */
export const defaultPointsReminderTemplate: EmailTemplate = {
  subject:
    "{% if can_redeem %}Your {{ points_balance }} at {{ shop_name }} are waiting{% else %}{{ points_needed }} more to your next reward at {{ shop_name }}{% endif %}",
  html: `<div style="font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif; max-width: 560px; margin: 0 auto; padding: 24px; color: #202223;">
  <p>Hi {{ first_name | default: "there" }},</p>
  {%- if can_redeem %}
  <p>You have <strong>{{ points_balance }}</strong> waiting at {{ shop_name }}. Rewards start at <strong>{{ cheapest_reward }}</strong>.</p>
  {%- else %}
  <p>You have <strong>{{ points_balance }}</strong> at {{ shop_name }}: <strong>{{ points_needed }}</strong> more to your next reward, <strong>{{ cheapest_reward }}</strong>.</p>
  {%- endif %}
  {%- if has_account %}
  {%- if can_redeem %}
  <p>To use them, sign in on the store's rewards page (or open Rewards on any page of the store) and press Redeem next to the reward you want, then use it at checkout: a discount code, or store credit on your account.</p>
  <p style="margin: 32px 0;"><a href="{{ storefront_link }}" style="background: #202223; color: #ffffff; padding: 12px 20px; border-radius: 6px; text-decoration: none;">Use your {{ points_name }}</a></p>
  {%- else %}
  <p>Your balance and the rewards are on the store's rewards page, when you are signed in.</p>
  <p style="margin: 32px 0;"><a href="{{ storefront_link }}" style="background: #202223; color: #ffffff; padding: 12px 20px; border-radius: 6px; text-decoration: none;">See the rewards</a></p>
  {%- endif %}
  <p style="color: #6d7175; font-size: 14px;">The rewards page: {{ storefront_link }}</p>
  {%- elsif can_create_account %}
  <p>Your {{ points_name }} are kept for this email address. To redeem them, create an account at {{ shop_name }} with this email address; then, signed in, the store's rewards page shows your balance and a Redeem button for each reward you have enough for.</p>
  <p style="margin: 32px 0;"><a href="{{ register_link }}" style="background: #202223; color: #ffffff; padding: 12px 20px; border-radius: 6px; text-decoration: none;">Create your account</a></p>
  <p style="color: #6d7175; font-size: 14px;">Create an account: {{ register_link }}</p>
  {%- else %}
  <p>Your {{ points_name }} are kept for this email address. Rewards need a customer account, and {{ shop_name }} doesn't offer sign-in at the moment, so they can't be redeemed yet.</p>
  <p style="color: #6d7175; font-size: 14px;">The rewards page: {{ storefront_link }}</p>
  {%- endif %}
</div>`,
  text: `Hi {{ first_name | default: "there" }},
{% if can_redeem %}
You have {{ points_balance }} waiting at {{ shop_name }}. Rewards start at {{ cheapest_reward }}.
{% else %}
You have {{ points_balance }} at {{ shop_name }}: {{ points_needed }} more to your next reward, {{ cheapest_reward }}.
{% endif %}
{%- if has_account %}
{%- if can_redeem %}
To use them, sign in on the store's rewards page (or open Rewards on any page of the store) and press Redeem next to the reward you want, then use it at checkout: a discount code, or store credit on your account.

Use your {{ points_name }} on the rewards page: {{ storefront_link }}
{%- else %}
Your balance and the rewards are on the store's rewards page, when you are signed in: {{ storefront_link }}
{%- endif %}
{%- elsif can_create_account %}
Your {{ points_name }} are kept for this email address. To redeem them, create an account at {{ shop_name }} with this email address; then, signed in, the store's rewards page shows your balance and a Redeem button for each reward you have enough for.

Create an account: {{ register_link }}
{%- else %}
Your {{ points_name }} are kept for this email address. Rewards need a customer account, and {{ shop_name }} doesn't offer sign-in at the moment, so they can't be redeemed yet.

The rewards page: {{ storefront_link }}
{%- endif %}`,
};

/**
 * The shop a Settings preview is rendered for: its domain and name, its points names, and its own rewards in words as
 * its emails write them in the template's `language` (emailRewardWords: the shop's money format in English, decision
 * 041; French, German and Spanish by `Intl`, decision 059); a reward left out takes a sample's words, in the shop's
 * points names.
 */
export interface SampleShop {
  domain: string;
  name: string | null;
  /** The program's points names; Tally's defaults ("points") when left out. */
  pointsNaming?: PointsNaming;
  friendReward?: string;
  advocateReward?: string;
  cheapestReward?: string;
  /** The cheapest reward's cost in points; 500 when left out. */
  cheapestCost?: number;
  /** The shop's postal address as its emails' footer gives it; a stand-in naming where it comes from when unknown. */
  postalAddress?: readonly string[];
  /** How the shop's customers make an account (decision 064); "classic" when left out, as for a shop never read. */
  customerAccounts?: CustomerAccountsKind;
  /**
   * Where the links of a customer of the previewed language start, as the emails sent give them (storefrontRootFor,
   * decision 051): "https://example.com/fr"; `https://{domain}` when left out, as for a shop whose roots were never read.
   */
  storefrontRoot?: string;
  /**
   * The language the previewed template is written in ("fr"), for the footer's words and the sample's points
   * (emailPointsWords); English when left out. The rewards above are given in it.
   */
  language?: string;
}

/** The storefront root the sample customer's links start at, without a trailing slash. */
const sampleRoot = (shop: SampleShop) => (shop.storefrontRoot ?? `https://${shop.domain}`).replace(/\/+$/, "");

/** The customer the Settings preview shows: the shop's own name, rewards and links on the shop's storefront. */
export function sampleInvitationValues(shop: SampleShop): InvitationValues {
  const points = emailPointsWords(shop.language, shop.pointsNaming);
  return {
    shopName: shop.name ?? shop.domain.replace(/\.myshopify\.com$/, ""),
    firstName: "Ana",
    referralLink: `${sampleRoot(shop)}/apps/tally/r/SAMPLE2345`,
    storefrontLink: `${sampleRoot(shop)}/apps/tally/`,
    friendReward: shop.friendReward ?? "10% off their first order",
    advocateReward: shop.advocateReward ?? points.points(500),
    pointsName: points.pointsName,
  };
}

/**
 * The customers the Settings preview of the points reminder is shown for: one for each combination of the flags the
 * default template branches on (`has_account` × `can_redeem`), so every branch can be seen before it is sent, and a
 * save renders them all.
 */
export const pointsReminderSamples = {
  member: { label: "Ana, a Member who can redeem", hasAccount: true, canRedeem: true },
  member_short: { label: "Ana, a Member short of the cheapest reward", hasAccount: true, canRedeem: false },
  guest: { label: "Émile, a Guest with enough points for a reward", hasAccount: false, canRedeem: true },
  guest_short: { label: "Émile, a Guest short of the cheapest reward", hasAccount: false, canRedeem: false },
} as const satisfies Record<string, { label: string; hasAccount: boolean; canRedeem: boolean }>;

export type PointsReminderSample = keyof typeof pointsReminderSamples;

/**
 * The points reminder the Settings preview shows for `sample` (a Member who can redeem by default): a balance that
 * pays for the shop's cheapest reward (1,250 points, or its cost) or a fifth of its cost, that reward, the shop's name
 * and links.
 */
export function samplePointsReminderValues(
  shop: SampleShop,
  sample: PointsReminderSample = "member",
): PointsReminderValues {
  const names = shop.pointsNaming ?? defaultPointsNaming;
  const points = emailPointsWords(shop.language, names);
  const cost = shop.cheapestCost ?? 500;
  const { hasAccount, canRedeem } = pointsReminderSamples[sample];
  const balance = canRedeem ? Math.max(1250, cost) : Math.max(1, Math.floor(cost / 5));
  return {
    shopName: shop.name ?? shop.domain.replace(/\.myshopify\.com$/, ""),
    firstName: hasAccount ? "Ana" : "Émile",
    pointsBalance: points.points(balance),
    cheapestReward: shop.cheapestReward ?? `$5.00 CAD off for ${pointsInWords(names, cost)}`,
    storefrontLink: `${sampleRoot(shop)}/apps/tally/`,
    pointsName: points.pointsName,
    canRedeem: balance >= cost,
    pointsNeeded: balance >= cost ? "" : points.points(cost - balance),
    hasAccount,
    registerLink: guestAccountUrl(
      shop.customerAccounts ?? "classic",
      sampleRoot(shop),
      `${sampleRoot(shop)}/apps/tally/`,
    ),
    canCreateAccount: shop.customerAccounts !== "off",
  };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const engineOptions = {
  templates: {},
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 200_000,
  // Milliseconds of rendering and bytes of strings made: a `{% for %}` over a huge range stops here.
  renderLimit: 200,
  memoryLimit: 5_000_000,
};
const htmlEngine = new Liquid({ ...engineOptions, outputEscape: "escape" });
const textEngine = new Liquid(engineOptions);

function invitationScope(values: InvitationValues): Record<InvitationPlaceholder, string> {
  return {
    shop_name: values.shopName,
    first_name: values.firstName?.trim() ?? "",
    referral_link: values.referralLink,
    storefront_link: values.storefrontLink,
    friend_reward: values.friendReward,
    advocate_reward: values.advocateReward,
    points_name: values.pointsName,
  };
}

// The flags are booleans, not "yes"/"": Liquid counts every string, the empty one too, as true.
function pointsReminderScope(values: PointsReminderValues): Record<PointsReminderPlaceholder, string | boolean> {
  return {
    shop_name: values.shopName,
    first_name: values.firstName?.trim() ?? "",
    points_balance: values.pointsBalance,
    cheapest_reward: values.cheapestReward,
    storefront_link: values.storefrontLink,
    points_name: values.pointsName,
    can_redeem: values.canRedeem,
    points_needed: values.pointsNeeded,
    has_account: values.hasAccount,
    register_link: values.registerLink,
    can_create_account: values.canCreateAccount,
  };
}

const partNames: Record<keyof EmailTemplate, string> = {
  subject: "the subject",
  html: "the HTML version",
  text: "the plain-text version",
};

/**
 * A Liquid error as a merchant can act on it: where (the part and its line) and what to change, in words, never
 * liquidjs' own ("tag {% if x %} not closed, line:3, col:1"). The rules follow liquidjs' messages
 * (https://liquidjs.com/tutorials/strict-mode.html) and Shopify's Liquid reference for the words.
 */
export function describeLiquidError(
  error: LiquidError,
  part: keyof EmailTemplate,
  placeholders: readonly string[],
): string {
  const first = error.message.split("\n")[0] ?? error.message;
  const where = whereIn(part, /line:(\d+)/.exec(first)?.[1]);
  const bare = tagAt(error.token.input, error.token.begin);
  const missing = bare && missingArgumentWords(bare.name, bare.args);
  if (missing !== undefined) return `${where}: ${missing}`;
  let match: RegExpExecArray | null;
  if ((match = /undefined variable: ([\w.]+)/.exec(first)))
    return unknownPlaceholderWords(where, match[1]!, placeholders);
  if ((match = /undefined filter: (\w+)/.exec(first)))
    return `${where}: "| ${match[1]}" is not a Liquid filter. Check its spelling (for example | upcase, | default: "there").`;
  if ((match = /tag "end(\w+)" not found/.exec(first)))
    return `${where}: {% end${match[1]} %} closes a {% ${match[1]} %} that is not open there. Remove it, or open the ${match[1]} before it.`;
  if ((match = /tag "([^"]*)" not found/.exec(first)))
    return `${where}: {% ${match[1]} %} is not a Liquid tag this email can use (for example if, unless, for, case).`;
  if ((match = /tag \{%-?\s*(\w+)[^]*?not closed/.exec(first)))
    return `${where}: {% ${match[1]} %} is opened but never closed. Add {% end${match[1]} %} after it.`;
  if (/output "[^]*" not closed/.test(first)) return `${where}: a {{ is opened but never closed. End it with }}.`;
  if (/tag "[^]*" not closed/.test(first)) return `${where}: a {% is opened but never closed. End it with %}.`;
  if (/limit exceeded/i.test(first))
    return `${where}: the template takes too long to fill in for one customer. Make its loops shorter.`;
  return `${where}: Liquid cannot read this part of the template. Check that every {{ is closed by }} and every {% by %}.`;
}

/*
 * Liquid's tags that take an argument, what it is and one this email can use (the examples read placeholders both emails
 * have). liquidjs refuses most of them bare in words about an empty expression, which Tally could only guess at ("check
 * every {% is closed"); `{% when %}`, `{% echo %}` and `{% increment %}` it even takes bare, where Shopify's Liquid
 * (https://shopify.dev/docs/api/liquid/tags) asks for the argument. `fits` is the least the argument must have.
 */
const tagArguments: Record<string, { needs: string; like: string; fits: RegExp }> = {
  if: { needs: "a condition", like: "{% if first_name %}", fits: /\S/ },
  unless: { needs: "a condition", like: "{% unless first_name %}", fits: /\S/ },
  elsif: { needs: "a condition", like: "{% elsif shop_name %}", fits: /\S/ },
  case: { needs: "a value to compare", like: "{% case first_name %}", fits: /\S/ },
  when: { needs: "a value to match", like: '{% when "Ana" %}', fits: /\S/ },
  for: { needs: "a name and what it goes through", like: "{% for i in (1..3) %}", fits: /^[\w-]+\s+in\s+\S/ },
  tablerow: {
    needs: "a name and what it goes through",
    like: "{% tablerow i in (1..3) %}",
    fits: /^[\w-]+\s+in\s+\S/,
  },
  assign: { needs: "a name, = and a value", like: '{% assign greeting = "Hi" %}', fits: /^[\w-]+\s*=\s*\S/ },
  capture: { needs: "a name", like: "{% capture greeting %}", fits: /\S/ },
  cycle: { needs: "the values it takes in turn", like: '{% cycle "odd", "even" %}', fits: /\S/ },
  increment: { needs: "a name", like: "{% increment count %}", fits: /\S/ },
  decrement: { needs: "a name", like: "{% decrement count %}", fits: /\S/ },
  echo: { needs: "what to show", like: "{% echo first_name %}", fits: /\S/ },
};

/**
 * What a tag `name` given `args` (the text after its name, trimmed) lacks, in a merchant's words
 * ("{% if %} needs a condition, like {% if first_name %}."); undefined for a tag that has what it needs or takes no
 * argument. The rules and the words follow Shopify's Liquid reference (https://shopify.dev/docs/api/liquid/tags).
 */
export function missingArgumentWords(name: string, args: string): string | undefined {
  const rule = tagArguments[name];
  if (rule === undefined || rule.fits.test(args.trim())) return undefined;
  return `{% ${name} %} needs ${rule.needs}, like ${rule.like}.`;
}

/** `source`'s tags, each with its line; none when the source is not Liquid even to the tokenizer (an unclosed {%). */
function tagsOf(source: string): TagToken[] {
  try {
    return new Tokenizer(source).readTopLevelTokens().filter((token) => token instanceof TagToken);
  } catch {
    return [];
  }
}

/** The tag of `source` whose text holds the character at `offset`, if any. */
function tagAt(source: string, offset: number): TagToken | undefined {
  return tagsOf(source).find((tag) => tag.begin <= offset && offset <= tag.end);
}

/** Every tag of `source` that lacks its argument (missingArgumentWords), each said with its place in `part`. */
function missingArgumentsWords(part: keyof EmailTemplate, source: string): string[] {
  return tagsOf(source).flatMap((tag) => {
    const missing = missingArgumentWords(tag.name, tag.args);
    return missing === undefined ? [] : [`${whereIn(part, tag.getPosition()[0])}: ${missing}`];
  });
}

function whereIn(part: keyof EmailTemplate, line: number | string | undefined): string {
  return `In ${partNames[part]}${line !== undefined && part !== "subject" ? `, line ${line}` : ""}`;
}

function unknownPlaceholderWords(where: string, name: string, placeholders: readonly string[]): string {
  const known = placeholders.map((each) => `{{ ${each} }}`).join(", ");
  return `${where}: {{ ${name} }} is not a placeholder of this email. Use ${known}.`;
}

function invalidPart(part: keyof EmailTemplate, message: string): DomainError {
  return new DomainError("invalid_input", message, { fieldErrors: { [part]: [message] } });
}

/**
 * The placeholders `source` (one part of a template) reads, by name with the line of its first use, wherever they
 * stand, from liquidjs' static analysis (https://liquidjs.com/tutorials/static-analysis.html): those inside an
 * `{% if %}` branch no customer takes too, and not the names the template gives itself (`assign`, `capture`, a `for`
 * loop's). Answers the LiquidError instead for a part Liquid cannot read; throws any other error.
 */
function placeholdersRead(source: string): Map<string, number | undefined> | LiquidError {
  try {
    const { globals } = textEngine.parseAndAnalyzeSync(source);
    return new Map(Object.entries(globals).map(([name, uses]) => [name, uses[0]?.location?.row]));
  } catch (error) {
    if (!(error instanceof LiquidError)) throw error;
    return error;
  }
}

/**
 * The placeholders a part reads that the email does not have, wherever they stand, in one sentence: rendering
 * (strictVariables) only finds one in the branches the sample customer takes, so
 * `{% if first_name == "Zoe" %}{{ frist_name }}{% endif %}` would pass a preview and a save and then fail, or send a
 * blank, for Zoe. Every one is named, so a merchant corrects them all at once.
 */
function unknownPlaceholdersWords(
  part: keyof EmailTemplate,
  read: Map<string, number | undefined>,
  placeholders: readonly string[],
): string | undefined {
  const unknown = [...read].filter(([name]) => !placeholders.includes(name));
  if (unknown.length === 0) return undefined;
  if (unknown.length === 1) {
    const [[name, line]] = unknown as [[string, number | undefined]];
    return unknownPlaceholderWords(whereIn(part, line), name, placeholders);
  }
  const named = unknown.map(
    ([name, line]) => `{{ ${name} }}${line !== undefined && part !== "subject" ? ` (line ${line})` : ""}`,
  );
  const known = placeholders.map((each) => `{{ ${each} }}`).join(", ");
  return `${whereIn(part, undefined)}: ${named.slice(0, -1).join(", ")} and ${named.at(-1)} are not placeholders of this email. Use ${known}.`;
}

/** The data each sample customer fills a template of `kind` with: Ana's for the invitation; `samples`' for the reminder. */
function sampleScopes(
  kind: EmailKind,
  shop: SampleShop,
  samples: readonly PointsReminderSample[],
): Array<Record<string, string | boolean>> {
  return kind === "invitation"
    ? [invitationScope(sampleInvitationValues(shop))]
    : samples.map((sample) => pointsReminderScope(samplePointsReminderValues(shop, sample)));
}

/**
 * Every fault of `template` (a template of `kind`), by part in the editor's order, each part checked on its own, since
 * liquidjs stops at a part's first parse error: the part Liquid cannot read (its first error, in words), else every
 * placeholder the email does not have and what filling it in for each of `samples` (the points reminder's; the
 * invitation has Ana alone) refused, each reason once. `{}` when the template renders for every sample. Parts named in
 * `skip` (already refused as too long or empty) are not read. Never throws for the merchant's Liquid.
 */
export function emailTemplateFaults(
  kind: EmailKind,
  template: Readonly<Record<keyof EmailTemplate, string>>,
  shop: SampleShop,
  samples: readonly PointsReminderSample[] = ["member"],
  skip: ReadonlyArray<keyof EmailTemplate> = [],
): Partial<Record<keyof EmailTemplate, string[]>> {
  const placeholders = Object.keys(editableEmails[kind].placeholders);
  const scopes = sampleScopes(kind, shop, samples);
  const faults: Partial<Record<keyof EmailTemplate, string[]>> = {};
  for (const part of Object.keys(partNames) as Array<keyof EmailTemplate>) {
    if (skip.includes(part)) continue;
    // Said before Liquid reads the part: liquidjs refuses a bare tag in other words, or (`{% when %}`) not at all.
    const bare = missingArgumentsWords(part, template[part]);
    if (bare.length > 0) {
      faults[part] = [...new Set(bare)];
      continue;
    }
    const read = placeholdersRead(template[part]);
    if (read instanceof LiquidError) {
      faults[part] = [describeLiquidError(read, part, placeholders)];
      continue;
    }
    const found = [unknownPlaceholdersWords(part, read, placeholders)].filter((words) => words !== undefined);
    // The unknown placeholders, already named, are filled with nothing, so rendering finds the part's other faults.
    const unknown = Object.fromEntries(
      [...read.keys()].filter((name) => !placeholders.includes(name)).map((name) => [name, ""]),
    );
    for (const data of scopes) {
      const refused = renderFault(
        part === "html" ? htmlEngine : textEngine,
        part,
        template[part],
        { ...unknown, ...data },
        placeholders,
      );
      if (refused !== undefined && !found.includes(refused)) found.push(refused);
    }
    if (found.length > 0) faults[part] = found;
  }
  return faults;
}

/**
 * A template as the merchant sent it (`raw`: subject, html, text), parsed by emailTemplateSchema and checked by
 * emailTemplateFaults for `samples`. Throws templateRefusal naming every fault at once: each part's own (too long,
 * empty, not one line) and the Liquid faults of every part the schema took, so a merchant never corrects one only to
 * learn of the next at the following save.
 */
export function parseEmailTemplate(
  kind: EmailKind,
  raw: unknown,
  shop: SampleShop,
  samples?: readonly PointsReminderSample[],
): EmailTemplate {
  const fields: Record<string, unknown> = typeof raw === "object" && raw !== null ? { ...raw } : {};
  const template: Partial<EmailTemplate> = {};
  const faults: Record<string, string[]> = {};
  for (const part of Object.keys(partNames) as Array<keyof EmailTemplate>) {
    const parsed = emailTemplateSchema.shape[part].safeParse(fields[part]);
    if (parsed.success) template[part] = parsed.data;
    else faults[part] = parsed.error.issues.map((issue) => issue.message);
  }
  const refused = Object.keys(faults) as Array<keyof EmailTemplate>;
  const read = { subject: template.subject ?? "", html: template.html ?? "", text: template.text ?? "" };
  Object.assign(faults, emailTemplateFaults(kind, read, shop, samples, refused));
  if (Object.keys(faults).length > 0) throw templateRefusal(faults);
  return read;
}

/**
 * The refusal of a template with `faults` (emailTemplateFaults, or a schema's field errors with them): DomainError
 * "invalid_input", every fault under its field (`fieldErrors`) and all of them in the message (templateRefusalWords).
 */
export function templateRefusal(faults: Readonly<Record<string, readonly string[]>>): DomainError {
  const fieldErrors = Object.fromEntries(Object.entries(faults).map(([part, messages]) => [part, [...messages]]));
  return new DomainError("invalid_input", templateRefusalWords(fieldErrors), { fieldErrors });
}

/** What filling `source` in with `data` refused, in words; undefined when it renders. */
function renderFault(
  engine: Liquid,
  part: keyof EmailTemplate,
  source: string,
  data: Record<string, string | boolean>,
  placeholders: readonly string[],
): string | undefined {
  try {
    engine.parseAndRenderSync(source, data);
    return undefined;
  } catch (error) {
    if (!(error instanceof LiquidError)) throw error;
    return describeLiquidError(error, part, placeholders);
  }
}

function renderPart(
  engine: Liquid,
  part: keyof EmailTemplate,
  source: string,
  data: Record<string, string | boolean>,
): string {
  try {
    return engine.parseAndRenderSync(source, data);
  } catch (error) {
    if (!(error instanceof LiquidError)) throw error;
    throw invalidPart(part, describeLiquidError(error, part, Object.keys(data)));
  }
}

function renderParts(template: EmailTemplate, data: Record<string, string | boolean>): RenderedEmail {
  return {
    subject: renderPart(textEngine, "subject", template.subject, data).replace(/\s+/g, " ").trim(),
    html: renderPart(htmlEngine, "html", template.html, data),
    text: renderPart(textEngine, "text", template.text, data),
  };
}

/**
 * Renders the three parts of an invitation for one customer. The subject is folded to one line and trimmed.
 * Throws DomainError "invalid_input" with `fieldErrors` naming the part, in a merchant's words, for a Liquid error or
 * an unknown placeholder.
 */
export function renderInvitation(template: EmailTemplate, values: InvitationValues): RenderedEmail {
  return renderParts(template, invitationScope(values));
}

/** Renders a points reminder for one customer; errors as renderInvitation's. */
export function renderPointsReminder(template: EmailTemplate, values: PointsReminderValues): RenderedEmail {
  return renderParts(template, pointsReminderScope(values));
}

/** The emails a merchant edits in Settings › Emails: what each is, its placeholders and Tally's default. */
export const editableEmails = {
  invitation: {
    title: "Referral invitation",
    description:
      "The email customers get when you invite them to refer friends (the directory's Send referral invitation).",
    placeholders: invitationPlaceholders,
    defaultTemplate: defaultInvitationTemplate,
  },
  points_reminder: {
    title: "Points reminder",
    description:
      "The email customers with points get when you send them a reminder from the directory (Email points reminder): their balance and the ways to redeem.",
    placeholders: pointsReminderPlaceholders,
    defaultTemplate: defaultPointsReminderTemplate,
  },
} as const satisfies Record<
  EmailKind,
  {
    title: string;
    description: string;
    placeholders: Record<string, (names: PointsNaming) => string>;
    defaultTemplate: EmailTemplate;
  }
>;

/** What each placeholder of `kind` holds, its examples in the program's points names, in the order the help lists them. */
export function describePlaceholders(kind: EmailKind, names: PointsNaming): Array<{ name: string; meaning: string }> {
  const placeholders: Record<string, (names: PointsNaming) => string> = editableEmails[kind].placeholders;
  return Object.entries(placeholders).map(([name, meaning]) => ({ name, meaning: meaning(names) }));
}

/**
 * `template` rendered for the Settings preview with a sample customer (Ana; for the points reminder, `sample`'s),
 * ending with the footer every email is sent with (withFooter: the unsubscribe link and the shop's address), which the
 * template cannot change. Throws templateRefusal with every fault emailTemplateFaults finds for that sample (a
 * placeholder the email does not have is refused wherever it stands, in a branch the sample does not take too).
 */
export function renderSampleEmail(
  kind: EmailKind,
  template: EmailTemplate,
  shop: SampleShop,
  sample?: PointsReminderSample,
): RenderedEmail {
  const faults = emailTemplateFaults(kind, template, shop, sample ? [sample] : undefined);
  if (Object.keys(faults).length > 0) throw templateRefusal(faults);
  const rendered =
    kind === "invitation"
      ? renderInvitation(template, sampleInvitationValues(shop))
      : renderPointsReminder(template, samplePointsReminderValues(shop, sample));
  return withFooter(rendered, {
    shopName: shop.name ?? shop.domain.replace(/\.myshopify\.com$/, ""),
    unsubscribeUrl: `${sampleRoot(shop)}${SAMPLE_UNSUBSCRIBE_PATH}`,
    postalAddress: shop.postalAddress ?? ["The store's address (Shopify Settings › Store details)"],
    ...(shop.language ? { language: shop.language } : {}),
  });
}

/*
 * A points reminder saved before the reminder told its cases apart (decision 031, round 21) reads the same to every
 * customer: a Guest is told to sign in and press Redeem with no account to sign in to, a balance under the cheapest
 * reward reads as points "to spend". One saved before `can_create_account` (decision 064) tells every Guest to create
 * an account, also on a store that hides its sign-in links, where there is nowhere to make one. Tally keeps a
 * merchant's words as written; Settings › Emails and the directory's reminder panel say which cases such a template
 * misses, until the merchant saves one that tells them apart or keeps theirs.
 */

/** The customers a saved points reminder can speak to apart, by the placeholder that tells them apart. */
export const pointsReminderCases = {
  /** A Guest (no customer account): `has_account`. */
  guests: ["has_account"],
  /** A balance under the cheapest reward's cost: `can_redeem` or `points_needed`. */
  below_reward: ["can_redeem", "points_needed"],
  /**
   * A Guest on a store that hides its sign-in links, who cannot make an account: `can_create_account`. Missed only on
   * such a store, and only by a template that tells Guests apart (one that does not already misses `guests`).
   */
  no_sign_in: ["can_create_account"],
} as const satisfies Record<string, ReadonlyArray<PointsReminderPlaceholder>>;

export type PointsReminderCase = keyof typeof pointsReminderCases;

/**
 * Whether `value` (a case name read back from storage, e.g. an audit entry's list) is one of pointsReminderCases: a
 * name Tally no longer knows, or any other value, is not.
 */
export function isPointsReminderCase(value: unknown): value is PointsReminderCase {
  return typeof value === "string" && Object.hasOwn(pointsReminderCases, value);
}

/**
 * The cases `template` (a points reminder) says nothing particular to, because no part of it reads the placeholder
 * that tells them apart (pointsReminderCases), in any branch: `[]` for Tally's default. `signInOffered` is whether the
 * store shows its sign-in links (customerAccountsKind not "off"; true when left out): where it does, `no_sign_in` is
 * never missed. A template Liquid cannot read (never saved: a save renders it first) misses nothing this function can
 * tell.
 */
export function pointsReminderCasesMissed(
  template: EmailTemplate,
  { signInOffered = true }: { signInOffered?: boolean } = {},
): PointsReminderCase[] {
  const read: Array<Map<string, number | undefined>> = [];
  for (const part of Object.values(template)) {
    const names = placeholdersRead(part);
    if (names instanceof LiquidError) return [];
    read.push(names);
  }
  const missed = (Object.keys(pointsReminderCases) as PointsReminderCase[]).filter(
    (each) => !pointsReminderCases[each].some((name) => read.some((names) => names.has(name))),
  );
  return missed.filter((each) => each !== "no_sign_in" || (!signInOffered && !missed.includes("guests")));
}

/** The language Tally's own default templates (`editableEmails[kind].defaultTemplate`) are written in. */
export const TALLY_TEMPLATE_LANGUAGE = "en";

/**
 * The language a template is written in, which its footer and its rewards' words follow (decisions 057, 059): a
 * translation's `locale` ("fr"); a default template (`locale` "") the merchant saved (`version` 1 or more), the online
 * store's `primaryLanguage` ("fr"; English when unknown); Tally's own default (`version` 0), English as its words are,
 * so a French store's unedited invitation reads English throughout, not English sentences around French rewards and a
 * French footer. `version` null (an email queued before versions were recorded): the primary language, as then.
 */
export function templateLanguageOf(
  template: { locale: string | null; version: number | null },
  primaryLanguage: string | null | undefined,
): string {
  if (template.locale) return template.locale;
  if (template.version === 0) return TALLY_TEMPLATE_LANGUAGE;
  return primaryLanguage || TALLY_TEMPLATE_LANGUAGE;
}
