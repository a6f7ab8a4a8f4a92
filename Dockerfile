# Image for the ledger and the projector (docker-compose.yml runs both from it).
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20.19-bookworm-slim
WORKDIR /app
# Compiled output keeps the @ledger/* imports; tsconfig-paths maps them into dist/.
ENV NODE_ENV=production TS_NODE_BASEURL=./dist
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", "-r", "tsconfig-paths/register", "dist/apps/ledger/src/main.js"]
