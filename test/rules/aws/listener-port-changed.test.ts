import listenerPortChanged from "../../../src/rules/aws/listener-port-changed.js";
import { ruleTable } from "../rule-table.js";
import { FORWARD_WEB, LISTENER_80, awsPath, classic, listener } from "./builders.js";

const LISTENER_443 = `  listener {
    lb_port            = 443
    lb_protocol        = "https"
    instance_port      = 8080
    instance_protocol  = "http"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:123456789012:certificate/aaa"
  }`;

ruleTable(listenerPortChanged, {
  path: awsPath,
  cases: [
    {
      name: "443 → 8443",
      before: listener('  port     = 443\n  protocol = "HTTPS"', FORWARD_WEB),
      after: listener('  port     = 8443\n  protocol = "HTTPS"', FORWARD_WEB),
      expect: [
        { severity: "high", line: "port     = 8443", phrase: "connecting to port 443 fail" },
      ],
    },
    {
      name: "a Classic load balancer stops listening on 80",
      before: classic("", `${LISTENER_80}\n${LISTENER_443}`),
      after: classic("", LISTENER_443),
      expect: [
        {
          severity: "high",
          line: 'resource "aws_elb"',
          phrase: "port 80 of classic load balancer",
        },
      ],
    },
    {
      name: "two listeners swap ports: each old port is still served, so medium",
      before:
        listener('  port     = 80\n  protocol = "HTTP"', FORWARD_WEB, "a") +
        listener('  port     = 8080\n  protocol = "HTTP"', FORWARD_WEB, "b"),
      after:
        listener('  port     = 8080\n  protocol = "HTTP"', FORWARD_WEB, "a") +
        listener('  port     = 80\n  protocol = "HTTP"', FORWARD_WEB, "b"),
      expect: [
        {
          severity: "medium",
          line: "port     = 8080",
          phrase: "port 80 is still served by another listener",
        },
        // the second listener's `port = 80` (the first match is inside `port = 8080`)
        {
          severity: "medium",
          line: "port     = 80",
          nth: 2,
          phrase: "port 8080 is still served by another listener",
        },
      ],
    },
    {
      name: "a Classic load balancer adds a listener and keeps the ones it had",
      before: classic("", LISTENER_80),
      after: classic("", `${LISTENER_80}\n${LISTENER_443}`),
      expect: [],
    },
    {
      name: "Classic listeners reordered",
      before: classic("", `${LISTENER_80}\n${LISTENER_443}`),
      after: classic("", `${LISTENER_443}\n${LISTENER_80}`),
      expect: [],
    },
  ],
});
