import cookieServerValueChanged from "../../../src/rules/haproxy/cookie-server-value-changed.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, config, servers } from "./builders.js";

ruleTable(cookieServerValueChanged, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "a server's cookie value changed under cookie persistence",
      before: config(
        servers(
          "cookie SRV insert indirect nocache",
          "server web1 10.0.0.1:80 check cookie w1",
          "server web2 10.0.0.2:80 check cookie w2",
          "server web3 10.0.0.3:80 check cookie w3",
        ),
      ),
      after: config(
        servers(
          "cookie SRV insert indirect nocache",
          "server web1 10.0.0.1:80 check cookie s1",
          "server web2 10.0.0.2:80 check cookie w2",
          "server web3 10.0.0.3:80 check cookie w3",
        ),
      ),
      expect: [
        { severity: "high", line: 13, phrase: "SRV cookie value of 1 server (web1 w1 → s1)" },
      ],
    },
    {
      name: "a new server with its own value does not fire",
      before: config(servers("cookie SRV insert", "server web1 10.0.0.1:80 check cookie w1")),
      after: config(
        servers(
          "cookie SRV insert",
          "server web1 10.0.0.1:80 check cookie w1",
          "server web2 10.0.0.2:80 check cookie w2",
        ),
      ),
      expect: [],
    },
  ],
});
