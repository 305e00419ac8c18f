import helmComponentDisabled from "../../../src/rules/kubernetes/helm-component-disabled.js";
import { ruleTable } from "../rule-table.js";

const values = (controller: string, pdb: string, metrics: string) => `controller:
  enabled: ${controller}
  replicaCount: 2
  podDisruptionBudget:
    enabled: ${pdb}
    minAvailable: 1
  metrics:
    enabled: ${metrics}
    serviceMonitor:
      enabled: ${metrics}
cache:
  enabled: true
  image:
    repository: redis
`;

/** Containers that serve no traffic of their own, each with its own image. */
const HELPERS = (enabled: string) => `volumePermissions:
  enabled: ${enabled}
  image:
    repository: bitnami/os-shell
sidecar:
  enabled: ${enabled}
  image:
    repository: kiwigrid/k8s-sidecar
exporter:
  enabled: ${enabled}
  image:
    repository: oliver006/redis_exporter
initSysctl:
  enabled: ${enabled}
  image:
    repository: busybox
`;

ruleTable(helmComponentDisabled, {
  path: "charts/shop/values.yaml",
  cases: [
    {
      name: "the controller turned off is high",
      before: values("true", "true", "true"),
      after: values("false", "true", "true"),
      expect: [
        {
          severity: "high",
          line: "enabled: false",
          phrase: /controller.enabled turns off controller: Helm deletes/,
        },
      ],
    },
    {
      name: "the PodDisruptionBudget turned off is high",
      before: values("true", "true", "true"),
      after: values("true", "false", "true"),
      expect: [
        { severity: "high", line: "enabled: false", phrase: /evict every pod it protected/ },
      ],
    },
    {
      name: "a component with its own image turned off (an environment values file) is high",
      path: "deploy/values-prod.yaml",
      before: values("true", "true", "true"),
      after: values("true", "true", "true").replace(
        "cache:\n  enabled: true",
        "cache:\n  enabled: false",
      ),
      expect: [
        { severity: "high", line: "enabled: false", phrase: /cache.enabled turns off cache/ },
      ],
    },
    {
      name: "near: helper containers with images of their own (volume permissions init container, sidecar, exporter) turned off",
      before: values("true", "true", "true") + HELPERS("true"),
      after: values("true", "true", "true") + HELPERS("false"),
      expect: [],
    },
    {
      name: "near: metrics and its ServiceMonitor turned off, the controller turned on",
      before: values("false", "true", "true"),
      after: values("true", "true", "false"),
      expect: [],
    },
  ],
});
