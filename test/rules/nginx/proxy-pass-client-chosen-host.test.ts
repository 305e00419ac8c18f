import proxyPassClientHost from "../../../src/rules/nginx/proxy-pass-client-chosen-host.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, site, THREE } from "./builders.js";

const withLocation = (location: string) =>
  site(THREE).replace("        location / {", `${location}\n        location / {`);

ruleTable(proxyPassClientHost, {
  path: NGINX_PATH,
  cases: [
    {
      name: "a new location passing to http://$arg_ip/ is an open proxy: high",
      before: site(THREE),
      after: withLocation(
        "        location /check {\n            proxy_pass http://$arg_ip/health.php;\n        }",
      ),
      expect: [
        {
          severity: "high",
          line: "proxy_pass http://$arg_ip/health.php;",
          phrase: /connects to the host named by \$arg_ip .*an open proxy/,
        },
      ],
    },
    {
      name: "a pass host taken from a request header is high",
      before: site(THREE),
      after: withLocation(
        "        location /fetch {\n            proxy_pass https://$http_x_target:8443;\n        }",
      ),
      expect: [
        {
          severity: "high",
          line: "proxy_pass https://$http_x_target:8443;",
          phrase: /host named by \$http_x_target/,
        },
      ],
    },
    {
      name: "a client variable in the path only is not a client-chosen host",
      before: site(THREE),
      after: withLocation(
        "        location /check {\n            proxy_pass http://app/health.php?ip=$arg_ip;\n        }",
      ),
      expect: [],
    },
    {
      name: "the request URI appended to a fixed host is not a client-chosen host",
      before: site(THREE),
      after: withLocation(
        "        location /check {\n            proxy_pass http://$host$request_uri;\n        }",
      ),
      expect: [],
    },
    {
      name: "a host from a map (server-side variable) is not reported",
      before: site(THREE),
      after: withLocation(
        "        location /check {\n            proxy_pass http://$backend/health.php;\n        }",
      ),
      expect: [],
    },
    {
      name: "fastcgi_pass to a cookie-chosen host is high",
      before: site(THREE),
      after: withLocation(
        "        location ~ \\.php$ {\n            fastcgi_pass $cookie_node:9000;\n        }",
      ),
      expect: [
        {
          severity: "high",
          line: "fastcgi_pass $cookie_node:9000;",
          phrase: /fastcgi_pass .* connects to the host named by \$cookie_node/,
        },
      ],
    },
  ],
});
