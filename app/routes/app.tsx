import type { MetaFunction, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Outlet,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { AppErrorPage } from "~/components/app-error-page";
import { FormatProvider } from "~/components/format-context";
import { appBridgeUrl } from "~/lib/app-bridge.server";
import { env } from "~/lib/env.server";
import { withErrors } from "~/lib/errors.server";
import { supportedLocale } from "~/lib/format";
import { shopTimeZoneName } from "~/domain/shared/shop-time";
import { getProgram } from "~/services/program/get-program.server";
import { getShopCurrency, getShopTimeZone } from "~/services/shops/get-shop.server";
import { authenticate, contextFor } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Tally" }];

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const ctx = contextFor(session.shop, "staff");
  const { settings } = await getProgram({ ctx });
  // The staff member's admin language: the `locale` the admin loads the app with ("en-GB", "fr"), which has the
  // region that tells the order of day and month; else the online session's (the language alone).
  const staffLocale =
    new URL(request.url).searchParams.get("locale") || session.onlineAccessInfo?.associated_user.locale;
  return {
    apiKey: env().SHOPIFY_API_KEY,
    appBridgeUrl: appBridgeUrl(),
    // Numbers, amounts and typed days follow the staff member's admin language.
    locale: supportedLocale(staffLocale),
    knownLocale: Boolean(staffLocale),
    pointsNames: { singular: settings.pointName, plural: settings.pointsName },
    // Dates in the shop's zone, as Shopify admin shows its own (and as exports write them).
    timeZone: shopTimeZoneName(await getShopTimeZone({ ctx })),
    // Amounts in the store's currency are written "$5.00", any other "$5.00 USD", as Shopify admin does (decision 052).
    storeCurrency: await getShopCurrency({ ctx }),
  };
});

/**
 * The frame's data (App Bridge's key, the formats, the points' names) changes with what staff save, not with a move
 * between pages: a navigation or a revalidation without a submission leaves it as it was. A page's own load that does
 * not reach Tally (another page of the Jobs list, a search) then fails alone, and its clientLoader keeps the page
 * (decision 054); the frame's load failing beside it replaced the whole app with Remix's "Application Error".
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod === undefined ? false : defaultShouldRevalidate;

export default function App() {
  return (
    <AppFrame data={useLoaderData<typeof loader>()}>
      <Outlet />
    </AppFrame>
  );
}

/** App Bridge, Polaris, the navigation and number formats around every admin page, error pages included. */
function AppFrame({ data, children }: { data: Awaited<ReturnType<typeof loader>>; children: ReactNode }) {
  const { apiKey, appBridgeUrl, pointsNames, timeZone, storeCurrency } = data;
  // The locale the page was loaded with: the admin's `locale` comes on the document's URL only, and a revalidation
  // after moving within the app (which drops it) would otherwise switch "28/11/2026" to the session's reading.
  const [{ locale, knownLocale }] = useState({ locale: data.locale, knownLocale: data.knownLocale });
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
      <FormatProvider
        locale={locale}
        knownLocale={knownLocale}
        pointsNames={pointsNames}
        timeZone={timeZone}
        storeCurrency={storeCurrency}
      >
        {children}
      </FormatProvider>
    </AppProvider>
  );
}

/**
 * A page's loader refused with one of Tally's own 4xx answers (a JSON body with a `code`, app/lib/errors.server.ts)
 * and the page has no boundary of its own: the app's frame and navigation stay, with a Polaris page saying what was
 * not found and linking back. Everything else goes to Shopify's boundary, which must catch the auth flow's thrown
 * responses so that their headers reach the browser.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/app");
  if (data && isRouteErrorResponse(error) && error.status >= 400 && error.status < 500 && isTallyRefusal(error.data))
    return (
      <AppFrame data={data}>
        <AppErrorPage status={error.status} message={error.data.error} />
      </AppFrame>
    );
  return boundary.error(error);
}

function isTallyRefusal(data: unknown): data is { error: string; code: string } {
  return typeof data === "object" && data !== null && "code" in data && "error" in data;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
