import serviceRemovedWhileReferenced from "../../../src/rules/compose/service-removed-while-referenced.js";
import { ruleTable } from "../rule-table.js";
import { COMPOSE_PATH, compose, service } from "./builders.js";

const dependsOn = (name: string) => `    depends_on:\n      - ${name}\n`;
const calls = (url: string) => `    environment:\n      API_URL: ${url}\n`;

ruleTable(serviceRemovedWhileReferenced, {
  path: COMPOSE_PATH,
  cases: [
    {
      name: "a service renamed while another still depends on it is high",
      before: compose(service("api"), service("web", dependsOn("api"))),
      after: compose(service("backend"), service("web", dependsOn("api"))),
      expect: [
        {
          severity: "high",
          line: "- api",
          phrase:
            /web still reaches api through `depends_on`, but this change renames or removes api/,
        },
      ],
    },
    {
      name: "a service removed while another calls it by URL is high",
      before: compose(service("api"), service("web", calls("http://api:8080/v1"))),
      after: compose(service("web", calls("http://api:8080/v1"))),
      expect: [
        {
          severity: "high",
          line: "API_URL",
          phrase: /web still reaches api through a URL, but this change removes api/,
        },
      ],
    },
    {
      name: "a service renamed while another reaches it by a URL with credentials (postgres://user:pass@db) is high",
      before: compose(service("db"), service("web", calls("postgres://app:s3cret@db:5432/app"))),
      after: compose(
        service("postgres"),
        service("web", calls("postgres://app:s3cret@db:5432/app")),
      ),
      expect: [{ severity: "high", line: "API_URL", phrase: /web still reaches db through a URL/ }],
    },
    {
      name: "a URL whose user name matches a removed service does not reach it",
      before: compose(service("app"), service("web", calls("postgres://app:s3cret@db:5432/app"))),
      after: compose(service("web", calls("postgres://app:s3cret@db:5432/app"))),
      expect: [],
    },
    {
      name: "a link to a removed service is high",
      before: compose(service("db"), service("web", "    links:\n      - db:database\n")),
      after: compose(service("web", "    links:\n      - db:database\n")),
      expect: [{ severity: "high", line: "- db:database", phrase: /through `links`/ }],
    },
    {
      name: "a rename that updates every reference is not reported",
      before: compose(service("api"), service("web", dependsOn("api") + calls("http://api:8080"))),
      after: compose(
        service("backend"),
        service("web", dependsOn("backend") + calls("http://backend:8080")),
      ),
      expect: [],
    },
    {
      name: "a rename that keeps the old name as a network alias is not reported",
      before: compose(service("api"), service("web", calls("http://api:8080"))),
      after: compose(
        service("backend", "    networks:\n      default:\n        aliases:\n          - api\n"),
        service("web", calls("http://api:8080")),
      ),
      expect: [],
    },
    {
      name: "a removed service nobody names is not reported",
      before: compose(service("api"), service("web", calls("http://other:8080"))),
      after: compose(service("web", calls("http://other:8080"))),
      expect: [],
    },
  ],
});
