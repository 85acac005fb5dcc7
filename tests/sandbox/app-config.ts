import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Reads the parts of shopify.app.toml the sandbox acts on. The file uses a small TOML subset (tables, arrays of
 * tables, strings, booleans, numbers, one-line string arrays), so a line parser does and keeps us off a TOML
 * dependency; anything outside the subset throws rather than being misread.
 */
export function parseTomlSubset(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current = root;
  const lines = text.split(/\r?\n/);
  for (const [lineNo, rawLine] of lines.entries()) {
    const line = stripComment(rawLine).trim();
    if (!line) continue;
    const arrayTable = /^\[\[([^\]]+)\]\]$/.exec(line);
    const table = /^\[([^\]]+)\]$/.exec(line);
    if (arrayTable) {
      const path = arrayTable[1]!.trim().split(".");
      const parent = walk(root, path.slice(0, -1));
      const key = path.at(-1)!;
      const list = (parent[key] ??= []) as Record<string, unknown>[];
      current = {};
      list.push(current);
    } else if (table) {
      current = walk(root, table[1]!.trim().split("."));
    } else {
      const kv = /^([A-Za-z0-9_.-]+|"[^"]*")\s*=\s*(.+)$/.exec(line);
      if (!kv) throw new Error(`shopify.app.toml line ${lineNo + 1}: unsupported syntax: ${line}`);
      current[kv[1]!.replace(/^"|"$/g, "")] = parseValue(kv[2]!.trim(), lineNo + 1);
    }
  }
  return root;
}

function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"' && line[i - 1] !== "\\") inString = !inString;
    if (ch === "#" && !inString) return line.slice(0, i);
  }
  return line;
}

function walk(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node = root;
  for (const key of path) {
    const next = node[key];
    if (Array.isArray(next)) node = next.at(-1) as Record<string, unknown>;
    else node = (node[key] ??= {}) as Record<string, unknown>;
  }
  return node;
}

function parseValue(text: string, lineNo: number): unknown {
  if (text.startsWith('"')) return JSON.parse(text);
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith("[") && text.endsWith("]")) {
    const inner = text.slice(1, -1).trim();
    if (!inner) return [];
    return inner
      .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => parseValue(part, lineNo));
  }
  throw new Error(`shopify.app.toml line ${lineNo}: unsupported value: ${text}`);
}

const appTomlSchema = z.object({
  client_id: z.string().optional(),
  access_scopes: z.object({ scopes: z.string().default("") }).default({ scopes: "" }),
  webhooks: z
    .object({
      api_version: z.string().default("2026-10"),
      subscriptions: z
        .array(
          z.object({
            topics: z.array(z.string()).optional(),
            compliance_topics: z.array(z.string()).optional(),
            uri: z.string(),
            filter: z.string().optional(),
            include_fields: z.array(z.string()).optional(),
          }),
        )
        .default([]),
    })
    .default({ api_version: "2026-10", subscriptions: [] }),
  app_proxy: z.object({ url: z.string(), subpath: z.string(), prefix: z.string() }).optional(),
});

export interface WebhookSubscription {
  topic: string;
  /** Relative URIs resolve against the app URL, as `shopify app deploy` resolves them against application_url. */
  uri: string;
  includeFields?: string[];
}

export interface AppConfig {
  scopes: string[];
  webhookApiVersion: string;
  subscriptions: WebhookSubscription[];
  /** The app-side path proxied requests go to, and the storefront prefix they arrive on (`/apps/tally`). */
  appProxy?: { appPath: string; storefrontPrefix: string };
}

export function readAppConfig(tomlPath: string): AppConfig {
  const parsed = appTomlSchema.parse(parseTomlSubset(readFileSync(tomlPath, "utf8")));
  return {
    scopes: parsed.access_scopes.scopes
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    webhookApiVersion: parsed.webhooks.api_version,
    subscriptions: parsed.webhooks.subscriptions.flatMap((sub) =>
      [...(sub.topics ?? []), ...(sub.compliance_topics ?? [])].map((topic) => ({
        topic,
        uri: sub.uri,
        ...(sub.include_fields ? { includeFields: sub.include_fields } : {}),
      })),
    ),
    ...(parsed.app_proxy
      ? {
          appProxy: {
            appPath: new URL(parsed.app_proxy.url).pathname.replace(/\/$/, ""),
            storefrontPrefix: `/${parsed.app_proxy.prefix}/${parsed.app_proxy.subpath}`,
          },
        }
      : {}),
  };
}
