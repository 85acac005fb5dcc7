import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { customerNameSort, customerSearchText, foldForSearch, searchTerms } from "~/domain/customers";

const contact = (firstName: string, lastName: string) => ({ firstName, lastName, email: null, phone: null });

describe("the directory's search fold, for apostrophes and hyphens", () => {
  it("reads every apostrophe a keyboard, smart punctuation or a pasted email brings as the ASCII one", () => {
    for (const typed of [
      "O'Neill",
      "O\u2019Neill", // ’ what macOS and iOS smart punctuation type
      "O\u2018NEILL", // ‘
      "O\u201BNeill", // ‛
      "O\u02BCNeill", // ʼ
      "O\u0060Neill", // `
      "O\u00B4Neill", // ´ a dead key on Spanish and German keyboards: not a space, as decomposing it gave
      "O\u2032Neill", // ′
      "O\uFF07Neill", // ＇ fullwidth
    ]) {
      expect(foldForSearch(typed), typed).toBe("o'neill");
    }
    expect(foldForSearch("Hawai\u02BBi")).toBe("hawai'i");
    expect(foldForSearch("Il\u02B9ich")).toBe("il'ich");
    // Greek spacing accents and the numeral sign, which NFC turns into ` ´ ʹ.
    expect(foldForSearch("O\u1FEFNeill O\u1FFDNeill Il\u0374ich")).toBe("o'neill o'neill il'ich");
  });

  it("reads the hyphens of pasted names as the ASCII one, and leaves sentence dashes and quotation marks alone", () => {
    for (const typed of [
      "Jean-Luc",
      "Jean\u2010Luc",
      "Jean\u2011Luc",
      "Jean\u2012Luc",
      "Jean\u2013Luc",
      "Jean\uFE63Luc",
    ]) {
      expect(foldForSearch(typed), typed).toBe("jean-luc");
    }
    expect(foldForSearch("Acme \u2014 wholesale")).toBe("acme \u2014 wholesale");
    expect(foldForSearch("\u201CBuzz\u201D")).toBe("\u201Cbuzz\u201D");
  });

  it("keeps what it folded before: accents, case, plain Latin letters", () => {
    expect(foldForSearch("Zoë O\u2019Neill, Jr")).toBe("zoe o'neill, jr");
    expect(foldForSearch("ŁUKASZ Søren Straße")).toBe("lukasz soren strasse");
  });

  it("gives a name stored with either apostrophe the same search text and sort key", () => {
    expect(customerSearchText(contact("Marco", "D\u2019Angelo"))).toBe(
      customerSearchText(contact("Marco", "D'Angelo")),
    );
    expect(customerSearchText(contact("Marco", "D\u2019Angelo"))).toBe("marco dangelo  ");
    expect(customerNameSort(contact("Marco", "D\u2019Angelo"))).toBe(customerNameSort(contact("Marco", "D'Angelo")));
  });

  it("turns a search typed with any of them into the same terms", () => {
    const terms = searchTerms("o'neill zoë");
    for (const typed of ["O\u2019Neill Zoë", "O\u2018NEILL ZOE", "o\u00B4neill zoe"]) {
      expect(searchTerms(typed), typed).toEqual(terms);
    }
  });

  it("reads a phone pasted with non-breaking hyphens or en dashes as its digits", () => {
    expect(searchTerms("+48 601\u2011234\u2011567")).toEqual(["48601234567"]);
    expect(searchTerms("601\u2013234")).toEqual(["601234"]);
  });
});

describe("the directory's search, with or without the apostrophe or hyphen typed", () => {
  it("indexes names and emails without apostrophes and hyphens, joined rather than spaced", () => {
    expect(
      customerSearchText({
        firstName: "Jean-Luc",
        lastName: "O'Neill",
        email: "jean-luc.o'neill@mont-royal.ca",
        phone: null,
      }),
    ).toBe("jeanluc oneill jeanluc.oneill@montroyal.ca  ");
    expect(customerSearchText(contact("Anne\u2013Marie", "D\u00B4Angelo"))).toBe("annemarie dangelo  ");
    expect(customerSearchText(contact("Ko\uFF07o", "Smith\uFE63Jones"))).toBe("koo smithjones  ");
  });

  it("turns a search typed with, without or with another apostrophe or hyphen into terms the index holds", () => {
    for (const typed of ["oneill", "o'neill", "O\u2019Neill", "O\u00B4NEILL", "o-neill"]) {
      expect(searchTerms(typed), typed).toEqual(["oneill"]);
    }
    for (const typed of ["jeanluc", "jean-luc", "Jean\u2011Luc", "JEAN\u2013LUC"]) {
      expect(searchTerms(typed), typed).toEqual(["jeanluc"]);
    }
    // Two words, each found inside "jeanluc".
    expect(searchTerms("jean luc")).toEqual(["jean", "luc"]);
    expect(searchTerms("jean-luc@")).toEqual(["jeanluc@"]);
    // Nothing left to find: no terms, the whole list (not a search for the hyphen).
    expect(searchTerms(" - ' ")).toEqual([]);
    // A phone typed with hyphens is still its digits.
    expect(searchTerms("601-234-567")).toEqual(["601234567"]);
  });

  it("keeps apostrophes and hyphens in the sort key, so the list's order is as before", () => {
    expect(customerNameSort(contact("Jean-Luc", "O'Neill"))).toBe("jean-luc o'neill");
  });
});

/** The code points a migration names: SQLite's char(0x…) list, PostgreSQL's U&'…' escapes. */
function namedBy(file: string): Set<number> {
  const text = readFileSync(file, "utf8");
  const points = [...text.matchAll(/0x([0-9A-F]{4})\b/g), ...text.matchAll(/\\([0-9A-F]{4})/g)];
  return new Set(points.map((match) => parseInt(match[1]!, 16)));
}

describe("migrations 0026 (SQLite) and 0013 (PostgreSQL)", () => {
  it("name every character whose search text the fold changed, so each such customer is indexed again", () => {
    // Changed: folded to ' or - now, which the decomposition alone did not already give.
    const changed: number[] = [];
    for (let point = 0; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const character = String.fromCodePoint(point);
      if (character === "'" || character === "-") continue;
      const folded = foldForSearch(character);
      if (!/['-]/.test(folded)) continue;
      if (/['-]/.test(character.normalize("NFKD"))) continue;
      changed.push(point);
    }
    expect(changed.length).toBeGreaterThan(10);
    for (const file of ["drizzle/0026_search-apostrophes.sql", "drizzle/postgres/0013_search-apostrophes.sql"]) {
      expect(
        [...namedBy(file)].toSorted((a, b) => a - b),
        file,
      ).toEqual(changed);
    }
    // Folds all 1,114,112 code points: about 2.7 s at load 4, over 5 s on a 2-core machine running other suites.
  }, 30_000);
});

describe("the directory's search, pasted with punctuation around its words", () => {
  it("drops the commas, quotes, brackets and marks a spreadsheet or a sentence puts at a word's edges", () => {
    expect(searchTerms("Lambert,")).toEqual(["lambert"]);
    expect(searchTerms("Lambert, Théo")).toEqual(["lambert", "theo"]);
    expect(searchTerms("Lambert; Théo: Zoë!")).toEqual(["lambert", "theo", "zoe"]);
    expect(searchTerms('"Lambert" (Théo) [Zoë] «Anna» \u201CMarc\u201D')).toEqual([
      "lambert",
      "theo",
      "zoe",
      "anna",
      "marc",
    ]);
    expect(searchTerms("Lambert? ¿Théo. Zoë...")).toEqual(["lambert", "theo", "zoe"]);
    expect(searchTerms("Lambert\uFF0C")).toEqual(["lambert"]); // a full-width comma
  });

  it("keeps what an email, a phone or a name needs inside or at the edge of a word", () => {
    expect(searchTerms("theo.lambert+vip@shop.fr,")).toEqual(["theo.lambert+vip@shop.fr"]);
    expect(searchTerms("@shop.fr.")).toEqual(["@shop.fr"]);
    expect(searchTerms("theo_l@ .fr")).toEqual(["theo_l@", ".fr"]);
    expect(searchTerms("anna+ +48")).toEqual(["anna+", "+48"]);
    expect(searchTerms("O'Neil, Anne-Marie;")).toEqual(["oneil", "annemarie"]);
    expect(searchTerms("+48 601 234 567,")).toEqual(["48601234567"]);
  });

  it("drops a word of punctuation alone rather than searching for it", () => {
    expect(searchTerms("Lambert , Théo")).toEqual(["lambert", "theo"]);
    expect(searchTerms(", ; () !")).toEqual([]);
  });
});
