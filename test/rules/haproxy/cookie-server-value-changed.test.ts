import { describe, expect, it } from "vitest";
import cookieServerValueChanged from "../../../src/rules/haproxy/cookie-server-value-changed.js";
import { findingsOf, ruleTable } from "../rule-table.js";
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
        {
          severity: "high",
          line: 13,
          phrase:
            /SRV cookie value of 1 server \(web1: cookie w1 → s1\): users pinned to it no longer match a server.*Safe: keep `cookie w1` on server web1/,
        },
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

describe("haproxy.cookie.server-value-changed message", () => {
  it("says a removed value is removed and restores a changed one", () => {
    const three = (a: string, b: string) =>
      config(
        servers(
          "cookie SRV insert indirect nocache",
          `server web1 10.0.0.1:80 check${a}`,
          `server web2 10.0.0.2:80 check${b}`,
          "server web3 10.0.0.3:80 check cookie w3",
        ),
      );
    const [finding] = findingsOf(
      cookieServerValueChanged.id,
      HAPROXY_PATH,
      three(" cookie w1", " cookie w2"),
      three(" cookie s1", ""),
    );
    expect(finding?.message).toContain("(web1: cookie w1 → s1, web2: cookie w2 removed)");
    const [single] = findingsOf(
      cookieServerValueChanged.id,
      HAPROXY_PATH,
      three(" cookie w1", " cookie w2"),
      three(" cookie s1", " cookie w2"),
    );
    expect(single?.fix?.replacement.trim()).toBe("server web1 10.0.0.1:80 check cookie w1");
  });
});
