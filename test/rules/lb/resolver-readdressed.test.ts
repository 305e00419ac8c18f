import resolverReaddressed from "../../../src/rules/lb/resolver-readdressed.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS } from "../haproxy/builders.js";

const nginx = (
  resolver: string,
  server = "server app.service.consul service=http resolve;",
) => `http {
    resolver ${resolver};
    upstream backend {
        zone backend 64k;
        ${server}
    }
    server {
        listen 80;
        location / { proxy_pass http://backend; }
    }
}
`;

const haproxy = (
  nameservers: string,
  server = "server-template web 3 app.service.consul:80 check resolvers dns init-addr none",
) => `resolvers dns
${nameservers}
  hold valid 10s

${DEFAULTS}
backend app
  ${server}
`;

ruleTable(resolverReaddressed, {
  path: "nginx.conf",
  cases: [
    {
      name: "nginx: the resolver of resolve servers re-addressed is high",
      before: nginx("172.17.42.1:8600 valid=10s"),
      after: nginx("172.17.0.1:8600 valid=10s"),
      expect: [
        {
          severity: "high",
          line: "resolver",
          phrase: "resolver of http moves from 172.17.42.1:8600 to 172.17.0.1:8600",
        },
      ],
    },
    {
      name: "nginx: a resolver that keeps one of its addresses does not fire",
      before: nginx("10.0.0.2"),
      after: nginx("10.0.0.2:53 10.0.0.3 valid=30s"),
      expect: [],
    },
    {
      name: "nginx: a resolver no upstream depends on does not fire",
      before: nginx("10.0.0.2", "server 10.0.1.5:80;"),
      after: nginx("10.0.0.9", "server 10.0.1.5:80;"),
      expect: [],
    },
    {
      name: "haproxy: every nameserver of the resolvers a server-template uses re-addressed is high",
      path: "haproxy.cfg",
      before: haproxy("  nameserver ns1 10.0.0.2:53"),
      after: haproxy("  nameserver ns1 10.0.0.9:53"),
      expect: [
        {
          severity: "high",
          line: "nameserver",
          phrase: "resolvers dns moves from 10.0.0.2:53 to 10.0.0.9:53: backend app",
        },
      ],
    },
    {
      name: "haproxy: a nameserver added next to the old one does not fire",
      path: "haproxy.cfg",
      before: haproxy("  nameserver ns1 10.0.0.2:53"),
      after: haproxy("  nameserver ns1 10.0.0.2:53\n  nameserver ns2 10.0.0.9:53"),
      expect: [],
    },
  ],
});
