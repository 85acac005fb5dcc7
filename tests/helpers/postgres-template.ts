import pg from "pg";
import { openPostgres, poolOf } from "~/db/postgres/client.server";

/*
 * vitest's globalSetup for the integration suite on PostgreSQL (decision 034): migrates a template database once, from
 * which each test file gets a database of its own (tests/helpers/integration-env.ts).
 */
/** This run's prefix: runs side by side on one server (two terminals, CI and a developer) keep apart. */
export function runPrefix(): string {
  return (process.env.TALLY_TEST_PG_RUN ??= `tally_it_${process.pid}`);
}

export function templateName(): string {
  return `${runPrefix()}_template`;
}

export function adminUrl(): string {
  const url = process.env.TALLY_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "The integration suite on PostgreSQL needs TALLY_TEST_POSTGRES_URL (postgres://user@127.0.0.1:port/postgres, a " +
        "role that may create databases); .ci/run starts one (README, Tests)",
    );
  }
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup() {
  const prefix = runPrefix();
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${templateName()}" with (force)`);
    await admin.query(`create database "${templateName()}"`);
  } finally {
    await admin.end();
  }
  const db = await openPostgres(databaseUrl(templateName()), { poolSize: 1 });
  await poolOf(db).end();
  // Teardown: this run's databases, and nobody else's.
  return async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      const mine = await client.query<{ datname: string }>(
        "select datname from pg_database where starts_with(datname, $1)",
        [`${prefix}_`],
      );
      for (const { datname } of mine.rows) await client.query(`drop database if exists "${datname}" with (force)`);
    } finally {
      await client.end();
    }
  };
}
