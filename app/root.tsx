import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { useEffect } from "react";
import { listenForAbortedRequests } from "./components/ignore-aborted-requests";

// Before hydration, so a request cancelled while the page starts is covered too.
if (typeof window !== "undefined") listenForAbortedRequests(window);

export default function App() {
  // Marks the document once React has hydrated; the e2e suite waits on it instead of on timers.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
