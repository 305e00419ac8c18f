import serverDisabled from "../../../src/rules/haproxy/server-disabled.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(serverDisabled, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "weight 0 on one server of three is high and mentions sticky traffic",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check weight 0",
        ),
      ),
      expect: [
        {
          severity: "high",
          line: 14,
          phrase:
            "(web3 weight 0), 33% of its capacity; 2 active servers remain. A server with weight 0 still receives sessions pinned",
        },
      ],
    },
    {
      name: "one disabled server of five is medium",
      before: config(
        servers(
          "server a 10.0.0.1:80",
          "server b 10.0.0.2:80",
          "server c 10.0.0.3:80",
          "server d 10.0.0.4:80",
          "server e 10.0.0.5:80",
        ),
      ),
      after: config(
        servers(
          "server a 10.0.0.1:80 disabled",
          "server b 10.0.0.2:80",
          "server c 10.0.0.3:80",
          "server d 10.0.0.4:80",
          "server e 10.0.0.5:80",
        ),
      ),
      expect: [{ severity: "medium", line: 12, phrase: "takes 1 server of 5 out of rotation" }],
    },
    {
      name: "a weight change that keeps the server in rotation does not fire",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check weight 50",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check",
        ),
      ),
      expect: [],
    },
  ],
});
