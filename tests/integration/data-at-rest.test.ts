import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Session } from "@shopify/shopify-api";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "~/db/client.server";
import { checkouts, sessions, webhookDeliveries, webhookFailures } from "~/db/schema";
import { createTokenCipher, decodeKey, keyIdOf, UnknownTokenKeyError } from "~/lib/token-cipher.server";
import { action as checkoutCreate } from "~/routes/webhooks.checkouts.create";
import { applyRetention, RETENTION } from "~/services/retention/apply-retention.server";
import { sealSessionTokens } from "~/services/shops/seal-session-tokens.server";
import { applyPendingDeliveries, pruneDeliveries } from "~/services/webhooks/process-webhook.server";
import { webhookEffects } from "~/shopify/webhooks/registry.server";
import { contextFor, contextForAllShops, sessionStorage } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { deliverWebhook } from "../helpers/signed-requests";
import { samplePayload } from "../helpers/shopify-samples";
import { first } from "../helpers/db";
import { onPostgres } from "../helpers/dialect";

const { db } = contextFor("any", "test");
const allShops = contextForAllShops("test");
const modeOf = (file: string) => statSync(file).mode & 0o777;
const DAY = 24 * 3600 * 1000;

// SQLite only: these read the database files' modes and bytes, and write through the raw driver (decision 013).
// SQLite only: PostgreSQL's files belong to its server, whose data directory initdb makes 0700.
describe.skipIf(onPostgres)("the database files are readable by the app's user only", () => {
  it("creates the directory 0700 and the database, -wal and -shm files 0600", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "tally-perms-"));
    const file = path.join(root, "data", "nested", "tally.sqlite");
    const opened = openDatabase(file);
    // eslint-disable-next-line tally/async-data-access -- SQLite only: a write that makes the -wal and -shm files
    opened.$client.prepare("insert into shops (shop, installed_at) values ('perm.myshopify.com', 'now')").run();

    expect(modeOf(path.join(root, "data"))).toBe(0o700);
    expect(modeOf(path.dirname(file))).toBe(0o700);
    for (const each of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(each), each).toBe(true);
      expect(modeOf(each).toString(8), each).toBe("600");
    }
    // eslint-disable-next-line tally/async-data-access -- SQLite only
    opened.$client.close();
  });

  it("tightens a database, and its directory, an earlier version left readable by everyone", async () => {
    const root = path.join(mkdtempSync(path.join(tmpdir(), "tally-perms-")), "data");
    mkdirSync(root, { mode: 0o755 });
    chmodSync(root, 0o755);
    const file = path.join(root, "old.sqlite");
    const old = new Database(file);
    old.pragma("journal_mode = WAL");
    old.exec("create table t (x)");
    old.close();
    expect(modeOf(file)).not.toBe(0o600);

    const opened = openDatabase(file);
    // eslint-disable-next-line tally/async-data-access -- SQLite only: a write that makes the -wal and -shm files
    opened.$client.prepare("insert into shops (shop, installed_at) values ('old.myshopify.com', 'now')").run();
    for (const each of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(each).toString(8), each).toBe("600");
    expect(modeOf(root).toString(8)).toBe("700");
    // eslint-disable-next-line tally/async-data-access -- SQLite only
    opened.$client.close();
  });

  it("the app's own database is 0600", async () => {
    expect(modeOf(process.env.DATABASE_PATH!).toString(8)).toBe("600");
  });
});

const currentCipher = () => createTokenCipher(decodeKey(process.env.TALLY_ENCRYPTION_KEY!)!);
const rawSession = async (id: string) => await first(db.select().from(sessions).where(eq(sessions.id, id)));

/**
 * Whether the database still holds `text`, readable. SQLite: the database file or its write-ahead log, byte for byte.
 * PostgreSQL: any live row of any table, as text (its files belong to the server; see decision 034 on old versions).
 */
async function databaseFilesContain(text: string): Promise<boolean> {
  if (onPostgres) {
    const tables = await db
      .select({ name: sql<string>`tablename` })
      .from(sql`pg_tables`)
      .where(sql`schemaname = 'public'`);
    for (const { name } of tables) {
      const found = await db
        .select({ one: sql`1` })
        .from(sql`${sql.identifier(name)} as row`)
        .where(sql`row::text like ${`%${text}%`}`)
        .limit(1);
      if (found.length > 0) return true;
    }
    return false;
  }
  const file = process.env.DATABASE_PATH!;
  // eslint-disable-next-line tally/async-data-access -- SQLite only: the log is read as bytes below
  db.$client.pragma("wal_checkpoint(PASSIVE)");
  return [file, `${file}-wal`].some((each) => existsSync(each) && readFileSync(each).includes(Buffer.from(text)));
}

function offlineSession(shop: string) {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope: "read_customers",
    accessToken: `shpat_${randomBytes(16).toString("hex")}`,
    refreshToken: `shprt_${randomBytes(16).toString("hex")}`,
    refreshTokenExpires: new Date(Date.now() + 30 * DAY),
  });
}

describe("access and refresh tokens are sealed at rest", () => {
  it("stores neither token readable, and gives both back to the app", async () => {
    const shop = await newShopDomain();
    const session = offlineSession(shop);
    await sessionStorage.storeSession(session);

    const row = (await rawSession(session.id))!;
    expect(row.accessToken).toMatch(/^tally-enc:v1:[0-9a-f]{16}:/);
    expect(row.refreshToken).toMatch(/^tally-enc:v1:[0-9a-f]{16}:/);
    expect(await databaseFilesContain(session.accessToken!)).toBe(false);
    expect(await databaseFilesContain(session.refreshToken!)).toBe(false);

    const loaded = await sessionStorage.loadSession(session.id);
    expect(loaded).toMatchObject({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    expect((await sessionStorage.findSessionsByShop(shop))[0]?.accessToken).toBe(session.accessToken);
  });

  it("keeps reading a plaintext row written before encryption, and seals it at the next boot", async () => {
    const shop = await newShopDomain();
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    await db.insert(sessions).values({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token });

    expect((await sessionStorage.loadSession(`offline_${shop}`))?.accessToken).toBe(token);
    const { resealed } = await sealSessionTokens({ ctx: allShops, cipher: currentCipher() });
    expect(resealed).toBeGreaterThanOrEqual(1);
    expect((await rawSession(`offline_${shop}`))!.accessToken).toMatch(/^tally-enc:v1:/);
    expect((await sessionStorage.loadSession(`offline_${shop}`))?.accessToken).toBe(token);
    expect((await sealSessionTokens({ ctx: allShops, cipher: currentCipher() })).resealed).toBe(0);
  });

  it("rotates: tokens sealed under the previous key open, and are re-sealed under the new one", async () => {
    const shop = await newShopDomain();
    const session = offlineSession(shop);
    await sessionStorage.storeSession(session);
    const oldKey = decodeKey(process.env.TALLY_ENCRYPTION_KEY!)!;
    const newKey = randomBytes(32);

    const rotated = createTokenCipher(newKey, [oldKey]);
    await sealSessionTokens({ ctx: allShops, cipher: rotated });
    const row = (await rawSession(session.id))!;
    expect(row.accessToken.startsWith(`tally-enc:v1:${keyIdOf(newKey)}:`)).toBe(true);
    expect(rotated.open(row.accessToken, `session:${session.id}:accessToken`)).toBe(session.accessToken);

    // Without the previous key, the boot stops and names the key it needs.
    const forgetful = createTokenCipher(randomBytes(32));
    await expect(sealSessionTokens({ ctx: allShops, cipher: forgetful })).rejects.toThrow(UnknownTokenKeyError);
    await expect(sealSessionTokens({ ctx: allShops, cipher: forgetful })).rejects.toThrow(keyIdOf(newKey));

    // Back to the app's key for the rest of the suite.
    await sealSessionTokens({ ctx: allShops, cipher: createTokenCipher(oldKey, [newKey]) });
    expect((await sessionStorage.loadSession(session.id))?.accessToken).toBe(session.accessToken);
  });

  it("a sealed token copied into another shop's row does not open there", async () => {
    const [victim, attacker] = [await newShopDomain(), await newShopDomain()];
    await sessionStorage.storeSession(offlineSession(victim));
    await sessionStorage.storeSession(offlineSession(attacker));
    await db
      .update(sessions)
      .set({ accessToken: (await rawSession(`offline_${victim}`))!.accessToken })
      .where(eq(sessions.id, `offline_${attacker}`));
    await expect(sessionStorage.loadSession(`offline_${attacker}`)).rejects.toThrow();
    await db.delete(sessions).where(eq(sessions.id, `offline_${attacker}`));
  });
});

describe("personal data held in passing is kept for a bounded time", () => {
  function checkoutBody(token: string, updatedAt: Date) {
    return {
      ...samplePayload("checkouts/create"),
      token,
      email: `${token}@example.com`,
      completed_at: null,
      updated_at: updatedAt.toISOString().replace("Z", "-00:00"),
      customer: null,
    };
  }

  it(`deletes a checkout and its email ${RETENTION.checkoutDays} days after Shopify last updated it`, async () => {
    const shop = await newShopDomain();
    const now = new Date();
    const old = `old-${randomBytes(4).toString("hex")}`;
    const recent = `recent-${randomBytes(4).toString("hex")}`;
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    await deliverWebhook(checkoutCreate, "checkouts/create", shop, checkoutBody(old, at(RETENTION.checkoutDays + 1)));
    await deliverWebhook(
      checkoutCreate,
      "checkouts/create",
      shop,
      checkoutBody(recent, at(RETENTION.checkoutDays - 1)),
    );

    await applyRetention({ ctx: { ...allShops, now }, input: { limit: 1000 } });
    const left = await db.select().from(checkouts).where(eq(checkouts.shop, shop));
    expect(left.map((row) => row.token)).toEqual([recent]);
    expect(await databaseFilesContain(`${old}@example.com`)).toBe(false);
  });

  it(`erases an unapplied delivery's payload after ${RETENTION.payloadDays} days, except a privacy request`, async () => {
    const shop = await newShopDomain();
    const now = new Date();
    const receivedAt = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
    const insert = (webhookId: string, topic: string, days: number) =>
      db.insert(webhookDeliveries).values({
        shop,
        webhookId,
        topic,
        receivedAt: receivedAt(days),
        status: "failed",
        attempts: 2,
        payload: JSON.stringify({ email: `${webhookId}@example.com` }),
      });
    await insert("stale", "customers/update", RETENTION.payloadDays + 1);
    await insert("fresh", "customers/update", RETENTION.payloadDays - 1);
    await insert("privacy", "customers/redact", RETENTION.payloadDays + 10);
    await db.insert(webhookFailures).values([
      {
        shop,
        webhookId: "stale",
        topic: "customers/update",
        error: "x",
        failedAt: receivedAt(RETENTION.failureDays + 1),
      },
      { shop, webhookId: "fresh", topic: "customers/update", error: "x", failedAt: receivedAt(1) },
    ]);

    const removed = await applyRetention({ ctx: { ...allShops, now }, input: { limit: 1000 } });
    expect(removed.payloadsErased).toBeGreaterThanOrEqual(1);
    const rows = Object.fromEntries(
      (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.shop, shop))).map((row) => [
        row.webhookId,
        row,
      ]),
    );
    expect(rows.stale).toMatchObject({ payload: null, status: "expired" });
    expect(rows.stale?.error).toContain("reconciliation");
    expect(rows.fresh?.payload).toContain("fresh@example.com");
    expect(rows.privacy?.payload).toContain("privacy@example.com");
    expect(
      await db
        .select({ webhookId: webhookFailures.webhookId })
        .from(webhookFailures)
        .where(eq(webhookFailures.shop, shop)),
    ).toEqual([{ webhookId: "fresh" }]);

    // Given up: no later run applies it without its payload, and the week-old row itself goes with the next prune.
    await applyPendingDeliveries({
      ctx: { ...allShops, now },
      effects: webhookEffects,
      input: { limit: 1000, includeFailed: true },
    });
    expect(
      (
        await first(
          db
            .select()
            .from(webhookDeliveries)
            .where(and(eq(webhookDeliveries.shop, shop), eq(webhookDeliveries.webhookId, "stale"))),
        )
      )?.status,
    ).toBe("expired");
    await pruneDeliveries({ ctx: { ...allShops, now }, input: { keepDays: 7, limit: 1000 } });
    expect(
      await first(
        db
          .select()
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.shop, shop), eq(webhookDeliveries.webhookId, "stale"))),
      ),
    ).toBeUndefined();
  });

  it("the README states the same retention the code enforces", async () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(`${RETENTION.checkoutDays} days after Shopify last updated it`);
    expect(readme).toContain(`${RETENTION.payloadDays} days`);
    expect(readme).toContain("TALLY_ENCRYPTION_KEY");
  });
});
