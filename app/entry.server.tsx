import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { log } from "./lib/log.server";
import { applyFramingPolicy } from "./lib/security-headers.server";
import { addDocumentResponseHeaders, contextForAllShops } from "./shopify.server";
import { checkpointOffTheEventLoop } from "./db/wal-checkpoints.server";
import { allowSandboxFraming } from "./shopify/sandbox/env.server";

export const streamTimeout = 5000;

// server.js reaches these through the server build, so they share its modules and database connection.
export { startScheduler } from "./jobs/dispatch.server";
export { acceptWebhook } from "./shopify/webhooks/intake.server";
export { refuseWebhookBeforeReading, SignedWebhookBody } from "./shopify/webhooks/body.server";
export { SECURITY_HEADERS } from "./lib/security-headers.server";
export { env } from "./lib/env.server";
export { log, requestIdFor, withRequestId } from "./lib/log.server";
export { isSomeoneWaiting } from "./lib/request-activity.server";
export { maxRequestBodyBytes } from "./lib/uploads.server";
export { stopWebhookDrain } from "./shopify/webhooks/queue.server";
export { closeDatabase } from "./db/client.server";

/** The production server's SQLite WAL checkpoints, on a worker thread (decision 039); returns their stop. */
export function startWalCheckpoints() {
  return checkpointOffTheEventLoop(contextForAllShops("tally").db, {
    onError: (error) => log.error({ err: error }, "The WAL checkpoint worker died; SQLite checkpoints on commit again"),
  });
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowSandboxFraming(responseHeaders);
  applyFramingPolicy(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const readyEvent = userAgent && isbot(userAgent) ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [readyEvent]() {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        log.error({ err: error }, "Rendering a page failed");
      },
    });
    // Abort a little after streamTimeout so rejected boundaries still flush.
    setTimeout(abort, streamTimeout + 1000);
  });
}
