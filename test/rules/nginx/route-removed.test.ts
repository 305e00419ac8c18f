import routeRemoved from "../../../src/rules/nginx/route-removed.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH } from "./builders.js";

/** An http block with the given server blocks. */
const http = (...servers: string[]): string => `http {
${servers.join("\n")}
}
`;

/** A server block listening on `listen` with `server_name names` (when given) and the given locations. */
const server = (listen: string, names: string, ...locations: string[]): string => `    server {
        listen ${listen};
${names ? `        server_name ${names};\n` : ""}${locations.map((location) => `        ${location}`).join("\n")}
    }`;

const ROOT = "location / { proxy_pass http://app; }";
const API = "location /api { api write=on; }";
const STATUS = "location = /status.html { }";

/** A static site: files from the server's root, with a caching-only location for assets. */
const STATIC_ROOT = "location / { try_files $uri $uri/ =404; }";
const ASSETS = "location ~* \\.(?:css|js)$ { expires 1y; access_log off; }";

ruleTable(routeRemoved, {
  path: NGINX_PATH,
  cases: [
    {
      name: "near: a caching-only location removed from a static site (its files are still served from the same root) is medium",
      before: http(server("80", "", "root /var/www;", STATIC_ROOT, ASSETS)),
      after: http(server("80", "", "root /var/www;", STATIC_ROOT)),
      expect: [
        {
          severity: "medium",
          line: "location ~*",
          side: "before",
          phrase: "still served from the same root",
        },
      ],
    },
    {
      name: "the same caching-only location removed where location / proxies (its files now go to the app) is high",
      before: http(server("80", "", "root /var/www;", ROOT, ASSETS)),
      after: http(server("80", "", "root /var/www;", ROOT)),
      expect: [{ severity: "high", line: "location ~*", side: "before", phrase: "loses 1 route" }],
    },
    {
      name: "a location removed from a server that stays is high",
      before: http(server("80", "", ROOT, API)),
      after: http(server("80", "", ROOT)),
      expect: [
        {
          severity: "high",
          line: "location /api",
          side: "before",
          phrase: "loses 1 route (location /api)",
        },
      ],
    },
    {
      name: "locations moved to a server on another port are still gone from the old port",
      before: http(server("80", "shop.example.com", ROOT, API, STATUS)),
      after: http(server("80", "shop.example.com", ROOT), server("8080", "", API, STATUS)),
      expect: [
        {
          severity: "high",
          line: "location /api",
          side: "before",
          phrase: "/api now only in server block on 8080",
        },
      ],
    },
    {
      name: "a whole server block removed is high",
      before: http(server("80", "shop.example.com", ROOT), server("80", "blog.example.com", ROOT)),
      after: http(server("80", "shop.example.com", ROOT)),
      expect: [
        {
          severity: "high",
          line: "server {",
          nth: 2,
          side: "before",
          phrase: 'server "blog.example.com" on 80 is removed with its 1 location (/)',
        },
      ],
    },
    {
      name: "reordered and re-indented locations, and a trailing slash added, do not fire",
      before: http(server("80", "", ROOT, API, STATUS)),
      after: http(server("80", "", STATUS, "location /api/ { api write=on; }", "  " + ROOT)),
      expect: [],
    },
    {
      name: "a listen flag added keeps the server's routes",
      before: http(server("80", "shop.example.com", ROOT, API)),
      after: http(server("80 default_server", "shop.example.com", ROOT, API)),
      expect: [],
    },
    {
      name: "a server now redirecting everything to HTTPS does not report its locations",
      before: http(server("80", "shop.example.com", ROOT, API)),
      after: http(
        server("80", "shop.example.com", "return 301 https://$host$request_uri;"),
        server("443 ssl", "shop.example.com", ROOT, API),
      ),
      expect: [],
    },
    {
      name: "a catch-all location folded into the server block does not fire",
      before: http(server("80", "", "location / { root /srv/www; }")),
      after: http(server("80", "", "root /srv/www;", "try_files /index.html =404;")),
      expect: [],
    },
    {
      name: "a server moved to another port is the listener rule's, not a removal here",
      before: http(server("80", "shop.example.com", ROOT)),
      after: http(server("8080", "shop.example.com", ROOT)),
      expect: [],
    },
  ],
});
