import { Card, DataTable, Text } from "@shopify/polaris";
import { describeProgramChanges, type ProgramChange } from "~/domain/program";
import { createFormatter, type PointsNames } from "~/lib/format";
import { useFormat } from "./format-context";
import { actorLabel } from "./labels";

export interface ProgramVersionView {
  version: number;
  actor: string;
  actorName: string | null;
  createdAt: string;
  changes: ProgramChange[] | null;
  pointsNames: PointsNames;
}

/** Every version of the program, newest first: who saved it, when, and what it changed from the one before. */
export function ProgramVersionHistory({ versions, currency }: { versions: ProgramVersionView[]; currency: string }) {
  const format = useFormat();
  const what = (entry: ProgramVersionView) => {
    if (entry.changes === null) return "Tally's defaults at install";
    if (entry.changes.length === 0) return "No change to the rules";
    // Each version is worded with its own points names, in the staff member's locale.
    const wording = createFormatter({
      locale: format.locale,
      pointsNames: entry.pointsNames,
      timeZone: format.timeZone,
      storeCurrency: format.storeCurrency,
    });
    return describeProgramChanges(entry.changes, currency, wording);
  };
  return (
    <Card padding="0">
      {versions.length === 0 ? (
        <Text as="p" tone="subdued">
          No versions yet.
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["numeric", "text", "text", "text"]}
          headings={["Version", "Saved by", "When", "What changed"]}
          verticalAlign="top"
          rows={versions.map((entry) => [
            entry.version,
            actorLabel(entry.actor, entry.actorName),
            format.dateTime(entry.createdAt),
            <Text as="span" breakWord key={entry.version}>
              {what(entry)}
            </Text>,
          ])}
        />
      )}
    </Card>
  );
}
