// Builders shared by the haproxy rule tests: a config with one frontend and one backend `app`.

/** The path haproxy cases are analysed under. */
export const HAPROXY_PATH = "haproxy.cfg";

/** A defaults section with HTTP mode and finite connect, client and server timeouts. */
export const DEFAULTS = `defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
`;

/** A config with one backend `app`; `body` holds its indented lines (servers, options), from line 12. */
export const config = (body: string, defaults = DEFAULTS): string => `${defaults}
frontend www
  bind :80
  default_backend app

backend app
${body}`;

/** Indented section lines, one per argument. */
export const servers = (...lines: string[]): string => lines.map((line) => `  ${line}\n`).join("");

/** Three checked servers web1..web3 at 10.0.0.1..3. */
export const THREE = servers(
  "server web1 10.0.0.1:80 check",
  "server web2 10.0.0.2:80 check",
  "server web3 10.0.0.3:80 check",
);
