import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";
import { withErrors } from "~/lib/errors.server";
import { authenticate } from "~/shopify.server";

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
});

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
