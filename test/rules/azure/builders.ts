// Builders shared by the azure rules' tests.
export const probe = (attrs: string) => `resource "azurerm_lb_probe" "web" {
  loadbalancer_id = azurerm_lb.main.id
  name            = "web"
${attrs}
}
`;

/** An Azure load-balancing rule named `name`, with extra HCL lines `attrs`. */
export const lbRule = (attrs: string, name = "web") => `resource "azurerm_lb_rule" "${name}" {
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

export function gateway(settings: string, probes = PROBE) {
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

export const PROBE = gatewayProbe('    path                = "/health"');

export function gatewayProbe(attrs: string, match = "") {
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
