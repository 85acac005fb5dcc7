// Tally's production server (`npm start`). Remix serves every page and loader through Express, as remix-serve does;
// webhooks take a lean path straight from node:http: verify, record once, answer, and apply the effect from the queue
// right after (docs/decisions/002). Bodies are capped and webhook HMACs computed while the body streams in, so no
// request can make the process hold more than the cap (docs/decisions/006-webhook-body-cap-and-streaming-hmac.md); the
// HMAC check is Shopify's documented one, with the library's kept as the oracle in tests (decision 024). Every request
// gets an id and a JSON log line; SIGTERM stops it gracefully (decision 025).
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const buildPath = path.resolve(process.env.REMIX_BUILD_PATH ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);

/** How long a refused upload is drained (and discarded) so the client can read the answer before the socket closes. */
const LINGER_MS = 2000;

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: build.mode }));

/** POST /webhooks/<resource>/<event>: the topics whose route modules (app/routes/webhooks.*) the build holds. */
const webhookPaths = new Set(
  Object.values(build.routes)
    .filter((route) => route.path?.startsWith("webhooks/"))
    .map((route) => `/${route.path}`),
);
const {
  acceptWebhook,
  closeDatabase,
  isSomeoneWaiting,
  log,
  refuseWebhookBeforeReading,
  requestIdFor,
  SignedWebhookBody,
  SECURITY_HEADERS,
  stopWebhookDrain,
  withRequestId,
} = build.entry.module;

async function send(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/**
 * Answers without reading (or without reading further). The rest of the upload is discarded as it arrives, never
 * kept, so the client can read the answer while it is still sending; a client that goes on sending is cut off after
 * LINGER_MS.
 */
async function refuse(req, res, response) {
  req.removeAllListeners("data");
  req.resume();
  setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, LINGER_MS).unref();
  await send(res, response);
}

function headersOf(req) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}

/** Reads the body into `SignedWebhookBody` (hashing as it streams), stopping at its cap. */
function readSigned(req, headers) {
  return new Promise((resolve, reject) => {
    const body = new SignedWebhookBody(headers);
    const onData = (chunk) => {
      if (body.push(chunk)) return;
      req.off("data", onData);
      req.pause();
      resolve(body.finish());
    };
    req.on("data", onData);
    req.once("end", () => resolve(body.finish()));
    req.once("error", reject);
  });
}

async function handleWebhook(req, res) {
  const headers = headersOf(req);
  try {
    const early = refuseWebhookBeforeReading(headers);
    if (early) return await refuse(req, res, early);
    const read = await readSigned(req, headers);
    if ("refusal" in read) return await refuse(req, res, read.refusal);
    const response = await acceptWebhook({ url: `http://localhost${req.url}` }, read);
    // The usual answer, a bare 200, is written straight to the socket rather than read out of the Response.
    if (response.status === 200 && response.body === null) return void res.writeHead(200).end();
    await send(res, response);
  } catch (error) {
    log.error({ err: error }, "A webhook could not be answered");
    if (!res.headersSent) res.writeHead(500).end();
  }
}

/**
 * A body over its cap by its declared length (1 MiB; an upload to the Import page its file's limit: the build's
 * `maxRequestBodyBytes`), or of no declared length: the Remix side would read it whole.
 */
function refuseUnboundedBody(req, res, path) {
  const declared = req.headers["content-length"];
  const cap = build.entry.module.maxRequestBodyBytes({ path, contentType: req.headers["content-type"] });
  if (declared !== undefined && !(Number(declared) <= cap)) {
    const limit = `${Math.floor(cap / 1024 / 1024)} MiB`;
    void refuse(req, res, new Response(`Request bodies over ${limit} are refused here`, { status: 413 }));
    return true;
  }
  if (declared === undefined && req.headers["transfer-encoding"] !== undefined) {
    void refuse(req, res, new Response("Send a Content-Length", { status: 411 }));
    return true;
  }
  return false;
}

/**
 * One JSON line per request once it is answered: method, path (never the query, which carries session tokens and
 * HMACs), status and time. Accepted webhooks log at debug, so at the default level the hot path writes nothing.
 */
function logAnswer(req, res, path, isWebhook, started) {
  const status = res.statusCode;
  const level = status >= 500 ? "error" : isWebhook ? (status >= 400 ? "warn" : "debug") : "info";
  if (!log.isLevelEnabled(level)) return;
  const fields = { method: req.method, path, status, ms: Math.round((performance.now() - started) * 10) / 10 };
  if (isWebhook) fields.shop = req.headers["x-shopify-shop-domain"];
  log[level](fields, "request");
}

const server = createServer((req, res) => {
  const started = performance.now();
  const requestId = requestIdFor(req.headers["x-request-id"]);
  res.setHeader("X-Request-Id", requestId);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const path = req.url.split("?")[0];
  const isWebhook = req.method === "POST" && webhookPaths.has(path);
  // A progress bar's poll and a webhook are answered like any request but do not make a running sync give way: nobody
  // is waiting on them (decision 030).
  const activity = isSomeoneWaiting({ method: req.method, url: req.url, webhook: isWebhook });
  res.once("finish", () => withRequestId(requestId, () => logAnswer(req, res, path, isWebhook, started), { activity }));
  withRequestId(
    requestId,
    () => {
      if (isWebhook) return void handleWebhook(req, res);
      if (refuseUnboundedBody(req, res, path)) return;
      app(req, res);
    },
    { activity },
  );
});

// Configuration comes from the app's one zod-parsed environment (README, Configuration); only the build's own path is
// read here, before there is a build to ask.
const config = build.entry.module.env();
const stopScheduler = build.entry.module.startScheduler();
// SQLite's checkpoints run on a worker thread, not inside whichever request's commit crosses the mark (decision 039).
const stopWalCheckpoints = build.entry.module.startWalCheckpoints();

const port = config.PORT;
const host = config.HOST;
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => log.info({ host, port }, `Tally listening on http://${host}:${port}`));

/**
 * SIGTERM (docker stop, a deploy) or SIGINT: stop accepting connections, let the requests in flight finish, let the
 * scheduler's tick and each running task finish the chunk in hand and hand the task back (its checkpoint is committed,
 * so the next process resumes it), let the webhook queue finish its batch, then close the database and exit 0. Past
 * SHUTDOWN_TIMEOUT_SECONDS, connections are cut and the process exits 1; nothing committed is lost either way.
 */
let stopping = false;
async function shutDown(signal) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "Shutting down: finishing the requests and background work in hand");
  const deadline = setTimeout(() => {
    log.error({ timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, "Shutdown timed out; cutting connections");
    server.closeAllConnections();
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
  deadline.unref();
  // Keep-alive connections go as soon as they are idle; a request in flight keeps its own until it is answered.
  const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
  const closed = new Promise((resolve) => server.close(resolve));
  try {
    await Promise.all([closed, stopScheduler(), stopWebhookDrain()]);
    clearInterval(closeIdle);
    await stopWalCheckpoints();
    await closeDatabase();
    log.info("Stopped");
    process.exit(0);
  } catch (error) {
    log.error({ err: error }, "Shutdown failed");
    process.exit(1);
  }
}

for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => void shutDown(signal));
