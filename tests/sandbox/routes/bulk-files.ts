import { createReadStream } from "node:fs";
import { Router } from "express";
import type { BulkOperations } from "../bulk";
import { json } from "./http";

/** GET /_sandbox/bulk/{id}.jsonl: a finished bulk operation's result, where its `url` points. */
export function bulkFileRoutes(deps: { bulk: BulkOperations }) {
  const router = Router({ caseSensitive: true, strict: true });
  router.all(/^\/_sandbox\/bulk\/(\d+)\.jsonl$/, (req, res) => {
    const file = deps.bulk.file((req.params as Record<string, string>)[0]!);
    if (!file) return json(res, 404, { error: "No such bulk operation result" });
    res.writeHead(200, { "Content-Type": "application/jsonl" });
    createReadStream(file).pipe(res);
  });
  return router;
}
