// The export writer's process (decision 040), beside entry.server.tsx as the other process Tally runs: forked by the
// app (app/jobs/export-writer/client.server.ts) the first time an export runs, it holds a database connection of its
// own and writes export parts on request, so the rows read and the CSV text made for a 1,000,000-customer export never
// pass through the app's process. It loads the export's services only, none of the app's pages. It exits when the app
// goes (the IPC channel closes) or lets it go when idle.
import { closeDatabase, getDatabase } from "~/db/client.server";
import { env } from "~/lib/env.server";
import { writeExportPart, type ExportWriterReply, type ExportWriterRequest } from "~/jobs/export-writer/part.server";

const config = env();
const db = getDatabase({ url: config.DATABASE_URL, file: config.DATABASE_PATH, checks: false, poolSize: 1 });

async function answer(request: ExportWriterRequest): Promise<ExportWriterReply> {
  try {
    const ctx = { shop: request.shop, db: await db, now: new Date(), actor: request.actor };
    const written = await writeExportPart({ ctx, input: request.part });
    return { id: request.id, ok: true, ...written };
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

process.on("message", (request: ExportWriterRequest) => {
  void answer(request).then((reply) => process.send?.(reply));
});
process.on("disconnect", () => {
  void closeDatabase().finally(() => process.exit(0));
});
