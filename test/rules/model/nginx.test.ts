import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { parseNginx } from "../../../src/formats/nginx.js";
import type { TreeNode } from "../../../src/formats/tree.js";
import type { Affinity } from "../../../src/rules/model/affinity.js";
import type { Figure } from "../../../src/rules/model/figures.js";
import type { HealthCheck } from "../../../src/rules/model/health-check.js";
import { nginxModel } from "../../../src/rules/model/nginx/entities.js";
import type { Finding } from "../../../src/rules/types.js";

function tree(source: string): TreeNode {
  const result = parseNginx(source);
  if (!result.ok) throw new Error(`expected nginx, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const checks = (source: string): HealthCheck[] => nginxModel.healthChecks!(tree(source));
const affinities = (source: string): Affinity[] => nginxModel.affinities!(tree(source));

/** A figure as `value@line`, `value*@line` when it is nginx's default: compact for table rows. */
const fig = (figure: Figure | undefined): string =>
  figure === undefined ? "-" : `${figure.value}${figure.explicit ? "" : "*"}@${figure.line}`;

/** key (provider): interval × fails (passes) → eject */
const row = (check: HealthCheck): string =>
  `${check.key}@${check.line} ${check.provider}: interval ${fig(check.intervalSeconds)} ` +
  `fails ${fig(check.unhealthyThreshold)} passes ${fig(check.healthyThreshold)} → ${check.ejectAfterSeconds ?? "-"}`;

const affinityRow = (affinity: Affinity): string =>
  `${affinity.key}@${affinity.line}: ${affinity.enabled ? "on" : "off"} ${affinity.mode ?? "-"}` +
  `${affinity.cookieName ? ` cookie=${affinity.cookieName}` : ""}` +
  `${affinity.durationSeconds ? ` for ${fig(affinity.durationSeconds)}` : ""}`;

describe("nginxModel.healthChecks: passive (open source)", () => {
  it.each([
    [
      "max_fails per server, default 1; 0 and down servers are not checked",
      `http {
  upstream app {
    server 10.0.0.1:8080 max_fails=3 fail_timeout=30s;
    server 10.0.0.2:8080;
    server 10.0.0.3:8080 max_fails=0;
    server 10.0.0.4:8080 down;
    server 10.0.0.5:8080 backup max_fails=2;
  }
}`,
      [
        "upstream:app/server:10.0.0.1:8080@3 nginx: interval - fails 3@3 passes - → 60",
        "upstream:app/server:10.0.0.2:8080@4 nginx: interval - fails 1*@4 passes - → 60",
        "upstream:app/server:10.0.0.5:8080@7 nginx: interval - fails 2@7 passes - → 60",
      ],
    ],
    [
      "a single literal server ignores max_fails; a single host name may resolve to several",
      `upstream one { server 10.0.0.1:8080 max_fails=3; }
upstream sock { server unix:/run/app.sock; }
upstream named { server app.internal:8080 max_fails=2; }`,
      ["upstream:named/server:app.internal:8080@3 nginx: interval - fails 2@3 passes - → 60"],
    ],
    [
      "stream upstreams have their own key space",
      "stream { upstream db { server 10.0.0.1:5432; server 10.0.0.2:5432 max_fails=2; } }",
      [
        "stream/upstream:db/server:10.0.0.1:5432@1 nginx: interval - fails 1*@1 passes - → 60",
        "stream/upstream:db/server:10.0.0.2:5432@1 nginx: interval - fails 2@1 passes - → 60",
      ],
    ],
  ])("%s", (_name, source, expected) => {
    expect(checks(source).map(row)).toEqual(expected);
  });

  it("labels and paths name the server and its upstream", () => {
    expect(checks("http { upstream app { server a:80; server b:80; } }")[0]).toMatchObject({
      label: "server a:80 of upstream app",
      path: "http.upstream.app.server.a:80",
      timeoutRule: "none",
    });
  });
});

describe("nginxModel.healthChecks: NGINX Plus health_check", () => {
  it.each([
    [
      "defaults interval 5 s, fails 1, passes 1 in the location that proxies to the upstream",
      `http {
  upstream app { zone app 64k; server app.internal:80 resolve; }
  server {
    location / {
      proxy_pass http://app/;
      health_check;
    }
  }
}`,
      [
        "upstream:app/server:app.internal:80@2 nginx: interval - fails 1*@2 passes - → 60",
        "upstream:app/health_check@6 nginx-plus: interval 5*@6 fails 1*@6 passes 1*@6 → 5",
      ],
    ],
    [
      "explicit parameters; an upstream defined in another file; a variable target is skipped",
      `server {
  location /api/ {
    proxy_pass http://api;
    health_check interval=10 fails=3 passes=2 uri=/health match=ok;
  }
  location /dyn/ {
    proxy_pass http://$upstream_host;
    health_check;
  }
}`,
      ["upstream:api/health_check@4 nginx-plus: interval 10@4 fails 3@4 passes 2@4 → 30"],
    ],
    [
      "stream server blocks and a second check of one upstream",
      `stream {
  server { listen 5432; proxy_pass db; health_check interval=2s; }
  server { listen 5433; proxy_pass db; health_check fails=2; }
}`,
      [
        "stream/upstream:db/health_check@2 nginx-plus: interval 2@2 fails 1*@2 passes 1*@2 → 2",
        "stream/upstream:db/health_check#2@3 nginx-plus: interval 5*@3 fails 2@3 passes 1*@3 → 10",
      ],
    ],
  ])("%s", (_name, source, expected) => {
    expect(checks(source).map(row)).toEqual(expected);
  });
});

describe("nginxModel.affinities", () => {
  it.each([
    [
      "ip_hash, hash with its key and flag, none",
      `upstream a { ip_hash; server x:80; }
upstream b { hash $request_uri consistent; server x:80; }
upstream c { least_conn; server x:80; }`,
      [
        "upstream:a@1: on ip_hash",
        "upstream:b@2: on hash $request_uri consistent",
        "upstream:c@3: off least_conn",
      ],
    ],
    [
      "sticky cookie with expires (nginx time), without (session cookie) and max",
      `upstream a { sticky cookie srv_id expires=1h domain=.example.com path=/; server x:80; }
upstream b { sticky cookie srv_id; server x:80; }
upstream c { hash $remote_addr; sticky cookie srv expires=max; server x:80; }`,
      [
        "upstream:a@1: on sticky cookie cookie=srv_id for 3600@1",
        "upstream:b@2: on sticky cookie cookie=srv_id",
        "upstream:c@3: on sticky cookie cookie=srv for 315360000@3",
      ],
    ],
    [
      "sticky route, sticky learn (timeout 10 min by default) and the third-party sticky module",
      `upstream a { sticky route $route_cookie $route_uri; server x:80 route=a; }
upstream b { sticky learn create=$upstream_cookie_examplecookie lookup=$cookie_examplecookie zone=client_sessions:1m; server x:80; }
upstream c { sticky name=srv expires=2h; server x:80; }`,
      [
        "upstream:a@1: on sticky route",
        "upstream:b@2: on sticky learn cookie=examplecookie for 600*@2",
        "upstream:c@3: on sticky cookie=srv for 7200@3",
      ],
    ],
  ])("%s", (_name, source, expected) => {
    expect(affinities(source).map(affinityRow)).toEqual(expected);
  });
});

function run(before: string, after: string): Finding[] {
  return analyze([{ path: "nginx.conf", before, after }]).findings.filter((finding) =>
    finding.rule.startsWith("lb."),
  );
}
const brief = (finding: Finding): string => `${finding.rule}:${finding.severity}@${finding.line}`;

const SITE = `user nginx;
events { worker_connections 1024; }
http {
    upstream app {
        ip_hash;
        server 10.0.0.1:8080 max_fails=3 fail_timeout=10s weight=2;
        server 10.0.0.2:8080 max_fails=3 fail_timeout=10s;
    }

    upstream shop {
        zone shop 64k;
        sticky cookie srv_id expires=1h;
        server 10.0.1.1:8080;
        server 10.0.1.2:8080;
    }

    server {
        listen 80;
        location / {
            proxy_pass http://app;
        }
        location /shop/ {
            proxy_pass http://shop;
            health_check interval=10 fails=3;
        }
    }
}
`;

describe("nginx end to end through analyze()", () => {
  it("fires detection-too-fast (medium) when max_fails drops to 1, for that server only", () => {
    const findings = run(
      SITE,
      SITE.replace("10.0.0.1:8080 max_fails=3", "10.0.0.1:8080 max_fails=1"),
    );
    expect(findings.map(brief)).toEqual(["lb.health-check.detection-too-fast:medium@6"]);
    expect(findings[0]!.message).toContain("server 10.0.0.1:8080 of upstream app");
    expect(findings[0]!.message).toContain("a single failed request");
    expect(findings[0]!.figures).toMatchObject({ unhealthyThreshold: 1 });
  });

  it("fires detection-too-fast (high) on a Plus health_check made aggressive", () => {
    const findings = run(SITE, SITE.replace("interval=10 fails=3", "interval=1 fails=2"));
    expect(findings.map(brief)).toEqual(["lb.health-check.detection-too-fast:high@24"]);
    expect(findings[0]!.message).toBe(
      "health check of upstream shop ejects a failing target after 2 s instead of 30 s (1 s × 2, was 10 s × 3): below the 20 s floor, 93% sooner. Safe: keep ejection ≥ 20 s, e.g. interval 7 s × unhealthy threshold 3.",
    );
  });

  it("a removed hash shows what balancing replaces it: hash … consistent → round robin", () => {
    const upstream = (method: string) =>
      `http {\n  upstream app {\n${method}    server 10.0.0.1:80;\n    server 10.0.0.2:80;\n  }\n}\n`;
    const removed = run(upstream("    hash $remote_addr consistent;\n"), upstream(""));
    expect(removed).toMatchObject([
      {
        rule: "lb.stickiness.disabled",
        before: "hash $remote_addr consistent",
        after: "round robin",
      },
    ]);
    const leastConn = run(upstream("    ip_hash;\n"), upstream("    least_conn;\n"));
    expect(leastConn).toMatchObject([{ before: "ip_hash", after: "least_conn" }]);
  });

  it.each([
    ["ip_hash removed", "        ip_hash;\n", "", ["lb.stickiness.disabled:high@4"]],
    [
      "sticky cookie expires=1h → 1m",
      "expires=1h",
      "expires=1m",
      ["lb.stickiness.duration-cut:high@12"],
    ],
    [
      "sticky cookie renamed",
      "sticky cookie srv_id",
      "sticky cookie route_id",
      ["lb.stickiness.changed:high@12"],
    ],
    [
      "ip_hash → hash",
      "ip_hash;",
      "hash $remote_addr consistent;",
      ["lb.stickiness.changed:high@5"],
    ],
  ])("stickiness: %s", (_name, from, to, expected) => {
    expect(run(SITE, SITE.replace(from, to)).map(brief)).toEqual(expected);
  });

  it.each([
    ["a weight change", SITE.replace("weight=2", "weight=5")],
    [
      "a fail_timeout change (not an eject time, see the model)",
      SITE.replace(/fail_timeout=10s/g, "fail_timeout=30s"),
    ],
    ["max_fails=3 → 2", SITE.replace("10.0.0.1:8080 max_fails=3", "10.0.0.1:8080 max_fails=2")],
    ["expires=1h → 45m (not a cut to half)", SITE.replace("expires=1h", "expires=45m")],
    ["comments and reformatting", SITE.replace(/;\n/g, "; # note\n").replace(/ {4}/g, "\t")],
    [
      "a new location",
      SITE.replace("    server {\n", "    server {\n        location /status { stub_status; }\n"),
    ],
  ])("does not fire on %s", (_name, after) => {
    expect(run(SITE, after).map(brief)).toEqual([]);
  });
});
