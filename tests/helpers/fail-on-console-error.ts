import { afterEach, beforeEach, vi } from "vitest";
import { log } from "~/lib/log.server";

// An unexpected console.error, or an error in Tally's log (app/lib/log.server.ts), is a bug the test did not look
// for; a test that expects one mocks it explicitly.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
  for (const level of ["error", "fatal"] as const) {
    vi.spyOn(log, level).mockImplementation((...args: unknown[]) => {
      errors.push(args.map((arg) => (typeof arg === "object" ? JSON.stringify(arg, errorFields) : arg)));
    });
  }
});
const errorFields = (_key: string, value: unknown) =>
  value instanceof Error ? { message: value.message, stack: value.stack } : value;
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  vi.mocked(log.error).mockRestore();
  vi.mocked(log.fatal).mockRestore();
  if (errors.length > 0) {
    const shown = errors.map((args) => args.map(String).join(" ")).join("\n");
    throw new Error(`Unexpected console.error during the test:\n${shown}`);
  }
});
