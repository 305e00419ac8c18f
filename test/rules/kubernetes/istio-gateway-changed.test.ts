import istioGatewayChanged from "../../../src/rules/kubernetes/istio-gateway-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH } from "./builders.js";
import { gateway, server } from "./istio-builders.js";

const SIMPLE = "      mode: SIMPLE\n      credentialName: shop-cert\n";
const HTTPS = server(443, "HTTPS", "shop.example.com", SIMPLE);
const HTTP = server(80, "HTTP", "shop.example.com");

ruleTable(istioGatewayChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "the HTTPS server moved from 443 to 8443 is high",
      before: gateway(HTTPS),
      after: gateway(server(8443, "HTTPS", "shop.example.com", SIMPLE, "https-443")),
      expect: [
        {
          severity: "high",
          line: "- port:",
          phrase: /moves a listener from HTTPS 443 to HTTPS 8443/,
        },
      ],
    },
    {
      name: "a server removed while another remains is high",
      before: gateway(HTTP + HTTPS),
      after: gateway(HTTPS),
      expect: [
        {
          severity: "high",
          line: "- port:",
          side: "before",
          phrase: /no longer listens on HTTP 80/,
        },
      ],
    },
    {
      name: "the HTTPS server on 443 turned into plain HTTP: one finding (the listener's protocol), not a second for its TLS mode",
      before: gateway(HTTPS),
      after: gateway(server(443, "HTTP", "shop.example.com", "", "https-443")),
      expect: [
        {
          severity: "high",
          line: "- port:",
          phrase: /moves a listener from HTTPS 443 to HTTP 443/,
        },
      ],
    },
    {
      name: "hosts widened to * is high (v1 API)",
      before: gateway(HTTP, "networking.istio.io/v1"),
      after: gateway(server(80, "HTTP", "*"), "networking.istio.io/v1"),
      expect: [
        {
          severity: "high",
          line: "- port:",
          phrase: /widens its hosts from shop.example.com to \*/,
        },
      ],
    },
    {
      name: "TLS mode SIMPLE to PASSTHROUGH is high",
      before: gateway(HTTPS),
      after: gateway(server(443, "HTTPS", "shop.example.com", "      mode: PASSTHROUGH\n")),
      expect: [
        {
          severity: "high",
          line: "- port:",
          phrase: /from SIMPLE to PASSTHROUGH: the gateway stops terminating TLS/,
        },
      ],
    },
    {
      name: "httpsRedirect dropped is high",
      before: gateway(server(80, "HTTP", "shop.example.com", "      httpsRedirect: true\n")),
      after: gateway(HTTP),
      expect: [{ severity: "high", line: "- port:", phrase: /drops httpsRedirect/ }],
    },
    {
      name: "minimum TLS raised from the 1.2 default to 1.3 is high",
      before: gateway(HTTPS),
      after: gateway(
        server(443, "HTTPS", "shop.example.com", SIMPLE + "      minProtocolVersion: TLSV1_3\n"),
      ),
      expect: [
        {
          severity: "high",
          line: "- port:",
          phrase: /raises its minimum TLS version from TLSV1_2 to TLSV1_3/,
        },
      ],
    },
    {
      name: "the same change in a Helm template of the chart is read the same way",
      path: "charts/shop/templates/gateway.yaml",
      before: gateway(HTTPS).replace("name: public", "name: {{ .Release.Name }}-public"),
      after: gateway(server(443, "HTTPS", "*", SIMPLE)).replace(
        "name: public",
        "name: {{ .Release.Name }}-public",
      ),
      expect: [{ severity: "high", line: "- port:", phrase: /widens its hosts/ }],
    },
    {
      name: "near: a server added beside the old ones, a host added, minProtocolVersion written as its default",
      before: gateway(HTTPS),
      after: gateway(
        server(
          443,
          "HTTPS",
          "shop.example.com,www.example.com",
          SIMPLE + "      minProtocolVersion: TLSV1_2\n",
        ) + HTTP,
      ),
      expect: [],
    },
    {
      name: "near: a Gateway API Gateway (gateway.networking.k8s.io) is not Istio's",
      before: gateway(HTTPS, "gateway.networking.k8s.io/v1"),
      after: gateway(server(8443, "HTTPS", "*", SIMPLE), "gateway.networking.k8s.io/v1"),
      expect: [],
    },
  ],
});
