import evaluationOrderChanged from "../../../src/rules/traefik/evaluation-order-changed.js";
import { ruleTable } from "../rule-table.js";
import { TRAEFIK_PATH } from "./builders.js";

/** Router `shop` with the given middlewares, and definitions of `auth` (basicAuth), `strip` and `headers`. */
const dynamic = (middlewares: string[]): string => `http:
  routers:
    shop:
      rule: Host(\`shop.example.com\`)
      service: shop
      middlewares:
${middlewares.map((name) => `        - ${name}`).join("\n")}
  middlewares:
    auth:
      basicAuth:
        users: ["admin:$apr1$x$y"]
    strip:
      stripPrefix:
        prefixes: ["/shop"]
    headers:
      headers:
        customRequestHeaders: { X-Shop: "1" }
  services:
    shop:
      loadBalancer:
        servers:
        - url: http://10.0.0.1:80
        - url: http://10.0.0.2:80
`;

ruleTable(evaluationOrderChanged, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "stripPrefix moved ahead of basic auth: high",
      before: dynamic(["auth", "strip"]),
      after: dynamic(["strip", "auth"]),
      expect: [
        {
          severity: "high",
          line: "- strip",
          phrase:
            /http\.routers\.shop: middleware "strip" \(line 7\) now runs before "auth".*guards access/,
        },
      ],
    },
    {
      name: "two middlewares defined elsewhere: high, what they guard cannot be seen",
      before: dynamic(["ratelimit@file", "auth-sso@docker"]),
      after: dynamic(["auth-sso@docker", "ratelimit@file"]),
      expect: [
        { severity: "high", line: "- auth-sso@docker", phrase: "defined outside this file" },
      ],
    },
    {
      name: "headers and stripPrefix swapped: medium",
      before: dynamic(["strip", "headers"]),
      after: dynamic(["headers", "strip"]),
      expect: [
        { severity: "medium", line: "- headers", phrase: "middlewares run in the order listed." },
      ],
    },
    {
      name: "three rotated: the first pair moved does not guard access, but auth moved ahead of headers: high",
      before: dynamic(["strip", "headers", "auth"]),
      after: dynamic(["headers", "auth", "strip"]),
      expect: [
        {
          severity: "high",
          line: "- headers",
          phrase: /; "auth", which guards access, also changed place\./,
        },
      ],
    },
    {
      name: "only middlewares known to do something else changed place: medium",
      before: dynamic(["strip", "headers", "auth"]),
      after: dynamic(["headers", "strip", "auth"]),
      expect: [
        { severity: "medium", line: "- headers", phrase: "middlewares run in the order listed." },
      ],
    },
    {
      name: "a middleware appended: the ones kept run in the same order",
      before: dynamic(["auth", "strip"]),
      after: dynamic(["auth", "strip", "headers"]),
      expect: [],
    },
    {
      name: "servers reordered: a pool has no order",
      before: dynamic(["auth", "strip"]),
      after: dynamic(["auth", "strip"]).replace(
        "- url: http://10.0.0.1:80\n        - url: http://10.0.0.2:80",
        "- url: http://10.0.0.2:80\n        - url: http://10.0.0.1:80",
      ),
      expect: [],
    },
  ],
});
