import { describe, expect, it } from "vitest";
import durationUnitSuspect from "../../../src/rules/nginx/duration-unit-suspect.js";
import { findingsOf, ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(durationUnitSuspect, {
  path: NGINX_PATH,
  cases: [
    {
      name: "fail_timeout=5000 is 83 min out of rotation: high",
      before: site(THREE),
      after: site(
        lines("server 10.0.0.1:80 fail_timeout=5000", "server 10.0.0.2:80", "server 10.0.0.3:80"),
      ),
      expect: [{ severity: "high", line: 3, phrase: "reads as 1.4 h" }],
    },
    {
      name: "proxy_read_timeout 30000 is medium",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 30000")),
      expect: [{ severity: "medium", line: 12, phrase: "reads as 500 min, not 30000 ms" }],
    },
    {
      name: "a long WebSocket timeout in seconds does not fire",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 3600")),
      expect: [],
    },
  ],
});

// docs/lb-facts.md "Product limits the advice respects": fail_timeout= takes whole seconds; nginx rejects `ms` there.
describe("nginx.duration.unit-suspect advice", () => {
  it("suggests the seconds fail_timeout accepts, never milliseconds", () => {
    const [finding] = findingsOf(
      durationUnitSuspect.id,
      NGINX_PATH,
      site(THREE),
      site(
        lines("server 10.0.0.1:80 fail_timeout=5000", "server 10.0.0.2:80", "server 10.0.0.3:80"),
      ),
    );
    expect(finding?.fix?.replacement.trim()).toBe("server 10.0.0.1:80 fail_timeout=5s;");
    expect(finding?.message).toContain("Safe: write `5s` if 5000 ms (5 s) is meant");
    expect(finding?.message).not.toMatch(/`\d+ms`/);
  });
});
