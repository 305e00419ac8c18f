import portsPublishedChanged from "../../../src/rules/compose/ports-published-changed.js";
import { ruleTable } from "../rule-table.js";
import { COMPOSE_PATH, compose, ports, service } from "./builders.js";

const web = (...entries: string[]) => compose(service("web", ports(...entries)));

ruleTable(portsPublishedChanged, {
  path: COMPOSE_PATH,
  cases: [
    {
      name: "a published port moved to another host port is high",
      before: web("8080:80"),
      after: web("8081:80"),
      expect: [
        {
          severity: "high",
          line: "8081:80",
          phrase: /publishes container port 80 on host port 8081 instead of 8080/,
        },
      ],
    },
    {
      name: "a published port removed is high",
      before: web("8080:80", "127.0.0.1:9090:9090/udp"),
      after: web("8080:80"),
      expect: [
        {
          severity: "high",
          line: "9090:9090",
          side: "before",
          phrase: /Host port 127\.0\.0\.1:9090\/udp .* is no longer published/,
        },
      ],
    },
    {
      name: "the container port behind a kept host port moved is high",
      before: web("8080:80"),
      after: web("8080:8000"),
      expect: [
        {
          severity: "high",
          line: "8080:8000",
          phrase: /now forwards to container port 8000 of web, was 80/,
        },
      ],
    },
    {
      name: "long syntax: published port moved is high",
      before: compose(service("web", "    ports:\n      - target: 80\n        published: 8080\n")),
      after: compose(service("web", "    ports:\n      - target: 80\n        published: 9000\n")),
      expect: [
        { severity: "high", line: "target: 80", phrase: /on host port 9000 instead of 8080/ },
      ],
    },
    {
      name: "a service with published ports removed is high",
      before: compose(service("web", ports("8080:80")), service("db")),
      after: compose(service("db")),
      expect: [
        {
          severity: "high",
          line: "8080:80",
          side: "before",
          phrase: /no longer published \(service web removed\)/,
        },
      ],
    },
    {
      name: "a port newly published on every interface is medium",
      before: web("8080:80"),
      after: web("8080:80", "5432:5432"),
      expect: [{ severity: "medium", line: "5432:5432", phrase: /on every interface/ }],
    },
    {
      name: "a port bound to localhost opened to every interface is medium, not a removal",
      before: web("127.0.0.1:8080:80"),
      after: web("8080:80"),
      expect: [{ severity: "medium", line: "8080:80", phrase: /on every interface/ }],
    },
    {
      name: "a port narrowed from every interface to localhost (the same host port) is medium: only other hosts lose it",
      before: web("5432:5432"),
      after: web("127.0.0.1:5432:5432"),
      expect: [
        {
          severity: "medium",
          line: "127.0.0.1:5432:5432",
          phrase: /^host port 5432 of Service web is now published on 127\.0\.0\.1 only/,
        },
      ],
    },
    {
      name: "a port set through a variable's default, moved, is high",
      before: web("${PORT_PROXY:-8000}:8000"),
      after: web("${PORT_PROXY:-10000}:8000"),
      expect: [{ severity: "high", line: "10000", phrase: /on host port 10000 instead of 8000/ }],
    },
    {
      name: "a port made overridable with the same default is not reported",
      before: web("10000:10000"),
      after: web("${PORT_PROXY:-10000}:10000"),
      expect: [],
    },
    {
      name: "a port set by a variable without a default is not judged",
      before: web("8080:80"),
      after: web("${WEB_PORT}:80"),
      expect: [],
    },
    {
      name: "the Compose file deleted whole is not a port removed",
      before: web("8080:80"),
      after: null,
      expect: [],
    },
    {
      name: "the same ports written in the long syntax are not reported",
      before: web("8080:80"),
      after: compose(
        service(
          "web",
          '    ports:\n      - target: 80\n        published: "8080"\n        protocol: tcp\n',
        ),
      ),
      expect: [],
    },
    {
      name: "a port newly published on localhost only is not reported",
      before: web("8080:80"),
      after: web("8080:80", "127.0.0.1:5432:5432"),
      expect: [],
    },
    {
      name: "a service renamed with its ports kept is not reported",
      before: compose(service("web", ports("8080:80"))),
      after: compose(service("frontend", ports("8080:80"))),
      expect: [],
    },
  ],
});
