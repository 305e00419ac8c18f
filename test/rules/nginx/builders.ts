// Builders shared by the nginx rule tests: an http block with one upstream and one proxying location.

/** The path nginx cases are analysed under. */
export const NGINX_PATH = "nginx.conf";

/**
 * An http block with one upstream `app` (its lines in `upstream`, from line 3), one server (its own
 * lines in `server`) and one location proxying to `app` (its lines in `location`).
 */
export const site = (upstream: string, location = "", server = ""): string => `http {
    upstream app {
${upstream}
    }
    server {
        listen 443 ssl;
${server}
        location / {
            proxy_pass http://app;
${location}
        }
    }
}
`;

/** Directives at the upstream's indentation, one per line. */
export const lines = (...directives: string[]): string =>
  directives.map((directive) => `        ${directive};`).join("\n");

/** Three upstream servers 10.0.0.1..3:80. */
export const THREE = lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80");
