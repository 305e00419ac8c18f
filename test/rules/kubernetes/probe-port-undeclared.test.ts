import probePortUndeclared from "../../../src/rules/kubernetes/probe-port-undeclared.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, PORTS, SERVICE, deployment } from "./builders.js";

/** A probe `name` of /healthz on `port`, under the container `app`. */
const probe = (name: string, port: string | number) =>
  `        ${name}:\n          httpGet:\n            path: /healthz\n            port: ${port}\n          periodSeconds: 5\n`;
/** A tcpSocket readiness probe on `port`. */
const tcp = (port: string | number) =>
  `        readinessProbe:\n          tcpSocket:\n            port: ${port}\n`;
const TEMPLATE = "charts/web/templates/deployment.yaml";
/** The container's ports rendered from values. */
const VALUES_PORTS = "        ports:\n          {{- toYaml .Values.ports | nindent 10 }}\n";
/** A declared http port and a second port whose name and number come from values. */
const TEMPLATED_PORTS =
  PORTS +
  "        - name: {{ .Values.extraPort.name }}\n          containerPort: {{ .Values.extraPort.number }}\n";

ruleTable(probePortUndeclared, {
  path: K8S_PATH,
  cases: [
    {
      name: "a new readiness probe on a port no container declares is high",
      before: deployment({ container: PORTS }) + SERVICE,
      after: deployment({ container: PORTS + probe("readinessProbe", 1024) }) + SERVICE,
      expect: [
        {
          severity: "high",
          line: "port: 1024",
          phrase:
            /new readinessProbe of container "app" in Deployment web connects to port 1024, which no container of the pod declares \(it declares 8080 \(http\)\): the pod never becomes Ready.*Safe:/,
        },
      ],
    },
    {
      name: "a new probe on the declared port, by number or by name, is fine",
      before: deployment({ container: PORTS }) + SERVICE,
      after:
        deployment({
          container: PORTS + probe("readinessProbe", 8080) + probe("livenessProbe", "http"),
        }) + SERVICE,
      expect: [],
    },
    {
      name: "a liveness probe moved from the declared port to another is high",
      before: deployment({ container: PORTS + probe("livenessProbe", 8080) }),
      after: deployment({ container: PORTS + probe("livenessProbe", 1042) }),
      expect: [
        {
          severity: "high",
          line: "port: 1042",
          phrase: /connects to port 1042.*restarts the container.*Safe: keep port 8080/,
        },
      ],
    },
    {
      name: "three probes moved to the same undeclared port: one finding naming them all",
      before: deployment({
        container:
          PORTS +
          probe("startupProbe", 8080) +
          probe("livenessProbe", 8080) +
          probe("readinessProbe", 8080),
      }),
      after: deployment({
        container:
          PORTS +
          probe("startupProbe", 1042) +
          probe("livenessProbe", 1042) +
          probe("readinessProbe", 1042),
      }),
      expect: [
        {
          severity: "high",
          line: "port: 1042",
          phrase:
            /readinessProbe, livenessProbe and startupProbe of container "app" in Deployment web connect to port 1042/,
        },
      ],
    },
    {
      name: "a named port the container does not declare always fails",
      before: deployment({ container: PORTS + tcp("http") }),
      after: deployment({ container: PORTS + tcp("metrics") }),
      expect: [
        { severity: "high", line: "port: metrics", phrase: 'container "app" does not declare' },
      ],
    },
    {
      name: "the declared port a probe uses is removed",
      before: deployment({ container: PORTS + tcp("http") }),
      after: deployment({ container: tcp("http") }),
      expect: [{ severity: "high", line: "port: http", phrase: 'port "http"' }],
    },
    {
      name: "a pod that declares no port cannot be judged for a number",
      before: deployment(),
      after: deployment({ container: tcp(9000) }),
      expect: [],
    },
    {
      name: "an undeclared probe port the change did not touch",
      before: deployment({ container: PORTS + tcp(9000), replicas: "  replicas: 2" }),
      after: deployment({ container: PORTS + tcp(9000) }),
      expect: [],
    },
    {
      name: "Helm template: a new probe on an undeclared port is high",
      path: TEMPLATE,
      before: deployment({ container: PORTS, replicas: "  replicas: {{ .Values.replicas }}" }),
      after: deployment({
        container: PORTS + probe("startupProbe", 1024),
        replicas: "  replicas: {{ .Values.replicas }}",
      }),
      expect: [{ severity: "high", line: "port: 1024", phrase: "never passes startup" }],
    },
    {
      name: "near, Helm template: a probe on 8081 beside a templated containerPort (may render to 8081) cannot be judged",
      path: TEMPLATE,
      before: deployment({ container: TEMPLATED_PORTS, replicas: "  replicas: 2" }),
      after: deployment({
        container: TEMPLATED_PORTS + probe("readinessProbe", 8081),
        replicas: "  replicas: 2",
      }),
      expect: [],
    },
    {
      name: "near, Helm template: a probe on a port name beside a templated port name cannot be judged",
      path: TEMPLATE,
      before: deployment({ container: TEMPLATED_PORTS, replicas: "  replicas: 2" }),
      after: deployment({
        container: TEMPLATED_PORTS + probe("livenessProbe", "metrics"),
        replicas: "  replicas: 2",
      }),
      expect: [],
    },
    {
      name: "near, Helm template: a container's ports rendered from values (toYaml) may declare the probe's port",
      path: TEMPLATE,
      before: deployment({ container: VALUES_PORTS, replicas: "  replicas: 2" }),
      after: deployment({
        container: VALUES_PORTS + probe("readinessProbe", 8080),
        replicas: "  replicas: 2",
      }),
      expect: [],
    },
    {
      name: "Helm template: a templated probe port cannot be judged",
      path: TEMPLATE,
      before: deployment({ container: PORTS, replicas: "  replicas: {{ .Values.replicas }}" }),
      after: deployment({
        container: PORTS + probe("startupProbe", "{{ .Values.probePort }}"),
        replicas: "  replicas: {{ .Values.replicas }}",
      }),
      expect: [],
    },
  ],
});
