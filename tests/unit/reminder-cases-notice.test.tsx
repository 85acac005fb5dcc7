import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { keptReminderWords, PointsReminderCasesNotice, reminderPanelWarning } from "~/components/reminder-cases-notice";
import type { PointsReminderCase } from "~/domain/email";

/** Settings › Emails' notice on saved version 3 that misses `missed`, as the merchant reads it (tags stripped). */
function noticeText(missed: PointsReminderCase[]): string {
  const html = renderToStaticMarkup(
    <AppProvider i18n={en}>
      <PointsReminderCasesNotice
        version={3}
        missed={missed}
        reviewing={false}
        onReview={() => undefined}
        onPutBack={() => undefined}
        onKeep={() => undefined}
      />
    </AppProvider>,
  );
  return html
    .replace(/<\/?code>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

describe("the saved points reminder's notice on a store that hides its sign-in links", () => {
  it("says a Guest is told to create an account the store doesn't offer, and what Tally's default says", () => {
    const text = noticeText(["no_sign_in"]);
    expect(text).toContain("Your saved reminder tells Guests to create an account your store doesn't offer");
    expect(text).toContain("Version 3 never reads {{ can_create_account }}, and your store hides its sign-in links");
    expect(text).toContain("Tally's default tells a Guest that your store doesn't offer sign-in at the moment");
    expect(text).not.toContain("says the same to every customer");
  });

  it("keeps the older cases' title when they are missed too", () => {
    const text = noticeText(["below_reward", "no_sign_in"]);
    expect(text).toContain("Your saved reminder says the same to every customer");
    expect(text).toContain("It never reads {{ can_create_account }}");
  });

  it("warns in the directory's reminder panel in one or two sentences", () => {
    expect(reminderPanelWarning(["no_sign_in"])).toBe(
      "Your saved reminder tells Guests to create an account, and your store hides its sign-in links.",
    );
    expect(reminderPanelWarning(["below_reward", "no_sign_in"])).toBe(
      "Your saved reminder says the same to every customer: Customers short of the cheapest reward get the words for a Member who can redeem. It also tells Guests to create an account, and your store hides its sign-in links.",
    );
    expect(reminderPanelWarning(["guests"])).toBe(
      "Your saved reminder says the same to every customer: Guests (no customer account) get the words for a Member who can redeem.",
    );
  });

  it("writes Keep mine in the audit log for each case kept", () => {
    expect(keptReminderWords("Version 2 kept as written", ["no_sign_in"])).toBe(
      "Version 2 kept as written: Guests are told to create an account, though the store hides its sign-in links",
    );
    expect(keptReminderWords("Version 1 kept as written", ["guests", "below_reward"])).toBe(
      "Version 1 kept as written: Guests (no customer account) and customers short of the cheapest reward get a Member's words",
    );
    expect(keptReminderWords("Kept as written", ["something-new"])).toBe("Kept as written");
  });
});
