import { describe, expect, it } from "vitest";
import { dayOrderOf, parseTypedDay, typedDayPlaceholder } from "~/domain/shared";

const day = (text: string) => parseTypedDay(text);

describe("a day typed into a date field", () => {
  it("is read year first, or with the month in words either side of the day", () => {
    expect(day("2026-11-28")).toEqual({ day: "2026-11-28" });
    expect(day(" 2026/1/5 ")).toEqual({ day: "2026-01-05" });
    expect(day("2026.11.28")).toEqual({ day: "2026-11-28" });
    // As the list writes it, so a date copied from the list or a pill is taken back.
    expect(day("Nov 28, 2026")).toEqual({ day: "2026-11-28" });
    expect(day("nov. 28 2026")).toEqual({ day: "2026-11-28" });
    expect(day("28 November 2026")).toEqual({ day: "2026-11-28" });
    expect(day("Sept 3rd, 2026")).toEqual({ day: "2026-09-03" });
    expect(day("29 Feb 2024")).toEqual({ day: "2024-02-29" });
  });

  it("says why a day cannot be used: one the calendar has not, a year past four digits, or a shape it cannot read", () => {
    expect(day("2026-02-30")).toEqual({ problem: "February 2026 has 28 days" });
    expect(day("2025-02-29")).toEqual({ problem: "February 2025 has 28 days" });
    expect(day("2026-04-31")).toEqual({ problem: "April 2026 has 30 days" });
    expect(day("2026-11-00")).toEqual({ problem: "November 2026 has 30 days" });
    expect(day("2026-13-01")).toEqual({ problem: "Enter a month from 1 to 12, like 2026-11-28" });
    // The extremes: year 0001 and a six-digit year (Chromium's date field took 302026 and handed the page "").
    expect(day("0001-01-01")).toEqual({ problem: "Enter a year from 1900 to 9999" });
    expect(day("302026-01-01")).toEqual({ problem: "Enter a year from 1900 to 9999" });
    expect(day("9999-12-31")).toEqual({ day: "9999-12-31" });
    expect(day("1900-01-01")).toEqual({ day: "1900-01-01" });
    // Numbers with the year last read as another day where the day comes first (02/03/2026): never guessed.
    for (const typed of ["02/30/2026", "11/28/2026", "28.11.2026", "1-2-26"]) {
      expect(day(typed), typed).toEqual({
        problem: "Write the year first, like 2026-11-28: day and month come in either order in other countries",
      });
    }
    for (const typed of ["mm/dd/302026", "yesterday", "Nov 2026", "2026-11-28T10:00", "Nox 28, 2026", "", "1e"]) {
      expect(day(typed), typed).toEqual({ problem: "Enter a date like 2026-11-28 or Nov 28, 2026" });
    }
  });
});

describe("a day typed in numbers with the year last, read in the staff member's locale", () => {
  it("tells month-first (US English) from day-first (every other locale), and nothing without a locale", () => {
    expect(dayOrderOf("en-US")).toBe("month-first");
    expect(dayOrderOf("en")).toBe("month-first");
    for (const locale of ["en-GB", "fr", "de", "es", "pt-BR", "en-AU", "nl", "ja"]) {
      expect(dayOrderOf(locale), locale).toBe("day-first");
    }
    for (const locale of [undefined, null, "", "xx-bogus"]) expect(dayOrderOf(locale), String(locale)).toBeUndefined();
  });

  it("reads month/day/year in en-US and day/month/year elsewhere, with any of - / . between", () => {
    expect(parseTypedDay("11/28/2026", "month-first")).toEqual({ day: "2026-11-28" });
    expect(parseTypedDay("1/5/2026", "month-first")).toEqual({ day: "2026-01-05" });
    expect(parseTypedDay("28/11/2026", "day-first")).toEqual({ day: "2026-11-28" });
    expect(parseTypedDay("28.11.2026", "day-first")).toEqual({ day: "2026-11-28" });
    expect(parseTypedDay("5-1-2026", "day-first")).toEqual({ day: "2026-01-05" });
    // The year first and the month in words are read as before, whatever the locale.
    expect(parseTypedDay("2026-11-28", "day-first")).toEqual({ day: "2026-11-28" });
    expect(parseTypedDay("Nov 28, 2026", "day-first")).toEqual({ day: "2026-11-28" });
  });

  it("names the expected order for a day impossible in it, and the month's days for one past its end", () => {
    expect(parseTypedDay("13/28/2026", "month-first")).toEqual({
      problem: "Write it as month/day/year, e.g. 11/28/2026",
    });
    expect(parseTypedDay("28/11/2026", "month-first")).toEqual({
      problem: "Write it as month/day/year, e.g. 11/28/2026",
    });
    expect(parseTypedDay("11/28/2026", "day-first")).toEqual({
      problem: "Write it as day/month/year, e.g. 28/11/2026",
    });
    expect(parseTypedDay("0/5/2026", "day-first")).toEqual({ problem: "Write it as day/month/year, e.g. 28/11/2026" });
    expect(parseTypedDay("2/30/2026", "month-first")).toEqual({ problem: "February 2026 has 28 days" });
    expect(parseTypedDay("31.4.2026", "day-first")).toEqual({ problem: "April 2026 has 30 days" });
    expect(parseTypedDay("11/28/26", "month-first")).toEqual({ problem: "Enter a year from 1900 to 9999" });
    // Without a locale, still ambiguous.
    expect(parseTypedDay("11/28/2026")).toEqual({
      problem: "Write the year first, like 2026-11-28: day and month come in either order in other countries",
    });
  });
});

describe("a date field's placeholder", () => {
  it("shows the order the field reads numbers in, as its message asks for them", () => {
    expect(typedDayPlaceholder(dayOrderOf("en-US"))).toBe("MM/DD/YYYY");
    expect(typedDayPlaceholder(dayOrderOf("en-GB"))).toBe("DD/MM/YYYY");
    expect(typedDayPlaceholder(dayOrderOf("de"))).toBe("DD/MM/YYYY");
    // No locale known: only the year first is read, and asked for.
    expect(typedDayPlaceholder(dayOrderOf(undefined))).toBe("YYYY-MM-DD");
    for (const [locale, example] of [
      ["en-US", "11/28/2026"],
      ["en-GB", "28/11/2026"],
    ] as const) {
      expect(parseTypedDay(example, dayOrderOf(locale)), locale).toEqual({ day: "2026-11-28" });
    }
  });
});
