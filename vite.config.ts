import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * `npm run dev`: the dev server runs the scheduler and the task runner once it listens, as server.js does in
 * production, so tasks queued or left running by an earlier process are taken up (decision 017). They run the server
 * build's modules as the dev server first loaded them; restart `npm run dev` after editing a job or a task.
 */
function backgroundWork(): Plugin {
  return {
    name: "tally-background-work",
    apply: "serve",
    configureServer(server) {
      let stop: (() => Promise<void>) | undefined;
      server.httpServer?.once("listening", () => {
        server
          .ssrLoadModule("virtual:remix/server-build")
          .then((build) => {
            stop = (build.entry.module as { startScheduler: () => () => Promise<void> }).startScheduler();
          })
          .catch((error: unknown) => server.config.logger.error(`Tally's background work did not start: ${error}`));
      });
      server.httpServer?.once("close", () => void stop?.());
    },
  };
}

export default defineConfig(({ isSsrBuild }) => ({
  server: { port: Number(process.env.PORT || 3000) },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
    backgroundWork(),
  ],
  // The server bundle runs on Node 22 only, which has top-level await: app/shopify.server.ts awaits the boot's
  // re-sealing of stored tokens (decision 007) before the app serves anything.
  build: { assetsInlineLimit: 0, ...(isSsrBuild ? { target: "node22" } : {}) },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
}));
