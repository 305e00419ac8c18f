import { describe, expect, it } from "vitest";
import timeoutCut from "../../../src/rules/haproxy/timeout-cut.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { DEFAULTS, HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(timeoutCut, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "timeout server cut from 30 s to 5 s",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 5s")),
      expect: [
        {
          severity: "medium",
          line: 5,
          phrase: "cut from 30 s to 5 s for 1 proxy that inherits it",
        },
      ],
    },
    {
      name: "timeouts removed from defaults become infinite (before-side line)",
      before: config(THREE),
      after: config(THREE, "defaults\n  mode http\n  timeout connect 5s\n"),
      expect: [
        {
          severity: "high",
          line: 4,
          phrase:
            "no longer sets timeout client (was 30 s), timeout server (was 30 s): they are now infinite for 1 proxy that inherits it",
        },
      ],
    },
    {
      name: "a backend's own timeout removed falls back to the defaults one: no finding",
      before: config(servers("timeout server 30s") + THREE),
      after: config(THREE),
      expect: [],
    },
    {
      name: "a cut by less than half does not fire",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 20s")),
      expect: [],
    },
  ],
});

// docs/lb-facts.md "Product limits the advice respects": HAProxy times are whole numbers with us/ms/s/m/h/d.
describe("haproxy.timeout.cut advice", () => {
  it("writes the timeouts to keep in HAProxy's time syntax", () => {
    const before = config(
      THREE,
      "defaults\n  mode http\n  timeout connect 5s\n  timeout client 3m\n  timeout server 1500ms\n",
    );
    const [finding] = findingsOf(
      timeoutCut.id,
      HAPROXY_PATH,
      before,
      config(THREE, "defaults\n  mode http\n  timeout connect 5s\n"),
    );
    expect(finding?.message).toContain(
      "Safe: keep timeout client 3m, timeout server 1500ms in defaults",
    );
  });
});
