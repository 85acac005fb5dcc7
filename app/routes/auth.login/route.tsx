import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AboutTally } from "~/components/about-tally";
import { env } from "~/lib/env.server";
import { login } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Tally: loyalty points and referrals for Shopify" }];

/**
 * The library's login path: authenticate.admin sends a request that names no shop here. With `?shop=` the library's
 * `login` redirects to that shop's admin to open or install the app; without one, the visitor gets the page about
 * Tally, never a form asking for a shop domain (App Store rule 2.3.1).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await login(request);
  return { appStoreUrl: env().TALLY_APP_STORE_URL };
};

export default function Login() {
  const { appStoreUrl } = useLoaderData<typeof loader>();
  return <AboutTally appStoreUrl={appStoreUrl} />;
}
