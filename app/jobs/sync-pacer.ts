import { syncChunksArePaced } from "~/services/customers/apply-sync-batch.server";
import { ChunkPacer } from "./chunk-pacer";

/**
 * The pacer of a sync's apply (Sync customers and the install sync). On SQLite, chunks by time and up to 10,000 lines:
 * the set-based apply of new records costs tens of microseconds a line, so a 40 ms chunk holds a few hundred, 5 ms
 * while requests are being served (which run to their end between chunks: ChunkPacer.yieldTurn), and 250 ms a few
 * thousand once nobody has used the app for ten seconds. On PostgreSQL, 500 lines a chunk (decision 030).
 */
export function syncPacer(): ChunkPacer {
  return syncChunksArePaced()
    ? new ChunkPacer({ maxRecords: 10_000 })
    : new ChunkPacer({ fixed: true, maxRecords: 500 });
}
