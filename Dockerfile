# Small production image: build with dev dependencies, run with production ones only.
# tools/ (the emulator workspace, the demo) is never copied: npm ci skips a workspace whose folder
# is absent, so neither stage installs its dependencies, and tsconfig.build.json compiles src/ only.
FROM node:24-alpine AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm ci --ignore-scripts && npm run build

FROM node:24-alpine
# Probot listens on localhost unless HOST says otherwise: all interfaces, for `docker run -p`.
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
USER node
EXPOSE 3000
# bin/changegate-app.js checks the environment (one line and exit 1 for a bad PRIVATE_KEY), then
# runs dist/index.js under Probot.
CMD ["node", "bin/changegate-app.js"]
