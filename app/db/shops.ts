import { sql } from "drizzle-orm";
import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { StorefrontRoot } from "~/domain/shared";

/** One row per shop that ever installed Tally. `uninstalledAt` is set, never deleted, until shop/redact. */
export const shops = sqliteTable("shops", {
  shop: text("shop").primaryKey(),
  installedAt: text("installed_at").notNull(),
  uninstalledAt: text("uninstalled_at"),
  scope: text("scope"),
  /** The shop's currency (ISO 4217), read at install and kept current by shop/update; points are earned in it. */
  currency: text("currency"),
  /** The currency before the last change, and when Shopify said it changed (decision 008), for Home's notice. */
  previousCurrency: text("previous_currency"),
  currencyChangedAt: text("currency_changed_at"),
  /**
   * The shop's money formats (Shopify's `shop.currencyFormats`, shop/update's money_format and
   * money_with_currency_format): "${{amount}}" and "${{amount}} CAD". The storefront writes amounts with them.
   */
  moneyFormat: text("money_format"),
  moneyWithCurrencyFormat: text("money_with_currency_format"),
  /** The shop's IANA time zone ("America/Toronto"). */
  timezone: text("timezone"),
  name: text("name"),
  /**
   * The shop's country (ISO 3166-1 alpha-2, "CA"): Shopify's `shop.shopAddress.countryCodeV2`, shop/update's
   * country_code. Staff's national phone numbers are read in it (app/domain/shared/phone.ts, decision 053).
   */
  country: text("country"),
  /**
   * The online store's root URL per locale (Admin API `webPresences { rootUrls }`), the primary domain's default
   * locale first, as a JSON list of { locale, url }; read with the shop facts at install and by every reconciliation.
   * Emails link to the root in the customer's language (app/domain/shared/storefront-roots.ts, decision 051). Null
   * until first read, or while Shopify withholds it (no `read_markets`).
   */
  storefrontRoots: text("storefront_roots", { mode: "json" }).$type<StorefrontRoot[]>(),
  /**
   * How the shop's customers sign in (Admin API `shop.customerAccountsV2`, read with the facts at install and by every
   * reconciliation; no webhook carries it): "CLASSIC" or "NEW_CUSTOMER_ACCOUNTS" (`customerAccountsVersion`), and
   * whether the storefront shows login links (`loginLinksVisibleOnStorefrontAndCheckout`; false: the merchant turned
   * customer accounts off). The points reminder's Guest link follows them (decision 064). Null until first read: a
   * classic shop with its links shown, as Tally assumed before.
   */
  customerAccountsVersion: text("customer_accounts_version"),
  loginLinksVisible: integer("login_links_visible", { mode: "boolean" }),
  /** Shopify's updated_at of the shop facts above (or the delivery's trigger time); an older update never wins. */
  shopUpdatedAt: text("shop_updated_at"),
  /**
   * The protected customer fields ("name", "email", "phone", "address") Shopify withheld from Tally at the last
   * reconciliation, as a JSON list: empty when it saw them all; null before the first check. Home names what is missing.
   */
  protectedDataWithheld: text("protected_data_withheld", { mode: "json" }).$type<string[]>(),
  protectedDataCheckedAt: text("protected_data_checked_at"),
  createdAt: text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

/** The session table the Shopify drizzle adapter reads and writes; column names are the adapter's. */
export const sessions = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    state: text("state").notNull(),
    isOnline: integer("isOnline", { mode: "boolean" }).notNull().default(false),
    scope: text("scope"),
    expires: text("expires"),
    accessToken: text("accessToken").notNull(),
    userId: blob("userId", { mode: "bigint" }),
    firstName: text("firstName"),
    lastName: text("lastName"),
    email: text("email"),
    accountOwner: integer("accountOwner", { mode: "boolean" }),
    locale: text("locale"),
    collaborator: integer("collaborator", { mode: "boolean" }),
    emailVerified: integer("emailVerified", { mode: "boolean" }),
    refreshToken: text("refreshToken"),
    refreshTokenExpires: text("refreshTokenExpires"),
  },
  (table) => [index("session_shop_idx").on(table.shop)],
);
