import { describe, expect, it } from "vitest";
import connectTimeoutCut from "../../../src/rules/envoy/connect-timeout-cut.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, cluster } from "./builders.js";

ruleTable(connectTimeoutCut, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "cut from the 5 s default to 0.25 s: 20×, sharply (docs/risk.md), high",
      before: bootstrap(""),
      after: bootstrap(cluster("connect_timeout: 0.25s")),
      expect: [
        {
          severity: "high",
          line: 25,
          phrase: /connect_timeout cut from 5 s to 0.3 s.*Safe: keep `connect_timeout: 5s`/,
        },
      ],
    },
    {
      name: "cut from the 5 s default to 2 s: medium",
      before: bootstrap(""),
      after: bootstrap(cluster("connect_timeout: 2s")),
      expect: [{ severity: "medium", line: 25, phrase: "connect_timeout cut from 5 s to 2 s" }],
    },
    {
      name: "5 s → 3 s does not fire",
      before: bootstrap(cluster("connect_timeout: 5s")),
      after: bootstrap(cluster("connect_timeout: 3s")),
      expect: [],
    },
  ],
});

// docs/lb-facts.md "Product limits the advice respects": a protobuf Duration is "<seconds>s", never "250ms".
describe("envoy.connect-timeout.cut advice", () => {
  it("restores a sub-second timeout as a protobuf Duration string", () => {
    const [finding] = findingsOf(
      connectTimeoutCut.id,
      ENVOY_PATH,
      bootstrap(cluster("connect_timeout: 0.25s")),
      bootstrap(cluster("connect_timeout: 0.01s")),
    );
    expect(finding?.fix?.replacement.trim()).toBe("connect_timeout: 0.25s");
    expect(finding?.message).toContain("Safe: keep `connect_timeout: 0.25s`");
  });

  it("writes no fix over a { seconds, nanos } form it would break", () => {
    const [finding] = findingsOf(
      connectTimeoutCut.id,
      ENVOY_PATH,
      bootstrap(""),
      bootstrap(cluster("connect_timeout: { seconds: 0, nanos: 250000000 }")),
    );
    expect(finding?.severity).toBe("high");
    expect(finding?.fix).toBeUndefined();
  });
});
