import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { AWS_RULES } from "../../src/rules/aws/index.js";
import { findingsOf, markerFamily } from "./table.js";

const { table, describeChecks } = markerFamily({
  family: "aws",
  rules: AWS_RULES,
  minRules: 14,
  path: (c) => ((c.before || c.after || "").includes("Resources:") ? "stack.yaml" : "lb.tf"),
});

// --- builders -------------------------------------------------------------------------------

/** A Terraform target group: `attrs` are HCL lines of the resource, `hc` of its health_check block. */
function tg(attrs: string, hc = "", name = "web"): string {
  return `resource "aws_lb_target_group" "${name}" {
${attrs}
  health_check {
${hc}
  }
}
`;
}

const TG_BASE = `  name     = "web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-123"`;

const tgBase = (hc: string, extra = "") => tg(`${TG_BASE}${extra ? `\n${extra}` : ""}`, hc);

function lb(attrs: string, name = "main"): string {
  return `resource "aws_lb" "${name}" {
  name    = "main"
  subnets = var.subnets
${attrs}
}
`;
}

function listener(attrs: string, action: string, name = "https"): string {
  return `resource "aws_lb_listener" "${name}" {
  load_balancer_arn = aws_lb.main.arn
${attrs}
${action}
}
`;
}

const forwardTo = (target: string) => `  default_action {
    type             = "forward"
    target_group_arn = ${target}
  }`;

const HTTPS = `  port            = 443
  protocol        = "HTTPS"
  certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/aaa"`;

function classic(attrs: string, listeners = LISTENER_80): string {
  return `resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["eu-west-1a"]
${listeners}
  health_check {
    target              = "HTTP:80/"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
${attrs}
}
`;
}

const LISTENER_80 = `  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }`;
const LISTENER_443 = `  listener {
    lb_port            = 443
    lb_protocol        = "https"
    instance_port      = 8080
    instance_protocol  = "http"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:123456789012:certificate/aaa"
  }`;

/** A CloudFormation template with the given resources (YAML, indented two spaces). */
const cfn = (resources: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
${resources}`;

function cfnTargetGroup(properties: string, attributes = ""): string {
  return cfn(`  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      VpcId: vpc-123
${properties}${attributes ? `\n      TargetGroupAttributes:\n${attributes}` : ""}
`);
}

function cfnLoadBalancer(properties: string, attributes = ""): string {
  return cfn(`  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [subnet-1, subnet-2]
${properties}${attributes ? `\n      LoadBalancerAttributes:\n${attributes}` : ""}
`);
}

function cfnListener(properties: string): string {
  return cfn(`  HttpsListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref TargetGroup
${properties}
`);
}

const attribute = (key: string, value: string) =>
  `        - Key: ${key}\n          Value: ${value}`;

// --- health checks -------------------------------------------------------------------------

table("aws.health-check.out-of-range", [
  {
    name: "an interval of 3 s is rejected",
    before: tgBase("    interval = 30"),
    after: tgBase("    interval = 3"),
    expect: {
      severity: "medium",
      marker: "interval = 3",
      phrase: "outside the 5–300 s AWS accepts",
    },
  },
  {
    name: "CloudFormation timeout above 120 s",
    before: cfnTargetGroup("      HealthCheckTimeoutSeconds: 5"),
    after: cfnTargetGroup("      HealthCheckTimeoutSeconds: 150"),
    expect: {
      severity: "medium",
      marker: "HealthCheckTimeoutSeconds",
      phrase: "the deploy will fail",
    },
  },
  {
    name: "Classic timeout above 60 s",
    before: classic(""),
    after: classic("").replace("timeout             = 5", "timeout             = 90"),
    expect: { severity: "medium", marker: "timeout             = 90", phrase: "2–60 s" },
  },
  {
    name: "an interval of 5 s is accepted",
    before: tgBase("    interval = 30"),
    after: tgBase("    interval = 5"),
    expect: null,
  },
  {
    name: "an invalid value the change did not touch",
    before: tgBase('    interval = 3\n    path = "/a"'),
    after: tgBase('    interval = 3\n    path = "/b"'),
    expect: null,
  },
  {
    name: "an expression cannot be judged",
    before: tgBase("    interval = 30"),
    after: tgBase("    interval = var.interval"),
    expect: null,
  },
]);

table("aws.health-check.path-changed", [
  {
    name: "a new path",
    before: tgBase('    path = "/"'),
    after: tgBase('    path = "/health"'),
    expect: { severity: "high", marker: 'path = "/health"', phrase: "fails open" },
  },
  {
    name: "a path where Terraform had the default",
    before: tgBase("    interval = 30"),
    after: tgBase('    interval = 30\n    path = "/ready"'),
    expect: { severity: "high", marker: 'path = "/ready"', phrase: 'instead of "/"' },
  },
  {
    name: "CloudFormation: from the default / to /status",
    before: cfnTargetGroup("      HealthCheckIntervalSeconds: 30"),
    after: cfnTargetGroup("      HealthCheckIntervalSeconds: 30\n      HealthCheckPath: /status"),
    expect: { severity: "high", marker: "HealthCheckPath", phrase: '"/status"' },
  },
  {
    name: "Classic check target path",
    before: classic(""),
    after: classic("").replace('"HTTP:80/"', '"HTTP:80/health"'),
    expect: { severity: "high", marker: "HTTP:80/health", phrase: "nowhere to send requests" },
  },
  {
    name: "removing path in Terraform keeps the current one",
    before: tgBase('    path = "/health"'),
    after: tgBase("    interval = 30"),
    expect: null,
  },
  {
    name: "a TCP check ignores the path",
    before: tgBase('    protocol = "TCP"\n    path = "/a"'),
    after: tgBase('    protocol = "TCP"\n    path = "/b"'),
    expect: null,
  },
  {
    name: "an expression cannot be judged",
    before: tgBase('    path = "/"'),
    after: tgBase("    path = var.health_path"),
    expect: null,
  },
]);

table("aws.health-check.port-changed", [
  {
    name: "traffic-port → 8081",
    before: tgBase('    port = "traffic-port"'),
    after: tgBase('    port = "8081"'),
    expect: { severity: "high", marker: 'port = "8081"', phrase: "probes port 8081 instead of 80" },
  },
  {
    name: "traffic-port → the group's own port is no change",
    before: tgBase('    port = "traffic-port"'),
    after: tgBase('    port = "80"'),
    expect: null,
  },
]);

table("aws.health-check.protocol-changed", [
  {
    name: "HTTP → HTTPS",
    before: tgBase('    protocol = "HTTP"'),
    after: tgBase('    protocol = "HTTPS"'),
    expect: { severity: "high", marker: 'protocol = "HTTPS"', phrase: "from HTTP to HTTPS" },
  },
  {
    name: "HTTP → TCP only checks connections",
    before: tgBase('    protocol = "HTTP"'),
    after: tgBase('    protocol = "TCP"'),
    expect: { severity: "medium", marker: 'protocol = "TCP"', phrase: "only opens a connection" },
  },
  {
    name: "case is not a change",
    before: tgBase('    protocol = "http"'),
    after: tgBase('    protocol = "HTTP"'),
    expect: null,
  },
]);

table("aws.health-check.matcher-widened", [
  {
    name: "200 → 200-499 hides errors",
    before: tgBase('    matcher = "200"'),
    after: tgBase('    matcher = "200-499"'),
    expect: { severity: "medium", marker: 'matcher = "200-499"', phrase: "400-499 as healthy" },
  },
  {
    name: "200 → 200-299 is low",
    before: cfnTargetGroup("      Matcher:\n        HttpCode: 200"),
    after: cfnTargetGroup("      Matcher:\n        HttpCode: 200-299"),
    expect: { severity: "low", marker: "HttpCode", phrase: "also accepts 201-299" },
  },
  {
    name: "the same codes in another order",
    before: tgBase('    matcher = "200,202"'),
    after: tgBase('    matcher = "202,200"'),
    expect: null,
  },
  {
    name: "a narrowed matcher is the other rule's",
    before: tgBase('    matcher = "200-399"'),
    after: tgBase('    matcher = "200"'),
    expect: null,
  },
]);

table("aws.health-check.matcher-narrowed", [
  {
    name: "200-399 → 200",
    before: tgBase('    matcher = "200-399"'),
    after: tgBase('    matcher = "200"'),
    expect: { severity: "high", marker: 'matcher = "200"', phrase: "no longer accepts 201-399" },
  },
  {
    name: "a widened matcher",
    before: tgBase('    matcher = "200"'),
    after: tgBase('    matcher = "200-399"'),
    expect: null,
  },
]);

table("aws.health-check.disabled", [
  {
    name: "instance group: AWS does not allow it",
    before: tgBase("    enabled = true"),
    after: tgBase("    enabled = false"),
    expect: {
      severity: "medium",
      marker: "enabled = false",
      phrase: "cannot disable health checks",
    },
  },
  {
    name: "Lambda group",
    before: tg('  name        = "fn"\n  target_type = "lambda"', "    enabled = true"),
    after: tg('  name        = "fn"\n  target_type = "lambda"', "    enabled = false"),
    expect: {
      severity: "low",
      marker: "enabled = false",
      phrase: "invokes it whether or not it works",
    },
  },
  {
    name: "still enabled",
    before: tgBase("    enabled = true"),
    after: tgBase("    enabled = true\n    interval = 20"),
    expect: null,
  },
]);

// --- target groups ---------------------------------------------------------------------------

const tgAttrs = (port: string, extra = "") =>
  tg(
    `  name     = "web"\n  port     = ${port}\n  protocol = "HTTP"\n  vpc_id   = "vpc-123"${extra}`,
    "",
  );

table("aws.target-group.replaced", [
  {
    name: "a new port without create_before_destroy",
    before: tgAttrs("80"),
    after: tgAttrs("8080"),
    expect: { severity: "high", marker: "port     = 8080", phrase: "ResourceInUse" },
  },
  {
    name: "with create_before_destroy and a fixed name the deploy fails",
    before: tgAttrs("80", "\n  lifecycle {\n    create_before_destroy = true\n  }"),
    after: tgAttrs("8080", "\n  lifecycle {\n    create_before_destroy = true\n  }"),
    expect: { severity: "medium", marker: "port     = 8080", phrase: "DuplicateTargetGroupName" },
  },
  {
    name: "name → name_prefix with create_before_destroy",
    before: tg(
      '  name     = "web"\n  port     = 80\n  protocol = "HTTP"\n  vpc_id   = "vpc-123"\n  lifecycle {\n    create_before_destroy = true\n  }',
    ),
    after: tg(
      '  name_prefix = "web-"\n  port        = 80\n  protocol    = "HTTP"\n  vpc_id      = "vpc-123"\n  lifecycle {\n    create_before_destroy = true\n  }',
    ),
    expect: {
      severity: "medium",
      marker: "name_prefix",
      phrase: "starts with no registered targets",
    },
  },
  {
    name: "CloudFormation Port",
    before: cfnTargetGroup("      HealthCheckPath: /"),
    after: cfnTargetGroup("      HealthCheckPath: /").replace("Port: 80", "Port: 8080"),
    expect: { severity: "medium", marker: "Port: 8080", phrase: "will be replaced" },
  },
  {
    name: '"80" and 80 are the same port',
    before: tgAttrs('"80"'),
    after: tgAttrs("80"),
    expect: null,
  },
  {
    name: "an expression cannot be judged",
    before: tgAttrs("var.port"),
    after: tgAttrs("var.other_port"),
    expect: null,
  },
  {
    name: "adding the default protocol_version",
    before: tgAttrs("80"),
    after: tgAttrs("80", '\n  protocol_version = "HTTP1"'),
    expect: null,
  },
]);

table("aws.target-group.deregistration-delay-cut", [
  {
    name: "default 300 s → 5 s",
    before: tgBase(""),
    after: tgBase("", "  deregistration_delay = 5"),
    expect: { severity: "high", marker: "deregistration_delay = 5", phrase: "from 5 min to 5 s" },
  },
  {
    name: "300 s → 120 s",
    before: tgBase("", '  deregistration_delay = "300"'),
    after: tgBase("", '  deregistration_delay = "120"'),
    expect: {
      severity: "medium",
      marker: "deregistration_delay",
      phrase: "requests still running 2 min",
    },
  },
  {
    name: "60 s → 45 s",
    before: tgBase("", "  deregistration_delay = 60"),
    after: tgBase("", "  deregistration_delay = 45"),
    expect: {
      severity: "low",
      marker: "deregistration_delay = 45",
      phrase: "cut from 60 s to 45 s",
    },
  },
  {
    name: "CloudFormation attribute 300 → 0",
    before: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'300'")),
    after: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'0'")),
    expect: { severity: "high", marker: "Value: '0'", phrase: "cut as soon as" },
  },
  {
    name: "a raise",
    before: tgBase("", "  deregistration_delay = 30"),
    after: tgBase("", "  deregistration_delay = 60"),
    expect: null,
  },
  {
    name: "a CloudFormation parameter",
    before: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "'300'")),
    after: cfnTargetGroup("", attribute("deregistration_delay.timeout_seconds", "!Ref Delay")),
    expect: null,
  },
]);

table("aws.target-group.slow-start-changed", [
  {
    name: "turned off",
    before: tgBase("", "  slow_start = 60"),
    after: tgBase("", "  slow_start = 0"),
    expect: { severity: "medium", marker: "slow_start = 0", phrase: "full share of requests" },
  },
  {
    name: "turned on",
    before: tgBase(""),
    after: tgBase("", "  slow_start = 120"),
    expect: { severity: "low", marker: "slow_start = 120", phrase: "ramp up over 2 min" },
  },
  {
    name: "the default made explicit",
    before: tgBase(""),
    after: tgBase("", "  slow_start = 0"),
    expect: null,
  },
]);

table("aws.target-group.algorithm-changed", [
  {
    name: "round robin → least outstanding requests",
    before: tgBase(""),
    after: tgBase("", '  load_balancing_algorithm_type = "least_outstanding_requests"'),
    expect: {
      severity: "medium",
      marker: "load_balancing_algorithm_type",
      phrase: "instead of round_robin",
    },
  },
  {
    name: "the default made explicit",
    before: tgBase(""),
    after: tgBase("", '  load_balancing_algorithm_type = "round_robin"'),
    expect: null,
  },
]);

table("aws.target-group.proxy-protocol-flipped", [
  {
    name: "turned on",
    before: tgBase("", "  proxy_protocol_v2 = false"),
    after: tgBase("", "  proxy_protocol_v2 = true"),
    expect: {
      severity: "high",
      marker: "proxy_protocol_v2 = true",
      phrase: "PROXY protocol v2 header",
    },
  },
  {
    name: "the default made explicit",
    before: tgBase(""),
    after: tgBase("", "  proxy_protocol_v2 = false"),
    expect: null,
  },
]);

table("aws.attribute.out-of-range", [
  {
    name: "deregistration delay above 3600 s",
    before: tgBase(""),
    after: tgBase("", "  deregistration_delay = 4000"),
    expect: { severity: "medium", marker: "deregistration_delay = 4000", phrase: "0–3600 s" },
  },
  {
    name: "slow start between 1 and 29 s",
    before: tgBase("", "  slow_start = 30"),
    after: tgBase("", "  slow_start = 10"),
    expect: { severity: "medium", marker: "slow_start = 10", phrase: "0 (off) or 30–900 s" },
  },
  {
    name: "slow start off",
    before: tgBase("", "  slow_start = 30"),
    after: tgBase("", "  slow_start = 0"),
    expect: null,
  },
]);

// --- load balancers --------------------------------------------------------------------------

table("aws.load-balancer.replaced", [
  {
    name: "a new name",
    before: lb("  internal = false"),
    after: lb("  internal = false").replace('name    = "main"', 'name    = "main-v2"'),
    expect: { severity: "high", marker: 'name    = "main-v2"', phrase: "new DNS name" },
  },
  {
    name: "CloudFormation: a Classic load balancer becomes an ALB under the same logical id",
    before: cfn(`  LoadBalancer:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - LoadBalancerPort: 80
          InstancePort: 8080
          Protocol: HTTP
`),
    after: cfnLoadBalancer("      Scheme: internet-facing"),
    expect: { severity: "high", marker: "  LoadBalancer:", phrase: '"classic" → "application"' },
  },
  {
    name: "removing the name keeps it in Terraform",
    before: lb("  internal = false"),
    after: lb("  internal = false").replace('  name    = "main"\n', ""),
    expect: null,
  },
]);

table("aws.load-balancer.internal-flipped", [
  {
    name: "becomes internal",
    before: lb("  internal = false"),
    after: lb("  internal = true"),
    expect: { severity: "high", marker: "internal = true", phrase: "can no longer reach it" },
  },
  {
    name: "CloudFormation scheme becomes internet-facing",
    before: cfnLoadBalancer("      Scheme: internal"),
    after: cfnLoadBalancer("      Scheme: internet-facing"),
    expect: {
      severity: "high",
      marker: "Scheme: internet-facing",
      phrase: "reachable from the internet",
    },
  },
  {
    name: "the default made explicit",
    before: lb(""),
    after: lb("  internal = false"),
    expect: null,
  },
]);

table("aws.load-balancer.idle-timeout-cut", [
  {
    name: "60 s → 20 s",
    before: lb(""),
    after: lb("  idle_timeout = 20"),
    expect: { severity: "medium", marker: "idle_timeout = 20", phrase: "ends in a 504" },
  },
  {
    name: "60 s → 50 s",
    before: lb("  idle_timeout = 60"),
    after: lb("  idle_timeout = 50"),
    expect: { severity: "low", marker: "idle_timeout = 50", phrase: "from 60 s to 50 s" },
  },
  {
    name: "a Network Load Balancer has no idle timeout here",
    before: lb('  load_balancer_type = "network"\n  idle_timeout = 60'),
    after: lb('  load_balancer_type = "network"\n  idle_timeout = 20'),
    expect: null,
  },
]);

table("aws.load-balancer.idle-timeout-raised", [
  {
    name: "60 s → 120 s passes nginx's keep-alive",
    before: lb("  idle_timeout = 60"),
    after: lb("  idle_timeout = 120"),
    expect: { severity: "medium", marker: "idle_timeout = 120", phrase: "intermittent 502s" },
  },
  {
    name: "CloudFormation attribute 60 → 70 s",
    before: cfnLoadBalancer(
      "      Scheme: internal",
      attribute("idle_timeout.timeout_seconds", "'60'"),
    ),
    after: cfnLoadBalancer(
      "      Scheme: internal",
      attribute("idle_timeout.timeout_seconds", "'70'"),
    ),
    expect: { severity: "low", marker: "Value: '70'", phrase: "longer than 70 s" },
  },
  {
    name: "a Classic load balancer with TCP listeners only",
    before: classic("  idle_timeout = 60", LISTENER_80.replaceAll('"http"', '"tcp"')),
    after: classic("  idle_timeout = 600", LISTENER_80.replaceAll('"http"', '"tcp"')),
    expect: null,
  },
]);

table("aws.load-balancer.deletion-protection-off", [
  {
    name: "true → false",
    before: lb("  enable_deletion_protection = true"),
    after: lb("  enable_deletion_protection = false"),
    expect: {
      severity: "high",
      marker: "enable_deletion_protection = false",
      phrase: "loses its deletion protection",
    },
  },
  {
    name: "CloudFormation attribute removed (default false)",
    before: cfnLoadBalancer(
      "      Scheme: internal",
      attribute("deletion_protection.enabled", "'true'"),
    ),
    after: cfnLoadBalancer("      Scheme: internal"),
    expect: { severity: "high", marker: "Properties:", phrase: "deletion protection" },
  },
  {
    name: "false → true",
    before: lb("  enable_deletion_protection = false"),
    after: lb("  enable_deletion_protection = true"),
    expect: null,
  },
]);

table("aws.load-balancer.desync-mitigation-weakened", [
  {
    name: "strictest → monitor",
    before: lb('  desync_mitigation_mode = "strictest"'),
    after: lb('  desync_mitigation_mode = "monitor"'),
    expect: { severity: "high", marker: '"monitor"', phrase: "request smuggling" },
  },
  {
    name: "strictest → the default (defensive)",
    before: lb('  desync_mitigation_mode = "strictest"'),
    after: lb(""),
    expect: {
      severity: "medium",
      marker: 'resource "aws_lb"',
      phrase: "from strictest to defensive",
    },
  },
  {
    name: "defensive → strictest",
    before: lb(""),
    after: lb('  desync_mitigation_mode = "strictest"'),
    expect: null,
  },
]);

table("aws.load-balancer.drop-invalid-headers-off", [
  {
    name: "CloudFormation attribute true → false",
    before: cfnLoadBalancer(
      "      Scheme: internal",
      attribute("routing.http.drop_invalid_header_fields.enabled", "'true'"),
    ),
    after: cfnLoadBalancer(
      "      Scheme: internal",
      attribute("routing.http.drop_invalid_header_fields.enabled", "'false'"),
    ),
    expect: { severity: "high", marker: "Value: 'false'", phrase: "invalid header fields" },
  },
  {
    name: "the default made explicit",
    before: lb(""),
    after: lb("  drop_invalid_header_fields = false"),
    expect: null,
  },
]);

// --- listeners -------------------------------------------------------------------------------

const FORWARD_WEB = forwardTo("aws_lb_target_group.web.arn");
const httpsListener = (policy: string) =>
  listener(`${HTTPS}${policy ? `\n  ssl_policy      = "${policy}"` : ""}`, FORWARD_WEB);

table("aws.listener.ssl-policy-downgraded", [
  {
    name: "TLS 1.2+ → 2016-08",
    before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    after: httpsListener("ELBSecurityPolicy-2016-08"),
    expect: { severity: "high", marker: "ELBSecurityPolicy-2016-08", phrase: "TLS 1.0" },
  },
  {
    name: "legacy ciphers added at the same floor",
    before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    after: httpsListener("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"),
    expect: { severity: "medium", marker: "Ext2", phrase: "legacy cipher suites" },
  },
  {
    name: "a new HTTPS listener without a policy",
    before: "",
    after: httpsListener(""),
    expect: {
      severity: "medium",
      marker: 'resource "aws_lb_listener"',
      phrase: "ELBSecurityPolicy-2016-08",
    },
  },
  {
    name: "Terraform keeps a removed policy",
    before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    after: httpsListener(""),
    expect: {
      severity: "low",
      marker: 'resource "aws_lb_listener"',
      phrase: "Terraform keeps the current policy",
    },
  },
  {
    name: "CloudFormation: a removed policy falls back to 2016-08",
    before: cfnListener(
      "      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
    ),
    after: cfnListener("      Port: 443\n      Protocol: HTTPS"),
    expect: { severity: "high", marker: "Properties:", phrase: "as the policy is removed" },
  },
  {
    name: "raising the floor is low",
    before: httpsListener("ELBSecurityPolicy-2016-08"),
    after: httpsListener("ELBSecurityPolicy-TLS13-1-3-2021-06"),
    expect: { severity: "low", marker: "TLS13-1-3", phrase: "can no longer connect" },
  },
  {
    name: "another policy with the same protocols",
    before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    after: httpsListener("ELBSecurityPolicy-TLS13-1-2-Res-2021-06"),
    expect: null,
  },
]);

table("aws.listener.protocol-downgraded", [
  {
    name: "HTTPS → HTTP",
    before: listener('  port     = 443\n  protocol = "HTTPS"', FORWARD_WEB),
    after: listener('  port     = 443\n  protocol = "HTTP"', FORWARD_WEB),
    expect: { severity: "high", marker: 'protocol = "HTTP"', phrase: "no longer encrypted" },
  },
  {
    name: "TCP → TLS",
    before: listener('  port     = 443\n  protocol = "TCP"', FORWARD_WEB),
    after: listener('  port     = 443\n  protocol = "TLS"', FORWARD_WEB),
    expect: { severity: "low", marker: 'protocol = "TLS"', phrase: "plain text" },
  },
  {
    name: "unchanged protocol",
    before: listener('  port     = 80\n  protocol = "HTTP"', FORWARD_WEB),
    after: listener('  port     = 8080\n  protocol = "HTTP"', FORWARD_WEB),
    expect: null,
  },
]);

table("aws.listener.port-changed", [
  {
    name: "443 → 8443",
    before: listener('  port     = 443\n  protocol = "HTTPS"', FORWARD_WEB),
    after: listener('  port     = 8443\n  protocol = "HTTPS"', FORWARD_WEB),
    expect: { severity: "high", marker: "port     = 8443", phrase: "connecting to port 443 fail" },
  },
  {
    name: "a Classic load balancer stops listening on 80",
    before: classic("", `${LISTENER_80}\n${LISTENER_443}`),
    after: classic("", LISTENER_443),
    expect: {
      severity: "high",
      marker: 'resource "aws_elb"',
      phrase: "port 80 of classic load balancer",
    },
  },
  {
    name: "Classic listeners reordered",
    before: classic("", `${LISTENER_80}\n${LISTENER_443}`),
    after: classic("", `${LISTENER_443}\n${LISTENER_80}`),
    expect: null,
  },
]);

describe("aws.listener.port-changed: a port still served elsewhere", () => {
  it("is medium when another listener of the same load balancer takes the old port", () => {
    const before =
      listener('  port     = 80\n  protocol = "HTTP"', FORWARD_WEB, "a") +
      listener('  port     = 8080\n  protocol = "HTTP"', FORWARD_WEB, "b");
    const after =
      listener('  port     = 8080\n  protocol = "HTTP"', FORWARD_WEB, "a") +
      listener('  port     = 80\n  protocol = "HTTP"', FORWARD_WEB, "b");
    const found = findingsOf("aws.listener.port-changed", "lb.tf", before, after);
    expect(found.map((f) => f.severity)).toEqual(["medium", "medium"]);
    expect(found[0]!.message).toContain("still served by another listener");
  });
});

table("aws.listener.certificate-changed", [
  {
    name: "another certificate ARN",
    before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    after: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06").replace(
      "certificate/aaa",
      "certificate/bbb",
    ),
    expect: { severity: "medium", marker: "certificate/bbb", phrase: "subject alternative names" },
  },
  {
    name: "certificate removed from an HTTPS listener",
    before: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    after: httpsListener("ELBSecurityPolicy-TLS13-1-2-2021-06").replace(
      /\n {2}certificate_arn.*\n/,
      "\n",
    ),
    expect: {
      severity: "medium",
      marker: 'resource "aws_lb_listener"',
      phrase: "the deploy will fail",
    },
  },
  {
    name: "the same certificate through its validation resource",
    before: listener(
      '  port            = 443\n  protocol        = "HTTPS"\n  certificate_arn = aws_acm_certificate.site.arn',
      FORWARD_WEB,
    ),
    after: listener(
      '  port            = 443\n  protocol        = "HTTPS"\n  certificate_arn = aws_acm_certificate_validation.site.certificate_arn',
      FORWARD_WEB,
    ),
    expect: null,
  },
]);

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
const HTTP_80 = '  port     = 80\n  protocol = "HTTP"';

table("aws.listener.action-changed", [
  {
    name: "another target group",
    before: listener(HTTP_80, FORWARD_WEB),
    after: listener(HTTP_80, forwardTo("aws_lb_target_group.api.arn")),
    expect: { severity: "medium", marker: "default_action", phrase: "all requests move at once" },
  },
  {
    name: "forward → fixed response",
    before: listener(HTTP_80, FORWARD_WEB),
    after: listener(
      HTTP_80,
      '  default_action {\n    type = "fixed-response"\n    fixed_response {\n      content_type = "text/plain"\n      status_code  = "503"\n    }\n  }',
    ),
    expect: { severity: "high", marker: "default_action", phrase: "fixed 503 response" },
  },
  {
    name: "forward → redirect to HTTPS on an HTTP listener",
    before: listener(HTTP_80, FORWARD_WEB),
    after: listener(
      HTTP_80,
      '  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }',
    ),
    expect: { severity: "low", marker: "default_action", phrase: "redirects to HTTPS" },
  },
  {
    name: "weighted 90/10 → 50/50 moves 40 %",
    before: listener(HTTP_80, weighted(90, 10)),
    after: listener(HTTP_80, weighted(50, 50)),
    expect: { severity: "medium", marker: "default_action", phrase: "shifts 40% of requests" },
  },
  {
    name: "weighted 90/10 → 80/20 is low",
    before: listener(HTTP_80, weighted(90, 10)),
    after: listener(HTTP_80, weighted(80, 20)),
    expect: { severity: "low", marker: "default_action", phrase: "shifts 10% of requests" },
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
    expect: { severity: "high", marker: "Actions:", phrase: "no longer authenticates" },
  },
  {
    name: "targets that are expressions",
    before: listener(HTTP_80, forwardTo("var.target_group_arn")),
    after: listener(HTTP_80, forwardTo("var.other_target_group_arn")),
    expect: null,
  },
  {
    name: "the same weights written again",
    before: listener(HTTP_80, weighted(90, 10)),
    after: listener(HTTP_80, weighted(9, 1)),
    expect: null,
  },
]);

// --- Classic load balancers ------------------------------------------------------------------

table("aws.classic.connection-draining-off", [
  {
    name: "true → false",
    before: classic("  connection_draining = true"),
    after: classic("  connection_draining = false"),
    expect: { severity: "high", marker: "connection_draining = false", phrase: "cut at once" },
  },
  {
    name: "CloudFormation policy disabled",
    before: cfn(`  Legacy:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      ConnectionDrainingPolicy:
        Enabled: true
        Timeout: 120
`),
    after: cfn(`  Legacy:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      ConnectionDrainingPolicy:
        Enabled: false
        Timeout: 120
`),
    expect: { severity: "high", marker: "Enabled: false", phrase: "it allowed 2 min" },
  },
  {
    name: "only the timeout changes",
    before: classic("  connection_draining = true\n  connection_draining_timeout = 300"),
    after: classic("  connection_draining = true\n  connection_draining_timeout = 400"),
    expect: null,
  },
]);

table("aws.classic.connection-draining-cut", [
  {
    name: "300 s → 5 s",
    before: classic("  connection_draining = true"),
    after: classic("  connection_draining = true\n  connection_draining_timeout = 5"),
    expect: {
      severity: "high",
      marker: "connection_draining_timeout = 5",
      phrase: "from 5 min to 5 s",
    },
  },
  {
    name: "draining off is the other rule's",
    before: classic("  connection_draining = true"),
    after: classic("  connection_draining = false\n  connection_draining_timeout = 5"),
    expect: null,
  },
]);

// --- deletions -------------------------------------------------------------------------------

const tgNamed = (name: string) =>
  tg(
    `  name     = "${name}"\n  port     = 80\n  protocol = "HTTP"\n  vpc_id   = "vpc-123"`,
    "",
    name,
  );

table("aws.resource.removed", [
  {
    name: "a listener",
    before: lb("") + listener(HTTP_80, FORWARD_WEB),
    after: lb(""),
    expect: {
      severity: "high",
      marker: 'resource "aws_lb_listener"',
      phrase: "clients connecting to its port fail",
      side: "before",
    },
  },
  {
    name: "a target group whose listener was repointed",
    before: tgNamed("web") + tgNamed("api") + listener(HTTP_80, FORWARD_WEB),
    after: tgNamed("api") + listener(HTTP_80, forwardTo("aws_lb_target_group.api.arn")),
    expect: {
      severity: "medium",
      marker: 'resource "aws_lb_target_group" "web"',
      phrase: "repointed in this change (aws_lb_listener.https)",
      side: "before",
    },
  },
  {
    name: "a target group still referenced",
    before: tgNamed("web") + listener(HTTP_80, FORWARD_WEB),
    after: listener(HTTP_80, FORWARD_WEB),
    expect: {
      severity: "medium",
      marker: 'resource "aws_lb_target_group" "web"',
      phrase: "the plan will fail",
      side: "before",
    },
  },
  {
    name: "a CloudFormation listener",
    before: cfnListener(
      "      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
    ),
    after: cfn("  Other:\n    Type: AWS::SNS::Topic\n"),
    expect: {
      severity: "high",
      marker: "HttpsListener:",
      phrase: "listener HttpsListener is deleted",
      side: "before",
    },
  },
  {
    name: "renamed with a moved block",
    before: lb(""),
    after: lb("", "primary") + "moved {\n  from = aws_lb.main\n  to   = aws_lb.primary\n}\n",
    expect: null,
  },
  {
    name: "CloudFormation DeletionPolicy: Retain",
    before: cfn(
      "  LoadBalancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    DeletionPolicy: Retain\n    Properties:\n      Scheme: internal\n",
    ),
    after: cfn("  Other:\n    Type: AWS::SNS::Topic\n"),
    expect: null,
  },
  {
    name: "a resource of another service",
    before: lb("") + 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n',
    after: lb(""),
    expect: null,
  },
]);

describeChecks();

describe("aws dialects", () => {
  it("never judges files of other dialects", () => {
    const compose = "services:\n  web:\n    image: nginx\n";
    const result = analyze([
      { path: "docker-compose.yml", before: compose, after: compose.replace("nginx", "httpd") },
    ]);
    expect(result.findings.filter((f) => f.rule.startsWith("aws."))).toEqual([]);
  });
});
