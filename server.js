// Tally's production server (`npm start`). Remix serves every page and loader through Express, as remix-serve does;
// webhooks take a lean path: the same route module's action, called straight from node:http without Express or
// Remix's request pipeline, which on these machines cost ~6x the handler's own work (docs/decisions/002).
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

/** POST /webhooks/<resource>/<event> → that topic's route module (one per topic, see app/routes/webhooks.*). */
const webhookActions = new Map(
  Object.values(build.routes)
    .filter((route) => route.path?.startsWith("webhooks/") && typeof route.module.action === "function")
    .map((route) => [`/${route.path}`, route.module.action]),
);

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

async function handleWebhook(req, res, action) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: "POST",
    headers,
    body: await readBody(req),
  });
  try {
    await send(res, await action({ request, params: {}, context: {} }));
  } catch (thrown) {
    // authenticate.webhook throws its 400/401 answers as Responses, exactly as Remix would render them.
    if (thrown instanceof Response) return send(res, thrown);
    console.error(thrown);
    res.writeHead(500).end();
  }
}

const server = createServer((req, res) => {
  const action = req.method === "POST" ? webhookActions.get(req.url.split("?")[0]) : undefined;
  if (action) return void handleWebhook(req, res, action);
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
