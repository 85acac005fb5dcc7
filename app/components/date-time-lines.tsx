import { useFormat } from "./format-context";
import wrapping from "./wrapping-table.module.css";

/**
 * A timestamp in a table's date column: the date on one line and its time under it, each kept whole ("Dec 4, 2026" /
 * "7:49 AM"). The profile's tables wrap their cells to fit its two-thirds column, and a date written as one text
 * wrapped anywhere there: "Dec 4, / 2026, / 7:49 AM" at 1024 px.
 */
export function DateTimeLines({ iso }: { iso: string | null | undefined }) {
  const format = useFormat();
  if (!iso) return <>—</>;
  return (
    <>
      <span className={wrapping.whole}>{format.date(iso)}</span>
      <span className={wrapping.whole}>{format.time(iso)}</span>
    </>
  );
}
