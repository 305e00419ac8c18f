import sectionRemoved from "../../../src/rules/haproxy/section-removed.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS, HAPROXY_PATH, THREE, config } from "./builders.js";

const GLOBAL = `global
  maxconn 4096
  ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets
`;

ruleTable(sectionRemoved, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "the defaults section removed is high: its timeouts become infinite",
      before: config(THREE),
      after: config(THREE, ""),
      expect: [
        {
          severity: "high",
          line: "defaults",
          side: "before",
          phrase: "every timeout it set (connect, client, server) becomes infinite",
        },
      ],
    },
    {
      name: "global and defaults removed together is critical",
      before: GLOBAL + config(THREE),
      after: config(THREE, ""),
      expect: [
        {
          severity: "critical",
          line: "global",
          side: "before",
          phrase: "TLS hardening (protocols and ciphers) reverts",
        },
      ],
    },
    {
      name: "the global section removed alone is high",
      before: GLOBAL + config(THREE),
      after: config(THREE),
      expect: [
        {
          severity: "high",
          line: "global",
          side: "before",
          phrase: "the global section is removed",
        },
      ],
    },
    {
      name: "an unnamed defaults section turned into a named one is not a loss",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("defaults", "defaults web")),
      expect: [],
    },
    {
      name: "a global setting removed from a global section that stays does not fire",
      before: GLOBAL + config(THREE),
      after: GLOBAL.replace("  maxconn 4096\n", "") + config(THREE),
      expect: [],
    },
    {
      name: "a whole file deleted is judged by the resource rules, not here",
      before: GLOBAL + config(THREE),
      after: GLOBAL,
      expect: [],
    },
  ],
});
