import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNginx } from "../../src/formats/nginx.js";
import { at, toPlain, type Plain, type TreeNode } from "../../src/formats/tree.js";
import type { Problem } from "../../src/formats/types.js";

function tree(source: string): TreeNode {
  const result = parseNginx(source);
  if (!result.ok) throw new Error(`expected a tree, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const plain = (source: string): Plain => toPlain(tree(source));

function problems(source: string): Problem[] {
  const result = parseNginx(source);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

const lineAt = (node: TreeNode, ...keys: string[]): number | undefined => at(node, ...keys)?.line;

const SITE = `user nginx;
http {
    upstream app {
        zone app 64k;
        least_conn;
        server 10.0.0.1:8080 max_fails=3 fail_timeout=10s weight=2;
        server 10.0.0.2:8080 backup;
        server 10.0.0.3:8080;
        keepalive 32;
    }

    server {
        listen 80;
        listen [::]:80;
        server_name example.com www.example.com;

        location = / {
            return 200 "ok";
        }
        location ~* \\.php$ {
            proxy_pass http://app;
        }
        location /api/ {
            proxy_read_timeout 30s;
        }
    }
}
`;

describe("parseNginx: shapes", () => {
  it("reads simple directives as true, numbers or joined strings", () => {
    expect(
      plain("daemon; worker_processes 4; ratio 0.5; error_log /var/log/e.log warn; mode 0755;"),
    ).toEqual({
      daemon: true,
      worker_processes: 4,
      ratio: 0.5,
      error_log: "/var/log/e.log warn",
      mode: "0755",
    });
  });

  it("keys upstream servers by address with typed parameters", () => {
    expect(
      at(tree(SITE), "http", "upstream", "app") &&
        toPlain(at(tree(SITE), "http", "upstream", "app")!),
    ).toEqual({
      zone: "app 64k",
      least_conn: true,
      server: {
        "10.0.0.1:8080": { max_fails: 3, fail_timeout: "10s", weight: 2 },
        "10.0.0.2:8080": { backup: true },
        "10.0.0.3:8080": {},
      },
      keepalive: 32,
    });
  });

  it("reads Plus server parameters and flags", () => {
    expect(
      plain(
        "upstream u { server backend.consul service=http resolve max_conns=100 slow_start=30s route=a; }",
      ),
    ).toEqual({
      upstream: {
        u: {
          server: {
            "backend.consul": {
              service: "http",
              resolve: true,
              max_conns: 100,
              slow_start: "30s",
              route: "a",
            },
          },
        },
      },
    });
  });

  it("keys locations by their arguments and keeps a lone server block as a map", () => {
    const server = at(tree(SITE), "http", "server")!;
    expect(server.kind).toBe("map");
    expect(Object.keys(toPlain(at(server, "location")!) as object)).toEqual([
      "= /",
      "~* \\.php$",
      "/api/",
    ]);
    expect(toPlain(at(server, "location", "= /", "return")!)).toBe("200 ok");
  });

  it("turns repeated directives and server blocks into lists in order", () => {
    expect(toPlain(at(tree(SITE), "http", "server", "listen")!)).toEqual([80, "[::]:80"]);
    expect(plain("http { server { listen 80; } server { listen 443 ssl; } }")).toEqual({
      http: { server: [{ listen: 80 }, { listen: "443 ssl" }] },
    });
  });

  it("keys map, geo, split_clients and types bodies by their first word", () => {
    expect(
      plain(`map $http_upgrade $connection_upgrade { default upgrade; "" close; hostnames; }
             types { text/html html htm; image/png png; }
             split_clients "\${remote_addr}AAA" $variant { 0.5% .one; * ""; }
             geo $geo { default 0; 127.0.0.1 2; server 1; }`),
    ).toEqual({
      map: {
        "$http_upgrade $connection_upgrade": { default: "upgrade", '""': "close", hostnames: true },
      },
      types: { "text/html": "html htm", "image/png": "png" },
      split_clients: { "${remote_addr}AAA $variant": { "0.5%": ".one", "*": '""' } },
      geo: { $geo: { default: 0, "127.0.0.1": 2, server: 1 } },
    });
  });

  it("keys if blocks by their condition and limit_except/match by their arguments", () => {
    expect(
      plain(`location / { if ($request_method = POST) { return 405; } if ( $http_x = "" ) { return 403; } limit_except GET HEAD { deny all; } }
             match server_ok { status 200-399; body ~ '{"HealthCheck":"OK"'; }`),
    ).toEqual({
      location: {
        "/": {
          if: { "$request_method = POST": { return: 405 }, '$http_x = ""': { return: 403 } },
          limit_except: { "GET HEAD": { deny: "all" } },
        },
      },
      match: { server_ok: { status: "200-399", body: '~ {"HealthCheck":"OK"' } },
    });
  });

  it("follows nginx's quoting, escaping and variable rules", () => {
    expect(
      plain(`add_header X-Test "a \\"b\\" c" always;
             set $v \${host}x;
             return 200 a}b;
             rewrite ^/(.*)$ /x#y;
             log_format main 'a "b"';`),
    ).toEqual({
      add_header: 'X-Test a "b" c always',
      set: "$v ${host}x",
      return: "200 a}b",
      rewrite: "^/(.*)$ /x#y",
      log_format: 'main a "b"',
    });
  });

  it("captures Lua blocks opaquely up to the matching brace", () => {
    const result = plain(`location / {
      content_by_lua_block {
          local t = { a = "}" }  -- a } in a comment
          ngx.say([[ { ]], t.a)
      }
      set_by_lua_block $res { return 1 }
      access_log off;
    }`);
    expect(result).toEqual({
      location: {
        "/": {
          content_by_lua_block: 'local t = { a = "}" } -- a } in a comment\nngx.say([[ { ]], t.a)',
          set_by_lua_block: "$res return 1",
          access_log: "off",
        },
      },
    });
  });

  it("warns about a repeated key and keeps both entries", () => {
    const result = parseNginx("upstream u { server a:80; server a:80 backup; }");
    expect(result.ok && toPlain(result.tree)).toEqual({
      upstream: { u: { server: { "a:80": [{}, { backup: true }] } } },
    });
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({ code: "parse.duplicate-key", line: 1 }),
    ]);
  });
});

describe("parseNginx: lines", () => {
  it("gives every node the line of its directive's name", () => {
    const root = tree(SITE);
    expect(lineAt(root, "user")).toBe(1);
    expect(lineAt(root, "http")).toBe(2);
    expect(lineAt(root, "http", "upstream", "app")).toBe(3);
    expect(lineAt(root, "http", "upstream", "app", "server", "10.0.0.1:8080")).toBe(6);
    expect(lineAt(root, "http", "upstream", "app", "server", "10.0.0.1:8080", "max_fails")).toBe(6);
    expect(lineAt(root, "http", "upstream", "app", "server", "10.0.0.2:8080", "backup")).toBe(7);
    expect(lineAt(root, "http", "upstream", "app", "keepalive")).toBe(9);
    expect(lineAt(root, "http", "server")).toBe(12);
    expect(lineAt(root, "http", "server", "listen")).toBe(13);
    expect(lineAt(root, "http", "server", "listen", "1")).toBe(14);
    expect(lineAt(root, "http", "server", "location", "~* \\.php$")).toBe(20);
    expect(lineAt(root, "http", "server", "location", "/api/", "proxy_read_timeout")).toBe(24);
  });

  it("counts lines the same with CRLF, tabs and a BOM", () => {
    const crlf = "\uFEFF" + SITE.replace(/\n/g, "\r\n").replace(/ {4}/g, "\t");
    const root = tree(crlf);
    expect(toPlain(root)).toEqual(toPlain(tree(SITE)));
    expect(lineAt(root, "http", "server", "location", "/api/", "proxy_read_timeout")).toBe(24);
  });

  it("uses the line of the name when a directive spans lines", () => {
    expect(lineAt(tree('a 1;\n\nlog_format main\n  "x"\n  "y";'), "log_format")).toBe(3);
  });
});

describe("parseNginx: reformatting", () => {
  it("gives the same tree whatever the comments, blanks, quotes and line breaks", () => {
    const compact =
      "user nginx;http{upstream app{zone app 64k;least_conn;server 10.0.0.1:8080 max_fails=3 fail_timeout=10s weight=2;" +
      "server 10.0.0.2:8080 backup;server 10.0.0.3:8080;keepalive 32;}server{listen 80;listen [::]:80;" +
      'server_name "example.com" www.example.com;location = / {return 200 ok;}location ~* \\.php$ {proxy_pass http://app;}' +
      "location /api/ {proxy_read_timeout 30s;}}}";
    const commented = SITE.replace(/;\n/g, "; # trailing comment\n").replace(/^/, "# header\n\n");
    expect(plain(compact)).toEqual(plain(SITE));
    expect(plain(commented)).toEqual(plain(SITE));
  });
});

describe("parseNginx: errors", () => {
  it.each([
    ["http {\n  listen 80\n}\n", 2, 'directive "listen" is not terminated by ";"'],
    ["http {\n  server {\n    listen 80;\n}\n", 1, "not closed"],
    ["http {\n}\n}\n", 3, 'unexpected "}"'],
    ['a 1;\nadd_header X "abc;\n', 2, "unterminated"],
    ["a 1;\n;\n", 2, 'unexpected ";"'],
    ['a "b"c;', 1, "after a quoted string"],
    ["location / {\n content_by_lua_block {\n ngx.say('x')\n", 2, "Lua"],
    ["{{range services}}\nupstream {{.Name}} {}\n{{end}}\n", 1, 'unexpected "{"'],
  ])("reports %j on line %i", (source, line, message) => {
    const [problem] = problems(source);
    expect(problem).toEqual({
      code: "parse.failed",
      line,
      message: expect.stringContaining(message),
    });
  });

  it("reports nesting deeper than 200 blocks", () => {
    const deep = "a {".repeat(201) + "}".repeat(201);
    expect(problems(deep)).toEqual([expect.objectContaining({ code: "parse.too-deep", line: 1 })]);
    expect(parseNginx("a {".repeat(200) + "}".repeat(200)).ok).toBe(true);
  });

  it("never throws", () => {
    const alphabet = fc.constantFrom(
      "a",
      " ",
      "\n",
      "\r",
      "\t",
      ";",
      "{",
      "}",
      '"',
      "'",
      "\\",
      "#",
      "$",
      "(",
      ")",
      "=",
      "_by_lua_block",
      "server",
      "[[",
      "--",
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const result = parseNginx(parts.join(""));
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (source) => void parseNginx(source)));
  });
});

describe("location modifiers", () => {
  it("keys `location =/health` and `location = /health` the same", () => {
    const glued = parseNginx(
      "server {\n  location =/health { return 200; }\n  location ~*\\.php$ { deny all; }\n}\n",
    );
    const spaced = parseNginx(
      "server {\n  location = /health { return 200; }\n  location ~* \\.php$ { deny all; }\n}\n",
    );
    expect(glued.ok && spaced.ok && toPlain(glued.tree)).toEqual(spaced.ok && toPlain(spaced.tree));
  });
});
