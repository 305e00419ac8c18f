import targetGroupDeregistrationDelayCut from "../../../src/rules/aws/target-group-deregistration-delay-cut.js";
import { ruleTable } from "../rule-table.js";
import { attribute, awsPath, cfnTargetGroup, tgBase } from "./builders.js";

ruleTable(targetGroupDeregistrationDelayCut, {
  path: awsPath,
  cases: [
    {
      name: "default 300 s → 5 s",
      before: tgBase(""),
      after: tgBase("", "  deregistration_delay = 5"),
      expect: [{ severity: "high", line: "deregistration_delay = 5", phrase: "from 5 min to 5 s" }],
    },
    {
      name: "300 s → 120 s",
      before: tgBase("", '  deregistration_delay = "300"'),
      after: tgBase("", '  deregistration_delay = "120"'),
      expect: [
        {
          severity: "medium",
          line: "deregistration_delay",
          phrase: "requests still running 2 min",
        },
      ],
    },
    {
      name: "CloudFormation 300 s → 30 s: cut by 5× or more is high (docs/risk.md)",
      before: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'300'")),
      after: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'30'")),
      expect: [{ severity: "high", line: "Value: '30'", phrase: "from 5 min to 30 s" }],
    },
    {
      name: "default 300 s → 60 s in Terraform is 5× and high; 300 s → 61 s is not",
      before: tgBase(""),
      after: tgBase("", "  deregistration_delay = 60"),
      expect: [
        { severity: "high", line: "deregistration_delay = 60", phrase: "from 5 min to 60 s" },
      ],
    },
    {
      name: "default 300 s → 61 s: less than 5×, medium",
      before: tgBase(""),
      after: tgBase("", "  deregistration_delay = 61"),
      expect: [
        { severity: "medium", line: "deregistration_delay = 61", phrase: "from 5 min to 61 s" },
      ],
    },
    {
      name: "60 s → 45 s",
      before: tgBase("", "  deregistration_delay = 60"),
      after: tgBase("", "  deregistration_delay = 45"),
      expect: [
        {
          severity: "low",
          line: "deregistration_delay = 45",
          phrase: "cut from 60 s to 45 s",
        },
      ],
    },
    {
      name: "CloudFormation attribute 300 → 0",
      before: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'300'")),
      after: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'0'")),
      expect: [{ severity: "high", line: "Value: '0'", phrase: "cut as soon as" }],
    },
    {
      name: "a raise",
      before: tgBase("", "  deregistration_delay = 30"),
      after: tgBase("", "  deregistration_delay = 60"),
      expect: [],
    },
    {
      name: "a CloudFormation parameter",
      before: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'300'")),
      after: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "!Ref Delay")),
      expect: [],
    },
  ],
});
