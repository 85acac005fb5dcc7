import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * The export writer's own bundle (decision 040), built after the app by `npm run build`: the process the app forks to
 * write exports, build/export-writer/index.js, beside build/server/. Its packages stay in node_modules, as the server
 * bundle's do; only the export's modules are in it, none of the app's pages.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  build: {
    ssr: "app/export-writer.server.ts",
    outDir: "build/export-writer",
    target: "node22",
    emptyOutDir: true,
    rollupOptions: { output: { entryFileNames: "index.js" } },
  },
});
