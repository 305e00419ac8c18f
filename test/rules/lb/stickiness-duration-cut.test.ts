import stickinessDurationCut from "../../../src/rules/lb/stickiness-duration-cut.js";
import { ruleTable } from "../rule-table.js";
import { sticky, targetGroup } from "./builders.js";

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
            'target group "web" now keeps sessions on one target for 60 s instead of 8 h: users are re-routed to a target without their session every 60 s. Safe: keep the stickiness duration at 8 h (28800 s), or at least 1 h.',
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
      name: "duration raised",
      before: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 60')),
      after: targetGroup("interval = 30", sticky('type = "lb_cookie"\ncookie_duration = 3600')),
      expect: [],
    },
  ],
});
