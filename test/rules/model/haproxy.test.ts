import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { parseHaproxy } from "../../../src/formats/haproxy.js";
import type { TreeNode } from "../../../src/formats/tree.js";
import type { Affinity } from "../../../src/rules/model/affinity.js";
import type { Figure } from "../../../src/rules/model/figures.js";
import { haproxyModel } from "../../../src/rules/model/haproxy/entities.js";
import type { HealthCheck } from "../../../src/rules/model/health-check.js";
import type { Finding } from "../../../src/rules/types.js";

function tree(source: string): TreeNode {
  const result = parseHaproxy(source);
  if (!result.ok) throw new Error(`expected HAProxy, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const checks = (source: string): HealthCheck[] => haproxyModel.healthChecks!(tree(source));
const affinities = (source: string): Affinity[] => haproxyModel.affinities!(tree(source));

/** A figure as `value@line`, `value*@line` when it is HAProxy's default: compact for table rows. */
const fig = (figure: Figure | undefined): string =>
  figure === undefined ? "-" : `${figure.value}${figure.explicit ? "" : "*"}@${figure.line}`;

/** key: inter fall rise timeout → eject */
const row = (check: HealthCheck): string =>
  `${check.key}@${check.line}: inter ${fig(check.intervalSeconds)} fall ${fig(check.unhealthyThreshold)} ` +
  `rise ${fig(check.healthyThreshold)} timeout ${fig(check.timeoutSeconds)} → ${check.ejectAfterSeconds ?? "-"}`;

const affinityRow = (affinity: Affinity): string =>
  `${affinity.key}@${affinity.line}: ${affinity.enabled ? "on" : "off"} ${affinity.mode ?? "-"}` +
  `${affinity.cookieName ? ` cookie=${affinity.cookieName}` : ""}` +
  `${affinity.durationSeconds ? ` for ${fig(affinity.durationSeconds)}` : ""}`;

describe("haproxyModel.healthChecks", () => {
  it.each([
    [
      "explicit server params, in seconds and bare milliseconds",
      `backend app
  server web1 10.0.0.1:80 check inter 10s fall 3 rise 5
  server web2 10.0.0.2:80 check inter 500 fall 2
`,
      [
        "backend:app/server:web1@2: inter 10@2 fall 3@2 rise 5@2 timeout - → 30",
        "backend:app/server:web2@3: inter 0.5@3 fall 2@3 rise 2*@3 timeout - → 1",
      ],
    ],
    [
      "HAProxy defaults (inter 2 s, fall 3, rise 2) on the server line",
      "backend app\n  server web1 10.0.0.1:80 check\n",
      ["backend:app/server:web1@2: inter 2*@2 fall 3*@2 rise 2*@2 timeout - → 6"],
    ],
    [
      "fastinter counts for every failure after the first",
      "backend app\n  server web1 10.0.0.1:80 check inter 10s fastinter 1s fall 3\n",
      ["backend:app/server:web1@2: inter 10@2 fall 3@2 rise 2*@2 timeout - → 12"],
    ],
    [
      "no check, no-check over default-server check, and default-server check",
      `backend app
  server plain 10.0.0.1:80 inter 1s
  default-server check
  server opted-out 10.0.0.2:80 no-check
  server checked 10.0.0.3:80
`,
      ["backend:app/server:checked@5: inter 2*@5 fall 3*@5 rise 2*@5 timeout - → 6"],
    ],
    [
      "check turned on by the defaults section's default-server",
      "defaults\n  default-server check inter 3s\nbackend app\n  server a 10.0.0.1:80\n",
      ["backend:app/server:a@4: inter 3@2 fall 3*@4 rise 2*@4 timeout - → 9"],
    ],
    [
      "server > section default-server > defaults default-server > HAProxy default",
      `defaults
  timeout check 2s
  default-server inter 5s fall 4 rise 3
backend app
  default-server fall 2
  server own 10.0.0.1:80 check inter 1s
  server inherited 10.0.0.2:80 check
`,
      [
        "backend:app/server:own@6: inter 1@6 fall 2@5 rise 3@3 timeout 2@2 → 2",
        "backend:app/server:inherited@7: inter 5@3 fall 2@5 rise 3@3 timeout 2@2 → 10",
      ],
    ],
    [
      "a section's default-server applies only to the servers below it",
      `backend app
  server before 10.0.0.1:80 check
  default-server inter 4s
  server after 10.0.0.2:80 check
`,
      [
        "backend:app/server:before@2: inter 2*@2 fall 3*@2 rise 2*@2 timeout - → 6",
        "backend:app/server:after@4: inter 4@3 fall 3*@4 rise 2*@4 timeout - → 12",
      ],
    ],
    [
      "each proxy inherits the last defaults section above it; a proxy's timeout check wins",
      `defaults
  default-server inter 3s
backend first
  server a 10.0.0.1:80 check
defaults
  timeout check 1s
backend second
  timeout check 500ms
  server b 10.0.0.2:80 check
listen third
  server c 10.0.0.3:80 check
`,
      [
        "backend:first/server:a@4: inter 3@2 fall 3*@4 rise 2*@4 timeout - → 9",
        "backend:second/server:b@9: inter 2*@9 fall 3*@9 rise 2*@9 timeout 0.5@8 → 6",
        "listen:third/server:c@11: inter 2*@11 fall 3*@11 rise 2*@11 timeout 1@6 → 6",
      ],
    ],
    [
      "named defaults chosen with from, chained through another defaults' from",
      `defaults base
  default-server fall 5
defaults fast from base
  default-server inter 1s
defaults slow
  default-server inter 30s
backend app from fast
  server a 10.0.0.1:80 check
backend other
  server b 10.0.0.2:80 check
`,
      [
        "backend:app/server:a@8: inter 1@4 fall 5@2 rise 2*@8 timeout - → 5",
        "backend:other/server:b@10: inter 30@6 fall 3*@10 rise 2*@10 timeout - → 90",
      ],
    ],
    [
      "server-template and an unreadable value",
      `backend app
  server-template web 3 web.service.consul:80 check inter 3s
  server odd 10.0.0.1:80 check inter soon
`,
      [
        "backend:app/server:odd@3: inter - fall 3*@3 rise 2*@3 timeout - → -",
        "backend:app/server-template:web@2: inter 3@2 fall 3*@2 rise 2*@2 timeout - → 9",
      ],
    ],
  ])("%s", (_name, source, expected) => {
    expect(checks(source).map(row).sort()).toEqual([...expected].sort());
  });

  it("labels and paths name the server and its proxy", () => {
    const [check] = checks("listen web\n  server s1 10.0.0.1:80 check\n");
    expect(check).toMatchObject({
      label: "server s1 of listen web",
      path: "listen.web.server.s1",
      provider: "haproxy",
      timeoutRule: "below-interval",
    });
  });
});

describe("haproxyModel.affinities", () => {
  it.each([
    [
      "cookie with its name and lifetime (maxlife first, seconds by default)",
      "backend app\n  balance source\n  cookie SERVERID insert indirect nocache maxidle 30m maxlife 7200\n",
      ["backend:app@3: on cookie cookie=SERVERID for 7200@3"],
    ],
    [
      "cookie inherited from defaults, session cookie without lifetime",
      "defaults\n  cookie SRV insert\nbackend app\n  server a 10.0.0.1:80 cookie a\n",
      ["backend:app@2: on cookie cookie=SRV"],
    ],
    [
      "stick on with its table's expiry (milliseconds by default)",
      "backend app\n  stick-table type ip size 1m expire 30m\n  stick on src\nlisten l\n  stick-table type ip size 1m expire 60000\n  stick match src\n",
      ["backend:app@3: on stick on src for 1800@2", "listen:l@6: on stick match src for 60@5"],
    ],
    [
      "stick on another proxy's table; a stick-table without stick rules only counts",
      `backend tables
  stick-table type ip size 1m expire 1h
backend app
  stick on src table tables
backend limiter
  stick-table type ip size 100k expire 10s store http_req_rate(10s)
  http-request track-sc0 src
`,
      [
        "backend:tables@1: off -",
        "backend:app@4: on stick on src for 3600@2",
        "backend:limiter@5: off -",
      ],
    ],
    [
      "keyed balance algorithms, with a non-default hash-type",
      `backend a
  balance source
backend b
  balance uri whole
backend c
  balance hdr(host)
  hash-type consistent
backend d
  balance url_param userid
backend e
  balance roundrobin
backend f
  mode http
`,
      [
        "backend:a@2: on balance source",
        "backend:b@4: on balance uri whole",
        "backend:c@6: on balance hdr(host) (hash-type consistent)",
        "backend:d@9: on balance url_param userid",
        "backend:e@11: off balance roundrobin",
        "backend:f@12: off -",
      ],
    ],
  ])("%s", (_name, source, expected) => {
    expect(affinities(source).map(affinityRow)).toEqual(expected);
  });
});

/** The findings of one before/after pair of haproxy.cfg, as `rule:severity@line`. */
function run(before: string, after: string): Finding[] {
  return analyze([{ path: "haproxy.cfg", before, after }]).findings.filter((finding) =>
    finding.rule.startsWith("lb."),
  );
}
const brief = (finding: Finding): string => `${finding.rule}:${finding.severity}@${finding.line}`;

const SITE = `global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    default-server inter 10s fall 3 rise 2

backend app
    balance roundrobin
    cookie SERVERID insert indirect nocache
    option httpchk GET /health
    server web1 10.0.0.1:8080 check cookie w1 weight 10
    server web2 10.0.0.2:8080 check cookie w2 weight 10
    server web3 10.0.0.3:8080 check cookie w3 inter 5s

backend static
    balance source
    server s1 10.0.1.1:80 check inter 10s fall 3
`;

describe("HAProxy end to end through analyze()", () => {
  it("fires detection-too-fast on inter 10s fall 3 → inter 1s fall 2, at the server line with the figures", () => {
    const findings = run(
      SITE,
      SITE.replace("s1 10.0.1.1:80 check inter 10s fall 3", "s1 10.0.1.1:80 check inter 1s fall 2"),
    );
    expect(findings.map(brief)).toEqual(["lb.health-check.detection-too-fast:high@21"]);
    expect(findings[0]).toMatchObject({
      path: "backend.static.server.s1",
      message:
        "server s1 of backend static ejects a failing target after 2 s instead of 30 s (1 s × 2, was 10 s × 3): below the 20 s floor, 93% sooner. Safe: keep ejection ≥ 20 s, e.g. interval 7 s × unhealthy threshold 3.",
      figures: {
        ejectAfterSecondsBefore: 30,
        ejectAfterSeconds: 2,
        intervalSeconds: 1,
        unhealthyThreshold: 2,
      },
    });
  });

  it("fires for every server a defaults default-server change affects, at the default-server line", () => {
    const findings = run(
      SITE,
      SITE.replace("default-server inter 10s fall 3", "default-server inter 1s fall 3"),
    );
    // web3 sets its own inter and s1 its own inter and fall: only web1 and web2 inherit the new value.
    expect(findings.map(brief)).toEqual([
      "lb.health-check.detection-too-fast:high@9",
      "lb.health-check.detection-too-fast:high@9",
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      "server web1 of backend app ejects a failing target after 3 s instead of 30 s (1 s × 3, was 10 s × 3): below the 20 s floor, 90% sooner. Safe: keep ejection ≥ 20 s, e.g. interval 7 s × unhealthy threshold 3.",
      "server web2 of backend app ejects a failing target after 3 s instead of 30 s (1 s × 3, was 10 s × 3): below the 20 s floor, 90% sooner. Safe: keep ejection ≥ 20 s, e.g. interval 7 s × unhealthy threshold 3.",
    ]);
  });

  it("fires for the servers below a backend default-server line that changes", () => {
    const before =
      "backend app\n  default-server check fall 3\n  server a 10.0.0.1:80\n  server b 10.0.0.2:80\n";
    const findings = run(before, before.replace("fall 3", "fall 1"));
    // fall 1 on the default inter 2 s: one failed check ejects after 2 s, hair-trigger (docs/risk.md).
    expect(findings.map(brief)).toEqual([
      "lb.health-check.detection-too-fast:high@2",
      "lb.health-check.detection-too-fast:high@2",
    ]);
    expect(findings[0]!.message).toContain("a single failed check now counts");
  });

  it.each([
    [
      "cookie removed over balance roundrobin",
      "    cookie SERVERID insert indirect nocache\n",
      "",
      ["lb.stickiness.disabled:high@12"],
    ],
    [
      "balance source → roundrobin",
      "backend static\n    balance source",
      "backend static\n    balance roundrobin",
      ["lb.stickiness.disabled:high@20"],
    ],
    [
      "cookie removed over balance source: sessions move to their source hash",
      "    balance roundrobin\n    cookie SERVERID insert indirect nocache\n",
      "    balance source\n",
      ["lb.stickiness.changed:high@12"],
    ],
    [
      "cookie renamed",
      "cookie SERVERID insert",
      "cookie SRVID insert",
      ["lb.stickiness.changed:high@13"],
    ],
    [
      "cookie → stick on src",
      "cookie SERVERID insert indirect nocache",
      "stick-table type ip size 1m\n    stick on src",
      ["lb.stickiness.changed:high@14"],
    ],
  ])("stickiness: %s", (_name, from, to, expected) => {
    expect(run(SITE, SITE.replace(from, to)).map(brief)).toEqual(expected);
  });

  it("reports a stick-table expiry cut", () => {
    const before =
      "backend app\n  stick-table type ip size 1m expire 8h\n  stick on src\n  server a 10.0.0.1:80\n";
    const findings = run(before, before.replace("expire 8h", "expire 10m"));
    expect(findings.map(brief)).toEqual(["lb.stickiness.duration-cut:high@2"]);
    expect(findings[0]!.message).toBe(
      "backend app now keeps sessions on one target for 10 min instead of 8 h: users are re-routed to a target without their session when the 10 min affinity expires. Safe: keep the stickiness duration at 8 h (28800 s), or at least 1 h.",
    );
  });

  it.each([
    [
      "inter 10s → 9s",
      SITE.replace("s1 10.0.1.1:80 check inter 10s", "s1 10.0.1.1:80 check inter 9s"),
    ],
    ["a weight change", SITE.replace("cookie w1 weight 10", "cookie w1 weight 20")],
    [
      "an added server",
      SITE.replace(
        "    server web3",
        "    server web4 10.0.0.4:8080 check cookie w4\n    server web3",
      ),
    ],
    [
      "the same file reformatted with comments",
      SITE.replace(/\n {4}/g, "\n\t")
        .replace("backend app", "# application pool\nbackend app  # main")
        .replace("inter 10s fall 3 rise 2", "inter 10000 fall 3 rise 2 # 10 s"),
    ],
  ])("does not fire on %s", (_name, after) => {
    expect(run(SITE, after).map(brief)).toEqual([]);
  });
});
