import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { AZURE_RULES } from "../../src/rules/azure/index.js";
import { markerFamily } from "./table.js";

const { table, describeChecks } = markerFamily({
  family: "azure",
  rules: AZURE_RULES,
  minRules: 3,
  path: "lb.tf",
});

const probe = (attrs: string) => `resource "azurerm_lb_probe" "web" {
  loadbalancer_id = azurerm_lb.main.id
  name            = "web"
${attrs}
}
`;

const rule = (attrs: string, name = "web") => `resource "azurerm_lb_rule" "${name}" {
  loadbalancer_id                = azurerm_lb.main.id
  name                           = "${name}"
  protocol                       = "Tcp"
  frontend_port                  = 443
  backend_port                   = 8443
  frontend_ip_configuration_name = "public"
  probe_id                       = azurerm_lb_probe.web.id
${attrs}
}
`;

function gateway(settings: string, probes = PROBE) {
  return `resource "azurerm_application_gateway" "edge" {
  name                = "edge"
  resource_group_name = "rg"
  location            = "westeurope"
  backend_http_settings {
    name                  = "app"
    cookie_based_affinity = "Disabled"
    port                  = 8080
    protocol              = "Http"
    request_timeout       = 30
${settings}
  }
${probes}
}
`;
}

const draining = (enabled: boolean, timeout: number) =>
  `    connection_draining {\n      enabled           = ${enabled}\n      drain_timeout_sec = ${timeout}\n    }`;

const PROBE = gatewayProbe('    path                = "/health"');

function gatewayProbe(attrs: string, match = "") {
  return `  probe {
    name                = "app"
    protocol            = "Http"
    host                = "app.internal"
    interval            = 30
    timeout             = 30
    unhealthy_threshold = 3
${attrs}${match ? `\n${match}` : ""}
  }`;
}

const matchCodes = (codes: string) => `    match {\n      status_code = [${codes}]\n    }`;

table("azure.lb-probe.below-minimum", [
  {
    name: "interval × number_of_probes below 10 s",
    before: probe("  port = 80\n  interval_in_seconds = 15\n  number_of_probes = 2"),
    after: probe("  port = 80\n  interval_in_seconds = 5\n  number_of_probes = 1"),
    expect: {
      severity: "medium",
      marker: "number_of_probes = 1",
      phrase: "5 s × 1 = 5 s, below the 10 s minimum",
    },
  },
  {
    name: "interval below 5 s",
    before: probe("  port = 80\n  number_of_probes = 3"),
    after: probe("  port = 80\n  number_of_probes = 3\n  interval_in_seconds = 4"),
    expect: {
      severity: "medium",
      marker: "interval_in_seconds = 4",
      phrase: "below the 5 s minimum",
    },
  },
  {
    name: "probe_threshold 0",
    before: probe("  port = 80"),
    after: probe("  port = 80\n  probe_threshold = 0"),
    expect: { severity: "medium", marker: "probe_threshold = 0", phrase: "outside 1–100" },
  },
  {
    name: "exactly 10 s",
    before: probe("  port = 80"),
    after: probe("  port = 80\n  interval_in_seconds = 5"),
    expect: null,
  },
  {
    name: "a violation the change did not touch",
    before: probe("  port = 80\n  interval_in_seconds = 4\n  number_of_probes = 3"),
    after: probe("  port = 81\n  interval_in_seconds = 4\n  number_of_probes = 3"),
    expect: null,
  },
]);

table("azure.lb-probe.target-changed", [
  {
    name: "Tcp → Http with a path",
    before: probe("  port = 80"),
    after: probe('  port = 80\n  protocol = "Http"\n  request_path = "/health"'),
    expect: { severity: "high", marker: 'protocol = "Http"', phrase: "with a 200" },
  },
  {
    name: "a new port",
    before: probe("  port = 80"),
    after: probe("  port = 8080"),
    expect: { severity: "high", marker: "port = 8080", phrase: "port 80 → 8080" },
  },
  {
    name: "Http → Tcp",
    before: probe('  port = 80\n  protocol = "Http"\n  request_path = "/health"'),
    after: probe('  port = 80\n  protocol = "Tcp"\n  request_path = "/health"'),
    expect: {
      severity: "medium",
      marker: 'protocol = "Tcp"',
      phrase: "only checks that the port accepts TCP connections",
    },
  },
  {
    name: "case is not a change",
    before: probe('  port = 80\n  protocol = "Http"\n  request_path = "/"'),
    after: probe('  port = 80\n  protocol = "HTTP"\n  request_path = "/"'),
    expect: null,
  },
]);

table("azure.lb-rule.idle-timeout-cut", [
  {
    name: "30 → 4 minutes, TCP reset off",
    before: rule("  idle_timeout_in_minutes = 30"),
    after: rule("  idle_timeout_in_minutes = 4"),
    expect: { severity: "medium", marker: "idle_timeout_in_minutes = 4", phrase: "silently" },
  },
  {
    name: "30 → 20 minutes with TCP reset",
    before: rule("  idle_timeout_in_minutes = 30\n  tcp_reset_enabled = true"),
    after: rule("  idle_timeout_in_minutes = 20\n  tcp_reset_enabled = true"),
    expect: { severity: "low", marker: "idle_timeout_in_minutes = 20", phrase: "with a TCP reset" },
  },
  {
    name: "above 100 minutes",
    before: rule(""),
    after: rule("  idle_timeout_in_minutes = 120"),
    expect: {
      severity: "medium",
      marker: "idle_timeout_in_minutes = 120",
      phrase: "the deploy will fail",
    },
  },
  {
    name: "a raise",
    before: rule(""),
    after: rule("  idle_timeout_in_minutes = 10"),
    expect: null,
  },
]);

table("azure.lb-rule.floating-ip-flipped", [
  {
    name: "turned on (v3 name)",
    before: rule(""),
    after: rule("  enable_floating_ip = true"),
    expect: { severity: "high", marker: "enable_floating_ip = true", phrase: "loopback" },
  },
  {
    name: "turned off (v4 name)",
    before: rule("  floating_ip_enabled = true"),
    after: rule("  floating_ip_enabled = false"),
    expect: {
      severity: "high",
      marker: "floating_ip_enabled = false",
      phrase: "direct server return",
    },
  },
  {
    name: "the default made explicit",
    before: rule(""),
    after: rule("  floating_ip_enabled = false"),
    expect: null,
  },
]);

const outboundRule = `resource "azurerm_lb_outbound_rule" "egress" {
  name                    = "egress"
  loadbalancer_id         = azurerm_lb.main.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.web.id
  frontend_ip_configuration {
    name = "public"
  }
}
`;

table("azure.lb-rule.outbound-snat-disabled", [
  {
    name: "no outbound rule in the file",
    before: rule(""),
    after: rule("  disable_outbound_snat = true"),
    expect: {
      severity: "high",
      marker: "disable_outbound_snat = true",
      phrase: "may lose outbound internet access",
    },
  },
  {
    name: "an outbound rule takes over",
    before: rule(""),
    after: rule("  disable_outbound_snat = true") + outboundRule,
    expect: {
      severity: "medium",
      marker: "disable_outbound_snat = true",
      phrase: "outbound rule or NAT gateway defined in this file",
    },
  },
  {
    name: "SNAT turned back on",
    before: rule("  disable_outbound_snat = true"),
    after: rule("  disable_outbound_snat = false"),
    expect: null,
  },
]);

table("azure.app-gateway.probe-changed", [
  {
    name: "a new path",
    before: gateway(""),
    after: gateway("", gatewayProbe('    path                = "/ready"')),
    expect: { severity: "high", marker: "/ready", phrase: 'path "/health" → "/ready"' },
  },
  {
    name: "status codes narrowed from the default 200-399",
    before: gateway(""),
    after: gateway("", gatewayProbe('    path                = "/health"', matchCodes('"200"'))),
    expect: { severity: "high", marker: "match {", phrase: "no longer accepts 201-399" },
  },
  {
    name: "status codes widened to 404",
    before: gateway(
      "",
      gatewayProbe('    path                = "/health"', matchCodes('"200-399"')),
    ),
    after: gateway(
      "",
      gatewayProbe('    path                = "/health"', matchCodes('"200-399", "404"')),
    ),
    expect: { severity: "medium", marker: "match {", phrase: "404 as healthy" },
  },
  {
    name: "only the interval changes (the lb.health-check rules judge it)",
    before: gateway(""),
    after: gateway("", PROBE.replace("interval            = 30", "interval            = 60")),
    expect: null,
  },
]);

table("azure.app-gateway.connection-draining-weakened", [
  {
    name: "turned off",
    before: gateway(draining(true, 300)),
    after: gateway(draining(false, 300)),
    expect: { severity: "high", marker: "enabled           = false", phrase: "cut at once" },
  },
  {
    name: "the block removed",
    before: gateway(draining(true, 60)),
    after: gateway(""),
    expect: {
      severity: "high",
      marker: "backend_http_settings {",
      phrase: "it allowed 60 s",
    },
  },
  {
    name: "300 s → 60 s",
    before: gateway(draining(true, 300)),
    after: gateway(draining(true, 60)),
    expect: { severity: "medium", marker: "drain_timeout_sec = 60", phrase: "from 5 min to 60 s" },
  },
  {
    name: "above 3600 s",
    before: gateway(draining(true, 300)),
    after: gateway(draining(true, 4000)),
    expect: {
      severity: "medium",
      marker: "drain_timeout_sec = 4000",
      phrase: "the deploy will fail",
    },
  },
  {
    name: "a raise",
    before: gateway(draining(true, 60)),
    after: gateway(draining(true, 120)),
    expect: null,
  },
]);

table("azure.resource.removed", [
  {
    name: "a load-balancing rule",
    before: probe("  port = 80") + rule(""),
    after: probe("  port = 80"),
    expect: {
      severity: "high",
      marker: 'resource "azurerm_lb_rule"',
      phrase: "no longer balanced",
      side: "before",
    },
  },
  {
    name: "a probe a rule still uses",
    before: probe("  port = 80") + rule(""),
    after: rule(""),
    expect: {
      severity: "medium",
      marker: 'resource "azurerm_lb_probe"',
      phrase: "azurerm_lb_rule.web still refers",
      side: "before",
    },
  },
  {
    name: "forgotten with a removed block",
    before: probe("  port = 80") + rule(""),
    after:
      probe("  port = 80") +
      "removed {\n  from = azurerm_lb_rule.web\n  lifecycle {\n    destroy = false\n  }\n}\n",
    expect: null,
  },
]);

describe("lb.stickiness on Azure load-balancing rules", () => {
  const fired = (before: string, after: string) =>
    analyze([{ path: "lb.tf", before: rule(before), after: rule(after) }])
      .findings.filter((f) => f.rule.startsWith("lb.stickiness"))
      .map((f) => `${f.rule}:${f.severity}`);

  it("fires when load_distribution changes", () => {
    expect(fired("", '  load_distribution = "SourceIP"')).toEqual(["lb.stickiness.changed:medium"]);
    expect(
      fired('  load_distribution = "SourceIP"', '  load_distribution = "SourceIPProtocol"'),
    ).toEqual(["lb.stickiness.changed:high"]);
    expect(fired('  load_distribution = "SourceIP"', '  load_distribution = "Default"')).toEqual([
      "lb.stickiness.disabled:high",
    ]);
  });

  it("reads the portal names as aliases and does not judge expressions", () => {
    expect(fired('  load_distribution = "SourceIP"', '  load_distribution = "Client IP"')).toEqual(
      [],
    );
    expect(fired('  load_distribution = "Default"', '  load_distribution = "None"')).toEqual([]);
    expect(
      fired('  load_distribution = "SourceIP"', "  load_distribution = var.distribution"),
    ).toEqual([]);
  });
});

describeChecks();
