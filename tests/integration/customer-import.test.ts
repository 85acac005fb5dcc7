import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, importProblems, ledgerEntries } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { getTask, listTaskItems } from "~/services/background-jobs/get-task.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { listActivity } from "~/services/ledger/list-activity.server";
import { getImport, listImportProblems, undoImport } from "~/services/imports/apply-import.server";
import { checkCustomerImport, checkPointsImport } from "../helpers/import-checks";
import { startImport } from "~/services/imports/start-import.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { describeAuditChange } from "~/components/audit-log";
import { createFormatter } from "~/lib/format";
import { listAuditEvents } from "~/services/audit/list-audit-events.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";

const sandboxOf = useSandbox();
const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
const { db } = contextFor("any", "test");
const staff = { actor: "staff:42", actorName: "Sam Owner" };
const LEASE_MS = 30_000;

async function fileOf(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tally-import-"));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const installedShop = () => installedSandboxShop(sandboxOf());

async function customerRow(shop: string, email: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, shop), eq(customers.email, email)));
  return row;
}

async function entriesOf(shop: string, customerId: number) {
  return db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.customerId, customerId)));
}

/** A tab of the customer's Activity log as their profile shows it: each entry's badge, points and details. */
async function activityTab(shop: string, customerId: number, filter: "all" | "earned" | "redeemed") {
  const { rows } = await listActivity({ ctx: contextFor(shop, "test"), input: { customerId, filter, limit: 50 } });
  return rows.map((row) => [row.label, row.points, row.explanation]);
}

/** A customer's points lines in their audit trail, oldest first, in the words their profile's Audit trail shows. */
async function pointsLinesOf(shop: string, customerId: number) {
  const { events } = await listAuditEvents({ ctx: contextFor(shop, "test"), input: { customerId, limit: 10 } });
  return events
    .filter((event) => event.action.startsWith("points."))
    .reverse()
    .map((event) => ({
      action: event.action,
      actorName: event.actorName,
      taskId: event.taskId,
      words: describeAuditChange(event, format),
    }));
}

async function actionsOf(shop: string) {
  return (await db.select().from(auditEvents).where(eq(auditEvents.shop, shop)).orderBy(auditEvents.id)).map(
    (event) => event.action,
  );
}

// Excel in much of Europe: semicolons, a byte order mark, CRLF, quoted cells (one with a line break), Shopify's own
// export headers in other spellings, an unknown column, and every kind of bad row.
const customerCsv = [
  "\uFEFFE-mail Address;First Name;Last Name;Phone;Tags;Tax Exempt;Accepts Email Marketing;Points;Password;Favourite colour",
  'ada@example.com;Ada;Lovelace;+44 20 7946 0958;"vip, wholesale";yes;yes;300;s3cret;green',
  "not-an-email;Bob;Stone;;;;;;;blue",
  "ADA@example.com;Ada;Again;;;;;;;red",
  'eve@example.com;=HYPERLINK("http://x");Evil;;;maybe;;;;',
  "phil@example.com;Phil;Phone;call me;;;;;;",
  "pat@example.com;Pat;Points;;;;;12.5;;",
  'kim@example.com;Kim;"Multi\nLine";(613) 555-0101;;no;no;0;;',
  "lee@example.com;Lee;Known;;;;;50;;",
  "",
].join("\r\n");

describe("importing customers from a CSV", () => {
  it("checks every row first: the mapping, what will be created, updated or skipped, and each bad row's reasons", async () => {
    const shop = await installedShop();
    const known = sandboxOf().control.createCustomer({ shop, email: "lee@example.com", firstName: "Lee" });
    // Tally knows Lee, as the install's sync or a customers/create webhook would have told it.
    await db.insert(customers).values({ shop, customerGid: `gid://shopify/Customer/${known.id}`, email: known.email });
    const ctx = contextFor(shop, staff);
    const path = await fileOf("customers.csv", customerCsv);
    const checked = await checkCustomerImport({
      ctx,
      input: { fileName: "customers.csv", filePath: path, existing: "update", invite: true },
    });

    expect(checked.delimiter).toBe(";");
    expect(checked.headers.at(-1)).toBe("Favourite colour");
    expect(checked.columns).toMatchObject({ email: 0, firstName: 1, lastName: 2, phone: 3, points: 7, password: 8 });
    expect(checked.summary).toEqual({
      rows: 8,
      problems: 5,
      valid: 3,
      create: 2,
      update: 1,
      // Lee's row names him "Lee Known", where Tally knows only his email: an update that changes his name.
      unchanged: 0,
      "changed.firstName": 1,
      "changed.lastName": 1,
      skip: 0,
      points: 350,
      passwords: 1,
    });
    const problems = [];
    for await (const problem of listImportProblems({ ctx, input: { importId: checked.id } })) problems.push(problem);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [3, '"not-an-email" is not a valid email address'],
      [4, "Same email as line 2 (ada@example.com)"],
      // A name that starts like a formula is taken (decision 023); this row's problem is its Tax Exempt.
      [5, 'Tax exempt must be yes or no, not "maybe"'],
      [
        6,
        "“call me” has letters in it, and a phone number has none: write it like (613) 555-0123, or +44 20 7946 0958 for a number abroad.",
      ],
      [7, 'Points must be a whole number of zero or more, not "12.5"'],
    ]);
    // The bad row keeps its cells as uploaded, to be fixed and uploaded again.
    expect(problems[2]!.cells[1]).toBe('=HYPERLINK("http://x")');
    expect(await actionsOf(shop)).toEqual(["task.start", "import.check"]);
  });

  it("reads an old-Excel (Windows-1252) file right however far in its first accent is, a file mixing encodings line by line, and names a row whose letters were lost", async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, staff);
    // 1,700 rows of plain ASCII (about 70 KB, past the first 64 KiB), then Zoé François as Windows-1252 writes her.
    const ascii = Array.from({ length: 1_700 }, (_, i) => `Pat,Lee${i},pat${i}@example.com`).join("\r\n");
    const late = Buffer.concat([
      Buffer.from(`First Name,Last Name,Email\r\n${ascii}\r\n`, "latin1"),
      Buffer.from("Zoé,François,zoe.francois@example.com\r\n", "latin1"),
    ]);
    const checked = await checkCustomerImport({
      ctx,
      input: { fileName: "late.csv", filePath: await fileOf("late.csv", late), existing: "update", invite: false },
    });
    expect(checked.summary).toMatchObject({ rows: 1_701, problems: 0, create: 1_701 });
    const path = await fileOf("late-read.csv", late);
    const { toUtf8, readCsv } = await import("~/lib/csv-read.server");
    const records: string[][] = [];
    for await (const { record } of readCsv(path, await toUtf8(path))) records.push(record);
    expect(records.at(-1)).toEqual(["Zoé", "François", "zoe.francois@example.com"]);

    // Rows pasted together from a UTF-8 sheet and an old-Excel one, in either order: each line is read in its own
    // encoding, so nobody is refused and nobody is written as "Zo\uFFFD" or "Ã‰mile".
    const utf8 = (text: string) => Buffer.from(text, "utf8");
    const windows1252 = (text: string) => Buffer.from(text, "latin1");
    for (const [name, mixed] of [
      [
        "utf8-first.csv",
        Buffer.concat([
          utf8("First Name,Last Name,Email\nÉmile,Durand,emile@example.com\n"),
          windows1252("Zoé,François,zoe@example.com\n"),
        ]),
      ],
      [
        "1252-first.csv",
        Buffer.concat([
          windows1252("First Name,Last Name,Email\r\nZoé,François,zoe@example.com\r\n"),
          utf8('Émile,"Durand\nMøller",emile@example.com\r\n'),
          windows1252("Renée,Dubois,renee@example.com"),
        ]),
      ],
    ] as const) {
      const mixedPath = await fileOf(name, mixed);
      const checkedMixed = await checkCustomerImport({
        ctx,
        input: { fileName: name, filePath: mixedPath, existing: "update", invite: false },
      });
      expect(checkedMixed.summary, name).toMatchObject({ problems: 0 });
      const read: string[][] = [];
      const again = await fileOf(`again-${name}`, mixed);
      for await (const { record } of readCsv(again, await toUtf8(again))) read.push(record);
      expect(
        read.slice(1).map((cells) => cells.slice(0, 2).join(" ")),
        name,
      ).toEqual(
        name === "utf8-first.csv"
          ? ["Émile Durand", "Zoé François"]
          : ["Zoé François", "Émile Durand\nMøller", "Renée Dubois"],
      );
    }

    // Letters lost before the upload (a sheet once opened in the wrong encoding and saved with U+FFFD in it) are
    // refused on their row, not written into Shopify.
    const damaged = utf8(
      "First Name,Last Name,Email\nÉmile,Durand,emile@example.com\nZo\uFFFD,Fran\uFFFDois,zoe@example.com\n",
    );
    const checkedDamaged = await checkCustomerImport({
      ctx,
      input: {
        fileName: "damaged.csv",
        filePath: await fileOf("damaged.csv", damaged),
        existing: "update",
        invite: false,
      },
    });
    expect(checkedDamaged.summary).toMatchObject({ rows: 2, problems: 1, valid: 1 });
    const problems = [];
    for await (const problem of listImportProblems({ ctx, input: { importId: checkedDamaged.id } }))
      problems.push(problem);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [
        3,
        "Some letters in this row were lost before the file was uploaded (they show as �): type them again in the file and upload it again",
      ],
    ]);
  });

  it("imports the checked rows in the background: customers in Shopify and the directory, points explained, invitations sent", async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, staff);
    const path = await fileOf("customers.csv", customerCsv);
    const checked = await checkCustomerImport({
      ctx,
      input: { fileName: "customers.csv", filePath: path, existing: "update", invite: true },
    });
    const { task } = await startImport({ ctx, input: { importId: checked.id } });
    // A second click answers the same task.
    expect((await startImport({ ctx, input: { importId: checked.id } })).task.id).toBe(task.id);
    await createTaskRunner({ shops: [shop] }).drain();

    const done = await getTask({ ctx, input: { taskId: task.id } });
    expect(done).toMatchObject({ status: "succeeded", items: { done: 3, skipped: 0, failed: 0 } });
    const ada = sandboxOf().control.customerByEmail({ shop, email: "ada@example.com" });
    expect(ada).toMatchObject({ firstName: "Ada", lastName: "Lovelace", phone: "+442079460958", taxExempt: true });
    expect(ada?.tags).toEqual(["vip", "wholesale"]);
    expect(ada?.marketing.state).toBe("SUBSCRIBED");
    expect(sandboxOf().control.customerByEmail({ shop, email: "kim@example.com" })?.phone).toBe("+16135550101");
    // The rows the dry run refused never reached Shopify.
    expect(sandboxOf().control.customerByEmail({ shop, email: "eve@example.com" })).toBeNull();
    expect(sandboxOf().control.customerByEmail({ shop, email: "phil@example.com" })).toBeNull();
    // Invitations stand in for the passwords Shopify cannot take.
    expect(
      sandboxOf()
        .control.sentEmails({ shop })
        .map((mail) => mail.to),
    ).toEqual(expect.arrayContaining(["ada@example.com", "kim@example.com", "lee@example.com"]));
    // The result says who sends them: Shopify, from the shop's notifications, not Tally's outbox.
    const items = await listTaskItems({ ctx, input: { taskId: task.id, limit: 10 } });
    // Each line names its customer and links to their profile, the ones the import created included.
    expect(items.items.find((item) => item.key === "ada@example.com")).toMatchObject({
      label: "Ada Lovelace",
      detail: "ada@example.com",
      message: "Created, +300 points; Shopify emails them its account invitation",
    });
    for (const email of ["ada@example.com", "kim@example.com", "lee@example.com"])
      expect(items.items.find((item) => item.key === email)?.customerId).toBe((await customerRow(shop, email))?.id);

    const adaRow = await customerRow(shop, "ada@example.com");
    expect(adaRow).toMatchObject({ firstName: "Ada", pointsBalance: 300 });
    expect((await entriesOf(shop, adaRow!.id)).map((e) => e.explanation)).toEqual([
      "+300: imported from customers.csv",
    ]);
    // The profile's Activity log says the points were imported, not earned by an order; they stay on the Earned tab.
    expect(await activityTab(shop, adaRow!.id, "earned")).toEqual([
      ["Imported", 300, "+300: imported from customers.csv"],
    ]);
    expect((await customerRow(shop, "lee@example.com"))?.pointsBalance).toBe(50);
    expect(await getImport({ ctx, input: { importId: checked.id } })).toMatchObject({ status: "imported" });
    expect(await actionsOf(shop)).toEqual([
      // The check's task, then the import's.
      "task.start",
      "import.check",
      "task.start",
      // One line in each imported customer's own trail, and one for the points the row gave, then the import's.
      "customer.import",
      "points.import",
      "customer.import",
      "customer.import",
      "points.import",
      "import.customers",
    ]);
    expect(await pointsLinesOf(shop, adaRow!.id)).toEqual([
      {
        action: "points.import",
        actorName: "Sam Owner",
        taskId: task.id,
        words: `+300, balance 0 \u2192 300, imported from customers.csv (import ${checked.id})`,
      },
    ]);
  });

  it("skips the customers Shopify already has when the merchant chose so", async () => {
    const shop = await installedShop();
    const known = sandboxOf().control.createCustomer({ shop, email: "lee@example.com", firstName: "Lee" });
    await db.insert(customers).values({ shop, customerGid: `gid://shopify/Customer/${known.id}`, email: known.email });
    const ctx = contextFor(shop, staff);
    const checked = await checkCustomerImport({
      ctx,
      input: {
        fileName: "customers.csv",
        filePath: await fileOf("customers.csv", customerCsv),
        existing: "skip",
        invite: false,
      },
    });
    expect(checked.summary).toMatchObject({ create: 2, update: 0, skip: 1, points: 300 });
    const { task } = await startImport({ ctx, input: { importId: checked.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await getTask({ ctx, input: { taskId: task.id } })).toMatchObject({ items: { done: 2, skipped: 1 } });
    expect(sandboxOf().control.customerByEmail({ shop, email: "lee@example.com" })?.firstName).toBe("Lee");
    expect((await customerRow(shop, "lee@example.com"))?.pointsBalance).toBe(0);
    expect(sandboxOf().control.sentEmails({ shop })).toEqual([]);
  });

  it("resumes after a kill and after a chunk that died between Shopify's answer and the commit, creating no one twice", async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, staff);
    const rows = Array.from({ length: 60 }, (_, i) => `person${i}@example.com,Person,${i},${i + 1}`);
    const checked = await checkCustomerImport({
      ctx,
      input: {
        fileName: "many.csv",
        filePath: await fileOf("many.csv", ["email,first name,last name,points", ...rows].join("\n")),
        existing: "update",
        invite: false,
      },
    });
    const { task } = await startImport({ ctx, input: { importId: checked.id } });
    let now = Date.now();
    const clock = () => new Date(now);
    // The process is killed after its first chunk commits.
    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock }).drain({ stopAfterChunks: 1 });
    expect((await getTask({ ctx, input: { taskId: task.id } })).progress.done).toBe(25);

    // The next runner's first chunk dies after Shopify created three customers, before anything commits.
    now += LEASE_MS + 1000;
    let calls = 0;
    const flaky = async (shopDomain: string) => {
      const { admin } = await unauthenticated.admin(shopDomain);
      return (async (...args: Parameters<typeof admin.graphql>) => {
        calls += 1;
        if (calls === 4) throw new Error("socket hang up");
        return admin.graphql(...args);
      }) as typeof admin.graphql;
    };
    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock, shopify: flaky }).drain();
    now += 10 * 60_000;
    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock }).drain();

    const done = await getTask({ ctx, input: { taskId: task.id } });
    expect(done).toMatchObject({ status: "succeeded", progress: { done: 60 }, items: { done: 60, failed: 0 } });
    const items = await listTaskItems({ ctx, input: { taskId: task.id, limit: 100 } });
    expect(new Set(items.items.map((item) => item.key)).size).toBe(60);
    for (const i of [0, 25, 26, 27, 59]) {
      const row = await customerRow(shop, `person${i}@example.com`);
      expect(row?.pointsBalance).toBe(i + 1);
      expect(await entriesOf(shop, row!.id)).toHaveLength(1);
    }
  });

  it("refuses a file with no email column, saying which column it needs", async () => {
    const shop = await installedShop();
    await expect(
      checkCustomerImport({
        ctx: contextFor(shop, staff),
        input: {
          fileName: "x.csv",
          filePath: await fileOf("x.csv", "name,password\nAda,x\n"),
          existing: "update",
          invite: false,
        },
      }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: 'The file needs an "Email" column; its header row has: name, password',
    });
  });

  it("refuses a row whose unquoted comma shifts its values, saying so, and reads trailing empty cells as nothing", async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, staff);
    const file = [
      "First Name,Last Name,Email,Phone,Accepts Email Marketing,Tags",
      // "Silva, Jr" without quotes: seven values, the email read from the phone's column.
      "Ana,Silva, Jr,ana@example.com,,no,w13",
      // A spreadsheet's trailing delimiters: extra values, all empty.
      "Bo,Lind,bo@example.com,,no,w13,,,",
      "Cy,Moe,cy@example.com,,no,w13",
      // A row saved with semicolons: one value, which "Email is missing" blamed on the email.
      "Di;Ng;di@example.com;;no;w13",
      // What a spreadsheet leaves below its data: not rows at all.
      ",,,,,",
      ", ,,,,",
      ";;;;;",
    ].join("\n");
    const checked = await checkCustomerImport({
      ctx,
      input: {
        fileName: "shifted.csv",
        filePath: await fileOf("shifted.csv", file),
        existing: "update",
        invite: false,
      },
    });
    expect(checked.summary).toMatchObject({ rows: 4, problems: 2, valid: 2, create: 2 });
    const problems = [];
    for await (const problem of listImportProblems({ ctx, input: { importId: checked.id } })) problems.push(problem);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [
        2,
        'This row has 7 values but the header has 6 columns: "Silva, Jr" in this row needs double quotes around it, so this row was not read',
      ],
      [
        5,
        "This row's values are separated by semicolons but the file's header by commas, so it was read as one value: save the file again with one separator throughout",
      ],
    ]);
  });

  it("checks 10,000 rows with every kind of error in one pass, storing only the bad rows", async () => {
    const shop = await installedShop();
    const lines = ["Email,First Name,Phone,Points,Colour"];
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 100;
      if (kind === 1) lines.push(`bad-${i},A,,1,x`);
      else if (kind === 2) lines.push(`row${i - 2}@example.com,A,,1,x`);
      else if (kind === 3) lines.push(`row${i}@example.com,A,call me,1,x`);
      else if (kind === 4) lines.push(`row${i}@example.com,A,,-5,x`);
      else lines.push(`row${i}@example.com,"Name, ${i}",,${i},x`);
    }
    const checked = await checkCustomerImport({
      ctx: contextFor(shop, staff),
      input: {
        fileName: "big.csv",
        filePath: await fileOf("big.csv", lines.join("\n")),
        existing: "update",
        invite: false,
      },
    });
    expect(checked.summary).toMatchObject({ rows: 10_000, problems: 400, valid: 9_600, create: 9_600 });
    const stored = await db.select().from(importProblems).where(eq(importProblems.importId, checked.id));
    expect(stored).toHaveLength(400);
  });
});

describe("moving points from another loyalty app", () => {
  async function shopWithCustomers(emails: string[]) {
    const shop = await installedShop();
    for (const email of emails) {
      await db.insert(customers).values({ shop, customerGid: `gid://shopify/Customer/${email.length}${email}`, email });
    }
    return shop;
  }

  it("Smile's export: totals first, then one batch of explained entries that staff can undo while nothing is spent", async () => {
    const shop = await shopWithCustomers(["a@example.com", "b@example.com", "c@example.com"]);
    const ctx = contextFor(shop, staff);
    const smile = [
      "First name,Last name,Email,Points balance,Member status,VIP tier",
      "A,One,a@example.com,300,member,Gold",
      'B,Two,B@Example.com,"1,250",member,',
      "C,Three,c@example.com,0,member,",
      "D,Four,nobody@example.com,80,guest,",
      "E,Five,a@example.com,5,member,",
    ].join("\n");
    const checked = await checkPointsImport({
      ctx,
      input: { fileName: "smile.csv", filePath: await fileOf("smile.csv", smile), source: "smile" },
    });
    expect(checked.summary).toEqual({
      rows: 5,
      problems: 2,
      customers: 2,
      points: 1550,
      zero: 1,
      notFound: 1,
      pending: 0,
    });
    const { task } = await startImport({ ctx, input: { importId: checked.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await getTask({ ctx, input: { taskId: task.id } })).toMatchObject({ items: { done: 2, skipped: 1 } });
    const a = await customerRow(shop, "a@example.com");
    const b = await customerRow(shop, "b@example.com");
    expect([a?.pointsBalance, b?.pointsBalance]).toEqual([300, 1250]);
    expect((await entriesOf(shop, a!.id)).map((e) => e.explanation)).toEqual(["+300: moved from Smile"]);

    const undone = await undoImport({ ctx, input: { importId: checked.id, requestId: "undo-1" } });
    expect(undone).toEqual({ customers: 2, points: 1550 });
    expect((await customerRow(shop, "a@example.com"))?.pointsBalance).toBe(0);
    expect((await customerRow(shop, "b@example.com"))?.lifetimeEarned).toBe(0);
    expect((await entriesOf(shop, a!.id)).map((e) => e.explanation)).toEqual([
      "+300: moved from Smile",
      "\u2212300: undid the import (moved from Smile)",
    ]);
    // This test's staff clock stands still, so the undo is not dated after the import: the log's order is not asserted.
    const log = await activityTab(shop, a!.id, "all");
    expect(log).toHaveLength(2);
    expect(log).toEqual(
      expect.arrayContaining([
        ["Imported", 300, "+300: moved from Smile"],
        ["Import undone", -300, "\u2212300: undid the import (moved from Smile)"],
      ]),
    );
    await expect(undoImport({ ctx, input: { importId: checked.id, requestId: "undo-2" } })).rejects.toMatchObject({
      code: "conflict",
    });
    // Each customer's trail has the points the batch gave and took back, as their activity log has them.
    expect(await actionsOf(shop)).toEqual([
      "task.start",
      "import.check",
      "task.start",
      "points.import",
      "points.import",
      "import.points",
      "points.import_undo",
      "points.import_undo",
      "import.undo",
    ]);
    expect(await pointsLinesOf(shop, b!.id)).toEqual([
      {
        action: "points.import",
        actorName: "Sam Owner",
        taskId: task.id,
        words: `+1,250, balance 0 \u2192 1,250, moved from Smile (import ${checked.id})`,
      },
      {
        action: "points.import_undo",
        actorName: "Sam Owner",
        taskId: task.id,
        words: `\u22121,250, balance 1,250 \u2192 0, undid the import of smile.csv (import ${checked.id})`,
      },
    ]);
  });

  it("refuses to undo a batch once a customer spent points from it, changing nothing", async () => {
    const shop = await shopWithCustomers(["a@example.com", "b@example.com"]);
    const ctx = contextFor(shop, staff);
    const checked = await checkPointsImport({
      ctx,
      input: {
        fileName: "points.csv",
        filePath: await fileOf("points.csv", "email,points\na@example.com,300\nb@example.com,200\n"),
        source: "generic",
      },
    });
    await startImport({ ctx, input: { importId: checked.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    const b = await customerRow(shop, "b@example.com");
    await adjustPoints({ ctx, input: { customerId: b!.id, points: -150, reason: "Spent in store", requestId: "r1" } });

    await expect(undoImport({ ctx, input: { importId: checked.id, requestId: "undo" } })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("1 customer has spent points from it (b@example.com)"),
    });
    expect((await customerRow(shop, "a@example.com"))?.pointsBalance).toBe(300);
    expect((await getImport({ ctx, input: { importId: checked.id } })).status).toBe("imported");
  });

  it("reads a semicolon file's points the European way (1.234 is 1234) and says why a value of the other convention is refused", async () => {
    const shop = await shopWithCustomers(["a@example.com", "b@example.com", "c@example.com"]);
    const ctx = contextFor(shop, staff);
    // European Excel: semicolons, a point between thousands (or a no-break space, as French Excel writes), a comma
    // before decimals.
    const european = [
      "Email;Points",
      "a@example.com;1.234",
      "b@example.com;12\u00a0345",
      "c@example.com;2.000.000",
      "d@example.com;1.234,5",
      "e@example.com;1,234",
      "f@example.com;12.5",
    ].join("\r\n");
    const checked = await checkPointsImport({
      ctx,
      input: { fileName: "europe.csv", filePath: await fileOf("europe.csv", european), source: "generic" },
    });
    expect(checked.summary).toMatchObject({ rows: 6, problems: 3, customers: 3, points: 1234 + 12345 + 2_000_000 });
    const problems = [];
    for await (const problem of listImportProblems({ ctx, input: { importId: checked.id } })) problems.push(problem);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, 'Points must be a whole number of zero or more, not "1.234,5"'],
      [
        6,
        'Points must be a whole number of zero or more, not "1,234": in a semicolon-separated file the comma marks decimals. If you meant 1234 points, write 1234',
      ],
      [7, 'Points must be a whole number of zero or more, not "12.5"'],
    ]);
    // The move reads the file as its check did.
    await startImport({ ctx, input: { importId: checked.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    const balances = await Promise.all(
      ["a@example.com", "b@example.com", "c@example.com"].map(
        async (email) => (await customerRow(shop, email))?.pointsBalance,
      ),
    );
    expect(balances).toEqual([1234, 12345, 2_000_000]);

    // A comma file keeps the English way: "1,234" is 1234, and "1.234" is refused with the hint.
    const english = await checkPointsImport({
      ctx,
      input: {
        fileName: "english.csv",
        filePath: await fileOf("english.csv", 'Email,Points\na@example.com,"1,234"\nb@example.com,1.234\n'),
        source: "generic",
      },
    });
    expect(english.summary).toMatchObject({ rows: 2, problems: 1, points: 1234 });
    const englishProblems = [];
    for await (const problem of listImportProblems({ ctx, input: { importId: english.id } }))
      englishProblems.push(problem.message);
    expect(englishProblems).toEqual([
      'Points must be a whole number of zero or more, not "1.234": in a comma-separated file the point marks decimals. If you meant 1234 points, write 1234',
    ]);
  });

  it("reads LoyaltyLion's approved points and Yotpo's points balance, leaving LoyaltyLion's pending points behind", async () => {
    const shop = await shopWithCustomers(["a@example.com"]);
    const ctx = contextFor(shop, staff);
    const lion = await checkPointsImport({
      ctx,
      input: {
        fileName: "lion.csv",
        filePath: await fileOf(
          "lion.csv",
          "id,email,points_approved,points_pending,points_spent\n1,a@example.com,120,40,10\n",
        ),
        source: "loyaltylion",
      },
    });
    expect(lion.summary).toMatchObject({ customers: 1, points: 120, pending: 40 });
    const yotpo = await checkPointsImport({
      ctx,
      input: {
        fileName: "yotpo.csv",
        filePath: await fileOf(
          "yotpo.csv",
          "Email,First Name,Last Name,Points Balance,Points Spent\na@example.com,A,B,75,5\n",
        ),
        source: "yotpo",
      },
    });
    expect(yotpo.summary).toMatchObject({ customers: 1, points: 75 });
  });
});
