// Issue 10, item 18: a policy's regular expressions run in linear time. A pattern that backtracks
// polynomially on JavaScript's engine passes validation (it is a legitimate pattern) and a long
// value still gets an answer. The answer is awaited under a `vm` watchdog, so the old engine shows
// as "no result" (the watchdog stops it) instead of hanging the suite; no test reads a clock.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/config/policy.js";
import { unsafeRegexReason } from "../../src/config/safe-regex.js";
import { policyRegex } from "../../src/rules/policy-regex.js";
import { evaluate } from "../../src/gates/evaluate.js";
import { findLinks } from "../../src/gates/test-plan.js";
import { snapshot } from "../gates/builders.js";

/** A version-shaped pattern with four adjacent digit runs: O(n⁴) steps on a backtracking engine. */
const POLYNOMIAL = "^\\d+\\.?\\d+\\.?\\d+\\.?\\d+:\\d+$";
/** Digits with no `:`: every split of the run into four parts is tried before failing. */
const LONG_VALUE = `${"1".repeat(5_000)}x`;

/** Runs `work` and returns its result, or "no result" when the watchdog had to stop it. */
function answered<T>(work: () => T): T | "no result" {
  try {
    return runInNewContext("work()", { work }, { timeout: 5_000 }) as T;
  } catch (error) {
    if (/timed out/i.test((error as Error).message)) return "no result";
    throw error;
  }
}

function configMap(version: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  version: "${version}"\n`;
}

/** The rules that fire under `policy` when a ConfigMap's `data.version` goes from `before` to `after`. */
function firedRules(policy: string, before: string, after: string): string[] {
  const pull = snapshot({
    policy,
    files: [
      {
        path: "k8s/app.yaml",
        status: "modified",
        before: configMap(before),
        after: configMap(after),
      },
    ],
  });
  return evaluate(pull).analysis.files[0]!.findings.map((f) => f.rule);
}

const POLICY = `custom:
  - id: custom.version-shape
    files: "k8s/**"
    path: data.version
    when: matches
    value: '${POLYNOMIAL}'
    severity: high
    message: "version {after} has the release shape"
`;

describe("policy regular expressions run in linear time (item 18)", () => {
  it("accepts a polynomially backtracking pattern as a legitimate policy", () => {
    expect(unsafeRegexReason(POLYNOMIAL)).toBeUndefined();
    expect(parsePolicy(POLICY)).toMatchObject({ ok: true });
  });

  it("answers a custom rule on a long value that would hang a backtracking engine", () => {
    expect(answered(() => firedRules(POLICY, "1.2.3.4:5", LONG_VALUE))).toEqual([]);
    // The same rule still fires on a value of the shape.
    expect(firedRules(POLICY, "1", "1.2.3.4:5")).toEqual(["custom.version-shape"]);
  });

  it("answers the tracker-key pattern of the test-plan gate on a long PR body", () => {
    const key = "\\d+\\.?\\d+\\.?\\d+\\.?\\d+:\\d+";
    expect(unsafeRegexReason(key)).toBeUndefined();
    expect(answered(() => findLinks(LONG_VALUE, ["tracker-key"], key))).toEqual([]);
    expect(findLinks("Load test: 1.2.3.4:5, see OPS-7", ["tracker-key"], key)).toEqual([
      "1.2.3.4:5",
    ]);
  });

  it("matches a custom rule's pattern on the whole value: what follows 10,000 characters is not hidden", () => {
    const policy = `custom:
  - id: custom.world-open
    files: "k8s/**"
    path: data.version
    when: matches
    value: '0\\.0\\.0\\.0/0'
    severity: high
    message: "open to the world"
`;
    expect(firedRules(policy, "10.0.0.0/8", `${"10.0.0.0/8 ".repeat(1_000)}0.0.0.0/0`)).toEqual([
      "custom.world-open",
    ]);
  });

  it("keeps tracker keys whole tokens, as the lookarounds did", () => {
    expect(findLinks("INC-42 X-INC-7 INC-8x INC-9.", ["tracker-key"], "INC-\\d+")).toEqual([
      "INC-42",
      "INC-9",
    ]);
  });

  it("refuses a pattern RE2 cannot run, with the reason", () => {
    expect(unsafeRegexReason("(?<=a)b")).toMatch(/lookaround/);
    // Valid ECMAScript that RE2 will not compile (RE2 caps a repeat count at 1,000).
    expect(unsafeRegexReason("a{1001}")).toMatch(/cannot run on a linear-time engine \(RE2\)/);
    expect(parsePolicy(POLICY.replace(`'${POLYNOMIAL}'`, "'^v{1001}$'"))).toMatchObject({
      ok: false,
    });
    expect(policyRegex("a+b").matches("aab xab")).toEqual([
      { index: 0, text: "aab" },
      { index: 5, text: "ab" },
    ]);
  });
});

describe("an invalid policy regular expression", () => {
  it("is said once, with what is wrong, not JavaScript's repeat of the pattern", () => {
    expect(unsafeRegexReason("(x")).toBe("invalid regular expression: unterminated group");
    expect(unsafeRegexReason("a{2,1}")).toBe(
      "invalid regular expression: numbers out of order in {} quantifier",
    );
  });
});
