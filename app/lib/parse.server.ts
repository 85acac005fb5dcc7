import type { z } from "zod";

/**
 * Parses untrusted input at a route's edge. A bad request becomes a thrown 400 whose body names each bad field, so
 * nothing downstream ever sees unvalidated data.
 */
export function parseOr400<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  throw Response.json({ error: "Bad request", issues }, { status: 400 });
}
