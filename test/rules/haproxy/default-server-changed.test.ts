import defaultServerChanged from "../../../src/rules/haproxy/default-server-changed.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(defaultServerChanged, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "an edit reaching three servers is medium and counts them",
      before: config(servers("default-server inter 2s") + THREE),
      after: config(servers("default-server inter 5s") + THREE),
      expect: [
        { severity: "medium", line: 12, phrase: "changes inter 2s → 5s: it applies to 3 servers" },
      ],
    },
    {
      name: "a defaults-section edit counts the servers of every backend that inherits it",
      before: `defaults\n  default-server fall 3\nbackend a\n  server a1 10.0.0.1:80 check\nbackend b\n  server b1 10.0.0.2:80 check\n`,
      after: `defaults\n  default-server fall 2\nbackend a\n  server a1 10.0.0.1:80 check\nbackend b\n  server b1 10.0.0.2:80 check\n`,
      expect: [{ severity: "medium", line: 2, phrase: "2 servers in 2 sections" }],
    },
    {
      name: "a connection-pool tweak stays low however many servers it reaches",
      before: config(servers("default-server pool-max-conn 10") + THREE),
      after: config(servers("default-server pool-max-conn 100") + THREE),
      expect: [
        { severity: "low", line: 12, phrase: "pool-max-conn 10 → 100: it applies to 3 servers" },
      ],
    },
    {
      name: "a flag turned off through its no- form says on → off, not true → true",
      before: config(
        servers("default-server check", "server web1 10.0.0.1:80", "server web2 10.0.0.2:80"),
      ),
      after: config(
        servers("default-server no-check", "server web1 10.0.0.1:80", "server web2 10.0.0.2:80"),
      ),
      expect: [
        { severity: "medium", line: 12, phrase: "changes check on → off: it applies to 2 servers" },
      ],
    },
    {
      name: "a value that goes away says (unset)",
      before: config(servers("default-server inter 2s") + THREE),
      after: config(servers("default-server rise 2") + THREE),
      expect: [{ severity: "medium", line: 12, phrase: "inter 2s → (unset), rise (unset) → 2" }],
    },
    {
      name: "an edit every server overrides reaches no server",
      before: config(servers("default-server inter 2s", "server web1 10.0.0.1:80 check inter 1s")),
      after: config(servers("default-server inter 5s", "server web1 10.0.0.1:80 check inter 1s")),
      expect: [],
    },
  ],
});
