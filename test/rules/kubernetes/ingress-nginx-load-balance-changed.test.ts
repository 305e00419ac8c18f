import ingressNginxLoadBalanceChanged from "../../../src/rules/kubernetes/ingress-nginx-load-balance-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, controllerConfig, ingress, ingressPath, nginxAnnotation } from "./builders.js";

ruleTable(ingressNginxLoadBalanceChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "a global load-balance change is medium",
      before: controllerConfig('  load-balance: "round_robin"\n'),
      after: controllerConfig('  load-balance: "ewma"\n'),
      expect: [
        {
          severity: "medium",
          line: "load-balance",
          phrase:
            /load-balance of ConfigMap ingress-nginx-controller changes from round_robin to ewma/,
        },
      ],
    },
    {
      name: "hash subsets switched on under a hash key are medium",
      before: ingress(ingressPath("/", "web"), nginxAnnotation("upstream-hash-by", "$remote_addr")),
      after: ingress(
        ingressPath("/", "web"),
        nginxAnnotation("upstream-hash-by", "$remote_addr") +
          nginxAnnotation("upstream-hash-by-subset", "true"),
      ),
      expect: [
        {
          severity: "medium",
          line: "upstream-hash-by-subset",
          phrase: /from false to true: every hash key is mapped afresh/,
        },
      ],
    },
    {
      name: "subset settings without a hash key do nothing",
      before: ingress(ingressPath("/", "web")),
      after: ingress(ingressPath("/", "web"), nginxAnnotation("upstream-hash-by-subset", "true")),
      expect: [],
    },
    {
      name: "a new hash key is lb.stickiness.changed's, not this rule's",
      before: ingress(ingressPath("/", "web"), nginxAnnotation("upstream-hash-by", "$remote_addr")),
      after: ingress(ingressPath("/", "web"), nginxAnnotation("upstream-hash-by", "$request_uri")),
      expect: [],
    },
  ],
});
