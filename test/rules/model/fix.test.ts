import { describe, expect, it } from "vitest";
import { durationLike, lineFix, replaceValues } from "../../../src/rules/model/fix.js";
import type { FileUnderReview } from "../../../src/rules/types.js";

describe("replaceValues keeps the line's indentation, quoting and syntax", () => {
  it.each([
    [
      "HCL",
      "    unhealthy_threshold = 2  # was 3",
      ["unhealthy_threshold"],
      4,
      "    unhealthy_threshold = 4  # was 3",
    ],
    [
      "HCL string",
      '  deregistration_delay = "5"',
      ["deregistration_delay"],
      300,
      '  deregistration_delay = "300"',
    ],
    [
      "YAML",
      "          failureThreshold: 1",
      ["failureThreshold"],
      3,
      "          failureThreshold: 3",
    ],
    [
      "YAML single-quoted",
      "          Value: 'false'",
      ["Value"],
      "true",
      "          Value: 'true'",
    ],
    [
      "YAML annotation key",
      '    alb.ingress.kubernetes.io/healthcheck-path: "/ready"',
      ["alb.ingress.kubernetes.io/healthcheck-path"],
      "/healthz",
      '    alb.ingress.kubernetes.io/healthcheck-path: "/healthz"',
    ],
    [
      "JSON",
      '      "HealthCheckIntervalSeconds": 5,',
      ["HealthCheckIntervalSeconds"],
      30,
      '      "HealthCheckIntervalSeconds": 30,',
    ],
    [
      "nginx parameter",
      "    server 10.0.0.1:80 max_fails=1 fail_timeout=5000;",
      ["fail_timeout"],
      "5000ms",
      "    server 10.0.0.1:80 max_fails=1 fail_timeout=5000ms;",
    ],
    ["HAProxy keyword", "  timeout server 30", ["timeout server"], "30s", "  timeout server 30s"],
    [
      "HAProxy server token",
      "  server web1 10.0.0.1:80 check inter 2s fall 1",
      ["fall"],
      3,
      "  server web1 10.0.0.1:80 check inter 2s fall 3",
    ],
  ] as const)("%s", (_name, line, keys, value, expected) => {
    expect(replaceValues(line, [{ keys, value }])).toBe(expected);
  });

  it("writes a duration in the old value's unit", () => {
    expect(
      replaceValues("  server web1 10.0.0.1:80 check inter 2s fall 3", [
        { keys: ["inter"], value: 10, duration: { bareSeconds: 0.001 } },
      ]),
    ).toBe("  server web1 10.0.0.1:80 check inter 10s fall 3");
    expect(durationLike("2000", 10, 0.001)).toBe("10000");
    expect(durationLike("1m", 90)).toBe("90s");
    expect(durationLike("500ms", 0.25)).toBe("250ms");
  });

  it("gives no fix when a key is not on the line or nothing changes", () => {
    expect(
      replaceValues("  interval = 30", [{ keys: ["unhealthy_threshold"], value: 3 }]),
    ).toBeUndefined();
    expect(replaceValues("  interval = 30", [{ keys: ["interval"], value: 30 }])).toBeUndefined();
    // A key inside another word is not the key.
    expect(
      replaceValues('    nginx.ingress.kubernetes.io/proxy-read-timeout: "10"', [
        { keys: ["timeout"], value: 60 },
      ]),
    ).toBeUndefined();
    expect(
      replaceValues("  healthy_threshold = 2", [{ keys: ["threshold"], value: 3 }]),
    ).toBeUndefined();
  });
});

describe("lineFix", () => {
  const file = (afterText?: string): FileUnderReview => ({
    path: "lb.tf",
    format: "hcl",
    dialect: "terraform",
    status: "modified",
    before: null,
    after: null,
    changes: [],
    ...(afterText !== undefined ? { afterText } : {}),
  });

  it("replaces the whole line of the after side", () => {
    expect(
      lineFix(file("a = 1\r\n  interval = 5\r\n"), 2, [{ keys: ["interval"], value: 10 }]),
    ).toEqual({
      line: 2,
      replacement: "  interval = 10",
    });
  });

  it("has nothing to offer without the text or past its end", () => {
    expect(lineFix(file(), 1, [{ keys: ["interval"], value: 10 }])).toBeUndefined();
    expect(lineFix(file("interval = 5\n"), 9, [{ keys: ["interval"], value: 10 }])).toBeUndefined();
  });
});
