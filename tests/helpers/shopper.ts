/**
 * A shopper's browser session against the sandbox storefront, without a browser: cookies kept between requests
 * (the shop, the signed-in customer, the cart), redirects not followed so a test sees where the store sends them.
 */
export class Shopper {
  private readonly jar = new Map<string, string>();

  constructor(
    private readonly origin: string,
    shop: string,
  ) {
    this.jar.set("sandbox_shop", shop);
  }

  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ");
  }

  cookieValue(name: string) {
    return this.jar.get(name);
  }

  /** A cookie set elsewhere (another route of the shop, a link the shopper followed). */
  setCookie(name: string, value: string) {
    this.jar.set(name, value);
  }

  async get(path: string) {
    return this.send(path, { method: "GET" });
  }

  async post(path: string, form: Record<string, string>) {
    return this.send(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows one redirect, as a browser would, and returns the page it lands on. */
  async follow(response: { location: string | null }) {
    if (!response.location) throw new Error("not a redirect");
    return this.get(response.location);
  }

  private async send(path: string, init: RequestInit) {
    const response = await fetch(new URL(path, this.origin), {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Cookie: this.cookie },
      redirect: "manual",
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = decodeURIComponent(pair.slice(at + 1));
      if (/max-age=0/i.test(header) || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get("location"),
      contentType: response.headers.get("content-type"),
      text: await response.text(),
    };
  }
}
