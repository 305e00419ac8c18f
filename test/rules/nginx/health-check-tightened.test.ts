import healthCheckTightened from "../../../src/rules/nginx/health-check-tightened.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE } from "./builders.js";

/** An http block with a `match ok` block (its `conditions`), an upstream `app` and a location checking it. */
const plus = (check: string, conditions = "            status 200;", location = "/") => `http {
    match ok {
${conditions}
    }
    upstream app {
${THREE}
    }
    server {
        listen 80;
        location ${location} {
            proxy_pass http://app;
            health_check ${check};
        }
    }
}
`;
/** The same in `stream` (TCP checks: port and match, no uri). */
const stream = (check: string, conditions = '            expect ~ "OK";') => `stream {
    match ok {
${conditions}
    }
    upstream db {
        server 10.0.0.1:5432;
        server 10.0.0.2:5432;
    }
    server {
        listen 5432;
        proxy_pass db;
        health_check ${check};
    }
}
`;

ruleTable(healthCheckTightened, {
  path: NGINX_PATH,
  cases: [
    {
      name: "the match block gains a header condition: stricter",
      before: plus("match=ok"),
      after: plus(
        "match=ok",
        "            status 200;\n            header Content-Type = text/html;",
      ),
      expect: [
        {
          severity: "high",
          line: "health_check match=ok",
          phrase:
            /now also requires `header Content-Type = text\/html` \(match ok\).*Safe: keep the match conditions/,
        },
      ],
    },
    {
      name: "a condition removed from the match block is looser",
      before: plus("match=ok", "            status 200;\n            body ~ Hello;"),
      after: plus("match=ok"),
      expect: [],
    },
    {
      name: "uri=/service dropped for the default / (the check moved to another location): a new path",
      before: plus("match=ok uri=/service", undefined, "/service"),
      after: plus("match=ok"),
      expect: [
        {
          severity: "high",
          line: "health_check match=ok",
          phrase: "now requests / (the default) instead of /service",
        },
      ],
    },
    {
      name: "a new uri, with the fix putting the old one back",
      before: plus("uri=/healthz"),
      after: plus("uri=/ready"),
      expect: [
        { severity: "high", line: "health_check uri=/ready", phrase: "Safe: keep `uri=/healthz`" },
      ],
    },
    {
      name: "the interval changed only (another rule's)",
      before: plus("uri=/healthz"),
      after: plus("uri=/healthz interval=10s"),
      expect: [],
    },
    {
      name: "stream: the check moved to another port",
      before: stream("match=ok"),
      after: stream("match=ok port=9000"),
      expect: [
        {
          severity: "high",
          line: "health_check match=ok port=9000",
          phrase: "now checks port 9000",
        },
      ],
    },
    {
      name: "stream: the same check reformatted",
      before: stream("match=ok port=9000"),
      after: stream("match=ok   port=9000"),
      expect: [],
    },
  ],
});
