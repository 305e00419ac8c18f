import istioRoutesChanged from "../../../src/rules/kubernetes/istio-routes-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH } from "./builders.js";
import { httpRoute, virtualService } from "./istio-builders.js";

const V1 = httpRoute("reviews/v1");
const abort = (percent: number) =>
  `    fault:\n      abort:\n        percentage:\n          value: ${percent}\n        httpStatus: 503\n`;
const timeout = (value: string) => `    timeout: ${value}\n`;

/** The same VirtualService as a JSON manifest. */
const json = (subset: string, weight?: number) =>
  JSON.stringify(
    {
      apiVersion: "networking.istio.io/v1beta1",
      kind: "VirtualService",
      metadata: { name: "reviews" },
      spec: {
        hosts: ["reviews"],
        http: [
          {
            route: [
              { destination: { host: "reviews", subset }, ...(weight ? { weight } : {}) },
              ...(weight
                ? [{ destination: { host: "reviews", subset: "v1" }, weight: 100 - weight }]
                : []),
            ],
          },
        ],
      },
    },
    null,
    2,
  );

ruleTable(istioRoutesChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "every request of the route moved from subset v1 to v2 is high",
      before: virtualService(V1),
      after: virtualService(httpRoute("reviews/v2")),
      expect: [
        {
          severity: "high",
          line: "- destination:",
          phrase:
            /sends 100% of its traffic to other destinations \(reviews subset v1 → reviews subset v2\)/,
        },
      ],
    },
    {
      name: "every request moved to a subset that had weight 0 (no traffic yet) is high",
      before: virtualService(httpRoute("reviews/v1=100,reviews/v2=0")),
      after: virtualService(httpRoute("reviews/v1=0,reviews/v2=100")),
      expect: [{ severity: "high", line: "- destination:", phrase: /sends 100% of its traffic/ }],
    },
    {
      name: "near: a canary promoted 90/10 to 20/80 moves traffic to a subset already serving (medium)",
      before: virtualService(httpRoute("reviews/v1=90,reviews/v2=10")),
      after: virtualService(httpRoute("reviews/v1=20,reviews/v2=80")),
      expect: [{ severity: "medium", line: "- destination:", phrase: /sends 70% of its traffic/ }],
    },
    {
      name: "the same cut-over in a JSON manifest",
      path: "k8s/reviews.json",
      before: json("v1"),
      after: json("v3"),
      expect: [{ severity: "high", line: 14, phrase: /sends 100% of its traffic/ }],
    },
    {
      name: "a host removed from the VirtualService is high",
      before: virtualService(V1, "reviews,reviews.example.com"),
      after: virtualService(V1),
      expect: [
        { severity: "high", line: "- route:", phrase: /no longer routes reviews.example.com/ },
      ],
    },
    {
      name: "an abort fault on half the requests is high",
      before: virtualService(V1),
      after: virtualService(httpRoute("reviews/v1", abort(50))),
      expect: [{ severity: "high", line: "abort:", phrase: /aborts 50% of its requests/ }],
    },
    {
      name: "a new VirtualService that already aborts every request is high",
      before: null,
      after: virtualService(httpRoute("reviews/v1", abort(100))),
      expect: [{ severity: "high", line: "abort:", phrase: /aborts 100% of its requests/ }],
    },
    {
      name: "near: an abort on every request of a route matched only by a test header (fault-injection testing) is medium",
      before: virtualService(V1),
      after: virtualService(
        "  - match:\n    - headers:\n        end-user:\n          exact: jason\n" +
          httpRoute("reviews/v1", abort(100)).replace("  - route:", "    route:") +
          V1,
      ),
      expect: [{ severity: "medium", line: "abort:", phrase: /aborts 100% of its requests/ }],
    },
    {
      name: "near: a route matched only by a test header moved from v2 to v3 is medium (a test cohort, not everyone)",
      before: virtualService(
        "  - match:\n    - headers:\n        end-user:\n          exact: jason\n" +
          httpRoute("reviews/v2").replace("  - route:", "    route:") +
          V1,
      ),
      after: virtualService(
        "  - match:\n    - headers:\n        end-user:\n          exact: jason\n" +
          httpRoute("reviews/v3").replace("  - route:", "    route:") +
          V1,
      ),
      expect: [{ severity: "medium", line: 14, phrase: /sends 100% of its traffic/ }],
    },
    {
      name: "a timeout cut from 30 s to 1 s is high",
      before: virtualService(httpRoute("reviews/v1", timeout("30s"))),
      after: virtualService(httpRoute("reviews/v1", timeout("1s"))),
      expect: [{ severity: "high", line: "timeout:", phrase: /timeout cut from 30 s to 1 s/ }],
    },
    {
      name: "a 0.5 s timeout where there was none (Istio: no timeout) is high",
      before: virtualService(V1),
      after: virtualService(httpRoute("reviews/v1", timeout("500ms"))),
      expect: [{ severity: "high", line: "timeout:", phrase: /from none \(no timeout\) to 0.5 s/ }],
    },
    {
      name: "a canary step of 10% is medium",
      before: virtualService(httpRoute("reviews/v1=100,reviews/v2=0")),
      after: virtualService(httpRoute("reviews/v1=90,reviews/v2=10")),
      expect: [{ severity: "medium", line: "- destination:", phrase: /sends 10% of its traffic/ }],
    },
    {
      name: "near: the host written in full, a 0.1% abort lowered, the timeout raised",
      before: virtualService(httpRoute("reviews/v1", abort(1) + timeout("10s"))).replace(
        "  - reviews\n  http",
        "  - reviews.default.svc.cluster.local\n  http",
      ),
      after: virtualService(
        httpRoute("reviews.default.svc.cluster.local/v1", abort(0.1) + timeout("1m")),
      ),
      expect: [],
    },
    {
      name: "near: a JSON canary step 20% to 80% on a subset already serving is medium",
      path: "k8s/reviews.json",
      before: json("v2", 20),
      after: json("v2", 80),
      expect: [{ severity: "medium", line: 14, phrase: /sends 60% of its traffic/ }],
    },
    {
      name: "near: a JSON manifest whose weights stay",
      path: "k8s/reviews.json",
      before: json("v2", 20),
      after: json("v2", 20).replace('"hosts"', '"gateways": ["mesh"],\n    "hosts"'),
      expect: [],
    },
  ],
});
