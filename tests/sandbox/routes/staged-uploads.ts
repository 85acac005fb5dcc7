import { type Response as ExpressResponse, Router } from "express";
import type { BulkOperations } from "../bulk";
import { readBody, route } from "./http";

/**
 * The loopback stand-in for the storage bucket stagedUploadsCreate points at: a multipart form post (the parameters,
 * then `file`) to `/_sandbox/staged-uploads/`, or a PUT of the body to the target's URL; answered as Google Cloud
 * Storage answers (201 with a PostResponse, 403 for a key or signature it did not hand out).
 */
export function stagedUploadRoutes(deps: { bulk: BulkOperations }) {
  const router = Router({ caseSensitive: true, strict: true });
  const answer = (res: ExpressResponse, result: ReturnType<BulkOperations["receive"]>) => {
    res.writeHead(result.status, { "Content-Type": "application/xml; charset=UTF-8" });
    res.end(result.xml);
  };
  router.post(
    /^\/_sandbox\/staged-uploads\/?$/,
    route(async (req, res) => {
      const form = await new Response(new Uint8Array(await readBody(req)), {
        headers: { "content-type": req.headers["content-type"] ?? "" },
      })
        .formData()
        .catch(() => null);
      const file = form?.get("file");
      const key = form?.get("key");
      if (!form || typeof key !== "string" || !file || typeof file === "string")
        return answer(res, {
          status: 400,
          xml: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>A multipart form with key and file is required.</Message></Error>`,
        });
      const signature = form.get("x-goog-signature");
      answer(
        res,
        deps.bulk.receive(key, typeof signature === "string" ? signature : null, Buffer.from(await file.arrayBuffer())),
      );
    }),
  );
  router.put(
    /^\/_sandbox\/staged-uploads\/(.+)$/,
    route(async (req, res) => {
      const key = (req.params as Record<string, string>)[0]!;
      const signature = new URL(req.originalUrl, "http://sandbox").searchParams.get("X-Goog-Signature");
      const result = deps.bulk.receive(key, signature, await readBody(req));
      answer(res, result.status === 201 ? { status: 201, xml: "" } : result);
    }),
  );
  return router;
}
