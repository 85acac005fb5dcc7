import { eq } from "drizzle-orm";
import { sessions } from "~/db/schema";
import type { TokenCipher } from "~/lib/token-cipher.server";
import { inTransaction, type AllShopsContext } from "../context";

/** Where a session's token is stored, bound into its seal so the sealed value opens only in that row and column. */
export const sessionTokenContext = (sessionId: string, column: "accessToken" | "refreshToken") =>
  `session:${sessionId}:${column}`;

/**
 * Re-seals every stored access and refresh token that is plaintext (written before encryption) or sealed with a key
 * other than the current one (after a rotation), in one transaction. Run at boot, so an upgrade or a key rotation
 * completes on the first start. Returns how many sessions it rewrote. Throws `UnknownTokenKeyError` when a token was
 * sealed with a key that is no longer configured, so the boot stops and names it instead of losing the shop's access.
 */
export async function sealSessionTokens({
  ctx,
  cipher,
}: {
  ctx: AllShopsContext;
  cipher: TokenCipher;
}): Promise<{ resealed: number }> {
  return inTransaction(ctx, async (tx) => {
    const rows = await tx
      .select({ id: sessions.id, accessToken: sessions.accessToken, refreshToken: sessions.refreshToken })
      .from(sessions);
    let resealed = 0;
    for (const row of rows) {
      const stale = cipher.needsSealing(row.accessToken) || (row.refreshToken && cipher.needsSealing(row.refreshToken));
      if (!stale) continue;
      const reseal = (value: string, column: "accessToken" | "refreshToken") => {
        const context = sessionTokenContext(row.id, column);
        return cipher.seal(cipher.open(value, context), context);
      };
      await tx
        .update(sessions)
        .set({
          accessToken: row.accessToken ? reseal(row.accessToken, "accessToken") : row.accessToken,
          refreshToken: row.refreshToken ? reseal(row.refreshToken, "refreshToken") : row.refreshToken,
        })
        .where(eq(sessions.id, row.id));
      resealed += 1;
    }
    return { resealed };
  });
}
