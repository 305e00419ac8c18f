import policyChanged from "../../../src/rules/generic/policy-changed.js";
import { ruleTable } from "../rule-table.js";

const POLICY = `rules:
  lb.health-check.detection-too-fast: { severity: critical }
requirements:
  high: { approvals: 2 }
`;

ruleTable(policyChanged, {
  firesOnEveryChange: true,
  cases: [
    {
      name: "any change of the policy is high",
      path: ".github/changegate.yml",
      before: POLICY,
      after: POLICY.replace("approvals: 2", "approvals: 0"),
      expect: [
        {
          severity: "high",
          line: "approvals: 0",
          phrase:
            /evaluated under the base branch's policy; the new policy applies only after merge/,
        },
      ],
    },
    {
      name: "deleting the policy is high",
      path: ".github/changegate.yml",
      before: POLICY,
      after: null,
      expect: [
        {
          severity: "high",
          line: "rules:",
          side: "before",
          phrase: /is deleted: after merge Changegate falls back to its default policy/,
        },
      ],
    },
    {
      name: "the safe edit names the file that changed (here the .yaml spelling)",
      path: ".github/changegate.yaml",
      before: POLICY,
      after: POLICY.replace("approvals: 2", "approvals: 1"),
      expect: [
        {
          severity: "high",
          line: "approvals: 1",
          phrase: /change `\.github\/changegate\.yaml` in a pull request of its own/,
        },
      ],
    },
    {
      name: "a comment-only edit changes no policy",
      path: ".github/changegate.yml",
      before: POLICY,
      after: `# reviewed by SRE\n${POLICY}`,
      expect: [],
    },
  ],
});
