import { eq } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { customers, importEmails, tasks } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as importPage, loader as importPreview } from "~/routes/app.import.$id";
import { loader as problemsDownload } from "~/routes/app.import.$id.problems[.csv]";
import { action as importUpload } from "~/routes/app.import._index";
import { listImportProblems } from "~/services/imports/apply-import.server";
import { CHECK_CHUNK, CREATES_SAMPLE } from "~/services/imports/check-import.server";
import { contextFor } from "~/shopify.server";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { answerOf, postAsAdmin, type RouteArgs } from "../helpers/route-answers";
import { sessionTokenRequest } from "../helpers/signed-requests";

/*
 * Decision 048: the upload answers at once, the file's dry run runs in the background and its page shows how far it
 * is, then the preview. Through the Import routes as the admin posts them, for a customer file and a points export:
 * the import cannot start while the check runs, and a check killed after every chunk it commits ends with the very
 * preview, problems, changes and new customers an uninterrupted one shows, each once.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const LEASE_MS = 30_000;

const installedShop = () => installedSandboxShop(sandboxOf());

/** Customers Tally already knows (as the install's sync brought them): every third row of the file, by email. */
async function knownCustomers(shop: string, rows: number) {
  const known = [];
  for (let i = 0; i < rows; i += 3)
    known.push({
      shop,
      customerGid: `gid://shopify/Customer/${900_000 + i}`,
      email: `p${i}@example.com`,
      firstName: "P",
    });
  for (let at = 0; at < known.length; at += 200) await db.insert(customers).values(known.slice(at, at + 200));
}

const ROWS = CHECK_CHUNK * 5 + 37;

/**
 * A customer file over six chunks with every kind of problem, and duplicates both inside a chunk and across chunk
 * boundaries (the first row kept): what the check must find the same whether or not it was killed.
 */
function customerFile() {
  const lines = ["Email,First name,Last name,Phone,Points"];
  for (let i = 0; i < ROWS; i++) {
    if (i % 97 === 5) lines.push(`not-an-email-${i},A,B,,1`);
    else if (i % 131 === 7) lines.push(`P${i - CHECK_CHUNK > 0 ? i - CHECK_CHUNK : 0}@Example.com,Dup,Far,,2`);
    else if (i % 113 === 9) lines.push(`p${i - 1}@example.com,Dup,Near,,3`);
    else if (i % 149 === 11) lines.push(`p${i}@example.com,=SUM(A1),B,,4`);
    else lines.push(`p${i}@example.com,P,Row ${i},${i % 4 === 0 ? "(613) 555-0101" : ""},${i % 7}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A points export of the same rows: a third of the emails are the shop's customers, the rest not found. */
function pointsFile() {
  const lines = ["Email,Points balance"];
  for (let i = 0; i < ROWS; i++)
    lines.push(i % 211 === 3 ? `p${i - CHECK_CHUNK - 3}@example.com,9` : `p${i}@example.com,${i % 5}`);
  return `${lines.join("\n")}\n`;
}

const forms = {
  customers: { intent: "customers", existing: "update" },
  points: { intent: "points", source: "smile" },
} as const;

async function upload(shop: string, kind: keyof typeof forms, csv: string) {
  const form = new FormData();
  for (const [key, value] of Object.entries(forms[kind])) form.set(key, value);
  form.set("file", new File([csv], `${kind}.csv`, { type: "text/csv" }));
  const answer = await postAsAdmin(importUpload, shop, "/app/import", form);
  expect(answer.status).toBe(302);
  return /\/app\/import\/(\d+)$/.exec(answer.headers.get("Location") ?? "")![1]!;
}

async function pageOf(shop: string, id: string) {
  const request = await sessionTokenRequest(shop, `/app/import/${id}`);
  return importPreview({ request, params: { id }, context: {} } as RouteArgs);
}

/** What the merchant sees of a checked import, without the ids that differ between shops. */
function previewOf(page: Awaited<ReturnType<typeof pageOf>>) {
  return {
    status: page.status,
    summary: page.summary,
    mapping: page.mapping,
    problems: page.problems,
    changes: page.changes.map(({ customerId: _, ...change }) => change),
    creates: page.creates,
  };
}

async function startImport(shop: string, id: string) {
  return answerOf(async () =>
    postAsAdmin(importPage, shop, `/app/import/${id}`, new URLSearchParams({ intent: "start" }), { id }),
  );
}

describe("a file's check runs in the background", () => {
  it.each(["customers", "points"] as const)(
    "a %s upload answers at once, its page shows the rows checked so far, and the import cannot start before the preview",
    async (kind) => {
      const shop = await installedShop();
      await knownCustomers(shop, ROWS);
      const id = await upload(shop, kind, kind === "customers" ? customerFile() : pointsFile());

      const checking = await pageOf(shop, id);
      // Queued: no row checked yet, the file's rows not yet counted.
      expect(checking).toMatchObject({ status: "checking", counting: { done: 0, total: null }, checkFailed: null });
      // The header is read at upload: the mapping shows while the rows are checked; the outcome does not.
      expect(checking.mapping[0]).toEqual({ header: "Email", field: "Email" });
      expect(checking.problems).toEqual([]);
      const refused = await startImport(shop, id);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toBe(
        "Tally is still checking this file: wait for the preview",
      );

      // Killed after its first chunk: the page shows how far the check got.
      let now = Date.now();
      const clock = () => new Date(now);
      await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock }).drain({ stopAfterChunks: 1 });
      expect((await pageOf(shop, id)).counting).toEqual({
        done: CHECK_CHUNK,
        total: ROWS,
        unit: { one: "row", other: "rows" },
      });
      expect((await startImport(shop, id)).status).toBe(409);
      // Its runner's lease as a live runner keeps it: the page shows the rows checked, and no more.
      const killedAt = await pageOf(shop, id);
      expect(killedAt.resuming).toBeNull();
      // The process was killed 20 s ago (kill -9, a crash): its lease stands 10 s more, and the page says so, as the
      // job's own page does (decision 054).
      await db
        .update(tasks)
        .set({ lockedUntil: new Date(Date.now() + 10_000).toISOString() })
        .where(eq(tasks.id, killedAt.taskId!));
      expect((await pageOf(shop, id)).resuming).toMatch(
        /^Tally restarted: this job picks up where it left off within about (9|10) seconds\.$/,
      );

      now += LEASE_MS + 1000;
      await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock }).drain();
      const checked = await pageOf(shop, id);
      expect(checked).toMatchObject({ status: "checked", counting: null, resuming: null });
      expect(checked.summary.rows).toBe(ROWS);
      expect(checked.problems.length).toBeGreaterThan(0);
      // The emails the check needed are let go once it is done.
      expect(await db.select().from(importEmails).where(eq(importEmails.shop, shop))).toEqual([]);
      const started = await startImport(shop, id);
      expect(started.status).toBe(302);
      expect(started.headers.get("Location")).toMatch(/\/app\/jobs\/\d+$/);
    },
  );

  it("a check queued behind another reader of the shop says which job it waits for, in the job page's words", async () => {
    const shop = await installedShop();
    // An export runs under a live lease: the check (a reader too, decision 017 "Lanes") waits for it.
    const now = new Date().toISOString();
    const [exporting] = await db
      .insert(tasks)
      .values({
        shop,
        kind: "customers.export",
        title: "Export customers",
        status: "running",
        lane: "read",
        idempotencyKey: "export-under-way",
        input: {},
        unitOne: "customer",
        unitOther: "customers",
        actor: "staff:9",
        createdAt: now,
        startedAt: now,
        lockedBy: "another-instance",
        lockedUntil: new Date(Date.now() + LEASE_MS).toISOString(),
      })
      .returning({ id: tasks.id });
    const id = await upload(shop, "points", pointsFile());
    expect(await pageOf(shop, id)).toMatchObject({
      status: "checking",
      waiting: "Waits for Export customers to finish",
      resuming: null,
    });

    await db.update(tasks).set({ status: "succeeded", finishedAt: now }).where(eq(tasks.id, exporting!.id));
    expect((await pageOf(shop, id)).waiting).toBeNull();
  });

  it.each(["customers", "points"] as const)(
    "a %s check killed after every chunk ends with the preview, problems and changes of an uninterrupted one, each once",
    async (kind) => {
      const file = kind === "customers" ? customerFile() : pointsFile();
      const whole = await installedShop();
      await knownCustomers(whole, ROWS);
      const wholeId = await upload(whole, kind, file);
      await createTaskRunner({ shops: [whole] }).drain();
      const expected = previewOf(await pageOf(whole, wholeId));
      expect(expected.status).toBe("checked");

      const killed = await installedShop();
      await knownCustomers(killed, ROWS);
      const killedId = await upload(killed, kind, file);
      let now = Date.now();
      const clock = () => new Date(now);
      let kills = 0;
      while ((await pageOf(killed, killedId)).status === "checking") {
        await createTaskRunner({ shops: [killed], leaseMs: LEASE_MS, clock }).drain({ stopAfterChunks: 1 });
        now += LEASE_MS + 1000;
        kills += 1;
        expect(kills).toBeLessThan(20);
      }
      // Six chunks of rows and the last, empty one that finishes the check: a kill after each.
      expect(kills).toBeGreaterThanOrEqual(Math.ceil(ROWS / CHECK_CHUNK));
      const got = previewOf(await pageOf(killed, killedId));
      expect(got).toEqual(expected);

      // Each problem once, counted once: the download's rows are the uninterrupted check's.
      const allProblems = async (shop: string, id: string) => {
        const found = [];
        for await (const problem of listImportProblems({
          ctx: contextFor(shop, "test"),
          input: { importId: Number(id) },
        }))
          found.push([problem.line, problem.message]);
        return found;
      };
      const problems = await allProblems(killed, killedId);
      expect(problems).toEqual(await allProblems(whole, wholeId));
      expect(problems).toHaveLength(got.summary.problems!);
      expect(new Set(problems.map(([line]) => line)).size).toBe(problems.length);
      if (kind === "customers") {
        expect(got.summary).toMatchObject({ rows: ROWS, valid: ROWS - got.summary.problems! });
        expect(got.changes.length).toBe(50);
        expect(new Set(got.changes.map((change) => change.line)).size).toBe(50);
        // The new customers the preview names: the file's first, each once, however often the check was killed.
        const createdLines = got.creates.map((created) => created.line);
        expect(createdLines).toHaveLength(CREATES_SAMPLE);
        expect(createdLines).toEqual([...new Set(createdLines)].sort((a, b) => a - b));
      } else {
        expect(got.summary.notFound).toBeGreaterThan(0);
      }
      // Duplicates across chunks are found, the first row kept, and each names the earlier line that has its email.
      const fileLines = file.split("\n");
      const duplicates = problems.flatMap(([line, message]) => {
        const named = /^Same email as line (\d+) \((.+)\)$/.exec(String(message));
        return named ? [{ line: Number(line), earlier: Number(named[1]), email: named[2]! }] : [];
      });
      expect(duplicates.some(({ line, earlier }) => line - earlier >= CHECK_CHUNK)).toBe(true);
      for (const { line, earlier, email } of duplicates) {
        expect(earlier).toBeLessThan(line);
        expect(fileLines[earlier - 1]!.split(",")[0]!.toLowerCase(), `line ${line}`).toBe(email);
      }
    },
  );

  it("a re-check of a file whose every row matches what Tally holds says there is nothing to import", async () => {
    const shop = await installedShop();
    await db.insert(customers).values([
      {
        shop,
        customerGid: "gid://shopify/Customer/910001",
        email: "ana@example.com",
        firstName: "Ana",
        lastName: "Lima",
      },
      {
        shop,
        customerGid: "gid://shopify/Customer/910002",
        email: "ben@example.com",
        firstName: "Ben",
        lastName: "Ode",
      },
    ]);
    const file = (benLast: string) =>
      `Email,First name,Last name\nana@example.com,Ana,Lima\nBEN@example.com,Ben,${benLast}\nnot-an-email,X,Y\n`;
    const same = await upload(shop, "customers", file("Ode"));
    await createTaskRunner({ shops: [shop] }).drain();
    const page = await pageOf(shop, same);
    expect(page).toMatchObject({
      status: "checked",
      nothingToImport: true,
      summary: { rows: 3, problems: 1, create: 0, update: 2, unchanged: 2 },
    });

    // One changed name is something to import again.
    const changed = await upload(shop, "customers", file("Odeh"));
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await pageOf(shop, changed)).toMatchObject({ nothingToImport: false, summary: { update: 2, unchanged: 1 } });
  });

  it("names a row by the line it begins on, after a cell with a line break and a blank line", async () => {
    const shop = await installedShop();
    const id = await upload(
      shop,
      "customers",
      'Email,First name,Points\nana@example.com,"Ana\nMaria",1\n\nnot-an-email,"Ben\nJr",1\nana@example.com,Ana,2\n',
    );
    await createTaskRunner({ shops: [shop] }).drain();
    const page = await pageOf(shop, id);
    // Lines as the merchant's editor numbers them: Ana's row is lines 2-3, a blank line 4, Ben's row lines 5-6.
    expect(page.problems.map((problem) => [problem.line, problem.message])).toEqual([
      [5, '"not-an-email" is not a valid email address'],
      [7, "Same email as line 2 (ana@example.com)"],
    ]);
  });

  it("a quote left open on line 3 of a 10-line file is named by line 3 on the file's page", async () => {
    const shop = await installedShop();
    const rows = Array.from({ length: 10 }, (_, i) => `p${i}@example.com,Ana,1`);
    // The upload reads the header and line 2 only; the check finds the quote that line 3 opens.
    const id = await upload(shop, "customers", `Email,First name,Points\n${rows[2]}\n"${rows.slice(3).join("\n")}\n`);
    await createTaskRunner({ shops: [shop] }).drain();
    expect((await pageOf(shop, id)).checkFailed).toBe(
      'The file stops being a CSV: a quote (") opened by line 3 is never closed, so everything after it reads as one cell: close the quote or remove it, and upload the file again',
    );
  });

  it("a file that stops being a CSV after its first chunk says so on its page, and cannot be imported", async () => {
    const shop = await installedShop();
    const rows = Array.from({ length: CHECK_CHUNK + 20 }, (_, i) => `p${i}@example.com,Ana,1`);
    const id = await upload(
      shop,
      "customers",
      // A blank line, the quote's line, then seven more rows: the end of the file is 8 lines past the quote.
      `Email,First name,Points\n${rows.join("\n")}\n\n"p9999@example.com,Ana,1\n${rows.slice(0, 7).join("\n")}\n`,
    );
    await createTaskRunner({ shops: [shop] }).drain();
    const page = await pageOf(shop, id);
    expect(page).toMatchObject({ status: "checking", counting: null });
    // The line the quote opens on, counted in the whole file (header 1, rows 2…, the blank line): not the chunk's own
    // count, nor the end of the file where csv-parse stopped looking for the closing quote.
    expect(page.checkFailed).toBe(
      `The file stops being a CSV: a quote (") opened by line ${CHECK_CHUNK + 23} is never closed, so everything after it reads as one cell: close the quote or remove it, and upload the file again`,
    );
    expect((await startImport(shop, id)).status).toBe(409);
  });

  it("the rows with problems download gives a row with an unquoted comma back whole, its formulas kept as text", async () => {
    const shop = await installedShop();
    // formulas.csv of newcomer round 15: the first name's comma splits it, so line 2 has 6 values under 5 columns.
    const id = await upload(
      shop,
      "customers",
      'First Name,Last Name,Email,Tags,Points\n=HYPERLINK("http://evil.example/x", "click"),@SUM(1+1),formula.one@example.com,vip,10\nAnn,Lee,ann(at)example.com,,5\n',
    );
    await createTaskRunner({ shops: [shop] }).drain();
    const link = await postAsAdmin(importPage, shop, `/app/import/${id}`, new URLSearchParams({ intent: "download" }), {
      id,
    });
    const { url } = (await link.json()) as { url: string };
    const answer = await answerOf(() =>
      problemsDownload({
        request: new Request(`${process.env.SHOPIFY_APP_URL}${url}`),
        params: { id },
        context: {},
      } as RouteArgs),
    );
    expect(answer.status).toBe(200);
    const table = parse((await answer.text()).replace(/^\uFEFF/, "")) as string[][];
    expect(table[0]).toEqual(["First Name", "Last Name", "Email", "Tags", "Points", "Extra value 1", "Problems"]);
    // Every value as read, the points (10) included, with the reason still in the Problems column.
    expect(table[1]!.slice(0, 6)).toEqual([
      `'=HYPERLINK("http://evil.example/x"`,
      ' "click")',
      "'@SUM(1+1)",
      "formula.one@example.com",
      "vip",
      "10",
    ]);
    expect(table[1]![6]).toMatch(/^This row has 6 values but the header has 5 columns/);
    expect(table[2]).toEqual([
      "Ann",
      "Lee",
      "ann(at)example.com",
      "",
      "5",
      "",
      '"ann(at)example.com" is not a valid email address',
    ]);
  });
});
