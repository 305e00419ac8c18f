import listenerActionChanged from "../../../src/rules/aws/listener-action-changed.js";
import { ruleTable } from "../rule-table.js";
import { FORWARD_WEB, HTTP_80, awsPath, cfn, forwardTo, listener } from "./builders.js";

const weighted = (blue: number, green: number) => `  default_action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = ${blue}
      }
      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = ${green}
      }
    }
  }`;

ruleTable(listenerActionChanged, {
  path: awsPath,
  cases: [
    {
      name: "another target group",
      before: listener(HTTP_80, FORWARD_WEB),
      after: listener(HTTP_80, forwardTo("aws_lb_target_group.api.arn")),
      expect: [{ severity: "medium", line: "default_action", phrase: "all requests move at once" }],
    },
    {
      name: "forward → fixed response",
      before: listener(HTTP_80, FORWARD_WEB),
      after: listener(
        HTTP_80,
        '  default_action {\n    type = "fixed-response"\n    fixed_response {\n      content_type = "text/plain"\n      status_code  = "503"\n    }\n  }',
      ),
      expect: [{ severity: "high", line: "default_action", phrase: "fixed 503 response" }],
    },
    {
      name: "forward → redirect to HTTPS on an HTTP listener",
      before: listener(HTTP_80, FORWARD_WEB),
      after: listener(
        HTTP_80,
        '  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }',
      ),
      expect: [{ severity: "low", line: "default_action", phrase: "redirects to HTTPS" }],
    },
    {
      name: "weighted 90/10 → 50/50 moves 40 %",
      before: listener(HTTP_80, weighted(90, 10)),
      after: listener(HTTP_80, weighted(50, 50)),
      expect: [{ severity: "medium", line: "default_action", phrase: "shifts 40% of requests" }],
    },
    {
      name: "weighted 90/10 → 80/20 is low",
      before: listener(HTTP_80, weighted(90, 10)),
      after: listener(HTTP_80, weighted(80, 20)),
      expect: [{ severity: "low", line: "default_action", phrase: "shifts 10% of requests" }],
    },
    {
      name: "CloudFormation listener rule loses its authentication",
      before: cfn(`  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref HttpsListener
      Priority: 10
      Actions:
        - Type: authenticate-oidc
          Order: 1
        - Type: forward
          Order: 2
          TargetGroupArn: !Ref Admin
`),
      after: cfn(`  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref HttpsListener
      Priority: 10
      Actions:
        - Type: forward
          Order: 2
          TargetGroupArn: !Ref Admin
`),
      expect: [{ severity: "high", line: "Actions:", phrase: "no longer authenticates" }],
    },
    {
      name: "targets that are expressions",
      before: listener(HTTP_80, forwardTo("var.target_group_arn")),
      after: listener(HTTP_80, forwardTo("var.other_target_group_arn")),
      expect: [],
    },
    {
      name: "the same weights written again",
      before: listener(HTTP_80, weighted(90, 10)),
      after: listener(HTTP_80, weighted(9, 1)),
      expect: [],
    },
  ],
});
