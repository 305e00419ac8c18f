import istioDestinationPolicyChanged from "../../../src/rules/kubernetes/istio-destination-policy-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH } from "./builders.js";
import { destinationRule, httpRoute, virtualService } from "./istio-builders.js";

const outlier = (errors: number, percent?: number, key = "consecutive5xxErrors") =>
  `    outlierDetection:\n      ${key}: ${errors}\n      interval: 10s\n      baseEjectionTime: 30s\n` +
  (percent !== undefined ? `      maxEjectionPercent: ${percent}\n` : "");
const hashOn = (header: string) =>
  `    loadBalancer:\n      consistentHash:\n        httpHeaderName: ${header}\n`;
const ROUND_ROBIN = "    loadBalancer:\n      simple: ROUND_ROBIN\n";
const SUBSET_V1 = "  - name: v1\n    labels:\n      version: v1\n";
const tls = (mode: string) => `    tls:\n      mode: ${mode}\n`;
const pool = (pending: number) =>
  `    connectionPool:\n      http:\n        http1MaxPendingRequests: ${pending}\n`;

/** The same rule as a Helm values-rendered template of a chart. */
const TEMPLATE_PATH = "charts/reviews/templates/destinationrule.yaml";
const templated = (policy: string) =>
  destinationRule(policy).replace("name: reviews", "name: {{ .Release.Name }}-reviews");

ruleTable(istioDestinationPolicyChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "ejecting after one 5xx, up to every host, is high",
      before: destinationRule(outlier(5)),
      after: destinationRule(outlier(1, 100)),
      expect: [
        {
          severity: "high",
          line: "consecutive5xxErrors",
          phrase:
            /ejects a host after 1 consecutive error \(consecutive5xxErrors\), up to 100% of hosts for 30 s \(was 5 errors, up to 10%\)/,
        },
      ],
    },
    {
      name: "a new DestinationRule that is already hair-trigger (legacy consecutiveErrors) is high",
      before: null,
      after: destinationRule(outlier(1, 100, "consecutiveErrors")),
      expect: [{ severity: "high", line: "consecutiveErrors", phrase: /was no outlier detection/ }],
    },
    {
      name: "the same in a chart template",
      path: TEMPLATE_PATH,
      before: templated(outlier(5)),
      after: templated(outlier(1, 100)),
      expect: [{ severity: "high", line: "consecutive5xxErrors", phrase: /up to 100% of hosts/ }],
    },
    {
      name: "one error but the default 10% cap is medium",
      before: destinationRule(outlier(5)),
      after: destinationRule(outlier(1)),
      expect: [
        {
          severity: "medium",
          line: "consecutive5xxErrors",
          phrase: /healthy hosts are ejected sooner/,
        },
      ],
    },
    {
      name: "consistent hashing dropped for round robin is high",
      before: destinationRule(hashOn("x-user")),
      after: destinationRule(ROUND_ROBIN),
      expect: [
        {
          severity: "high",
          line: "trafficPolicy:",
          phrase: /drops consistent hashing on httpHeaderName: x-user/,
        },
      ],
    },
    {
      name: "upstream TLS ISTIO_MUTUAL to DISABLE is high",
      before: destinationRule(tls("ISTIO_MUTUAL")),
      after: destinationRule(tls("DISABLE")),
      expect: [
        {
          severity: "high",
          line: "mode: DISABLE",
          phrase: /from ISTIO_MUTUAL to DISABLE: traffic to the hosts goes in plain text/,
        },
      ],
    },
    {
      name: "pending requests cut from 1000 to 1 is high",
      before: destinationRule(pool(1000)),
      after: destinationRule(pool(1)),
      expect: [
        {
          severity: "high",
          line: "http1MaxPendingRequests",
          phrase: /from 1000 to 1: requests beyond it are rejected with 503s/,
        },
      ],
    },
    {
      name: "a DestinationRule with subsets deleted is high (routes to its subsets get 503s)",
      before: destinationRule(ROUND_ROBIN, "  - name: v1\n    labels:\n      version: v1\n"),
      after: null,
      expect: [
        {
          severity: "high",
          line: "apiVersion:",
          side: "before",
          phrase: /its subsets v1 no longer exist/,
        },
      ],
    },
    {
      name: "a DestinationRule deleted while the file's VirtualService still routes to its subsets is high",
      before: `${destinationRule(ROUND_ROBIN, SUBSET_V1)}---\n${virtualService(httpRoute("reviews/v1"))}`,
      after: `---\n${virtualService(httpRoute("reviews/v1"))}`,
      expect: [
        {
          severity: "high",
          line: "apiVersion:",
          side: "before",
          phrase: /its subsets v1 no longer exist/,
        },
      ],
    },
    {
      name: "near: a DestinationRule deleted with the VirtualService that routed to its subsets is medium",
      before: `${destinationRule(ROUND_ROBIN, SUBSET_V1)}---\n${virtualService(httpRoute("reviews/v1"))}`,
      after: null,
      expect: [
        {
          severity: "medium",
          line: "apiVersion:",
          side: "before",
          phrase: /goes together with VirtualService reviews/,
        },
      ],
    },
    {
      name: "near: maxRequestsPerConnection cut to 1 (no keep-alive: new connections, no rejected request)",
      before: destinationRule(
        "    connectionPool:\n      http:\n        maxRequestsPerConnection: 100\n",
      ),
      after: destinationRule(
        "    connectionPool:\n      http:\n        maxRequestsPerConnection: 1\n",
      ),
      expect: [],
    },
    {
      name: "near: calmer outlier detection, hashing kept, TLS kept, pool raised",
      before: destinationRule(outlier(1, 100) + hashOn("x-user") + tls("ISTIO_MUTUAL") + pool(100)),
      after: destinationRule(outlier(5, 100) + hashOn("x-user") + tls("ISTIO_MUTUAL") + pool(1000)),
      expect: [],
    },
    {
      name: "near: a DestinationRule with neither subsets nor hashing deleted",
      before: destinationRule(ROUND_ROBIN + tls("ISTIO_MUTUAL")),
      after: null,
      expect: [],
    },
    {
      name: "near: a new DestinationRule with Istio's defaults and hashing, in a chart template",
      path: TEMPLATE_PATH,
      before: null,
      after: templated(outlier(5) + hashOn("x-user")),
      expect: [],
    },
  ],
});
