import { Session } from "@shopify/shopify-api";
import type { TokenCipher } from "~/lib/token-cipher.server";
import { sessionTokenContext as tokenContext } from "~/services/shops/seal-session-tokens.server";

/** The library's session storage contract (@shopify/shopify-app-session-storage's SessionStorage). */
interface SessionStorage {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

/**
 * The library's session storage with the access and refresh tokens sealed before they reach the database and opened
 * as they are read (decision 007). Everything else (shop, scope, expiry) is stored as the library stores it. Rows
 * written before encryption are read as they are and re-sealed at boot (`sealSessionTokens`).
 */
export class SealedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly cipher: TokenCipher,
  ) {}

  private transform(session: Session, change: (value: string, context: string) => string): Session {
    const params = session.toObject();
    return new Session({
      ...params,
      accessToken: params.accessToken ? change(params.accessToken, tokenContext(session.id, "accessToken")) : undefined,
      refreshToken: params.refreshToken
        ? change(params.refreshToken, tokenContext(session.id, "refreshToken"))
        : undefined,
    });
  }

  private opened(session: Session): Session {
    return this.transform(session, (value, context) => this.cipher.open(value, context));
  }

  storeSession(session: Session) {
    return this.inner.storeSession(this.transform(session, (value, context) => this.cipher.seal(value, context)));
  }

  async loadSession(id: string) {
    const session = await this.inner.loadSession(id);
    return session && this.opened(session);
  }

  deleteSession(id: string) {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]) {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string) {
    return (await this.inner.findSessionsByShop(shop)).map((session) => this.opened(session));
  }
}
