import { describe, expect, it } from "vitest";
import {
  backfillGivesNothing,
  backfillLeft,
  backfillLines,
  backfillRangeFrom,
  checkCustomerRow,
  checkPhone,
  checkPoints,
  checkPointsRow,
  customerColumns,
  mapColumns,
  mapPointsColumns,
  sampleCustomersCsv,
  sampleCustomersHeader,
  sampleCustomersRows,
  checkRowWidth,
  MAX_UPLOAD_BYTES,
  uploadTooLarge,
} from "~/domain/imports";

describe("matching a file's header to the fields", () => {
  it("reads Shopify's export, seed 003's name/email/password and spreadsheet spellings alike", () => {
    const shopify = mapColumns(
      ["First Name", "Last Name", "Email", "Accepts Email Marketing", "Phone", "Tags", "Tax Exempt", "Total Spent"],
      customerColumns,
    );
    expect(shopify.columns).toEqual({
      firstName: 0,
      lastName: 1,
      email: 2,
      emailMarketing: 3,
      phone: 4,
      tags: 5,
      taxExempt: 6,
    });
    expect(shopify.unknown).toEqual(["Total Spent"]);
    const seed = mapColumns(["name", "email", "password"], customerColumns);
    expect(seed.columns).toEqual({ name: 0, email: 1, password: 2 });
    expect(mapColumns([" E-mail address ", "PRÉNOM", "points_balance"], customerColumns).columns).toEqual({
      email: 0,
      firstName: 1,
      points: 2,
    });
  });

  it("names the required column a file lacks", () => {
    expect(mapColumns(["name", "phone"], customerColumns).missing).toEqual(["email"]);
  });

  it("finds each loyalty app's balance column, not a look-alike", () => {
    const lion = mapPointsColumns("loyaltylion", ["email", "points_spent", "points_pending", "points_approved"]);
    expect(lion.columns).toEqual({ email: 0, points: 3, pending: 2 });
    const yotpo = mapPointsColumns("yotpo", ["Email", "Points Spent", "Points Balance"]);
    expect(yotpo.columns).toEqual({ email: 0, points: 2 });
    const smile = mapPointsColumns("smile", ["Email", "Points balance", "VIP tier"]);
    expect(smile.columns).toEqual({ email: 0, points: 1 });
  });
});

describe("a customer row", () => {
  const columns = mapColumns(
    ["Email", "Name", "Phone", "Tags", "Tax exempt", "Newsletter", "Points", "Password"],
    customerColumns,
  ).columns;

  it("splits a full name, cleans tags, reads yes/no and notes a password it cannot import", () => {
    expect(
      checkCustomerRow(
        ["Ada@Example.com ", "Ada King Lovelace", "+44 20 7946 0958", " vip,, wholesale ", "TRUE", "0", "1,250", "x"],
        columns,
        "GB",
      ),
    ).toEqual({
      ok: true,
      customer: {
        email: "ada@example.com",
        firstName: "Ada King",
        lastName: "Lovelace",
        phone: "+442079460958",
        tags: ["vip", "wholesale"],
        taxExempt: true,
        emailMarketing: false,
        points: 1250,
        hadPassword: true,
      },
    });
  });

  it("reads back what Tally's own export wrote: a phone kept as text, and Name standing for no name", () => {
    // The export writes "'+1…" for a value that starts like a formula, and the email (or "Guest (no email)") in Name
    // for a customer without one: read back, neither is a name nor refused (newcomer round 14).
    const row = (name: string, phone: string) =>
      checkCustomerRow(["ana@example.com", name, phone, "", "", "", "", ""], columns, "CA");
    expect(row("ana@example.com", "'+16135550199")).toEqual({
      ok: true,
      customer: { email: "ana@example.com", phone: "+16135550199", hadPassword: false },
    });
    expect(row("Guest (no email)", "")).toEqual({
      ok: true,
      customer: { email: "ana@example.com", hadPassword: false },
    });
    expect(row("Ana Silva", "")).toMatchObject({ ok: true, customer: { firstName: "Ana", lastName: "Silva" } });
    // The apostrophe goes only before what starts like a formula: the name the export neutralised comes back as it was.
    expect(row("'=SUM(A1) Lee", "")).toMatchObject({ ok: true, customer: { firstName: "=SUM(A1)", lastName: "Lee" } });
    expect(row("O'Brien", "")).toMatchObject({ ok: true, customer: { firstName: "O'Brien" } });
  });

  it("reads a number a spreadsheet kept as text with an apostrophe, as the merchant corrected it", () => {
    // The problems file once wrote "-500" as "'-500"; corrected to "'500" it was refused as not a whole number.
    const points = (cell: string) => checkCustomerRow(["ana@example.com", "", "", "", "", "", cell, ""], columns, "CA");
    expect(points("'500")).toMatchObject({ ok: true, customer: { points: 500 } });
    expect(points("'1,250")).toMatchObject({ ok: true, customer: { points: 1250 } });
    expect(points("'-500")).toMatchObject({ ok: false });
    expect(checkCustomerRow(["ana@example.com", "'Ilima Kai", "", "", "", "", "", ""], columns, "CA")).toMatchObject({
      ok: true,
      customer: { firstName: "'Ilima" },
    });
  });

  it("takes a name or tag that starts like a formula, as Shopify and the profile's Edit do", () => {
    // Every CSV Tally writes neutralises such a cell; refusing it here only made the import disagree with the Edit form.
    expect(checkCustomerRow(["eve@example.com", "=Eve -", "", "@home, +vip", "", "", "", ""], columns, "CA")).toEqual({
      ok: true,
      customer: {
        email: "eve@example.com",
        firstName: "=Eve",
        lastName: "-",
        tags: ["@home", "+vip"],
        hadPassword: false,
      },
    });
  });

  it("lists every problem of a row at once", () => {
    const checked = checkCustomerRow(["nope", "+Bad Name", "12", "@tag", "maybe", "", "-1", ""], columns, "CA");
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.errors).toEqual([
      '"nope" is not a valid email address',
      "“12” is too short to be a phone number: write it like (613) 555-0123, or +44 20 7946 0958 for a number abroad.",
      'Tax exempt must be yes or no, not "maybe"',
      'Points must be a whole number of zero or more, not "-1"',
    ]);
  });
});

describe("cells", () => {
  it.each([
    ["+1 (613) 555-0101", "CA", "+16135550101"],
    ["613-555-0101", "CA", "+16135550101"],
    ["(212) 555-0101", "US", "+12125550101"],
    ["0044 20 7946 0958", "CA", "+442079460958"],
    ["07400 123456", "GB", "+447400123456"],
  ])("reads the phone %s in a shop in %s as %s", (cell, country, e164) => {
    expect(checkPhone(cell, country)).toEqual({ ok: true, value: e164 });
  });

  it("says how to write a phone it cannot read, in the shop's country's example", () => {
    expect(checkPhone("07700 900123", "GB")).toEqual({
      ok: false,
      error:
        "“07700 900123” is not a phone number in the United Kingdom: write it like 07400 123456, or +1 613 555 0123 for a number abroad.",
    });
    expect(checkPhone("555-0101", "CA")).toEqual({
      ok: false,
      error:
        "“555-0101” is too short to be a phone number: write it like (613) 555-0123, or +44 20 7946 0958 for a number abroad.",
    });
  });

  it.each(["1.5", "1,25", "12 000", "1e3", "one"])("refuses %s points rather than guessing", (cell) => {
    expect(checkPoints(cell).ok).toBe(false);
  });

  it.each([
    ["1.234", 1234],
    ["12.345.678", 12_345_678],
    ["12 345", 12_345],
    ["12\u00a0345", 12_345],
    ["1\u202f234\u202f567", 1_234_567],
    ["0", 0],
  ])("reads %s in a semicolon file as %i points (a point or space between thousands)", (cell, points) => {
    expect(checkPoints(cell, ";")).toEqual({ ok: true, value: points });
  });

  it.each(["1.234,5", "1,5", "12.5", "1.23", "1.2345", "1.234 567", "1,234"])(
    "refuses %s points in a semicolon file: a decimal there, or mixed separators",
    (cell) => {
      expect(checkPoints(cell, ";").ok).toBe(false);
    },
  );

  it("says why a thousands separator of the other convention is refused, and what to write", () => {
    expect(checkPoints("1.234", ",")).toEqual({
      ok: false,
      error:
        'Points must be a whole number of zero or more, not "1.234": in a comma-separated file the point marks decimals. If you meant 1234 points, write 1234',
    });
    expect(checkPoints("1,234", ";")).toMatchObject({ error: expect.stringMatching(/the comma marks decimals/) });
    expect(checkPoints("1.234", "\t").ok).toBe(false);
    // A customer file's Points column follows its file's separator too.
    const columns = mapColumns(["Email", "Points"], customerColumns).columns;
    expect(checkCustomerRow(["ana@example.com", "1.500"], columns, "CA", ";")).toMatchObject({
      ok: true,
      customer: { points: 1500 },
    });
  });

  it("a points row needs a valid email and a whole balance", () => {
    const columns = mapPointsColumns("generic", ["email", "points"]).columns;
    expect(checkPointsRow(["A@x.io", "300"], columns)).toEqual({ ok: true, email: "a@x.io", points: 300, pending: 0 });
    expect(checkPointsRow(["a@x", "3.5"], columns)).toEqual({
      ok: false,
      errors: ['"a@x" is not a valid email address', 'Points must be a whole number of zero or more, not "3.5"'],
    });
  });
});

describe("the upload's size limit", () => {
  it("takes a file up to 200 MiB and tells a larger one its size, the limit and what to do", () => {
    expect(uploadTooLarge(3.4 * 1024 * 1024)).toBeNull();
    expect(uploadTooLarge(MAX_UPLOAD_BYTES)).toBeNull();
    expect(uploadTooLarge(MAX_UPLOAD_BYTES + 1)).toBe(
      "Tally takes CSV files up to 200 MB. The file is 200.1 MB: split it into smaller files and import each.",
    );
    expect(uploadTooLarge(250.34 * 1024 * 1024)).toBe(
      "Tally takes CSV files up to 200 MB. The file is 250.4 MB: split it into smaller files and import each.",
    );
  });
});

describe("a row wider than its header", () => {
  it("is refused when its extra values hold something, in the file's delimiter's name; trailing empty ones are fine", () => {
    expect(checkRowWidth(["a", "b"], 3, ",")).toBeNull();
    expect(checkRowWidth(["a", "b", "c"], 3, ",")).toBeNull();
    expect(checkRowWidth(["a", "b", "c", "", " "], 3, ",")).toBeNull();
    // The value that split is quoted from the row when it shows (a space after the comma, as people type it).
    expect(checkRowWidth(["ana@example.com", "Ana", "Silva", " Jr", "x"], 4, ",")).toBe(
      'This row has 5 values but the header has 4 columns: "Silva, Jr" in this row needs double quotes around it, so this row was not read',
    );
    expect(checkRowWidth(["ana@example.com", "Acme", " Inc.", "x"], 3, ";")).toContain('"Acme; Inc." in this row');
    // Otherwise an example, in the file's delimiter.
    expect(checkRowWidth(["a", "b", "c", "d"], 3, ",")).toBe(
      'This row has 4 values but the header has 3 columns: a value with a comma in it (like "Silva, Jr") needs double quotes around it, so this row was not read',
    );
    expect(checkRowWidth(["a", "b", "c", "d"], 3, ";")).toContain("a value with a semicolon in it");
    expect(checkRowWidth(["a", "b", "c", "d"], 3, "\t")).toContain("a value with a tab in it");
  });

  it("is refused when a row saved with another separator was read as one value, naming both separators", () => {
    expect(checkRowWidth(["ana@example.com;Ana;Silva;;"], 5, ",")).toBe(
      "This row's values are separated by semicolons but the file's header by commas, so it was read as one value: save the file again with one separator throughout",
    );
    expect(checkRowWidth(["ana@example.com,Ana"], 3, ";")).toContain(
      "separated by commas but the file's header by semicolons",
    );
    // A lone value is a row with its other cells empty; a one-column file has nothing to shift.
    expect(checkRowWidth(["ana@example.com"], 5, ",")).toBeNull();
    expect(checkRowWidth(["Silva; Jr"], 1, ",")).toBeNull();
  });
});

describe("what a Points for past orders page says", () => {
  const words = {
    number: (value: number) => value.toLocaleString("en-US"),
    points: (value: number) => `${value.toLocaleString("en-US")} stars`,
    count: (value: number, noun: { one: string; other: string }) =>
      `${value.toLocaleString("en-US")} ${value === 1 ? noun.one : noun.other}`,
  };

  it("after giving, what was given and the preview's orders that were skipped, not the preview's totals", () => {
    expect(
      backfillLines("imported", { orders: 4323, points: 1_145_718, customers: 900, alreadyGiven: 177 }, words),
    ).toEqual([
      "Gave 1,145,718 stars for 4,323 orders paid before Tally was installed, to 900 customers",
      '177 orders of the preview already had points (another "Points for past orders" gave them first): skipped, nothing given twice.',
      "Each order's points are tied to it: a later refund takes its share back, as for any order.",
    ]);
  });

  it("a preview with nothing to give says so", () => {
    expect(backfillLines("checked", { orders: 0, points: 0, customers: 0 }, words)).toEqual([
      expect.stringMatching(/^No order paid before Tally was installed is left to earn points since this date/),
    ]);
  });

  it("a preview another backfill gave orders of since offers what is left, and says why it is less", () => {
    const counted = { orders: 4323, points: 21_938, customers: 900 };
    expect(backfillLines("checked", { ...counted, takenOrders: 4000, takenPoints: 20_000 }, words)).toEqual([
      "323 orders paid before Tally was installed are left to earn 1,938 stars under today's program",
      'Another "Points for past orders", given since this preview, gave 4,000 orders of it their points: they are left out, and nothing is given twice.',
      "Each order's points are tied to it: a later refund takes its share back, as for any order.",
    ]);
    expect(backfillLeft({ ...counted, takenOrders: 4000, takenPoints: 20_000 })).toEqual({
      orders: 323,
      points: 1938,
      taken: 4000,
    });
    // All of it given since: nothing left, and no Give.
    const gone = { ...counted, takenOrders: 4323, takenPoints: 21_938 };
    expect(backfillGivesNothing(gone)).toBe(true);
    expect(backfillLines("checked", gone, words)).toEqual([
      'Another "Points for past orders", given since this preview, gave 4,323 orders of it their points: nothing is left to give.',
    ]);
    // That backfill undone: all of it again.
    expect(backfillGivesNothing({ ...counted, takenOrders: 0, takenPoints: 0 })).toBe(false);
  });
});

describe("the day Points for past orders starts from", () => {
  const now = new Date("2026-12-01T21:30:00Z");

  it("is the shop's day: its start in the shop's zone, named with the zone", () => {
    // Nov 1, 2026 begins on daylight time in Toronto (the clocks go back at 2 am), at 9 am the day before in Tokyo.
    expect(backfillRangeFrom("2026-11-01", "America/Toronto", now)).toEqual({
      since: "2026-11-01T04:00:00.000Z",
      title: "Orders since Nov 1, 2026 (America/Toronto time)",
    });
    expect(backfillRangeFrom("2026-11-01", "Asia/Kolkata", now)?.since).toBe("2026-10-31T18:30:00.000Z");
    expect(backfillRangeFrom("2026-11-01", "Asia/Tokyo", now)?.since).toBe("2026-10-31T15:00:00.000Z");
    expect(backfillRangeFrom("2026-11-01", null, now)).toEqual({
      since: "2026-11-01T00:00:00.000Z",
      title: "Orders since Nov 1, 2026 (UTC time)",
    });
  });

  it("is at most the shop's today, which east of UTC is already tomorrow's date", () => {
    expect(backfillRangeFrom("2026-12-02", "Asia/Tokyo", now)).not.toBeNull();
    expect(backfillRangeFrom("2026-12-02", "America/Toronto", now)).toBeNull();
    expect(backfillRangeFrom("2026-12-01", "America/Toronto", now)).not.toBeNull();
    expect(() => backfillRangeFrom("2026-02-30", "America/Toronto", now)).toThrow(RangeError);
  });
});

describe("an imported row's text past Shopify's limits", () => {
  it("names the column among the row's problems, in the words every bounded field uses", () => {
    const { columns } = mapColumns(["Email", "First Name", "City", "Country Code"], customerColumns);
    expect(checkCustomerRow(["ada@example.com", "a".repeat(256), "c".repeat(300), "CA"], columns, "CA")).toEqual({
      ok: false,
      errors: [
        "First name: keep it to 255 characters or fewer (this is 256)",
        "City: keep it to 255 characters or fewer (this is 300)",
      ],
    });
    expect(checkCustomerRow(["ada@example.com", "a".repeat(255), "c".repeat(255), "CA"], columns, "CA")).toMatchObject({
      ok: true,
    });
  });
});

describe("the Import customers page's sample CSV", () => {
  it("has a column for everything Tally reads but Full name and Password, and two rows the import takes in any shop", () => {
    const mapping = mapColumns(sampleCustomersHeader, customerColumns);
    expect(mapping.unknown).toEqual([]);
    expect(mapping.missing).toEqual([]);
    expect(
      customerColumns.map((column) => column.field).filter((field) => mapping.columns[field] === undefined),
    ).toEqual(["name", "password"]);
    for (const country of ["CA", "US", "GB", "FR", null]) {
      for (const row of sampleCustomersRows) {
        expect(checkCustomerRow(row, mapping.columns, country), `${row[2]} in ${country}`).toMatchObject({ ok: true });
      }
    }
    const lines = sampleCustomersCsv().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('"VIP, Newsletter"');
  });
});
