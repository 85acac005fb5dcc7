/**
 * Reading the database in a test the way services do, so the same assertions can run on SQLite and PostgreSQL
 * (decision 013): await drizzle's builder. `first` is the row a `.get()` would have given.
 */
export async function first<Row>(rows: PromiseLike<Row[]>): Promise<Row | undefined> {
  return (await rows)[0];
}
