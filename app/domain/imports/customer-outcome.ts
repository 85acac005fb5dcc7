/*
 * What a customer file's page says it will do (the check's preview) and, once it ran, what it did (newcomer round 15,
 * findings 3 and 4). The figures are the check's summary: `create`, `update` (every row of a customer Shopify has),
 * `unchanged` (those among them whose details already match), `skip`, `points` (what the rows add). A customer
 * file's Points are a balance to reach, never a sum to add (decision 023, `importedPointsToAdd`): the preview says so,
 * since "already match the file: nothing of theirs changes" read wrong beside "100 points will be added". After the
 * run, the line keeps the preview's breakdown only while the job's results bear it out: when Shopify refused rows, the
 * breakdown is what the check foresaw, said as such.
 */

/** The words the lines are written with: the staff member's number format and the program's points names. */
export interface ImportWords {
  number(value: number): string;
  points(value: number): string;
  count(value: number, noun: { one: string; other: string }): string;
}

/** A customer job's results: rows imported, skipped (as chosen, or already matching), refused by Shopify. */
export interface CustomerImportResults {
  done: number;
  skipped: number;
  failed: number;
}

const figures = (summary: Readonly<Record<string, number>>) => {
  const figure = (key: string) => summary[key] ?? 0;
  return {
    create: figure("create"),
    changing: figure("update") - figure("unchanged"),
    unchanged: figure("unchanged"),
    skip: figure("skip"),
    points: figure("points"),
  };
};

/** "a, b and c". */
const listed = (parts: readonly string[]) =>
  parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;

/**
 * The preview's lines for a checked customer file. `changedFields` is "Last name on 1, Phone on 2" (empty when no
 * field changes); `invite` whether Shopify emails new customers their account invitation.
 */
export function customerPreviewLines(
  summary: Readonly<Record<string, number>>,
  { changedFields, invite }: { changedFields: string; invite: boolean },
  words: ImportWords,
): string[] {
  const f = figures(summary);
  const customers = (value: number, noun = "customer") => words.count(value, { one: noun, other: `${noun}s` });
  return [
    `${customers(f.create)} will be created`,
    ...(invite && f.create > 0
      ? [`Shopify will email ${customers(f.create, "new customer")} its account invitation`]
      : []),
    `${customers(f.changing)} Shopify has will be updated${changedFields ? `: ${changedFields}` : ""}`,
    // Their details: their points may still be raised to the file's balance (the line below counts them).
    ...(f.unchanged
      ? [
          f.unchanged === 1
            ? "1 customer Shopify has already matches the file's details"
            : `${words.number(f.unchanged)} customers Shopify has already match the file's details`,
        ]
      : []),
    ...(f.skip ? [`${customers(f.skip)} Shopify has will be skipped`] : []),
    ...(f.points
      ? [
          // The total covers new customers too (recheck round 15): say which way each gets its share.
          f.create === 0
            ? `${words.points(f.points)} will be added to bring balances up to the file's Points; a balance already above it is kept`
            : f.changing + f.unchanged === 0
              ? `${words.points(f.points)} will be added: each new customer starts with the file's Points`
              : `${words.points(f.points)} will be added: new customers start with the file's Points, and customers Shopify has are brought up to theirs (a balance already above it is kept)`,
        ]
      : []),
  ];
}

/**
 * What the customers an import creates are in Tally, and why (decision 023, amendment of round 19): Guests, as every
 * customer without an account in the store is, until they create one; their imported points count in Points
 * outstanding from the start, and the program's Guest settings say whether they earn and spend meanwhile. Null when the
 * file creates nobody. Before the run (`ran` false) it says what will happen; after, what the created customers are.
 * Newcomer round 19: 5,000 imported customers were Guests, Home's guest-to-member conversion fell, and nothing said so.
 */
export function importedCustomersStatusLine(
  summary: Readonly<Record<string, number>>,
  {
    invite,
    guestsEarn,
    guestsRedeem,
    ran,
  }: { invite: boolean; guestsEarn: boolean; guestsRedeem: boolean; ran: boolean },
): string | null {
  const { create } = figures(summary);
  if (create === 0) return null;
  const one = create === 1;
  const who = ran
    ? one
      ? "The customer this import created is a Guest"
      : "The customers this import created are Guests"
    : one
      ? "The new customer starts as a Guest"
      : "New customers start as Guests";
  const becomes = one ? "they become a Member when they create" : "each becomes a Member when they create";
  const invitation = invite ? " (Shopify's invitation asks them to)" : "";
  const earn = guestsEarn ? "earn points on orders" : "earn no points on orders";
  const spend = guestsRedeem ? "can spend their points" : "can spend their points once they are Members";
  return `${who} in Tally: ${becomes} an account in your store${invitation}. Their points count in Points outstanding from the start; as Guests they ${earn}, and they ${spend}. Home's guest-to-member conversion counts them as Guests until then.`;
}

/**
 * The line of a customer file that ran: the job's counts, then the check's breakdown. "The import ran: 4 imported (3
 * created, 1 updated, 290 points added), 0 skipped, 0 refused by Shopify." The breakdown is stated as done only when
 * Shopify refused no row and the job imported at least the rows the check meant to create or update; otherwise it is
 * what the check foresaw ("The check foresaw 3 to create, 1 to update and 290 points to add"), which the results,
 * row by row, confirm or not.
 */
export function customerImportRanLine(
  summary: Readonly<Record<string, number>>,
  results: CustomerImportResults,
  words: ImportWords,
): string {
  const f = figures(summary);
  const counts = (imported: string) =>
    `${imported}, ${words.number(results.skipped)} skipped, ${words.number(results.failed)} refused by Shopify`;
  const imported = `${words.number(results.done)} imported`;
  const asForeseen = results.failed === 0 && results.done >= f.create + f.changing;
  if (asForeseen) {
    const done = [
      ...(f.create ? [`${words.number(f.create)} created`] : []),
      ...(f.changing ? [`${words.number(f.changing)} updated`] : []),
      ...(f.points ? [`${words.points(f.points)} added`] : []),
    ];
    return `The import ran: ${counts(done.length ? `${imported} (${done.join(", ")})` : imported)}. Its results list each row.`;
  }
  const foreseen = [
    ...(f.create ? [`${words.number(f.create)} to create`] : []),
    ...(f.changing ? [`${words.number(f.changing)} to update`] : []),
    ...(f.points ? [`${words.points(f.points)} to add`] : []),
  ];
  const check = foreseen.length ? ` The check foresaw ${listed(foreseen)}.` : "";
  return `The import ran: ${counts(imported)}.${check} Its results list each row.`;
}

/**
 * The heading and note of the section listing what rows change on customers Shopify has: to come in a preview, done
 * once the import ran (`results`). `changing` is how many customers change, `shown` how many the section lists.
 */
export function customerChangesSection(
  changing: number,
  shown: number,
  results: CustomerImportResults | null,
  words: Pick<ImportWords, "number">,
): { heading: string; note: string } {
  const first = changing > shown ? `The first ${words.number(shown)} are listed. ` : "";
  if (!results)
    return {
      heading: `What changes for customers Shopify has (${words.number(changing)})`,
      note: `${first}Compared with Tally's copy of each customer now. After the import, each customer's audit trail names this file and what it changed.`,
    };
  return {
    heading: `What the import changed for customers Shopify had (${words.number(changing)})`,
    note: `${first}Compared with Tally's copy of each customer when the file was checked.${
      results.failed ? " Shopify refused some rows: their customers were left as they were, as the results say." : ""
    }`,
  };
}

/**
 * The line under a preview's sample of rows: "and 1,234 more" when `total` rows of that kind exceed the `shown`
 * ones, else null (the sample is all of them). `words.number` formats in the staff member's locale.
 */
export function moreRowsLine(total: number, shown: number, words: Pick<ImportWords, "number">): string | null {
  return total > shown ? `and ${words.number(total - shown)} more` : null;
}
