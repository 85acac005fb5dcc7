import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createFormatter, type Formatter, type PointsNames } from "~/lib/format";

const FormatContext = createContext<Formatter | null>(null);

/**
 * Gives every admin component one formatter: the staff member's locale, the program's points names, the store's
 * currency and the shop's time zone (the same on the server and in the browser, so a date hydrates as it was rendered).
 */
export function FormatProvider({
  locale,
  knownLocale,
  pointsNames,
  timeZone,
  storeCurrency,
  children,
}: {
  locale: string;
  /** False when the admin gave no locale and `locale` is the fallback ("en"). */
  knownLocale?: boolean;
  pointsNames: PointsNames;
  timeZone?: string;
  /** The store's currency: amounts in it are written without their code (decision 052). */
  storeCurrency?: string | null;
  children: ReactNode;
}) {
  const { singular, plural } = pointsNames;
  const formatter = useMemo(
    () => createFormatter({ locale, knownLocale, pointsNames: { singular, plural }, timeZone, storeCurrency }),
    [locale, knownLocale, singular, plural, timeZone, storeCurrency],
  );
  return <FormatContext.Provider value={formatter}>{children}</FormatContext.Provider>;
}

/** The admin's formatter (app/lib/format.ts); every number, amount, points figure and date goes through it. */
export function useFormat(): Formatter {
  const formatter = useContext(FormatContext);
  if (!formatter) throw new Error("useFormat needs a FormatProvider above it (app/routes/app.tsx renders one)");
  return formatter;
}
