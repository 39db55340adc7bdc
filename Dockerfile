# syntax=docker/dockerfile:1
# One image for the five services; the command picks one:
#   docker run aftermath                                     -> ingest (default)
#   docker run aftermath node apps/timeline/dist/main.js     -> timeline
#   docker run aftermath node apps/renderer/dist/main.js     -> renderer
#   docker run aftermath node apps/web/dist/main.js          -> the incident workspace (web)
#   docker run aftermath node apps/notifier/dist/main.js     -> notifier (outbound webhooks, Slack, Teams)
# Node 22 LTS: nestjs-pino and Nest 12's dependencies need Node >= 22.12.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: all dependencies, compile every workspace ---------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY libs/platform/package.json libs/platform/
# --ignore-scripts: the root "prepare" script builds, and the sources are not here yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs/domain libs/domain
COPY libs/platform libs/platform
COPY apps apps
RUN npx tsc -b tsconfig.build.json

# --- runtime: production dependencies and compiled output only ------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# V8 heap limits (scripts/service-node-options.mjs): each service stays under 200 MB resident at full load.
# Override with NODE_OPTIONS, e.g. for incidents of more than 100,000 events (docs/operations.md).
ENV NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8"
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY libs/platform/package.json libs/platform/
# The workspaces (@app/domain, @app/platform) are linked into node_modules from libs/*.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/libs/domain/dist libs/domain/dist
COPY --from=build /app/libs/platform/dist libs/platform/dist
COPY --from=build /app/apps/ingest/dist apps/ingest/dist
COPY --from=build /app/apps/timeline/dist apps/timeline/dist
COPY --from=build /app/apps/renderer/dist apps/renderer/dist
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/apps/notifier/dist apps/notifier/dist
COPY apps/renderer/templates apps/renderer/templates
COPY apps/web/views apps/web/views
COPY apps/web/static apps/web/static
COPY deploy/healthcheck.mjs deploy/healthcheck.mjs
# Runs as the unprivileged user of the node image; RCA_OUTPUT_DIR, when used, must be writable by it.
USER node
# ingest, timeline, renderer, web, notifier (INGEST_PORT, TIMELINE_PORT, RENDERER_PORT, WEB_PORT, NOTIFIER_PORT)
EXPOSE 3001 3002 3003 3004 3005
# Healthy once the service in this container is ready (Kafka and PostgreSQL answer).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# Node is PID 1 and handles SIGTERM itself (Nest shutdown hooks drain Kafka and close the database).
CMD ["node", "apps/ingest/dist/main.js"]
