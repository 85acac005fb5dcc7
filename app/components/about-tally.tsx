import styles from "./about-tally.module.css";

/**
 * The public page a visitor sees outside Shopify admin (`/`, and `/auth/login`, where the library sends anyone who
 * opens the app without a shop). It says what Tally is and links to its App Store listing; it never asks for a
 * myshopify.com address (App Store rule 2.3.1): Shopify tells an installed app which shop it is in.
 */
export function AboutTally({ appStoreUrl }: { appStoreUrl: string }) {
  return (
    <main className={styles.page}>
      <h1 className={styles.heading}>Tally</h1>
      <p className={styles.lede}>
        Loyalty points, referrals and a customer directory for Shopify stores: customers earn points on every order,
        redeem them for rewards at checkout and share a referral link, all from your theme.
      </p>
      <a className={styles.install} href={appStoreUrl}>
        Install Tally from the Shopify App Store
      </a>
      <p className={styles.note}>Already installed? Open Tally from Apps in your Shopify admin.</p>
      <ul className={styles.list}>
        <li>
          <strong>Points ledger</strong>. Every point earned, redeemed or reversed, with the order behind it.
        </li>
        <li>
          <strong>Customer directory</strong>. Members and guests, their points, orders and total spent.
        </li>
        <li>
          <strong>Storefront widget</strong>. Customers check their points and redeem them from your theme.
        </li>
      </ul>
    </main>
  );
}
