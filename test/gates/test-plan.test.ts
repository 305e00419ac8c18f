import { describe, expect, it } from "vitest";
import { evaluateTestPlan, findLinks } from "../../src/gates/test-plan.js";
import { policy } from "./builders.js";

const DEFAULTS = policy();

describe("evaluateTestPlan", () => {
  const cases: {
    name: string;
    body: string;
    policy?: string;
    status: "pass" | "fail";
    links?: string[];
    detail?: string;
    shortfall?: string;
  }[] = [
    // Each accepted link form.
    {
      name: "a URL",
      body: "## Test plan\nSoaked in staging: https://ci.acme.dev/runs/4711.\n",
      status: "pass",
      links: ["https://ci.acme.dev/runs/4711"],
    },
    {
      name: "an issue number",
      body: "## Test plan\nSee #123 for the load test.\n",
      status: "pass",
      links: ["#123"],
    },
    {
      name: "a cross-repository issue",
      body: "## Test plan\nacme/loadtests#77 has the results\n",
      status: "pass",
      links: ["acme/loadtests#77"],
    },
    {
      name: "a tracker key",
      body: "## Test plan\nVerified under OPS-42.\n",
      status: "pass",
      links: ["OPS-42"],
    },
    {
      name: "a markdown link and an autolink, in the order written",
      body: "## Test plan\n- [the run](https://ci.acme.dev/runs/1)\n- <https://grafana.acme.dev/d/lb>\n",
      status: "pass",
      links: ["https://ci.acme.dev/runs/1", "https://grafana.acme.dev/d/lb"],
    },
    // Heading forms.
    {
      name: "a bold line as the heading",
      body: "Tunes the LB.\n\n**Test plan**\nOPS-42\n\n**Rollback plan**\nRevert.\n",
      status: "pass",
      links: ["OPS-42"],
    },
    {
      name: "`Test plan:` on its own line",
      body: "Test plan:\nhttps://ci.acme.dev/runs/9\n",
      status: "pass",
      links: ["https://ci.acme.dev/runs/9"],
    },
    {
      name: "a bold label with the link on the same line",
      body: "**Test plan:** OPS-42\n**Rollback plan:** revert\n",
      status: "pass",
      links: ["OPS-42"],
    },
    {
      name: "another configured heading, any case, any level",
      body: "#### TESTING\n#9\n",
      status: "pass",
      links: ["#9"],
    },
    {
      name: "a setext heading",
      body: "Test plan\n---------\nOPS-7\n",
      status: "pass",
      links: ["OPS-7"],
    },
    {
      name: "a sub-heading stays inside the section",
      body: "## Test plan\n### Staging\nhttps://ci.acme.dev/runs/2\n## Notes\nnone\n",
      status: "pass",
      links: ["https://ci.acme.dev/runs/2"],
    },
    {
      name: "Windows line endings",
      body: "## Test plan\r\nOPS-42\r\n",
      status: "pass",
      links: ["OPS-42"],
    },
    {
      name: "a template section first, the filled one later",
      body: "## Testing\n<!-- how did you test? -->\n\n## Test plan\nOPS-42\n",
      status: "pass",
      links: ["OPS-42"],
    },
    {
      name: "a link with a TODO next to it still counts",
      body: "## Test plan\nTODO: more soak; so far https://ci.acme.dev/runs/3\n",
      status: "pass",
      links: ["https://ci.acme.dev/runs/3"],
    },
    {
      name: "a custom tracker pattern",
      body: "## Test plan\nChange INC0042 ran the canary\n",
      policy: 'testPlan: { trackerKeyPattern: "INC\\\\d{4}" }\n',
      status: "pass",
      links: ["INC0042"],
    },
    // Failures.
    {
      name: "no section at all",
      body: "Tunes the LB. Tested: https://ci.acme.dev/runs/1\n",
      status: "fail",
      detail: 'no "Test plan" section in the description (headings: Test plan, Testing)',
      shortfall: "test plan missing",
    },
    {
      name: "an empty section",
      body: "## Test plan\n\n## Rollback plan\nRevert.\n",
      status: "fail",
      detail: 'the "Test plan" section is empty',
      shortfall: "test plan missing",
    },
    {
      name: "template text only",
      body: "## Test plan\n- [ ] TODO\n- Link: <link>\n- [link]()\n- N/A\n",
      status: "fail",
      detail:
        'the "Test plan" section holds only template text ([link](), <link>, TODO, N/A, Link:)',
      shortfall: "test plan missing",
    },
    {
      name: "the link is inside an HTML comment",
      body: "## Test plan\n<!--\nhttps://ci.acme.dev/runs/1\n-->\n",
      status: "fail",
      detail: 'the "Test plan" section holds only template text (HTML comment)',
    },
    {
      name: "the heading is inside an HTML comment",
      body: "<!-- ## Test plan\nOPS-42 -->\nAll good.\n",
      status: "fail",
      detail: 'no "Test plan" section in the description (headings: Test plan, Testing)',
    },
    {
      name: "an unclosed comment hides the rest, as GitHub renders it",
      body: "## Test plan\n<!-- fill in https://ci.acme.dev/runs/1\n",
      status: "fail",
      detail: 'the "Test plan" section holds only template text (HTML comment)',
    },
    {
      name: "placeholder URLs",
      body: "## Test plan\n- https://example.com/run/123\n- https://ci.acme.dev/runs/<id>\n- http://localhost:8080/\n",
      status: "fail",
      shortfall: "test plan missing",
    },
    {
      name: "bracketed instructions",
      body: "## Test plan\n[Describe how you tested this change]\n",
      status: "fail",
      detail:
        'the "Test plan" section holds only template text ([Describe how you tested this change])',
    },
    {
      name: "prose without a link",
      body: "## Test plan\nRan terraform plan locally, looked fine.\n",
      status: "fail",
      detail:
        'the "Test plan" section has no link to evidence (accepted: a URL, #123, owner/repo#123, a tracker key such as OPS-42)',
      shortfall: "test plan has no link",
    },
    {
      name: "the link is in the next section",
      body: "## Test plan\nran it\n## Notes\nhttps://ci.acme.dev/runs/1\n",
      status: "fail",
      shortfall: "test plan has no link",
    },
    {
      name: "a heading inside a code fence is not a heading",
      body: "```\n## Test plan\nOPS-42\n```\n",
      status: "fail",
      shortfall: "test plan missing",
    },
    {
      name: "standards that look like tracker keys are not links",
      body: "## Test plan\nChecked the SHA-256 and UTF-8 handling.\n",
      status: "fail",
      shortfall: "test plan has no link",
    },
    {
      name: "only the link forms the policy accepts",
      body: "## Test plan\nSee #123\n",
      policy: "testPlan: { links: [url] }\n",
      status: "fail",
      detail: 'the "Test plan" section has no link to evidence (accepted: a URL)',
    },
    {
      name: "a heading that only starts like the configured one",
      body: "## Test planning notes\nOPS-42\n",
      status: "fail",
      shortfall: "test plan missing",
    },
  ];

  it.each(cases)("$name", ({ body, policy: policyText, status, links, detail, shortfall }) => {
    const outcome = evaluateTestPlan(body, policyText ? policy(policyText) : DEFAULTS, true);
    expect(outcome.result.status).toBe(status);
    if (links) expect(outcome.links).toEqual(links);
    if (status === "fail") expect(outcome.links).toEqual([]);
    if (detail) expect(outcome.result.detail).toBe(detail);
    if (shortfall) expect(outcome.shortfall).toBe(shortfall);
  });

  it("is not required at lower levels, and still reports the links", () => {
    const outcome = evaluateTestPlan("## Test plan\nOPS-42\n", DEFAULTS, false);
    expect(outcome.result).toMatchObject({
      status: "not-required",
      detail: "not required; linked: OPS-42",
    });
    expect(outcome.links).toEqual(["OPS-42"]);
    expect(evaluateTestPlan("", DEFAULTS, false).result.status).toBe("not-required");
  });
});

describe("findLinks", () => {
  const all = DEFAULTS.testPlan.links;
  const pattern = DEFAULTS.testPlan.trackerKeyPattern;

  it("reads `#123` inside a URL only as part of the URL", () => {
    expect(findLinks("https://github.com/acme/web/pull/12#issuecomment-1", all, pattern)).toEqual([
      "https://github.com/acme/web/pull/12#issuecomment-1",
    ]);
  });

  it("lists each link once", () => {
    expect(findLinks("OPS-42, OPS-42 and #3 (#3)", all, pattern)).toEqual(["OPS-42", "#3"]);
  });

  it("does not read parts of longer tokens as tracker keys", () => {
    expect(findLinks("ELBSecurityPolicy-TLS13-1-2-2021-06", all, pattern)).toEqual([]);
  });

  it("runs the policy's pattern on at most 10,000 characters", () => {
    expect(findLinks(`${"x ".repeat(6000)}OPS-42`, all, pattern)).toEqual([]);
  });
});
