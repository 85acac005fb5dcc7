import type { RenderedEmail } from "./template";

/*
 * The footer every marketing email Tally sends ends with: a visible unsubscribe link and the sender's postal address.
 * Canada's CASL (SOR/2012-36 s. 2-3: the sender's mailing address and an unsubscribe mechanism "set out clearly and
 * prominently") and the US CAN-SPAM Act (15 U.S.C. 7704(a)(3), (a)(5): a functioning opt-out and a valid physical
 * postal address) ask it of each commercial email; the List-Unsubscribe header alone is not shown by many clients,
 * nor in a forwarded or printed copy (newcomer round 19). It is added when the email is sent, after the merchant's
 * template, so no template can leave it out; the Settings preview shows it the same way.
 */

/** What the footer says: who sends, where they are, and the email's own unsubscribe link. */
export interface EmailFooter {
  shopName: string;
  /** The https unsubscribe URL of this one email (the same the List-Unsubscribe header carries). */
  unsubscribeUrl: string;
  /** The shop's postal address, one entry a line as Shopify formats it (the company first, the country last). */
  postalAddress: readonly string[];
  /**
   * The language the email's body is written in ("fr", "fr-CA", "de"): the footer's sentence in it when Tally has it
   * (English, French, German, Spanish, as the storefront's unsubscribe page), English otherwise.
   */
  language?: string;
}

/**
 * The footer's words per language, the same terms as the unsubscribe page they link to (the theme extension's
 * `unsubscribe_page` strings, extensions/tally-widget/locales; German and Spanish in the informal "du"/"tú" they use).
 */
const FOOTER_WORDS: Record<string, { subscribed: (shop: string) => string; unsubscribe: string; colon?: string }> = {
  en: {
    subscribed: (shop) => `You get this email because you subscribed to emails from ${shop}.`,
    unsubscribe: "Unsubscribe",
  },
  fr: {
    subscribed: (shop) => `Vous recevez cet e-mail car vous êtes abonné(e) aux e-mails de ${shop}.`,
    unsubscribe: "Se désabonner",
    // French puts a (non-breaking) space before a colon.
    colon: "\u00a0:",
  },
  de: {
    subscribed: (shop) => `Du erhältst diese E-Mail, weil du E-Mails von ${shop} abonniert hast.`,
    unsubscribe: "Abmelden",
  },
  es: {
    subscribed: (shop) => `Recibes este correo porque te suscribiste a los correos de ${shop}.`,
    unsubscribe: "Darme de baja",
  },
};

const footerWordsFor = (language: string | undefined) =>
  FOOTER_WORDS[(language ?? "en").trim().slice(0, 2).toLowerCase()] ?? FOOTER_WORDS.en!;

/** The unsubscribe path the Settings preview links to: the shop's page, with a token no email carries. */
export const SAMPLE_UNSUBSCRIBE_PATH = "/apps/tally/email/unsubscribe?token=SAMPLE";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** "Maple & Co, 220 King St W, Toronto ON M5H 1K4, Canada": the shop's name first unless the address starts with it. */
function senderLine(footer: EmailFooter): string {
  const lines = footer.postalAddress.map((line) => line.trim()).filter((line) => line !== "");
  const named = lines[0]?.toLowerCase() === footer.shopName.trim().toLowerCase();
  return (named ? lines : [footer.shopName.trim(), ...lines]).join(", ");
}

/**
 * `email` with the footer after the merchant's content: in the HTML part before `</body>` when the template has one,
 * else at the end; in the text part after a "-- " line, in `footer.language`. Values are HTML-escaped in the HTML part.
 * Pure.
 */
export function withFooter(email: RenderedEmail, footer: EmailFooter): RenderedEmail {
  const shop = footer.shopName.trim();
  const words = footerWordsFor(footer.language);
  const sender = senderLine(footer);
  const html = `<div style="font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif; max-width: 560px; margin: 0 auto; padding: 16px 24px; border-top: 1px solid #e1e3e5; color: #6d7175; font-size: 12px; line-height: 1.5;">
  <p style="margin: 0 0 8px;">${words.subscribed(escapeHtml(shop))} <a href="${escapeHtml(footer.unsubscribeUrl)}" style="color: #6d7175; text-decoration: underline;">${words.unsubscribe}</a></p>
  <p style="margin: 0;">${escapeHtml(sender)}</p>
</div>`;
  const text = `-- 
${words.subscribed(shop)}
${words.unsubscribe}${words.colon ?? ":"} ${footer.unsubscribeUrl}
${sender}`;
  const bodyEnd = email.html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
  return {
    subject: email.subject,
    html:
      bodyEnd >= 0 ? `${email.html.slice(0, bodyEnd)}${html}\n${email.html.slice(bodyEnd)}` : `${email.html}\n${html}`,
    text: `${email.text.trimEnd()}\n\n${text}\n`,
  };
}
