// The detector ruleTable applies to every firing case of READABLE_FAMILIES (test/rules/rule-table.ts):
// it must see a rendered `x` → `x` and must not see a real change.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/rules/types.js";
import { READABLE_FAMILIES, unchangedShown } from "./message-quality.js";

const finding = (fields: Partial<Finding>): Finding =>
  ({
    rule: "lb.stickiness.disabled",
    severity: "high",
    file: "main.tf",
    line: 3,
    path: "aws_lb_target_group.web.stickiness",
    message: "stickiness of web is off.",
    checklist: ["Confirm."],
    ...fields,
  }) as Finding;

describe("unchangedShown", () => {
  it("sees a before and after that render the same", () => {
    expect(unchangedShown(finding({ before: "lb_cookie", after: "lb_cookie" }))).toEqual([
      "`lb_cookie` → `lb_cookie`",
    ]);
    expect(unchangedShown(finding({ before: { a: 1 }, after: { a: 1 } }))).toHaveLength(1);
  });

  it("sees a value the message shows unchanged", () => {
    expect(
      unchangedShown(
        finding({ message: "default-server of backend web changes check true → true." }),
      ),
    ).toEqual(["true → true"]);
    expect(unchangedShown(finding({ message: "changes `round robin` → `round robin`." }))).toEqual([
      "`round robin` → `round robin`",
    ]);
    expect(unchangedShown(finding({ message: "interval 30 s → 30 s: no faster." }))).toEqual([
      "30 s → 30 s",
    ]);
  });

  it("lets a real change through", () => {
    expect(unchangedShown(finding({ before: true, after: false }))).toEqual([]);
    expect(unchangedShown(finding({ before: "lb_cookie", after: "lb_cookies" }))).toEqual([]);
    expect(
      unchangedShown(
        finding({
          message:
            "max_ejection_percent 10 → 100, consecutive_5xx 5 → 2, interval 3 s → 30 s, check true → false, cookie SERVERID removed.",
        }),
      ),
    ).toEqual([]);
  });

  it("covers the proxy families", () => {
    for (const family of ["haproxy", "nginx", "envoy", "traefik"])
      expect(READABLE_FAMILIES.has(family)).toBe(true);
  });
});

// Issue 12 item 11: a part of an entity is "the <part> of <entity>", never a possessive glued to a
// generated description (`backend web's health check`, `service "web"'s stickiness`).
describe("rule messages", () => {
  it("build no possessive after an interpolated entity label", () => {
    const root = join(import.meta.dirname, "../../src/rules");
    const glued = readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        readFileSync(join(root, file), "utf8")
          .split("\n")
          .flatMap((line, index) => (/\}'s\b/.test(line) ? [`${file}:${index + 1}`] : [])),
      );
    expect(glued).toEqual([]);
  });
});
