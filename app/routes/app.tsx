import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { FormatProvider } from "~/components/format-context";
import { appBridgeUrl } from "~/lib/app-bridge.server";
import { env } from "~/lib/env.server";
import { withErrors } from "~/lib/errors.server";
import { supportedLocale } from "~/lib/format";
import { getProgram } from "~/services/program/get-program.server";
import { authenticate, contextFor } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { settings } = await getProgram({ ctx: contextFor(session.shop, "staff") });
  return {
    apiKey: env().SHOPIFY_API_KEY,
    appBridgeUrl: appBridgeUrl(),
    // Numbers and amounts follow the staff member's admin language, as Shopify gives it with the online session.
    locale: supportedLocale(session.onlineAccessInfo?.associated_user.locale),
    pointsNames: { singular: settings.pointName, plural: settings.pointsName },
  };
});

export default function App() {
  const { apiKey, appBridgeUrl, locale, pointsNames } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/groups">Groups</Link>
        <Link to="/app/referrals">Referrals</Link>
        <Link to="/app/import">Import</Link>
        <Link to="/app/jobs">Jobs</Link>
        <Link to="/app/audit">Audit log</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      <FormatProvider locale={locale} pointsNames={pointsNames}>
        <Outlet />
      </FormatProvider>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included in the response.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
