import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHaproxy } from "../../src/formats/haproxy.js";
import { at, toPlain, type Plain, type TreeNode } from "../../src/formats/tree.js";
import type { Problem } from "../../src/formats/types.js";

function tree(source: string): TreeNode {
  const result = parseHaproxy(source);
  if (!result.ok) throw new Error(`expected a tree, got ${JSON.stringify(result.problems)}`);
  return result.tree;
}

const plain = (source: string): Plain => toPlain(tree(source));

function problems(source: string): Problem[] {
  const result = parseHaproxy(source);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

const lineAt = (node: TreeNode, ...keys: string[]): number | undefined => at(node, ...keys)?.line;

const CONFIG = `# HAProxy example
global
    maxconn 4096
    log 127.0.0.1:514 local0
    stats socket /var/run/haproxy.sock level admin

defaults
    mode http
    timeout connect 5000
    timeout client 30s
    timeout server 30s
    option httplog
    option redispatch
    no option http-server-close

frontend www
    bind :80
    bind :443 ssl crt /etc/ssl/site.pem alpn h2,http/1.1
    acl is_api path_beg /api
    acl is_api hdr(host) -i api.example.com
    http-request deny if { src 10.0.0.0/8 }
    use_backend api if is_api
    default_backend app

backend app
    balance roundrobin
    cookie SRV insert indirect nocache
    option httpchk GET /health
    http-check expect status 200
    default-server inter 3s fall 3
    default-server rise 2 fall 5
    server web1 10.0.0.1:8080 check inter 2s fall 3 rise 2 cookie a1
    server web2 10.0.0.2:8080 check backup weight 0
    server-template api 3 api.service.consul:80 check resolvers dns init-addr none
    stick-table type ip size 200k expire 30m
    stick on src
    hash-type consistent
`;

describe("parseHaproxy: sections", () => {
  it("reads global, unnamed defaults and named proxies", () => {
    const root = plain(CONFIG) as Record<string, Plain>;
    expect(Object.keys(root)).toEqual(["global", "defaults", "frontend", "backend"]);
    expect(root.global).toEqual({
      maxconn: 4096,
      log: "127.0.0.1:514 local0",
      stats: { socket: "/var/run/haproxy.sock level admin" },
    });
    expect(Object.keys(root.frontend as object)).toEqual(["www"]);
  });

  it("keys named defaults by name and unnamed ones by an empty name when both occur", () => {
    expect(
      plain(
        "defaults\n  mode http\ndefaults tcpdefs\n  mode tcp\nbackend b from tcpdefs\n  server s 1.2.3.4:80\n",
      ),
    ).toEqual({
      defaults: { "": { mode: "http" }, tcpdefs: { mode: "tcp" } },
      backend: { b: { from: "tcpdefs", server: { s: { address: "1.2.3.4:80" } } } },
    });
  });

  it("lists several unnamed defaults sections in order and merges several global sections", () => {
    expect(
      plain(
        "global\n  daemon\ndefaults\n  mode http\nglobal\n  maxconn 10\ndefaults\n  mode tcp\n",
      ),
    ).toEqual({
      global: { daemon: true, maxconn: 10 },
      defaults: [{ mode: "http" }, { mode: "tcp" }],
    });
  });

  it("reads the other section kinds as KIND → NAME → map", () => {
    expect(
      plain(`resolvers dns
  nameserver ns1 10.0.0.53:53
  hold valid 10s
peers mypeers
  peer lb1 10.0.0.1:10000
  server lb2
userlist admins
  user admin insecure-password secret
cache static
  total-max-size 64
http-errors site
  errorfile 503 /etc/haproxy/503.http
crt-store
  load crt site.pem
`),
    ).toEqual({
      resolvers: { dns: { nameserver: { ns1: "10.0.0.53:53" }, hold: "valid 10s" } },
      peers: { mypeers: { peer: { lb1: "10.0.0.1:10000" }, server: { lb2: {} } } },
      userlist: { admins: { user: "admin insecure-password secret" } },
      cache: { static: { "total-max-size": 64 } },
      "http-errors": { site: { errorfile: ["503 /etc/haproxy/503.http"] } },
      "crt-store": { "": { load: "crt site.pem" } },
    });
  });

  it("reads the 1.x address on a listen line as a bind", () => {
    expect(plain("listen stats 0.0.0.0:8404\n  stats enable\n")).toEqual({
      listen: { stats: { bind: { "0.0.0.0:8404": true }, stats: { enable: true } } },
    });
  });
});

describe("parseHaproxy: keywords", () => {
  const backend = (): Record<string, Plain> =>
    (plain(CONFIG) as Record<string, Record<string, Plain>>).backend!.app as Record<string, Plain>;

  it("keys servers by name with their address and typed options", () => {
    expect(backend().server).toEqual({
      web1: { address: "10.0.0.1:8080", check: true, inter: "2s", fall: 3, rise: 2, cookie: "a1" },
      web2: { address: "10.0.0.2:8080", check: true, backup: true, weight: 0 },
    });
    expect(backend()["server-template"]).toEqual({
      api: {
        count: 3,
        address: "api.service.consul:80",
        check: true,
        resolvers: "dns",
        "init-addr": "none",
      },
    });
  });

  it("merges default-server lines, a later value winning", () => {
    expect(backend()["default-server"]).toEqual({ inter: "3s", fall: 5, rise: 2 });
  });

  it("reads timeout, option and no option as maps", () => {
    expect(at(tree(CONFIG), "defaults") && toPlain(at(tree(CONFIG), "defaults")!)).toEqual({
      mode: "http",
      timeout: { connect: 5000, client: "30s", server: "30s" },
      option: { httplog: true, redispatch: true, "http-server-close": false },
    });
    expect(backend().option).toEqual({ httpchk: "GET /health" });
    expect(
      plain(
        "defaults\n  option httplog\n  no option httplog\n  default option forwardfor\n  no log\n",
      ),
    ).toEqual({
      defaults: { option: { httplog: false, forwardfor: null }, log: false },
    });
  });

  it("keys acls and binds, keeps ordered rules as lists and the rest as strings", () => {
    const frontend = (plain(CONFIG) as Record<string, Record<string, Record<string, Plain>>>)
      .frontend!.www!;
    expect(frontend.acl).toEqual({ is_api: ["path_beg /api", "hdr(host) -i api.example.com"] });
    expect(frontend.bind).toEqual({
      ":80": true,
      ":443": "ssl crt /etc/ssl/site.pem alpn h2,http/1.1",
    });
    expect(frontend["http-request"]).toEqual(["deny if { src 10.0.0.0/8 }"]);
    expect(frontend.use_backend).toEqual(["api if is_api"]);
    expect(frontend.default_backend).toBe("app");
    expect(backend()["http-check"]).toEqual(["expect status 200"]);
    expect(backend().balance).toBe("roundrobin");
    expect(backend().cookie).toBe("SRV insert indirect nocache");
    expect(backend()["stick-table"]).toBe("type ip size 200k expire 30m");
    expect(backend().stick).toEqual({ on: "src" });
    expect(backend()["hash-type"]).toBe("consistent");
  });

  it("classifies server options: flags, valued options, no-* and unknown keywords", () => {
    expect(
      plain(
        "backend b\n  server s 10.0.0.1:443 ssl verify none no-sslv3 set-proxy-v2-tlv-fmt(0x20) %[fc_pp_tlv(0x20)] newopt 7 newflag check\n",
      ),
    ).toEqual({
      backend: {
        b: {
          server: {
            s: {
              address: "10.0.0.1:443",
              ssl: true,
              verify: "none",
              "no-sslv3": true,
              "set-proxy-v2-tlv-fmt(0x20)": "%[fc_pp_tlv(0x20)]",
              newopt: 7,
              newflag: true,
              check: true,
            },
          },
        },
      },
    });
  });

  it("skips conditional and diagnostic directives, keeping every branch", () => {
    expect(
      plain(
        'global\n.if defined(EXTRA)\n  maxconn 10\n.else\n  maxconn 20\n.endif\n.notice "loaded"\n',
      ),
    ).toEqual({ global: { maxconn: [10, 20] } });
  });

  it("follows HAProxy's quoting, escaping and comment rules", () => {
    expect(
      plain(`frontend f
  log-format "%{+Q}o %t"' %s'\\ %{-Q}r # comment
  http-request set-header X-Hash a\\#b
  http-request return status 200 content-type text/plain string "a \\"quoted\\" word"
  acl empty req.hdr(x) -m str ""
  capture request header Host len 32#comment
`),
    ).toEqual({
      frontend: {
        f: {
          "log-format": "%{+Q}o %t %s %{-Q}r",
          "http-request": [
            "set-header X-Hash a#b",
            'return status 200 content-type text/plain string a "quoted" word',
          ],
          acl: { empty: 'req.hdr(x) -m str ""' },
          capture: "request header Host len 32",
        },
      },
    });
  });
});

describe("parseHaproxy: lines", () => {
  it("gives every node the line of its keyword", () => {
    const root = tree(CONFIG);
    expect(lineAt(root, "global")).toBe(2);
    expect(lineAt(root, "global", "maxconn")).toBe(3);
    expect(lineAt(root, "defaults", "timeout")).toBe(9);
    expect(lineAt(root, "defaults", "timeout", "server")).toBe(11);
    expect(lineAt(root, "defaults", "option", "http-server-close")).toBe(14);
    expect(lineAt(root, "frontend", "www")).toBe(16);
    expect(lineAt(root, "frontend", "www", "bind", ":443")).toBe(18);
    expect(lineAt(root, "frontend", "www", "acl", "is_api", "1")).toBe(20);
    expect(lineAt(root, "backend", "app", "default-server", "fall")).toBe(31);
    expect(lineAt(root, "backend", "app", "default-server", "inter")).toBe(30);
    expect(lineAt(root, "backend", "app", "server", "web2")).toBe(33);
    expect(lineAt(root, "backend", "app", "server", "web2", "weight")).toBe(33);
    expect(lineAt(root, "backend", "app", "hash-type")).toBe(37);
  });

  it("reads a CRLF file with tabs and a BOM like its LF original", () => {
    const crlf = "\uFEFF" + CONFIG.replace(/\n/g, "\r\n").replace(/ {4}/g, "\t");
    const root = tree(crlf);
    expect(toPlain(root)).toEqual(toPlain(tree(CONFIG)));
    expect(lineAt(root, "backend", "app", "server", "web2")).toBe(33);
  });

  it("gives the same tree whatever the comments, indentation and quoting", () => {
    const reformatted = CONFIG.replace(/^ {4}/gm, "  ")
      .replace(/ +/g, "   ")
      .replace("option   httpchk   GET   /health", 'option httpchk "GET /health"')
      .replace("level   admin", "'level' \"admin\"")
      .replace(/^(\s+timeout .*)$/gm, "$1   # a comment");
    expect(reformatted).toContain('"GET /health"');
    expect(plain(reformatted)).toEqual(plain(CONFIG));
  });
});

describe("parseHaproxy: errors", () => {
  it.each([
    ["maxconn 10\nglobal\n", 1, "before any section"],
    ['global\n  log-format "%t\n', 2, "unmatched double quote"],
    ["backend b\n  server web1\n", 2, 'server "web1" has no address'],
    ["backend b\n  server web1 10.0.0.1:80 inter\n", 2, '"inter" needs a value'],
    ["backend b\n  timeout server\n", 2, "needs a value"],
    ["backend\n  mode http\n", 1, "needs a name"],
    ["backend b\n  mode http\nbackend b\n  mode tcp\n", 3, "already defined on line 1"],
    ["global\n  x \\x4\n", 2, "hexadecimal"],
  ])("reports %j on line %i", (source, line, message) => {
    expect(problems(source)).toContainEqual(
      expect.objectContaining({ line, message: expect.stringContaining(message) }),
    );
  });

  it("reports every faulty line", () => {
    expect(problems("a 1\nb 2\nglobal\n  c 'd\n").map((problem) => problem.line)).toEqual([
      1, 2, 4,
    ]);
  });

  it("warns about a server name used twice", () => {
    const result = parseHaproxy("backend b\n  server s 1.1.1.1:80\n  server s 2.2.2.2:80\n");
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({ code: "parse.duplicate-key", line: 3 }),
    ]);
  });

  it("never throws", () => {
    const alphabet = fc.constantFrom(
      "global",
      "backend b",
      "server",
      "s",
      " ",
      "\n",
      "\r",
      "\t",
      '"',
      "'",
      "\\",
      "#",
      "\\x",
      "no",
      "option",
      "timeout",
      "default-server",
      "from",
      "acl",
      "bind",
      ".if",
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const result = parseHaproxy(parts.join(" "));
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (source) => void parseHaproxy(source)));
  });
});
