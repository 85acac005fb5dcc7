import { DomainError } from "~/domain/shared";

/**
 * A storefront POST's JSON body. JSON only: a cross-site form post (text/plain, urlencoded) cannot reach the endpoint
 * without a CORS preflight, which Shopify's proxy never answers for another site. Throws DomainError
 * "unsupported_media_type" (415) for another content type, "bad_request" (400) with `example` for a body that is not JSON.
 */
export async function readStorefrontJson(request: Request, example: string): Promise<unknown> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    throw new DomainError("unsupported_media_type", "Send the body as application/json");
  }
  try {
    return await request.json();
  } catch {
    throw new DomainError("bad_request", `The body must be JSON like ${example}`);
  }
}
