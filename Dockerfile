# Tally's reference image: one app instance on SQLite (decision 025). Node 22 comes from the base image; the Node
# binary npm installs for `npm run` on developers' machines (decision 005) is removed, so only the image's runs.
# Not built on the machine this was written on (no Docker there): read README, "Running it in a container".

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3, esbuild and rollup come prebuilt for linux x64 and arm64: nothing is compiled.
RUN npm ci --no-audit --no-fund \
    && rm -rf node_modules/node-linux-* node_modules/node-darwin-* node_modules/node-bin-* node_modules/.bin/node
COPY . .
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/tally.sqlite
WORKDIR /app
# The SQLite database (and its -wal and -shm files) lives on a volume, owned by the unprivileged `node` user.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
COPY --from=build /app/package.json /app/server.js ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
# Migrations are applied at boot from ./drizzle (app/db/client.server.ts).
COPY --from=build /app/drizzle ./drizzle
USER node
VOLUME ["/data"]
EXPOSE 3000
# server.js stops gracefully on SIGTERM within SHUTDOWN_TIMEOUT_SECONDS (default 20): give it longer than that.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The V8 flag is npm start's (decision 047: the app's young generation, 8 MB instead of 32).
CMD ["node", "--max-semi-space-size=4", "server.js"]
