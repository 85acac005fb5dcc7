import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect, useLoaderData } from "@remix-run/react";
import { AboutTally } from "~/components/about-tally";
import { env } from "~/lib/env.server";

export const meta: MetaFunction = () => [
  { title: "Tally: loyalty points and referrals for Shopify" },
  { name: "description", content: "Loyalty points, referrals and a customer directory for Shopify stores." },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=…; send it into the embedded app, where authentication happens.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { appStoreUrl: env().TALLY_APP_STORE_URL };
};

export default function Landing() {
  const { appStoreUrl } = useLoaderData<typeof loader>();
  return <AboutTally appStoreUrl={appStoreUrl} />;
}
