import serviceLbAnnotationsCut from "../../../src/rules/kubernetes/service-lb-annotations-cut.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH } from "./builders.js";

const AWS = "service.beta.kubernetes.io/aws-load-balancer-";

/** A LoadBalancer Service `web` with annotation lines. */
const lbService = (annotations: string, type = "LoadBalancer") => `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
${annotations || '    team: "shop"\n'}spec:
  type: ${type}
  selector:
    app: web
  ports:
  - port: 443
    targetPort: 8443
`;
const annotation = (name: string, value: string) => `    ${name}: "${value}"\n`;
const TEMPLATE = "charts/web/templates/service.yaml";
const chartValues = (idle: string) =>
  `controller:\n  service:\n    type: LoadBalancer\n    annotations:\n      ${AWS}connection-idle-timeout: "${idle}"\n`;
const templated = (text: string) => text.replace("name: web", "name: {{ .Release.Name }}-web");

ruleTable(serviceLbAnnotationsCut, {
  path: K8S_PATH,
  cases: [
    {
      name: "ELB idle timeout cut from 3600 s to 60 s is high",
      before: lbService(annotation(`${AWS}connection-idle-timeout`, "3600")),
      after: lbService(annotation(`${AWS}connection-idle-timeout`, "60")),
      expect: [
        {
          severity: "high",
          line: "idle-timeout",
          phrase: /connection-idle-timeout cut from 1 h to 60 s/,
        },
      ],
    },
    {
      name: "the same cut in a chart template",
      path: TEMPLATE,
      before: templated(lbService(annotation(`${AWS}connection-idle-timeout`, "3600"))),
      after: templated(lbService(annotation(`${AWS}connection-idle-timeout`, "60"))),
      expect: [{ severity: "high", line: "idle-timeout", phrase: /cut from 1 h to 60 s/ }],
    },
    {
      name: "an idle timeout added at 10 s under the 60 s default is high",
      before: lbService(""),
      after: lbService(annotation(`${AWS}connection-idle-timeout`, "10")),
      expect: [
        { severity: "high", line: "idle-timeout", phrase: /cut from 60 s \(default\) to 10 s/ },
      ],
    },
    {
      name: "connection draining turned off is high",
      before: lbService(annotation(`${AWS}connection-draining-enabled`, "true")),
      after: lbService(annotation(`${AWS}connection-draining-enabled`, "false")),
      expect: [
        { severity: "high", line: "draining-enabled", phrase: /connection draining turned off/ },
      ],
    },
    {
      name: "the TLS policy moved to TLS 1.2 only is high",
      before: lbService(annotation(`${AWS}ssl-negotiation-policy`, "ELBSecurityPolicy-2016-08")),
      after: lbService(
        annotation(`${AWS}ssl-negotiation-policy`, "ELBSecurityPolicy-TLS-1-2-2017-01"),
      ),
      expect: [
        {
          severity: "high",
          line: "ssl-negotiation-policy",
          phrase: /older clients fail the handshake/,
        },
      ],
    },
    {
      name: "an Azure TCP idle timeout cut from 30 to 4 min (the default) is high",
      before: lbService(
        annotation("service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout", "30"),
      ),
      after: lbService(""),
      expect: [
        { severity: "high", line: "annotations:", phrase: /cut from 30 min to 4 min \(default\)/ },
      ],
    },
    {
      name: "near: idle timeout raised, draining kept, a ClusterIP Service with a cut annotation, in a chart template",
      path: TEMPLATE,
      before: templated(
        lbService(
          annotation(`${AWS}connection-idle-timeout`, "60") +
            annotation(`${AWS}connection-draining-enabled`, "true"),
        ),
      ),
      after: templated(
        lbService(
          annotation(`${AWS}connection-idle-timeout`, "400") +
            annotation(`${AWS}connection-draining-enabled`, "true"),
        ),
      ),
      expect: [],
    },
    {
      name: "the same cut through a chart's controller.service.annotations in Helm values",
      path: "deploy/ingress-nginx/values.yaml",
      before: chartValues("3600"),
      after: chartValues("60"),
      expect: [
        {
          severity: "high",
          line: "idle-timeout",
          phrase:
            /controller.service: aws-load-balancer-connection-idle-timeout cut from 1 h to 60 s/,
        },
      ],
    },
    {
      name: "near: Helm values whose idle timeout is raised",
      path: "deploy/ingress-nginx/values.yaml",
      before: chartValues("60"),
      after: chartValues("3600"),
      expect: [],
    },
    {
      name: "near: a ClusterIP Service's annotation is not a load balancer's",
      before: lbService(annotation(`${AWS}connection-idle-timeout`, "3600"), "ClusterIP"),
      after: lbService(annotation(`${AWS}connection-idle-timeout`, "60"), "ClusterIP"),
      expect: [],
    },
  ],
});
