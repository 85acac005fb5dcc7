import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, redirect } from "@remix-run/react";
import { login } from "~/shopify.server";
import styles from "./styles.module.css";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=…; send it into the embedded app, where authentication happens.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { showForm: Boolean(login) };
};

export default function Landing() {
  return (
    <main className={styles.index}>
      <h1 className={styles.heading}>Tally: loyalty and referrals your customers see</h1>
      <p className={styles.text}>Points for every order, rewards at checkout, and a referral link to share.</p>
      <Form className={styles.form} method="post" action="/auth/login">
        <label className={styles.label}>
          <span>Shop domain</span>
          <input className={styles.input} type="text" name="shop" placeholder="my-shop-domain.myshopify.com" />
        </label>
        <button className={styles.button} type="submit">
          Log in
        </button>
      </Form>
      <ul className={styles.list}>
        <li>
          <strong>Points ledger</strong>. Every point earned, redeemed or reversed, explained.
        </li>
        <li>
          <strong>Customer directory</strong>. Members and guests, their points, orders and referrals.
        </li>
        <li>
          <strong>Storefront widget</strong>. Customers check points, redeem and share from your theme.
        </li>
      </ul>
    </main>
  );
}
