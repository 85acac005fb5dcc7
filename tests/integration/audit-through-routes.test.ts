import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as importPage } from "~/routes/app.import.$id";
import { action as importUpload } from "~/routes/app.import._index";
import { action as jobPage } from "~/routes/app.jobs.$id";
import { action as startJob } from "~/routes/app.jobs._index";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { auditActions } from "../helpers/audit";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { postAsAdmin } from "../helpers/route-answers";

/*
 * Staff actions of the import and job pages, posted through their routes as the admin posts them, each leaving its
 * line in the audit trail (the register in tests/unit/audit-coverage.test.ts points here).
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const idIn = (response: Response, pattern: RegExp) => Number(pattern.exec(response.headers.get("Location") ?? "")?.[1]);

describe("the import and job pages' staff actions are in the audit trail", () => {
  it("checking a points file, starting it, undoing it, and cancelling a job each write their line", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    await installThroughAdmin(sandboxOf(), shop);
    await db.insert(customers).values({ shop, customerGid: "gid://shopify/Customer/901", email: "ana@example.com" });

    const upload = new FormData();
    upload.set("intent", "points");
    upload.set("source", "generic");
    upload.set("file", new File(["email,points\nana@example.com,250\n"], "points.csv", { type: "text/csv" }));
    const checked = await postAsAdmin(importUpload, shop, "/app/import", upload);
    expect(checked.status).toBe(302);
    const importId = idIn(checked, /\/app\/import\/(\d+)/);
    // The check is a background task (decision 048): its start, then its figures once it is done.
    expect(await auditActions(shop)).toEqual(["task.start"]);
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await auditActions(shop)).toEqual(["task.start", "import.check"]);

    const started = await postAsAdmin(
      importPage,
      shop,
      `/app/import/${importId}`,
      new URLSearchParams({ intent: "start" }),
      {
        id: String(importId),
      },
    );
    expect(started.status).toBe(302);
    await createTaskRunner({ shops: [shop] }).drain();
    const undone = await postAsAdmin(
      importPage,
      shop,
      `/app/import/${importId}`,
      new URLSearchParams({ intent: "undo", requestId: "undo-1" }),
      { id: String(importId) },
    );
    expect(await undone.json()).toMatchObject({ ok: true, intent: "undo" });
    expect(await auditActions(shop)).toEqual([
      "task.start",
      "import.check",
      "task.start",
      // Ana's own trail: the points the file gave her, and the undo that took them back.
      "points.import",
      "import.points",
      "points.import_undo",
      "import.undo",
    ]);

    const queued = await postAsAdmin(
      startJob,
      shop,
      "/app/jobs",
      new URLSearchParams({ kind: "points.recalculate", input: "{}", requestId: "recalc-1" }),
    );
    const taskId = idIn(queued, /\/app\/jobs\/(\d+)$/);
    const cancelled = await postAsAdmin(
      jobPage,
      shop,
      `/app/jobs/${taskId}`,
      new URLSearchParams({ intent: "cancel" }),
      {
        id: String(taskId),
      },
    );
    expect(await cancelled.json()).toMatchObject({ ok: true, intent: "cancel", cancelled: true });
    expect((await auditActions(shop)).slice(-2)).toEqual(["task.start", "task.cancel"]);
  });

  it("checking a customer file writes the check's line, and counting points for past orders its task's start", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    await installThroughAdmin(sandboxOf(), shop);
    const form = new FormData();
    form.set("intent", "orders");
    form.set("since", "2026-01-01");
    const checked = await postAsAdmin(importUpload, shop, "/app/import", form);
    expect(checked.status).toBe(302);
    const people = new FormData();
    people.set("intent", "customers");
    people.set("existing", "update");
    people.set(
      "file",
      new File(["First Name,Last Name,Email\nAna,Lee,ana@example.com\n"], "c.csv", { type: "text/csv" }),
    );
    expect((await postAsAdmin(importUpload, shop, "/app/import", people)).status).toBe(302);
    // Counting points for past orders and checking a file are background tasks (decisions 033, 048): each upload's
    // line is its task's start, and the file's check writes its figures when it is done.
    expect(await auditActions(shop)).toEqual(["task.start", "task.start"]);
    await createTaskRunner({ shops: [shop] }).drain();
    expect((await auditActions(shop)).filter((action) => action === "import.check")).toHaveLength(2);
  });
});
