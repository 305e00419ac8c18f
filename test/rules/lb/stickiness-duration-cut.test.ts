import stickinessDurationCut from "../../../src/rules/lb/stickiness-duration-cut.js";
import { ruleTable } from "../rule-table.js";
import { sticky, targetGroup } from "./builders.js";
import { service } from "../kubernetes/builders.js";

/** A Service with ClientIP affinity held for `seconds`. */
const clientIp = (seconds: number): string =>
  service(
    "  - port: 80\n",
    `  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: ${seconds}\n`,
  );

ruleTable(stickinessDurationCut, {
  wholeAnalysis: true,
  path: "lb.tf",
  cases: [
    {
      name: "duration cut",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 28800')),
      after: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 60')),
      expect: [
        {
          severity: "high",
          line: "cookie_duration = 60",
          phrase:
            'target group "web" now keeps sessions on one target for 60 s instead of 8 h: a user idle for 60 s is re-routed to a target without their session (the ALB restarts the 60 s on every request). Safe: keep the stickiness duration at 8 h (28800 s), or at least 1 h.',
        },
      ],
    },
    {
      name: "duration cut, still long",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 86400')),
      after: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 28800')),
      expect: [
        {
          severity: "medium",
          line: "cookie_duration = 28800",
          phrase: 'target group "web" now keeps sessions on one target for 8 h instead of 24 h:',
        },
      ],
    },
    {
      name: "Kubernetes ClientIP timeout cut: re-routed when the 60 s affinity expires, no claim of how the timer restarts",
      path: "svc.yaml",
      before: clientIp(10800),
      after: clientIp(60),
      expect: [
        {
          severity: "high",
          line: "timeoutSeconds: 60",
          phrase:
            "for 60 s instead of 3 h: users are re-routed to a target without their session when the 60 s affinity expires.",
        },
      ],
    },
    {
      name: "duration raised",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 60')),
      after: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 3600')),
      expect: [],
    },
  ],
});
