// docker-compose files for the compose rule tests: a `services` map of services built from lines.

/** The path compose cases are analysed under (detected as the compose dialect by its name). */
export const COMPOSE_PATH = "deploy/docker-compose.yml";

/** A Compose file holding `services`. */
export const compose = (...services: string[]): string => `services:\n${services.join("")}`;

/** A service `name` running the image `name:1`, with `body` lines indented under it (4 spaces). */
export const service = (name: string, body = ""): string =>
  `  ${name}:\n    image: example/${name}:1\n${body}`;

/** A `healthcheck` curling /health, with `fields` lines (`interval: 10s`, …) under it. */
export const healthcheck = (...fields: string[]): string =>
  `    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost/health"]\n${fields.map((field) => `      ${field}\n`).join("")}`;

/** A short-syntax `ports` list. */
export const ports = (...entries: string[]): string =>
  `    ports:\n${entries.map((entry) => `      - "${entry}"\n`).join("")}`;
