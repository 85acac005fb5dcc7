// Tally's production server (`npm start`). Remix serves every page and loader through Express, as remix-serve does;
// webhooks take a lean path straight from node:http: verify with the library, record once, answer, and apply the
// effect from the queue right after (docs/decisions/002).
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const buildPath = path.resolve(process.env.REMIX_BUILD_PATH ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);

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
const { acceptWebhook } = build.entry.module;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function send(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

async function handleWebhook(req, res) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const body = await readBody(req);
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: "POST", headers, body });
  try {
    await send(res, await acceptWebhook(request, body.toString("utf8")));
  } catch (error) {
    console.error(error);
    res.writeHead(500).end();
  }
}

const server = createServer((req, res) => {
  if (req.method === "POST" && webhookPaths.has(req.url.split("?")[0])) return void handleWebhook(req, res);
  app(req, res);
});

if (process.env.TALLY_BACKGROUND_JOBS !== "off") {
  build.entry.module.startBackgroundJobs({ intervalMs: Number(process.env.JOBS_INTERVAL_SECONDS ?? 15) * 1000 });
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`Tally listening on http://${host}:${port}`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
