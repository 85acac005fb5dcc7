import { Banner, BlockStack, Text, type BannerHandles } from "@shopify/polaris";
import { forwardRef } from "react";
import { isPointsReminderCase, type PointsReminderCase } from "~/domain/email";

/*
 * A points reminder saved before the reminder told its cases apart reads the same to every customer (decision 031):
 * Tally keeps the merchant's words, and says so where they are edited (Settings › Emails) and where they are sent (the
 * directory's reminder panel), until the merchant saves a template that tells the cases apart or keeps theirs.
 */

/** The cases a saved reminder speaks to as to a Member who can redeem; `no_sign_in` is told apart below. */
const caseNames: Record<Exclude<PointsReminderCase, "no_sign_in">, string> = {
  guests: "Guests (no customer account)",
  below_reward: "customers short of the cheapest reward",
};

const NO_SIGN_IN = "tells Guests to create an account, and your store hides its sign-in links";

/**
 * "Guests (…) and customers short of the cheapest reward": who a saved reminder speaks to as to a Member who can
 * redeem; "" when `missed` holds neither.
 */
export function missedCasesWords(missed: readonly PointsReminderCase[]): string {
  const names = missed.flatMap((each) => (each === "no_sign_in" ? [] : [caseNames[each]]));
  const words = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The directory's reminder panel's warning on a saved reminder that misses `missed` (never empty): "Your saved reminder
 * says the same to every customer: Guests (no customer account) get the words for a Member who can redeem.", and
 * "Your saved reminder tells Guests to create an account, and your store hides its sign-in links." for `no_sign_in`.
 */
export function reminderPanelWarning(missed: readonly PointsReminderCase[]): string {
  const memberWords = missedCasesWords(missed);
  const sentences = [
    ...(memberWords
      ? [
          `Your saved reminder says the same to every customer: ${memberWords} get the words for a Member who can redeem.`,
        ]
      : []),
    ...(missed.includes("no_sign_in") ? [`${memberWords ? "It also" : "Your saved reminder"} ${NO_SIGN_IN}.`] : []),
  ];
  return sentences.join(" ");
}

/**
 * The audit log's line for Keep mine on the notice (decision 031): "Version 2 kept as written: Guests (no customer
 * account) get a Member's words", "…: Guests are told to create an account, though the store hides its sign-in links".
 * `missed` is the audited list, filtered to the cases Tally knows.
 */
export function keptReminderWords(kept: string, missed: readonly unknown[]): string {
  const known = missed.filter(isPointsReminderCase);
  const memberWords = missedCasesWords(known);
  const parts = [
    ...(memberWords ? [`${memberWords} get a Member's words`] : []),
    ...(known.includes("no_sign_in")
      ? [
          `${memberWords ? "and Guests" : "Guests"} are told to create an account, though the store hides its sign-in links`,
        ]
      : []),
  ];
  return parts.length > 0 ? `${kept}: ${parts.join(" ")}` : kept;
}

/**
 * Settings › Emails' notice on the saved points reminder that misses `missed`: what each case reads from it and what
 * Tally's default says instead, with Review the new default (the default goes into the editor, unsaved) and Keep mine.
 * While `reviewing`, it says the default is in the editor, unsaved, with Put mine back. Its ref focuses the banner
 * (Polaris's BannerHandles), which scrolls it into view.
 */
export const PointsReminderCasesNotice = forwardRef<
  BannerHandles,
  {
    version: number;
    missed: readonly PointsReminderCase[];
    reviewing: boolean;
    onReview: () => void;
    onPutBack: () => void;
    onKeep: () => void;
  }
>(function PointsReminderCasesNotice({ version, missed, reviewing, onReview, onPutBack, onKeep }, ref) {
  if (reviewing)
    return (
      <Banner
        ref={ref}
        tone="info"
        title="Tally's default reminder is in the editor, not saved"
        action={{ content: "Put mine back", onAction: onPutBack }}
      >
        <p>
          Pick each sample customer under Preview to read what they would get. Save to use it instead of your version{" "}
          {version}, or put yours back: nothing changes until you save.
        </p>
      </Banner>
    );
  const memberWords = missed.includes("guests") || missed.includes("below_reward");
  return (
    <Banner
      ref={ref}
      tone="warning"
      title={
        memberWords
          ? "Your saved reminder says the same to every customer"
          : "Your saved reminder tells Guests to create an account your store doesn't offer"
      }
      action={{ content: "Review the new default", onAction: onReview }}
      // Keeping twice keeps once (keepPointsReminder), so a double click needs no guard.
      secondaryAction={{ content: "Keep mine", onAction: onKeep }}
    >
      <BlockStack gap="200">
        {missed.includes("guests") ? (
          <Text as="p">
            Version {version} never reads <code>{"{{ has_account }}"}</code>, so a Guest gets the words a Member gets: a
            reminder that says to sign in and redeem sends Guests to an account they do not have. Tally&apos;s default
            now tells a Guest to create an account with the same email address, linking where your store makes one (or,
            when your store hides its sign-in links, says it offers no sign-in).
          </Text>
        ) : null}
        {missed.includes("below_reward") ? (
          <Text as="p">
            {missed.includes("guests") ? "It" : `Version ${version}`} reads neither <code>{"{{ can_redeem }}"}</code>{" "}
            nor <code>{"{{ points_needed }}"}</code>, so a customer short of the cheapest reward (reminded when you
            untick &ldquo;Only customers with enough points for a reward&rdquo;) gets the words of one who can redeem.
            Tally&apos;s default says how many more points the cheapest reward needs.
          </Text>
        ) : null}
        {missed.includes("no_sign_in") ? (
          <Text as="p">
            {memberWords ? "It" : `Version ${version}`} never reads <code>{"{{ can_create_account }}"}</code>, and your
            store hides its sign-in links (Shopify Settings › Customer accounts), so a Guest is told to create an
            account where the store shows nowhere to make one. Tally&apos;s default tells a Guest that your store
            doesn&apos;t offer sign-in at the moment, so their points can&apos;t be redeemed yet.
          </Text>
        ) : null}
        <Text as="p">
          Your words stay as you wrote them until you save others. Pick a sample customer under Preview to read what
          each gets from yours.
        </Text>
      </BlockStack>
    </Banner>
  );
});
