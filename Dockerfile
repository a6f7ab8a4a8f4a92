# Image for the ledger and the projector (docker-compose.yml runs both from it).
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20.19-bookworm-slim
WORKDIR /app
# `npm run build` compiles every app into dist/ with relative imports (tsc-alias): plain node runs it, no ts-node.
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The console's and the verification page's static files, served by the ledger.
COPY --from=build /app/apps/console/public ./apps/console/public
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", "dist/apps/ledger/src/main.js"]
