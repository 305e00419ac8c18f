import stickinessChanged from "../../../src/rules/lb/stickiness-changed.js";
import { lbRule } from "../azure/builders.js";
import { service } from "../gcp/builders.js";
import { ruleTable } from "../rule-table.js";
import { CFN_STICKY_ON, cfnTargetGroup, sticky, targetGroup } from "./builders.js";

ruleTable(stickinessChanged, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "type changed",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"')),
      after: targetGroup("interval = 30", sticky('type = "app_cookie"\ncookie_name = "sid"')),
      expect: [
        {
          severity: "high",
          line: "stickiness {",
          phrase: "changes session persistence from lb_cookie to app_cookie",
        },
      ],
    },
    {
      name: "turned on",
      before: targetGroup("interval = 30", ""),
      after: targetGroup("interval = 30", sticky('type = "lb_cookie"')),
      expect: [
        {
          severity: "medium",
          line: "stickiness {",
          phrase: 'target group "web" now pins sessions (lb_cookie)',
        },
      ],
    },
    {
      name: "turned on in CloudFormation TargetGroupAttributes",
      path: "t.yaml",
      before: cfnTargetGroup(30, 2, "        - Key: stickiness.enabled\n          Value: 'false'"),
      after: cfnTargetGroup(30, 2, CFN_STICKY_ON),
      expect: [
        {
          severity: "medium",
          line: "Value: 'true'",
          phrase: "target group TargetGroup now pins sessions (lb_cookie)",
        },
      ],
    },
    {
      name: "an Azure load_distribution set",
      before: lbRule(""),
      after: lbRule('  load_distribution = "SourceIP"'),
      expect: [
        {
          severity: "medium",
          line: "load_distribution",
          phrase: 'load balancer rule "web" now pins sessions (SourceIP)',
        },
      ],
    },
    {
      name: "an Azure load_distribution changed",
      before: lbRule('  load_distribution = "SourceIP"'),
      after: lbRule('  load_distribution = "SourceIPProtocol"'),
      expect: [
        {
          severity: "high",
          line: "load_distribution",
          phrase: "changes session persistence from SourceIP to SourceIPProtocol",
        },
      ],
    },
    {
      name: "a GCP session_affinity changed",
      before: service('  session_affinity = "CLIENT_IP"'),
      after: service('  session_affinity = "GENERATED_COOKIE"'),
      expect: [
        {
          severity: "high",
          line: "session_affinity",
          phrase: "changes session persistence from CLIENT_IP to GENERATED_COOKIE",
        },
      ],
    },
    {
      name: "reordered attributes",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 60')),
      after: targetGroup("interval = 30", sticky('cookie_duration = 60\n  type = "lb_cookie"')),
      expect: [],
    },
    {
      name: "reordered CloudFormation TargetGroupAttributes",
      path: "t.yaml",
      before: cfnTargetGroup(30, 2, CFN_STICKY_ON),
      after: cfnTargetGroup(
        30,
        2,
        "        - Key: stickiness.lb_cookie.duration_seconds\n          Value: '28800'\n        - Key: stickiness.enabled\n          Value: 'true'",
      ),
      expect: [],
    },
    {
      name: "Azure portal names are aliases: SourceIP → Client IP",
      before: lbRule('  load_distribution = "SourceIP"'),
      after: lbRule('  load_distribution = "Client IP"'),
      expect: [],
    },
    {
      name: "Azure portal names are aliases: Default → None",
      before: lbRule('  load_distribution = "Default"'),
      after: lbRule('  load_distribution = "None"'),
      expect: [],
    },
    {
      name: "an Azure load_distribution written as an expression cannot be judged",
      before: lbRule('  load_distribution = "SourceIP"'),
      after: lbRule("  load_distribution = var.distribution"),
      expect: [],
    },
    {
      // Without stickiness the mode names the balancing method; changing it pins nothing.
      name: "an nginx upstream without stickiness moved from round robin to least_conn",
      path: "nginx.conf",
      before: "upstream app {\n  server 10.0.0.1;\n  server 10.0.0.2;\n}\n",
      after: "upstream app {\n  least_conn;\n  server 10.0.0.1;\n  server 10.0.0.2;\n}\n",
      expect: [],
    },
    {
      name: "a Traefik service without stickiness moved from wrr to p2c",
      path: "dynamic.yml",
      before:
        "http:\n  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: http://10.0.0.1\n",
      after:
        "http:\n  services:\n    app:\n      loadBalancer:\n        strategy: p2c\n        servers:\n          - url: http://10.0.0.1\n",
      expect: [],
    },
    {
      name: "a GCP session_affinity written as an expression cannot be judged",
      before: service('  session_affinity = "CLIENT_IP"'),
      after: service("  session_affinity = var.affinity"),
      expect: [],
    },
  ],
});
