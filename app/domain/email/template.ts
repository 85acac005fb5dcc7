import { Liquid, LiquidError } from "liquidjs";
import { z } from "zod";
import { DomainError } from "~/domain/shared";

/*
 * The emails a merchant writes (today: the referral invitation) are Liquid templates, rendered by liquidjs, the
 * engine Shopify's own themes speak, so `{{ first_name | default: "there" }}` works as a merchant expects. What the
 * merchant typed is trusted markup; what Tally fills in (a customer's name, the shop's name) is not: in the HTML part
 * every value is HTML-escaped (`outputEscape: "escape"`), in the subject and the text part it stays as typed.
 *
 * The engine reads no file (`templates: {}`: `{% include %}` and `{% render %}` find nothing), knows only the
 * placeholders below (`strictVariables`: a misspelt one is an error at save, not a blank in 10,000 emails), reads no
 * inherited property, and is bounded in parse size, render time and memory, so a template cannot stall the sender.
 */

/** The placeholders an invitation template may use, with what each holds. */
export const invitationPlaceholders = {
  shop_name: "The store's name",
  first_name: 'The customer\'s first name (empty when unknown: use | default: "there")',
  referral_link: "The customer's referral link",
  friend_reward: 'What a friend gets, e.g. "10% off your first order of $20.00 or more"',
  advocate_reward: 'What the customer gets for each friend, e.g. "500 points"',
} as const;

export type InvitationPlaceholder = keyof typeof invitationPlaceholders;

/** What one invitation is filled with: prepared per customer by the referral program (prepareInvitation). */
export interface InvitationValues {
  shopName: string;
  firstName: string | null;
  referralLink: string;
  friendReward: string;
  advocateReward: string;
}

export const emailTemplateLimits = { subject: 200, html: 100_000, text: 20_000 } as const;

/** A template as the merchant saves it: each part required, bounded, the subject on one line. */
export const emailTemplateSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(1, { error: "Write a subject" })
    .max(emailTemplateLimits.subject, { error: `Keep the subject under ${emailTemplateLimits.subject} characters` })
    .refine((text) => !/[\r\n]/.test(text), { error: "The subject must be one line" }),
  html: z
    .string()
    .trim()
    .min(1, { error: "Write the HTML version" })
    .max(emailTemplateLimits.html, { error: `Keep the HTML under ${emailTemplateLimits.html} characters` }),
  text: z
    .string()
    .trim()
    .min(1, { error: "Write the plain-text version" })
    .max(emailTemplateLimits.text, { error: `Keep the plain text under ${emailTemplateLimits.text} characters` }),
});

export type EmailTemplate = z.infer<typeof emailTemplateSchema>;

/** The invitation every shop starts with, until the merchant saves their own. */
export const defaultInvitationTemplate: EmailTemplate = {
  subject: '{{ first_name | default: "Hi" }}, give your friends a gift from {{ shop_name }}',
  html: `<div style="font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif; max-width: 560px; margin: 0 auto; padding: 24px; color: #202223;">
  <p>Hi {{ first_name | default: "there" }},</p>
  <p>Thanks for shopping with {{ shop_name }}. Share your link with friends: they get <strong>{{ friend_reward }}</strong>, and you get <strong>{{ advocate_reward }}</strong> for each friend's first order.</p>
  <p style="margin: 32px 0;"><a href="{{ referral_link }}" style="background: #202223; color: #ffffff; padding: 12px 20px; border-radius: 6px; text-decoration: none;">Share your link</a></p>
  <p style="color: #6d7175; font-size: 14px;">Or copy it: {{ referral_link }}</p>
</div>`,
  text: `Hi {{ first_name | default: "there" }},

Thanks for shopping with {{ shop_name }}. Share your link with friends: they get {{ friend_reward }}, and you get {{ advocate_reward }} for each friend's first order.

Your link: {{ referral_link }}`,
};

/** The customer the Settings preview shows: the shop's own name and a link of the shop's form. */
export function sampleInvitationValues(shop: { domain: string; name: string | null }): InvitationValues {
  return {
    shopName: shop.name ?? shop.domain.replace(/\.myshopify\.com$/, ""),
    firstName: "Ana",
    referralLink: `https://${shop.domain}/apps/tally/r/SAMPLE2345`,
    friendReward: "10% off your first order",
    advocateReward: "500 points",
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

function scope(values: InvitationValues): Record<InvitationPlaceholder, string> {
  return {
    shop_name: values.shopName,
    first_name: values.firstName?.trim() ?? "",
    referral_link: values.referralLink,
    friend_reward: values.friendReward,
    advocate_reward: values.advocateReward,
  };
}

function renderPart(engine: Liquid, part: keyof EmailTemplate, source: string, data: Record<string, string>) {
  try {
    return engine.parseAndRenderSync(source, data);
  } catch (error) {
    if (!(error instanceof LiquidError)) throw error;
    const first = error.message.split("\n")[0] ?? error.message;
    const unknown = /undefined variable: (\w+)/.exec(first);
    const message = unknown
      ? `{{ ${unknown[1]} }} is not a placeholder; use ${Object.keys(invitationPlaceholders).join(", ")}`
      : `The template has a Liquid error: ${first}`;
    throw new DomainError("invalid_input", message, { fieldErrors: { [part]: [message] } });
  }
}

/**
 * Renders the three parts of an invitation for one customer. The subject is folded to one line and trimmed.
 * Throws DomainError "invalid_input" with `fieldErrors` naming the part for a Liquid error or an unknown placeholder.
 */
export function renderInvitation(template: EmailTemplate, values: InvitationValues): RenderedEmail {
  const data = scope(values);
  return {
    subject: renderPart(textEngine, "subject", template.subject, data).replace(/\s+/g, " ").trim(),
    html: renderPart(htmlEngine, "html", template.html, data),
    text: renderPart(textEngine, "text", template.text, data),
  };
}
