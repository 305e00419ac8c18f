import healthcheckRemoved from "../../../src/rules/compose/healthcheck-removed.js";
import { ruleTable } from "../rule-table.js";
import { COMPOSE_PATH, compose, healthcheck, service } from "./builders.js";

const waitsForApi = service(
  "web",
  "    depends_on:\n      api:\n        condition: service_healthy\n",
);

ruleTable(healthcheckRemoved, {
  path: COMPOSE_PATH,
  cases: [
    {
      name: "a healthcheck removed is medium",
      before: compose(service("api", healthcheck("interval: 10s"))),
      after: compose(service("api")),
      expect: [{ severity: "medium", line: "api:", phrase: /api no longer has a healthcheck/ }],
    },
    {
      name: "a healthcheck disabled is medium",
      before: compose(service("api", healthcheck("interval: 10s"))),
      after: compose(service("api", "    healthcheck:\n      disable: true\n")),
      expect: [
        { severity: "medium", line: "healthcheck:", phrase: /api disables its healthcheck/ },
      ],
    },
    {
      name: "a test of NONE disables it too",
      before: compose(service("api", healthcheck())),
      after: compose(service("api", '    healthcheck:\n      test: ["NONE"]\n')),
      expect: [{ severity: "medium", line: "healthcheck:", phrase: /disables its healthcheck/ }],
    },
    {
      name: "removed while another service waits for it to be healthy is high",
      before: compose(service("api", healthcheck()), waitsForApi),
      after: compose(service("api"), waitsForApi),
      expect: [
        {
          severity: "high",
          line: "api:",
          phrase: /web still waits for it with `condition: service_healthy`/,
        },
      ],
    },
    {
      name: "a healthcheck retimed is not a removal",
      before: compose(service("api", healthcheck("interval: 10s"))),
      after: compose(service("api", healthcheck("interval: 20s"))),
      expect: [],
    },
    {
      name: "a service removed with its healthcheck is not reported here",
      before: compose(service("api", healthcheck()), service("web")),
      after: compose(service("web")),
      expect: [],
    },
  ],
});
