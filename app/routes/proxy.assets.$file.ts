import type { LoaderFunctionArgs } from "@remix-run/node";
import { storefrontAssets } from "~/shopify/proxy/rewards-page.server";

/**
 * The theme app extension's script and styles for the rewards page, through the app proxy: public files (Shopify's
 * CDN serves the same ones to the app embed), so no signature is asked. A versioned URL never changes, so it is
 * cached for a year; any other is revalidated.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const asset = storefrontAssets.get(params.file ?? "");
  if (!asset) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  const versioned = new URL(request.url).searchParams.get("v") === asset.version;
  return new Response(asset.body, {
    headers: {
      "Content-Type": asset.type,
      "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
};
