import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * How production starts the app, read from `npm start` (package.json): the arguments after `node`, server.js made
 * absolute, so every script and test that runs the built app (the demo, the e2e tests, the benches) runs it with the
 * same V8 flags (decision 047). The Dockerfile's CMD says the same; tests/unit/server-command.test.ts holds them equal.
 */
export function serverArgs(root = process.cwd()): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const [node, ...args] = scripts.start.split(/\s+/);
  if (node !== "node" || !args.at(-1)?.endsWith("server.js")) {
    throw new Error(`npm start should run "node [flags] ./server.js", not "${scripts.start}"`);
  }
  return args.map((arg) => (arg.endsWith("server.js") ? path.resolve(root, arg) : arg));
}
