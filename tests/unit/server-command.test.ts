import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverArgs } from "../../scripts/server-command";

describe("how the app is started", () => {
  it("runs server.js with V8's young generation kept small (decision 047)", () => {
    const args = serverArgs();
    expect(args.at(-1)).toBe(path.resolve("server.js"));
    expect(args).toContain("--max-semi-space-size=4");
  });

  it("the container runs what npm start runs", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync("Dockerfile", "utf8"))?.[1];
    expect(cmd).toBeDefined();
    const [node, ...args] = JSON.parse(cmd!) as string[];
    expect(node).toBe("node");
    expect(args.map((arg) => (arg.endsWith("server.js") ? path.resolve(arg) : arg))).toEqual(serverArgs());
  });
});
