/**
 * Whether this run of the integration suite is on PostgreSQL (the integration-postgres project, decision 034). A test
 * of something only SQLite has (file modes, the one connection's mutex, an event-loop check) is skipped there with
 * `it.skipIf(onPostgres)` and says why in a comment beside it.
 */
export const onPostgres = process.env.TALLY_TEST_DIALECT === "postgres";
