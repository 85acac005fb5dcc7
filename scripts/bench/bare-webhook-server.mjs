// The baseline for bench:webhooks: what a webhook endpoint costs with nothing but node:http, an HMAC check and one
// SQLite insert. Tally's figures are quoted as a ratio of this one, measured in the same run on the same machine.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";

const secret = process.env.SHOPIFY_API_SECRET;
const db = new Database(process.env.DATABASE_PATH);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("create table if not exists deliveries (id integer primary key, webhook_id text unique, body text)");
const insert = db.prepare("insert or ignore into deliveries (webhook_id, body) values (?, ?)");

createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(body).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    insert.run(String(req.headers["x-shopify-webhook-id"]), body.toString());
    res.writeHead(200).end();
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("bare server ready"));
