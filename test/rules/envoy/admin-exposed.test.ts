import adminExposed from "../../../src/rules/envoy/admin-exposed.js";
import { ruleTable } from "../rule-table.js";
import { bootstrap, ENVOY_PATH } from "./builders.js";

const cluster = "  - name: app\n    connect_timeout: 1s\n";
const withAdmin = (address: string) =>
  `admin:\n  access_log_path: /tmp/admin_access.log\n  address:\n    socket_address:\n      address: ${address}\n      port_value: 9901\n${bootstrap(cluster)}`;

const json = (address: string) =>
  JSON.stringify(
    { admin: { address: { socketAddress: { address, portValue: 9901 } } }, static_resources: {} },
    null,
    2,
  ) + "\n";

ruleTable(adminExposed, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "a new file whose admin interface listens on 0.0.0.0 is high",
      before: null,
      after: withAdmin("0.0.0.0"),
      expect: [
        {
          severity: "high",
          line: "address: 0.0.0.0",
          phrase: /the admin interface listens on 0\.0\.0\.0:9901: its unauthenticated endpoints/,
        },
      ],
    },
    {
      name: "the admin interface moved from loopback to :: is high",
      before: withAdmin("127.0.0.1"),
      after: withAdmin('"::"'),
      expect: [
        {
          severity: "high",
          line: 'address: "::"',
          phrase: /listens on :::9901 \(was 127\.0\.0\.1:9901\)/,
        },
      ],
    },
    {
      name: "an admin interface on loopback is not exposed",
      before: null,
      after: withAdmin("127.0.0.1"),
      expect: [],
    },
    {
      name: "an admin interface already on 0.0.0.0 is not a new exposure",
      before: withAdmin("0.0.0.0").replace("/tmp/admin_access.log", "/dev/null"),
      after: withAdmin("0.0.0.0"),
      expect: [],
    },
    {
      name: "in JSON, lowerCamelCase fields, a new admin on 0.0.0.0 is high",
      path: "envoy.json",
      before: json("127.0.0.1"),
      after: json("0.0.0.0"),
      expect: [
        {
          severity: "high",
          line: '"address": "0.0.0.0"',
          phrase: /listens on 0\.0\.0\.0:9901 \(was 127\.0\.0\.1:9901\)/,
        },
      ],
    },
  ],
});
