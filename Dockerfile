# The API and, with another command, the projector, for production (EventStoreDB and MongoDB),
# or the embedded default with DATA_DIR on a volume. Used by deploy/docker-compose.yml.
#   docker build -t victim-journey-tracker .
#   docker run -p 3000:3000 -v vjt-data:/data victim-journey-tracker                     # the API
#   docker run ... victim-journey-tracker node dist/apps/projector/src/main.js           # the projector
# Three stages: build with dev dependencies (TypeScript, esbuild for the browser front end),
# install production dependencies alone with `npm ci --omit=dev`, and a runtime with only those
# and the build, running as the unprivileged `node` user. better-sqlite3 compiles from source
# where no prebuilt binary fits, hence the build tools in the first two stages only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY projections projections
COPY seeds seeds
RUN npm run build

FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Liveness and readiness for Docker: /health answers 200 while the process serves (503 while
# it drains on SIGTERM, so a load balancer stops routing to it first).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) drains in-flight commands and checkpoints projections before exiting;
# give it longer than SHUTDOWN_TIMEOUT_MS (docker stop --time, or stop_grace_period in compose).
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/api/src/main.js"]
