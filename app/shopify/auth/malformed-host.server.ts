import { DomainError } from "~/domain/shared";

/**
 * Refuses an admin request whose `host` parameter cannot be what Shopify sends: the base64 of the admin's address
 * ("admin.shopify.com/store/x"; shopify.dev, "App Bridge: host"). The library decodes it with `atob` and `new URL`,
 * which throw on anything else, and a thrown TypeError is a 500; a merchant's browser never sends such a host, so it
 * is DomainError("bad_request") with a reason. A host that decodes to some other address is left to the library.
 */
export function refuseMalformedHost(request: Request): void {
  const host = new URL(request.url).searchParams.get("host");
  if (host === null) return;
  if (!isDecodableHost(host)) {
    throw new DomainError("bad_request", "The host parameter is not the base64 of a Shopify admin address");
  }
}

function isDecodableHost(host: string): boolean {
  if (!/^[0-9a-zA-Z+/]+={0,2}$/.test(host)) return false;
  try {
    return URL.canParse(`https://${atob(host)}`);
  } catch {
    return false;
  }
}
