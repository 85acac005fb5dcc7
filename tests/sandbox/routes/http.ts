import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";

export const json = (res: Response, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

export const html = (res: Response, status: number, body: string, headers: Record<string, string | string[]> = {}) => {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
  res.end(body);
};

export const redirect = (res: Response, status: 302 | 303, location: string) => {
  res.writeHead(status, { Location: location });
  res.end();
};

/** The raw body: the sandbox reads bodies itself, as the app proxy must forward them unparsed. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A form post or a JSON object; throws on JSON that does not parse. */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (!raw.length) return {};
  if (contentType?.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(raw.toString()));
  return JSON.parse(raw.toString()) as Record<string, unknown>;
}

export function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? "")
      .split(";")
      .map((c) => c.trim().split("=") as [string, string])
      .filter(([k]) => k)
      .map(([k, v]) => [k, decodeURIComponent(v ?? "")]),
  );
}

/** The request's URL, absolute, as the sandbox's handlers read it (Express' `req.url` is relative to a mount). */
export const requestUrl = (req: Request, origin: string) => new URL(req.originalUrl, origin);

/** The shop a test names with X-Sandbox-Shop, where Shopify would know it from the request's host. */
export function sandboxShopHeader(req: IncomingMessage): string | undefined {
  const value = req.headers["x-sandbox-shop"];
  return typeof value === "string" ? value : undefined;
}

/** Express 4 does not catch a rejected promise: hand it to the error handler. */
export const route =
  (fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown> | unknown): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res, next))
      .catch(next);
  };
