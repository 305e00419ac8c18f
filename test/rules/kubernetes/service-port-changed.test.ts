import servicePortChanged from "../../../src/rules/kubernetes/service-port-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, PORTS, deployment, service } from "./builders.js";

ruleTable(servicePortChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "a Service port moved is high",
      before: service("  - name: http\n    port: 80\n    targetPort: 8080\n"),
      after: service("  - name: http\n    port: 8080\n    targetPort: 8080\n"),
      expect: [
        {
          severity: "high",
          line: "port: 8080",
          phrase: /changes from 80\/TCP to 8080\/TCP: clients that still connect to 80\/TCP fail/,
        },
      ],
    },
    {
      name: "a targetPort that no container declares is high",
      before:
        deployment({ container: PORTS }) +
        service("  - name: http\n    port: 80\n    targetPort: 8080\n"),
      after:
        deployment({ container: PORTS }) +
        service("  - name: http\n    port: 80\n    targetPort: 9090\n"),
      expect: [
        {
          severity: "high",
          line: "targetPort: 9090",
          phrase: /which no container of Deployment web declares/,
        },
      ],
    },
    {
      name: "a targetPort moved with the container port is medium (old pods during the rollout)",
      before:
        deployment({ container: PORTS }) +
        service("  - name: http\n    port: 80\n    targetPort: 8080\n"),
      after:
        deployment({ container: PORTS.replace("8080", "9090") }) +
        service("  - name: http\n    port: 80\n    targetPort: 9090\n"),
      expect: [
        {
          severity: "medium",
          line: "targetPort: 9090",
          phrase: /pods that still run the old version do not listen there/,
        },
      ],
    },
    {
      name: "renaming the container port a named targetPort uses is high",
      before:
        deployment({ container: PORTS }) +
        service("  - name: http\n    port: 80\n    targetPort: http\n"),
      after:
        deployment({ container: PORTS.replace("name: http", "name: web") }) +
        service("  - name: http\n    port: 80\n    targetPort: http\n"),
      expect: [
        {
          severity: "high",
          line: "ports:",
          phrase: /targets pod port http, which Deployment web no longer declares/,
        },
      ],
    },
    {
      name: "a removed port is high",
      before: service("  - name: http\n    port: 80\n  - name: admin\n    port: 9000\n"),
      after: service("  - name: http\n    port: 80\n"),
      expect: [
        {
          severity: "high",
          line: "name: admin",
          side: "before",
          phrase: /no longer exposes port "admin" \(9000\/TCP\)/,
        },
      ],
    },
    {
      name: "naming the only port is not a change of port",
      before: service("  - port: 7070\n"),
      after: service("  - name: grpc\n    port: 7070\n"),
      expect: [],
    },
  ],
});
