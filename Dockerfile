# The Recur app image: one image for the worker, the API, the sandbox and the `recur` CLI
# (docker-compose.yml picks the command). Node 20, as in development and CI.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts are needed at run time (the Temporal binaries are for tests and `npm run dev`).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY scripts ./scripts
# The workflow bundle is built once here, so workers start without bundling (WORKFLOW_BUNDLE_PATH).
RUN npm run build:workflows -- dist/workflow-bundle.js

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /keys && chown node:node /keys
USER node
EXPOSE 3000 4010
# The API by default; compose runs the worker and the sandbox from the same image.
CMD ["node", "--import", "tsx", "src/api/main.ts"]
