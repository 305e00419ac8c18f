import { HAPROXY_RULES } from "../../src/rules/haproxy/index.js";
import { describeFamily, type ExpectedCase } from "./table.js";

const DEFAULTS = `defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
`;

/** A config with one backend `app`; `body` holds its indented lines (servers, options). */
const config = (body: string, defaults = DEFAULTS): string => `${defaults}
frontend www
  bind :80
  default_backend app

backend app
${body}`;

const servers = (...lines: string[]): string => lines.map((line) => `  ${line}\n`).join("");

const THREE = servers(
  "server web1 10.0.0.1:80 check",
  "server web2 10.0.0.2:80 check",
  "server web3 10.0.0.3:80 check",
);

const CASES: Readonly<Record<string, readonly ExpectedCase[]>> = {
  "haproxy.server.removed": [
    {
      name: "a third of the servers removed is high (before-side line)",
      before: config(THREE),
      after: config(servers("server web1 10.0.0.1:80 check", "server web2 10.0.0.2:80 check")),
      expected: [
        { severity: "high", line: 14, phrase: "loses 1 of its 3 active servers (web3), 33%" },
      ],
    },
    {
      name: "one of four is medium",
      before: config(THREE + servers("server web4 10.0.0.4:80 check")),
      after: config(THREE),
      expected: [{ severity: "medium", line: 15, phrase: "loses 1 of its 4 active servers" }],
    },
    {
      name: "a server renamed at the same address is not a removal",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check",
          "server web2 10.0.0.2:80 check",
          "server app3 10.0.0.3:80 check",
        ),
      ),
      expected: [],
    },
    {
      name: "a server replaced by a new one keeps the capacity",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check",
          "server web2 10.0.0.2:80 check",
          "server web4 10.0.0.4:80 check",
        ),
      ),
      expected: [],
    },
    {
      name: "the last backup removed is medium",
      before: config(THREE + servers("server spare 10.0.0.9:80 check backup")),
      after: config(THREE),
      expected: [{ severity: "medium", line: 15, phrase: "loses its last backup server" }],
    },
  ],
  "haproxy.server.disabled": [
    {
      name: "weight 0 on one server of three is high and mentions sticky traffic",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check weight 0",
        ),
      ),
      expected: [
        {
          severity: "high",
          line: 14,
          phrase:
            "(web3 weight 0), 33% of its capacity; 2 active servers remain. A server with weight 0 still receives sessions pinned",
        },
      ],
    },
    {
      name: "one disabled server of five is medium",
      before: config(
        servers(
          "server a 10.0.0.1:80",
          "server b 10.0.0.2:80",
          "server c 10.0.0.3:80",
          "server d 10.0.0.4:80",
          "server e 10.0.0.5:80",
        ),
      ),
      after: config(
        servers(
          "server a 10.0.0.1:80 disabled",
          "server b 10.0.0.2:80",
          "server c 10.0.0.3:80",
          "server d 10.0.0.4:80",
          "server e 10.0.0.5:80",
        ),
      ),
      expected: [{ severity: "medium", line: 12, phrase: "takes 1 server of 5 out of rotation" }],
    },
    {
      name: "a weight change that keeps the server in rotation does not fire",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check weight 50",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check",
        ),
      ),
      expected: [],
    },
  ],
  "haproxy.health-check.removed": [
    {
      name: "check removed from a server is high",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check",
        ),
      ),
      expected: [{ severity: "high", line: 12, phrase: "no longer health-checks 1 server (web1)" }],
    },
    {
      name: "check moved from the server lines to default-server is no change",
      before: config(THREE),
      after: config(
        servers(
          "default-server check",
          "server web1 10.0.0.1:80",
          "server web2 10.0.0.2:80",
          "server web3 10.0.0.3:80",
        ),
      ),
      expected: [],
    },
  ],
  "haproxy.default-server.changed": [
    {
      name: "an edit reaching three servers is medium and counts them",
      before: config(servers("default-server inter 2s") + THREE),
      after: config(servers("default-server inter 5s") + THREE),
      expected: [
        { severity: "medium", line: 12, phrase: "changes inter 2s → 5s: it applies to 3 servers" },
      ],
    },
    {
      name: "a defaults-section edit counts the servers of every backend that inherits it",
      before: `defaults\n  default-server fall 3\nbackend a\n  server a1 10.0.0.1:80 check\nbackend b\n  server b1 10.0.0.2:80 check\n`,
      after: `defaults\n  default-server fall 2\nbackend a\n  server a1 10.0.0.1:80 check\nbackend b\n  server b1 10.0.0.2:80 check\n`,
      expected: [{ severity: "medium", line: 2, phrase: "2 servers in 2 sections" }],
    },
    {
      name: "a connection-pool tweak stays low however many servers it reaches",
      before: config(servers("default-server pool-max-conn 10") + THREE),
      after: config(servers("default-server pool-max-conn 100") + THREE),
      expected: [
        { severity: "low", line: 12, phrase: "pool-max-conn 10 → 100: it applies to 3 servers" },
      ],
    },
    {
      name: "an edit every server overrides reaches no server",
      before: config(servers("default-server inter 2s", "server web1 10.0.0.1:80 check inter 1s")),
      after: config(servers("default-server inter 5s", "server web1 10.0.0.1:80 check inter 1s")),
      expected: [],
    },
  ],
  "haproxy.balance.changed": [
    {
      name: "roundrobin → first with no maxconn sends everything to one server: high",
      before: config(servers("balance roundrobin") + THREE),
      after: config(servers("balance first") + THREE),
      expected: [{ severity: "high", line: 12, phrase: "every request goes to the first server" }],
    },
    {
      name: "roundrobin → leastconn is low",
      before: config(servers("balance roundrobin") + THREE),
      after: config(servers("balance leastconn") + THREE),
      expected: [
        { severity: "low", line: 12, phrase: "balances with leastconn instead of roundrobin" },
      ],
    },
    {
      name: "moving to a hashing algorithm is an affinity change, left to lb.stickiness",
      before: config(servers("balance roundrobin") + THREE),
      after: config(servers("balance source") + THREE),
      expected: [],
    },
  ],
  "haproxy.cookie.server-value-changed": [
    {
      name: "a server's cookie value changed under cookie persistence",
      before: config(
        servers(
          "cookie SRV insert indirect nocache",
          "server web1 10.0.0.1:80 check cookie w1",
          "server web2 10.0.0.2:80 check cookie w2",
          "server web3 10.0.0.3:80 check cookie w3",
        ),
      ),
      after: config(
        servers(
          "cookie SRV insert indirect nocache",
          "server web1 10.0.0.1:80 check cookie s1",
          "server web2 10.0.0.2:80 check cookie w2",
          "server web3 10.0.0.3:80 check cookie w3",
        ),
      ),
      expected: [
        { severity: "high", line: 13, phrase: "SRV cookie value of 1 server (web1 w1 → s1)" },
      ],
    },
    {
      name: "a new server with its own value does not fire",
      before: config(servers("cookie SRV insert", "server web1 10.0.0.1:80 check cookie w1")),
      after: config(
        servers(
          "cookie SRV insert",
          "server web1 10.0.0.1:80 check cookie w1",
          "server web2 10.0.0.2:80 check cookie w2",
        ),
      ),
      expected: [],
    },
  ],
  "haproxy.maxconn.cut": [
    {
      name: "server maxconn cut by more than half names the queue timeout",
      before: config(servers("timeout queue 10s", "server web1 10.0.0.1:80 check maxconn 200")),
      after: config(servers("timeout queue 10s", "server web1 10.0.0.1:80 check maxconn 50")),
      expected: [{ severity: "high", line: 13, phrase: "from 200 to 50 (−75%)" }],
    },
    {
      name: "a limit set where there was none is medium",
      before: config(servers("server web1 10.0.0.1:80 check")),
      after: config(servers("server web1 10.0.0.1:80 check maxconn 100")),
      expected: [{ severity: "medium", line: 12, phrase: "a 503 after 5 s in the queue" }],
    },
    {
      name: "global maxconn cut",
      before: `global\n  maxconn 50000\n${config(THREE)}`,
      after: `global\n  maxconn 2000\n${config(THREE)}`,
      expected: [{ severity: "high", line: 2, phrase: "global maxconn cut from 50000 to 2000" }],
    },
    {
      name: "a cut by less than half does not fire",
      before: config(servers("server web1 10.0.0.1:80 check maxconn 200")),
      after: config(servers("server web1 10.0.0.1:80 check maxconn 150")),
      expected: [],
    },
  ],
  "haproxy.timeout.cut": [
    {
      name: "timeout server cut from 30 s to 5 s",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 5s")),
      expected: [{ severity: "medium", line: 5, phrase: "cut from 30 s to 5 s for 1 proxy" }],
    },
    {
      name: "timeouts removed from defaults become infinite (before-side line)",
      before: config(THREE),
      after: config(THREE, "defaults\n  mode http\n  timeout connect 5s\n"),
      expected: [
        {
          severity: "high",
          line: 4,
          phrase: "no longer sets timeout client (was 30 s), timeout server (was 30 s)",
        },
      ],
    },
    {
      name: "a backend's own timeout removed falls back to the defaults one: no finding",
      before: config(servers("timeout server 30s") + THREE),
      after: config(THREE),
      expected: [],
    },
    {
      name: "a cut by less than half does not fire",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 20s")),
      expected: [],
    },
  ],
  "haproxy.timeout-check.at-or-above-server": [
    {
      name: "timeout check raised to the server timeout",
      before: config(servers("timeout check 2s") + THREE),
      after: config(servers("timeout check 30s") + THREE),
      expected: [
        { severity: "low", line: 12, phrase: "waits 30 s for a health check but only 30 s" },
      ],
    },
    {
      name: "a check timeout below the server timeout does not fire",
      before: config(servers("timeout check 2s") + THREE),
      after: config(servers("timeout check 10s") + THREE),
      expected: [],
    },
  ],
  "haproxy.httpchk.changed": [
    {
      name: "the check URI changes on a checked farm: high",
      before: config(servers("option httpchk GET /health") + THREE),
      after: config(servers("option httpchk GET /healthz") + THREE),
      expected: [
        { severity: "high", line: 12, phrase: "check request GET /health → GET /healthz" },
      ],
    },
    {
      name: "a stricter expectation is high",
      before: config(servers("option httpchk GET /health") + THREE),
      after: config(servers("option httpchk GET /health", "http-check expect status 200") + THREE),
      expected: [{ severity: "high", line: 12, phrase: "http-check added: expect status 200" }],
    },
    {
      name: "turning HTTP checks off is medium",
      before: config(servers("option httpchk GET /health") + THREE),
      after: config(THREE),
      expected: [{ severity: "medium", line: 12, phrase: "fall back to a TCP connect" }],
    },
    {
      name: "no checked server: the option is inert",
      before: config(servers("option httpchk GET /health", "server web1 10.0.0.1:80")),
      after: config(servers("option httpchk GET /ready", "server web1 10.0.0.1:80")),
      expected: [],
    },
  ],
  "haproxy.on-marked-down.shutdown-sessions": [
    {
      name: "turned on through default-server",
      before: config(THREE),
      after: config(servers("default-server on-marked-down shutdown-sessions") + THREE),
      expected: [
        { severity: "medium", line: 12, phrase: "kills the open connections of 3 servers" },
      ],
    },
    {
      name: "mark-down without shutdown does not fire",
      before: config(THREE),
      after: config(servers("default-server on-marked-up shutdown-backup-sessions") + THREE),
      expected: [],
    },
  ],
  "haproxy.duration.unit-suspect": [
    {
      name: "timeout server 30 is 30 ms: high",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 30")),
      expected: [{ severity: "high", line: 5, phrase: "reads as 30 ms, not 30 s" }],
    },
    {
      name: "inter 5 on a server is medium",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check inter 5",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check",
        ),
      ),
      expected: [
        { severity: "medium", line: 12, phrase: "inter of server web1 of backend app is 5" },
      ],
    },
    {
      name: "bare milliseconds at a realistic size do not fire",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 30000")),
      expected: [],
    },
  ],
};

describeFamily({
  family: "haproxy",
  rules: HAPROXY_RULES,
  minRules: 5,
  path: "haproxy.cfg",
  cases: CASES,
});
