import includeUnseen from "../../../src/rules/nginx/include-unseen.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

/** An http block that includes mime.types, with one server whose own lines are `server` (from line 5). */
const conf = (server: string) => `http {
    include mime.types;
    server {
        listen 80;
${server}
    }
}
`;

ruleTable(includeUnseen, {
  path: NGINX_PATH,
  cases: [
    {
      name: "an include added to a location is medium",
      before: site(THREE),
      after: site(THREE, "            include snippets/proxy.conf;"),
      expect: [{ severity: "medium", line: 12, phrase: "include snippets/proxy.conf is new here" }],
    },
    {
      name: "an unchanged include next to an unrelated change does not fire",
      before: site(THREE, "            include snippets/proxy.conf;"),
      after: site(
        lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80", "keepalive 8"),
        "            include snippets/proxy.conf;",
      ),
      expect: [],
    },
    {
      name: "an include added to a server block is medium",
      before: conf(""),
      after: conf("        include conf.d/proxy.conf;"),
      expect: [{ severity: "medium", line: 5, phrase: "include conf.d/proxy.conf is new here" }],
    },
    {
      name: "an edit of a block that includes another file is low",
      before: conf("        include snippets/tls.conf;\n        client_max_body_size 1m;"),
      after: conf("        include snippets/tls.conf;\n        client_max_body_size 8m;"),
      expect: [
        { severity: "low", line: 5, phrase: "which also takes directives from snippets/tls.conf" },
      ],
    },
    {
      name: "a reformatted include does not fire",
      before: conf("        include snippets/tls.conf;"),
      after: conf("        include   snippets/tls.conf;   # same"),
      expect: [],
    },
    {
      name: "an include of server blocks swapped for another glob is high",
      before: conf("").replace("include mime.types;", "include sites-enabled/*;"),
      after: conf("").replace("include mime.types;", "include conf.d/*.conf;"),
      expect: [
        {
          severity: "high",
          line: 2,
          phrase: "include sites-enabled/* is replaced by include conf.d/*.conf",
        },
      ],
    },
    {
      name: "near: the same glob quoted, or written from the configuration directory, loads the same files",
      before: conf("").replace("include mime.types;", "include conf.d/*.conf;"),
      after: conf("").replace("include mime.types;", 'include "/etc/nginx/conf.d/*.conf";'),
      expect: [
        {
          severity: "medium",
          line: 2,
          phrase: "include /etc/nginx/conf.d/*.conf is new here",
        },
      ],
    },
    {
      name: "near: a server-block glob widened (*.conf to *) still loads every file it loaded",
      before: conf("").replace("include mime.types;", "include sites-enabled/*.conf;"),
      after: conf("").replace("include mime.types;", "include sites-enabled/*;"),
      expect: [{ severity: "medium", line: 2, phrase: "include sites-enabled/* is new here" }],
    },
    {
      name: "an include of server blocks removed is high",
      before: conf("").replace(
        "include mime.types;",
        "include mime.types;\n    include conf.d/*.conf;",
      ),
      after: conf(""),
      expect: [
        { severity: "high", line: 3, side: "before", phrase: "include conf.d/*.conf is removed" },
      ],
    },
    {
      name: "a second server-block include added next to the first is medium",
      before: conf("").replace("include mime.types;", "include conf.d/*.conf;"),
      after: conf("").replace(
        "include mime.types;",
        "include conf.d/*.conf;\n    include sites-enabled/*;",
      ),
      expect: [{ severity: "medium", line: 3, phrase: "include sites-enabled/* is new here" }],
    },
    {
      name: "a removed include of plain directives (mime types) is not a server-block include",
      before: conf(""),
      after: conf("").replace("    include mime.types;\n", ""),
      expect: [],
    },
    {
      name: "an edit of a block that includes nothing itself does not fire",
      before: conf("        server_name a;"),
      after: conf("        server_name b;"),
      expect: [],
    },
  ],
});
