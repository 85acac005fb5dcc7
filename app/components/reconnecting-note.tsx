import { Text } from "@shopify/polaris";

/**
 * Said quietly while a page's polls do not reach Tally (it restarts: usePoll's `reconnecting`): the page keeps what it
 * showed, and `goesOn` says what is not lost ("The job goes on"). A status region, so that a screen reader says it
 * once, politely.
 */
export function ReconnectingNote({ goesOn }: { goesOn: string }) {
  return (
    <div role="status">
      <Text as="p" tone="caution">
        Reconnecting to Tally… {goesOn}; this page updates when Tally answers.
      </Text>
    </div>
  );
}

/**
 * Said when a load the merchant made on a page (a results tab, the next page of a list) did not reach Tally: the page
 * keeps what it showed (pollClientLoader), rather than Remix's "Application Error". A status region, as above.
 */
export function NotAnsweringNote() {
  return (
    <div role="status">
      <Text as="p" tone="caution">
        Tally is not answering. Try again in a moment.
      </Text>
    </div>
  );
}
