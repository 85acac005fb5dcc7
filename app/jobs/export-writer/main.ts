// The export writer's process (decision 038): forked by the app (client.server.ts) the first time an export runs,
// it holds a database connection of its own and writes export parts on request, so the rows read and the CSV text made
// for a 1,000,000-customer export never pass through the app's process. It imports the export's services only, none of
// the app's pages. It exits when the app goes (the IPC channel closes) or lets it go when idle.
import { closeDatabase, getDatabase } from "~/db/client.server";
import { env } from "~/lib/env.server";
import { writeExportPart, type ExportPartRequest } from "./part.server";

export interface ExportWriterRequest {
  id: number;
  shop: string;
  actor: string;
  part: ExportPartRequest;
}

export type ExportWriterReply =
  | { id: number; ok: true; rows: number; lastId: number | undefined; bytes: number }
  | { id: number; ok: false; error: string };

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
